// A dissatisfied rating written straight into a worker's database (with the scores rebuilt, as an
// import would), and the signed reference its thanks page would link the complaint form with,
// made as app/services/rating-followup.server.ts makes it, under the test servers' secret.
import type Database from "better-sqlite3";
import { RATING_REFERENCE_DAYS, ratingReferenceValue } from "../../../app/domain/rating-followup";
import { sign } from "../../../app/lib/signing.server";
import { TEST_SECRET } from "./paths";
import { loadResponses } from "./scores";

/** A response of the unit in the 2026 period whose core items are all graded 不满意 (2). */
export function addDissatisfiedRating(server: { dbFile: string }, db: Database.Database, unitCode: string): number {
  const [id] = loadResponses(server, db, unitCode, 1, 2, "办事窗口让我来回跑了三趟。");
  db.prepare(`UPDATE Response SET dissatisfied = 1 WHERE id = ?`).run(id!);
  return id!;
}

/** The reference for the response and unit; `issuedAt` moves its seven days (an old one has expired). */
export function ratingToken(responseId: number, unitCode: string, issuedAt = Date.now()): string {
  return sign("rating-followup", ratingReferenceValue(responseId, unitCode, issuedAt + RATING_REFERENCE_DAYS * 86_400_000), TEST_SECRET);
}

/** The period's dissatisfied ratings of the unit and how many a complaint followed, as stored. */
export function storedFollowups(db: Database.Database, unitCode: string, period = "2026"): { dissatisfied: number; followed: number } {
  return db
    .prepare(
      `SELECT (SELECT COUNT(*) FROM Response r WHERE r.periodId = p.id AND r.unitId = u.id AND r.dissatisfied = 1) AS dissatisfied,
              (SELECT COUNT(DISTINCT c.responseId) FROM Complaint c JOIN Response r ON r.id = c.responseId WHERE r.periodId = p.id AND r.unitId = u.id AND r.dissatisfied = 1) AS followed
       FROM EvaluationPeriod p, Unit u WHERE p.code = ? AND u.code = ?`,
    )
    .get(period, unitCode) as { dissatisfied: number; followed: number };
}
