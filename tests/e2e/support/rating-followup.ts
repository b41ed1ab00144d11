// A dissatisfied rating written straight into a worker's database (with the scores rebuilt, as an
// import would), and the signed reference its thanks page would link the complaint form with,
// made as app/services/rating-followup.server.ts makes it, under the test servers' secret.
import type { TestDb } from "./db";
import { RATING_REFERENCE_DAYS, ratingReferenceValue } from "../../../app/domain/rating-followup";
import { paramsOf } from "../../../app/domain/scoring";
import { calendarFrom, dueAfterWorkingDays } from "../../../app/domain/working-days";
import { sign } from "../../../app/lib/signing.server";
import { TEST_SECRET } from "./paths";
import { loadResponses } from "./scores";

/** A response of the unit in the 2026 period whose core items are all graded 不满意 (2). */
export function addDissatisfiedRating(server: { databaseUrl: string }, db: TestDb, unitCode: string): number {
  const [id] = loadResponses(server, db, unitCode, 1, 2, "办事窗口让我来回跑了三趟。");
  db.prepare(`UPDATE Response SET dissatisfied = TRUE WHERE id = ?`).run(id!);
  return id!;
}

/** The reference for the response and unit; `issuedAt` moves its seven days (an old one has expired). */
export function ratingToken(responseId: number, unitCode: string, issuedAt = Date.now()): string {
  return sign("rating-followup", ratingReferenceValue(responseId, unitCode, issuedAt + RATING_REFERENCE_DAYS * 86_400_000), TEST_SECRET);
}

/** The period's dissatisfied ratings of the unit and how many a complaint followed, as stored. */
export function storedFollowups(db: TestDb, unitCode: string, period = "2026"): { dissatisfied: number; followed: number } {
  return db
    .prepare(
      `SELECT (SELECT COUNT(*) FROM Response r WHERE r.periodId = p.id AND r.unitId = u.id AND r.dissatisfied = TRUE) AS dissatisfied,
              (SELECT COUNT(DISTINCT c.responseId) FROM Complaint c JOIN Response r ON r.id = c.responseId WHERE r.periodId = p.id AND r.unitId = u.id AND r.dissatisfied = TRUE) AS followed
       FROM EvaluationPeriod p, Unit u WHERE p.code = ? AND u.code = ?`,
    )
    .get(period, unitCode) as { dissatisfied: number; followed: number };
}

/** When a complaint filed at `filedAt` after a rating of the period owes its call-back: the period's followUpDays on the stored calendar. */
export function expectedFollowUpDue(db: TestDb, filedAt: Date, period: string): Date {
  const { params } = db.prepare(`SELECT params FROM EvaluationPeriod WHERE code = ?`).get(period) as { params: string | null };
  const days = db.prepare(`SELECT date, kind FROM CalendarDay`).all() as { date: string; kind: string }[];
  return dueAfterWorkingDays(filedAt, paramsOf(params ? JSON.parse(params) : null).followUpDays, calendarFrom(days));
}

/** The unit's call-backs in the period by state, as stored (integrity complaints left out, as a unit's own page does). */
export function storedCallbacks(db: TestDb, unitCode: string, period = "2026", now = new Date()) {
  const at = now.toISOString().replace("Z", "+00:00");
  return db
    .prepare(
      `SELECT COUNT(*) FILTER (WHERE c.followUpDoneAt IS NOT NULL AND c.followUpDoneAt <= c.followUpDueAt) AS onTime,
              COUNT(*) FILTER (WHERE c.followUpDoneAt IS NOT NULL AND c.followUpDoneAt > c.followUpDueAt) AS late,
              COUNT(*) FILTER (WHERE c.followUpDoneAt IS NULL AND c.followUpDueAt < ?) AS overdue,
              COUNT(*) FILTER (WHERE c.followUpDoneAt IS NULL AND c.followUpDueAt >= ?) AS pending
       FROM Complaint c JOIN Response r ON r.id = c.responseId JOIN EvaluationPeriod p ON p.id = r.periodId JOIN Unit u ON u.id = r.unitId
       WHERE p.code = ? AND u.code = ? AND c.type <> 'integrity' AND c.followUpDueAt IS NOT NULL`,
    )
    .get(at, at, period, unitCode) as { onTime: number; late: number; overdue: number; pending: number };
}
