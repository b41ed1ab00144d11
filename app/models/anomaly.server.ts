// What the anomalies page reads: responses counted by unit, region-local day and grade category
// over a range of ids, flagged responses by unit, day and flag set, and one unit-day's responses.
// Days are the region's (UTC+8), from the dialect (regionDay).
import { CATEGORY_BOUNDS } from "#app/domain/anomaly-test";
import { db, dbDateTime } from "#app/lib/db.server";
import { dialect } from "#app/lib/db/dialect.server";

const localDay = () => dialect().regionDay("r.submittedAt");

/**
 * The highest response id below which every response is committed (responses are only ever added,
 * with growing ids), so counts kept up to it never miss one. With one writer (SQLite) ids commit in
 * order: the highest id. With several (PostgreSQL) a lower id can commit after a higher one; a
 * response's transaction gets its id within a minute of its submittedAt and ends within a minute
 * after that (the sessions' statement and idle limits), so the responses submitted over three
 * minutes ago are settled: the page shows newer ones up to three minutes late, and none never.
 */
export async function highestResponseId(now = new Date()): Promise<number> {
  if (db().kind === "sqlite") return (await db().read.value<number | null>(`SELECT MAX(id) FROM Response`)) ?? 0;
  return (await db().read.value<number | null>(`SELECT MAX(id) FROM Response WHERE submittedAt < ?`, dbDateTime(new Date(now.getTime() - SETTLE_MS)))) ?? 0;
}
const SETTLE_MS = 3 * 60_000;

/** Ids of the core (scored) five-grade questions of every version of the period's surveys. */
export function coreQuestionIds(periodId: number): Promise<number[]> {
  return db().read.pluck<number>(
    `SELECT q.id FROM Question q JOIN SurveyVersion v ON v.id = q.surveyVersionId JOIN Survey s ON s.id = v.surveyId
     WHERE s.periodId = ? AND q.kind = 'grade_core' ORDER BY q.id`,
    periodId,
  );
}

/** The category (0, 1, 2; null without a graded core answer) of the mean core grade, as SQL. */
function categorySql(coreIds: readonly number[]): string {
  const ids = coreIds.map((id) => Number(id)).filter(Number.isInteger);
  if (ids.length === 0) return "NULL";
  // One index range per response (its answers), the core items picked out in the expression: faster
  // than one probe per core question.
  return `(SELECT CASE WHEN AVG(x) IS NULL THEN NULL WHEN AVG(x) < ${CATEGORY_BOUNDS[0]} THEN 0 WHEN AVG(x) < ${CATEGORY_BOUNDS[1]} THEN 1 ELSE 2 END
     FROM (SELECT CASE WHEN a.questionId IN (${ids.join(",")}) THEN a.grade END AS x FROM Answer a WHERE a.responseId = r.id) AS core)`;
}

export interface CategoryCountRow {
  unitId: number;
  day: string;
  /** 0 dissatisfied, 1 neutral, 2 satisfied; null: no graded core answer. */
  category: 0 | 1 | 2 | null;
  count: number;
}

/** The period's responses with ids in [fromId, toId], counted by unit, local day and category. */
export function categoryCountsBetween(periodId: number, coreIds: readonly number[], fromId: number, toId: number): Promise<CategoryCountRow[]> {
  // "+r.periodId": walk the id range of the primary key, not the period's whole index.
  return db().read.all<CategoryCountRow>(
    `SELECT r.unitId AS unitId, ${localDay()} AS day, ${categorySql(coreIds)} AS category, COUNT(*) AS count
     FROM Response r WHERE r.id BETWEEN ? AND ? AND +r.periodId = ? GROUP BY 1, 2, 3`,
    fromId,
    toId,
    periodId,
  );
}

export interface FlagSetRow {
  unitId: number;
  day: string;
  /** The response's flags, comma-separated (any order). */
  flags: string;
  count: number;
}

/** The period's flagged responses (ids up to maxId) counted by unit, local day and flag set. */
export function flaggedCounts(periodId: number, maxId: number): Promise<FlagSetRow[]> {
  // Driven by the flags (a few per cent of the responses): CROSS JOIN keeps that order on SQLite
  // (its condition in WHERE: PostgreSQL allows no ON after CROSS JOIN).
  return db().read.all<FlagSetRow>(
    `SELECT r.unitId AS unitId, ${localDay()} AS day, g.flags AS flags, COUNT(*) AS count
     FROM (SELECT responseId, ${dialect().commaList("flag")} AS flags FROM ResponseFlag WHERE responseId <= ? GROUP BY responseId) g
     CROSS JOIN Response r
     WHERE r.id = g.responseId AND r.periodId = ? AND r.id <= ? GROUP BY 1, 2, 3`,
    maxId,
    periodId,
    maxId,
  );
}

export interface DayResponseRow {
  id: number;
  submittedAt: string;
  channel: string;
  ipHash: string | null;
  flags: string | null;
  /** Mean of the answered core grades (null when none). */
  meanGrade: number | null;
}

/** One unit's responses of a local day (YYYY-MM-DD) in the period, oldest first; up to maxId when given. */
export function dayResponses(periodId: number, unitId: number, day: string, coreIds: readonly number[], maxId?: number): Promise<DayResponseRow[]> {
  const start = Date.parse(`${day}T00:00:00+08:00`);
  // The index range is a day wider on both sides, so the stored text's exact form does not matter;
  // the local day itself decides. "+r.id": the unit's index, never the primary key, drives the search.
  const from = dbDateTime(new Date(start - 86_400_000));
  const to = dbDateTime(new Date(start + 2 * 86_400_000));
  const ids = coreIds.map((id) => Number(id)).filter(Number.isInteger);
  const mean = ids.length
    ? `(SELECT AVG(a.grade) FROM Answer a WHERE a.responseId = r.id AND a.questionId IN (${ids.join(",")}) AND a.grade IS NOT NULL)`
    : "NULL";
  // Without a bound there is no id condition (a stand-in bound past PostgreSQL's integer range fails).
  const upTo = maxId === undefined ? "" : "AND +r.id <= ?";
  const params = [periodId, unitId, from, to, day, ...(maxId === undefined ? [] : [maxId])];
  return db().read.all<DayResponseRow>(
    `SELECT r.id AS id, r.submittedAt AS submittedAt, r.channel AS channel, r.ipHash AS ipHash,
       (SELECT ${dialect().commaList("f.flag")} FROM ResponseFlag f WHERE f.responseId = r.id) AS flags,
       ${mean} AS meanGrade
     FROM Response r
     WHERE r.periodId = ? AND r.unitId = ? AND r.submittedAt >= ? AND r.submittedAt < ? AND ${localDay()} = ? ${upTo}
     ORDER BY r.submittedAt, r.id`,
    ...params,
  );
}
