// The stored side of "a complaint followed a dissatisfied rating": the response a complaint may
// cite (its unit, its date and whether it was dissatisfied, never its answers), and per unit how
// many of a period's dissatisfied ratings are cited by a complaint.
import type { FollowUpCallInput } from "#app/domain/follow-up-form";
import { type FollowupCounts, type RatedResponse, reachedCitizen } from "#app/domain/rating-followup";
import { paramsOf } from "#app/domain/scoring";
import type { Prisma } from "#app/generated/prisma/client";
import { db, getDb } from "#app/lib/db.server";

/** The response with this id as the complaint side may see it, or null. */
export async function findRatedResponse(
  id: number,
  client?: Pick<Prisma.TransactionClient, "response">,
): Promise<(RatedResponse & { submittedAt: Date }) | null> {
  const db = client ?? (await getDb());
  return db.response.findUnique({ where: { id }, select: { id: true, unitId: true, dissatisfied: true, submittedAt: true } });
}

export interface UnitFollowups extends FollowupCounts {
  unitId: number;
}

/**
 * Per unit with dissatisfied ratings in the period (or for one unit): how many there are and how
 * many are cited by a complaint. Every stored response counts, flagged or excluded from the score
 * or not: the question is what citizens did after a bad experience, not what enters the score.
 *
 * Two statements, each on an index (a million responses, 15% dissatisfied: ~20 ms and ~3 ms):
 * the count reads the covering index (periodId, dissatisfied, unitId); the cited ones start from
 * the few complaints that carry a responseId (index on Complaint.responseId) and look each
 * response up by its key. Written as a CROSS JOIN because SQLite keeps that join order: with a
 * plain JOIN it walks every dissatisfied response of the period instead (~30 ms). The statements
 * are plain SQL that other databases read the same way.
 */
export async function dissatisfiedFollowups(periodId: number, unitId?: number, withIntegrity = true): Promise<UnitFollowups[]> {
  const sql = followupStatements(unitId !== undefined, withIntegrity);
  const args = unitId === undefined ? [periodId] : [periodId, unitId];
  const counts = await db().read.all<{ unitId: number; n: number }>(sql.counts, ...args);
  const followed = new Map((await db().read.all<{ unitId: number; n: number }>(sql.cited, ...args)).map((r) => [r.unitId, r.n]));
  return counts.map((r) => ({ unitId: r.unitId, dissatisfied: r.n, followed: followed.get(r.unitId) ?? 0 }));
}

// Written as NOT EXISTS on the row: a plain `c.type <> 'integrity'` makes SQLite scan every complaint.
const WITHOUT_INTEGRITY = " AND NOT EXISTS (SELECT 1 FROM Complaint i WHERE i.id = c.id AND i.type = 'integrity')";

/**
 * The two statements, for the period (and one unit): (unitId, n) rows. Without
 * `withIntegrity`, integrity complaints are not counted as citing a rating: a unit's own staff
 * must not learn that one exists (permissions.ts).
 */
export function followupStatements(oneUnit: boolean, withIntegrity = true): { counts: string; cited: string } {
  return {
    counts: `SELECT unitId, COUNT(*) AS n FROM Response WHERE periodId = ? AND dissatisfied = TRUE${oneUnit ? " AND unitId = ?" : ""} GROUP BY unitId`,
    cited:
      "SELECT r.unitId, COUNT(DISTINCT c.responseId) AS n FROM Complaint c CROSS JOIN Response r" +
      ` WHERE c.responseId IS NOT NULL AND r.id = c.responseId AND r.periodId = ? AND r.dissatisfied = TRUE${oneUnit ? " AND r.unitId = ?" : ""}${withIntegrity ? "" : WITHOUT_INTEGRITY} GROUP BY r.unitId`,
  };
}

// ---------------------------------------------------------------------------------------------
// 差评回访 (issue 13): the follow-up owed after a complaint that cited a dissatisfied rating.

/** The followUpDays of the period the response belongs to (the default when its parameters lack it). */
export async function followUpDaysFor(responseId: number, client?: Pick<Prisma.TransactionClient, "response">): Promise<number> {
  const db = client ?? (await getDb());
  const r = await db.response.findUnique({ where: { id: responseId }, select: { period: { select: { params: true } } } });
  return paramsOf(r?.period.params).followUpDays;
}

/**
 * Stores one call-back attempt with its internal event (the case's timeline), and, when it reached
 * the citizen earlier than any attempt before, the complaint's followUpDoneAt. One transaction.
 */
export async function recordFollowUpCall(complaintId: number, actorId: number, input: FollowUpCallInput, now: Date): Promise<void> {
  const db = await getDb();
  await db.$transaction(async (tx) => {
    const event = await tx.complaintEvent.create({
      data: { complaintId, at: now, actorKind: "staff", actorId, action: "follow_up", visibility: "internal" },
      select: { id: true },
    });
    await tx.followUpCall.create({
      data: { complaintId, eventId: event.id, calledAt: input.calledAt, method: input.method, outcome: input.outcome, note: input.note },
    });
    if (reachedCitizen(input.outcome)) {
      await tx.complaint.updateMany({
        where: { id: complaintId, OR: [{ followUpDoneAt: null }, { followUpDoneAt: { gt: input.calledAt } }] },
        data: { followUpDoneAt: input.calledAt },
      });
    }
  });
}

export interface UnitFollowUpRow {
  unitId: number;
  /** The complaint's type: integrity complaints are counted for the office only (permissions.ts). */
  type: string;
  dueAt: Date | null;
  doneAt: Date | null;
}

/**
 * The follow-ups of complaints that cited a dissatisfied rating of the period (or of one unit's),
 * by the rated unit, as on the office's table. Starts from the few complaints with a responseId
 * (its index) and looks each response up by its key, like followupStatements.
 */
export async function periodFollowUps(periodId: number, unitId?: number): Promise<UnitFollowUpRow[]> {
  const sql =
    `SELECT r.unitId, c.type, c.followUpDueAt, c.followUpDoneAt FROM Complaint c CROSS JOIN Response r` +
    ` WHERE c.responseId IS NOT NULL AND r.id = c.responseId AND r.periodId = ?${unitId === undefined ? "" : " AND r.unitId = ?"}`;
  const args = unitId === undefined ? [periodId] : [periodId, unitId];
  const rows = await db().read.all<{ unitId: number; type: string; followUpDueAt: string | null; followUpDoneAt: string | null }>(sql, ...args);
  return rows.map((r) => ({ unitId: r.unitId, type: r.type, dueAt: r.followUpDueAt ? new Date(r.followUpDueAt) : null, doneAt: r.followUpDoneAt ? new Date(r.followUpDoneAt) : null }));
}
