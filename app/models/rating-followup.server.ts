// The stored side of "a complaint followed a dissatisfied rating": the response a complaint may
// cite (its unit, its date and whether it was dissatisfied, never its answers), and per unit how
// many of a period's dissatisfied ratings are cited by a complaint.
import type { FollowupCounts, RatedResponse } from "#app/domain/rating-followup";
import type { Prisma } from "#app/generated/prisma/client";
import { getDb, getWriter } from "#app/lib/db.server";

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
export function dissatisfiedFollowups(periodId: number, unitId?: number): UnitFollowups[] {
  const db = getWriter();
  const sql = followupStatements(unitId !== undefined);
  const args = unitId === undefined ? [periodId] : [periodId, unitId];
  const counts = db.prepare(sql.counts).raw().all(...args) as [number, number][];
  const followed = new Map(db.prepare(sql.cited).raw().all(...args) as [number, number][]);
  return counts.map(([id, n]) => ({ unitId: id, dissatisfied: n, followed: followed.get(id) ?? 0 }));
}

/** The two statements, for the period (and one unit): (unitId, count) rows. */
export function followupStatements(oneUnit: boolean): { counts: string; cited: string } {
  return {
    counts: `SELECT unitId, COUNT(*) FROM Response WHERE periodId = ? AND dissatisfied = true${oneUnit ? " AND unitId = ?" : ""} GROUP BY unitId`,
    cited:
      "SELECT r.unitId, COUNT(DISTINCT c.responseId) FROM Complaint c CROSS JOIN Response r" +
      ` WHERE c.responseId IS NOT NULL AND r.id = c.responseId AND r.periodId = ? AND r.dissatisfied = true${oneUnit ? " AND r.unitId = ?" : ""} GROUP BY r.unitId`,
  };
}
