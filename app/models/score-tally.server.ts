// Running tallies behind the scores (ScoreTally, ItemTally): written in the same transaction as
// each response or moderation, read by the dashboard and the API, and recomputed from the raw
// responses by the audit. See app/domain/scoring.ts for what the integers mean.
import {
  addCounts,
  addMoments,
  emptyMoments,
  GRADE_PAIRS,
  type Moments,
  responseMoments,
} from "#app/domain/scoring";
import { type ResponseTally, tallyFlags, tallyMonth } from "#app/domain/tally";
import path from "node:path";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import BetterSqlite3 from "better-sqlite3";
import { type Accumulator, db, type Sql, type WriteTx } from "#app/lib/db.server";
import { type SqliteDatabase, sqliteSql } from "#app/lib/db/sqlite.server";
import { getEnv } from "#app/lib/env.server";
import { dialect } from "#app/lib/db/dialect.server";
import { scoreVersion } from "#app/lib/score-cache.server";

const pairColumns = GRADE_PAIRS.map(([a, b]) => `g${a}${b}`);
const momentColumns = ["n", "g1", "g2", "g3", "g4", "g5", ...pairColumns];

// The tally upsert is additive (exact under concurrent writers): the conflicting row is updated
// with its own old value plus the new one.
const SCORE_UPSERT = `INSERT INTO ScoreTally (periodId, unitId, month, flags, k, ${momentColumns.join(", ")})
  VALUES (?, ?, ?, ?, ?, ${momentColumns.map(() => "?").join(", ")})
  ON CONFLICT (periodId, unitId, month, flags, k) DO UPDATE SET
  ${momentColumns.map((c) => `${c} = ScoreTally.${c} + excluded.${c}`).join(", ")}`;
// Whole moments, for a rebuild.
const SCORE_ROW = `INSERT INTO ScoreTally (periodId, unitId, month, flags, k, ${momentColumns.join(", ")})
  VALUES (?, ?, ?, ?, ?, ${momentColumns.map(() => "?").join(", ")})`;
const ITEM_PUT = `INSERT INTO ItemTally (periodId, unitId, flags, counts) VALUES (?, ?, ?, ?)
  ON CONFLICT (periodId, unitId, flags) DO UPDATE SET counts = excluded.counts`;

const momentValues = (m: Moments) => [m.n, ...m.g, ...m.gg];

/**
 * Adds (sign 1) or takes away (sign -1) one response's tally, inside the write transaction that
 * writes or changes the response, so tallies and rows never disagree. The tally is staged and
 * written, summed with the transaction's other responses, at its end (see Accumulator in
 * app/lib/db/types.ts).
 */
export function applyTally(tx: WriteTx, periodId: number, unitId: number, t: ResponseTally, sign: 1 | -1, itemsOnly = false) {
  tx.stage(tallies, { periodId, unitId, t, sign, itemsOnly });
}

/**
 * Five-grade items added to a response already tallied (the rating's optional step 2): only the
 * item counts move; the response and its score were counted when step 1 was stored.
 */
export function applyItemTally(tx: WriteTx, periodId: number, unitId: number, t: ResponseTally) {
  applyTally(tx, periodId, unitId, t, 1, true);
}

interface TallyDelta {
  periodId: number;
  unitId: number;
  t: ResponseTally;
  sign: 1 | -1;
  itemsOnly: boolean;
}
const tallies: Accumulator<TallyDelta> = { name: "score tallies", flush: writeTallies };

/** Item counts of one tally row: item key -> answers by grade [n/a, 1, 2, 3, 4, 5]. */
type ItemCounts = Record<string, number[]>;

/** Sums the deltas per tally row and writes each row once. */
async function writeTallies(tx: Sql, deltas: readonly TallyDelta[]): Promise<void> {
  const scores = new Map<string, { periodId: number; unitId: number; month: string; flags: string; k: number; m: Moments }>();
  const items = new Map<string, { periodId: number; unitId: number; flags: string; counts: ItemCounts }>();
  for (const { periodId, unitId, t, sign, itemsOnly } of deltas) {
    if (!itemsOnly) {
      const key = `${periodId}|${unitId}|${t.month}|${t.flags}|${t.k}`;
      let row = scores.get(key);
      if (!row) scores.set(key, (row = { periodId, unitId, month: t.month, flags: t.flags, k: t.k, m: emptyMoments() }));
      addMoments(row.m, responseMoments(t.counts, sign));
    }
    if (t.items.length === 0) continue;
    const ikey = `${periodId}|${unitId}|${t.flags}`;
    let group = items.get(ikey);
    if (!group) items.set(ikey, (group = { periodId, unitId, flags: t.flags, counts: {} }));
    for (const item of t.items) (group.counts[item.questionKey] ??= [0, 0, 0, 0, 0, 0])[item.grade]! += sign;
  }
  // Rows in key order, so concurrent transactions lock them in the same order (no deadlock).
  const byKey = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  for (const r of byKey(scores)) await tx.run(SCORE_UPSERT, r.periodId, r.unitId, r.month, r.flags, r.k, ...momentValues(r.m));
  for (const g of byKey(items)) {
    const stored = await dialect().itemCountsForUpdate(tx, g.periodId, g.unitId, g.flags);
    const counts: ItemCounts = stored ? (JSON.parse(stored) as ItemCounts) : {};
    for (const [key, delta] of Object.entries(g.counts)) {
      const target = (counts[key] ??= [0, 0, 0, 0, 0, 0]);
      delta.forEach((d, grade) => (target[grade]! += d));
    }
    await tx.run(ITEM_PUT, g.periodId, g.unitId, g.flags, JSON.stringify(counts));
  }
}

/** Item rows (one per item and grade with a count) from stored item counts. */
function expandItems(unitId: number, flags: string, counts: ItemCounts, into: ItemRow[]) {
  for (const [questionKey, byGrade] of Object.entries(counts)) {
    byGrade.forEach((count, grade) => {
      if (count !== 0) into.push({ unitId, flags, questionKey, grade, count });
    });
  }
}

/** Stored item counts from item rows (for a rebuild). */
function collapseItems(rows: readonly ItemRow[]) {
  const groups = new Map<string, { unitId: number; flags: string; counts: ItemCounts }>();
  for (const r of rows) {
    const key = `${r.unitId}|${r.flags}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { unitId: r.unitId, flags: r.flags, counts: {} }));
    (g.counts[r.questionKey] ??= [0, 0, 0, 0, 0, 0])[r.grade]! += r.count;
  }
  return [...groups.values()];
}

export interface TallyRow {
  unitId: number;
  month: string;
  flags: string;
  k: number;
  moments: Moments;
}

export interface ItemRow {
  unitId: number;
  flags: string;
  questionKey: string;
  grade: number;
  count: number;
}

export interface PeriodTallies {
  scores: TallyRow[];
  items: ItemRow[];
}

function momentsOf(row: Record<string, number>): Moments {
  return { n: row.n!, g: [row.g1!, row.g2!, row.g3!, row.g4!, row.g5!], gg: pairColumns.map((c) => row[c]!) };
}

/** The maintained tallies of a period (rows with nothing left in them are skipped). */
export async function readTallies(periodId: number, unitId?: number, sql: Sql = db().read): Promise<PeriodTallies> {
  const unitFilter = unitId === undefined ? "" : " AND unitId = ?";
  const args = unitId === undefined ? [periodId] : [periodId, unitId];
  const scores = (
    await sql.all<Record<string, number> & { month: string; flags: string }>(
      `SELECT unitId, month, flags, k, ${momentColumns.join(", ")} FROM ScoreTally WHERE periodId = ?${unitFilter} AND n <> 0`,
      ...args,
    )
  ).map((r) => ({ unitId: r.unitId!, month: r.month, flags: r.flags, k: r.k!, moments: momentsOf(r) }));
  return { scores, items: await readItemRows(periodId, unitId, sql) };
}

/** The maintained item counts of a period (or of one unit), one row per item and grade. */
async function readItemRows(periodId: number, unitId?: number, sql: Sql = db().read): Promise<ItemRow[]> {
  const unitFilter = unitId === undefined ? "" : " AND unitId = ?";
  const args = unitId === undefined ? [periodId] : [periodId, unitId];
  const items: ItemRow[] = [];
  for (const r of await sql.all<{ unitId: number; flags: string; counts: string }>(
    `SELECT unitId, flags, counts FROM ItemTally WHERE periodId = ?${unitFilter}`,
    ...args,
  )) {
    expandItems(r.unitId, r.flags, JSON.parse(r.counts) as ItemCounts, items);
  }
  return items;
}

/**
 * The same tallies recomputed from the raw responses, answers and flags of the period (or of the
 * responses with ids in `range`), without reading ScoreTally or ItemTally. The audit compares
 * both.
 *
 * For speed at a million responses, SQLite packs each response's five-grade answers into one
 * integer (3 bits per item: 1–5 a grade, 6 "not applicable", 0 unanswered) in a single pass over
 * the answers, and this function unpacks it. The month, flags and k of a response come from the
 * same functions the write path uses (app/domain/tally.ts), so the paths share their rules and
 * differ only in where the rows come from.
 */
export async function recomputeTallies(periodId: number): Promise<PeriodTallies> {
  const database = db();
  if (database.kind === "sqlite") return recomputeOnSqlite(periodId, (database as SqliteDatabase).writer);
  return recomputeOnSql(periodId, database.read);
}

/** A response as the recomputation reads it: id, unit, submittedAt, version, channel, packed grades. */
type PackedRow = [number, number, string, number, string, number | null];

const RECOMPUTE = {
  period: `SELECT startsOn, endsOn FROM EvaluationPeriod WHERE id = ?`,
  flags: `SELECT f.responseId AS id, f.flag AS flag FROM ResponseFlag f JOIN Response r ON r.id = f.responseId WHERE r.periodId = ? AND r.id BETWEEN ? AND ?`,
  // Five-grade items of every version of the period's surveys, each with its place in the code.
  questions: `SELECT q.id, q.key, q.kind, q.surveyVersionId FROM Question q JOIN SurveyVersion v ON v.id = q.surveyVersionId JOIN Survey s ON s.id = v.surveyId
     WHERE s.periodId = ? AND q.kind IN ('grade_core', 'grade_diagnostic') ORDER BY q.surveyVersionId, q.position`,
  // Each response's five-grade answers packed into one 64-bit integer (3 bits per item).
  responses: (shiftCase: string) =>
    `SELECT r.id, r.unitId, r.submittedAt, r.surveyVersionId, r.channel,
       (SELECT SUM(CAST(CASE WHEN a.notApplicable THEN 6 ELSE a.grade END AS BIGINT) << (${shiftCase}))
        FROM Answer a WHERE a.responseId = r.id AND (${shiftCase}) IS NOT NULL) AS packed
     FROM Response r WHERE r.periodId = ? AND r.id BETWEEN ? AND ?`,
};

/** recomputeTallies on one SQLite connection (the audit's threads each have their own), streaming. */
export function recomputeOnSqlite(periodId: number, db: BetterSqlite3.Database, range?: readonly [number, number]): PeriodTallies {
  const [lo, hi] = range ?? [0, Number.MAX_SAFE_INTEGER];
  const period = db.prepare(RECOMPUTE.period).get(periodId) as Period | undefined;
  if (!period) return { scores: [], items: [] };
  const layout = itemLayout(db.prepare(RECOMPUTE.questions).all(periodId) as QuestionRow[]);
  const flags = flagsById(db.prepare(RECOMPUTE.flags).iterate(periodId, lo, hi) as Iterable<{ id: number; flag: string }>);
  const rows = db.prepare(RECOMPUTE.responses(layout.shiftCase)).raw().iterate(periodId, lo, hi) as Iterable<PackedRow>;
  return recomputeFrom(period, layout, flags, rows);
}

/** recomputeTallies through the data layer (PostgreSQL): the responses read 20,000 ids at a time. */
async function recomputeOnSql(periodId: number, sql: Sql): Promise<PeriodTallies> {
  const period = await sql.get<Period>(RECOMPUTE.period, periodId);
  if (!period) return { scores: [], items: [] };
  const [lo, hi] = await responseIdRange(sql, periodId);
  const layout = itemLayout(await sql.all<QuestionRow>(RECOMPUTE.questions, periodId));
  const flags = flagsById(await sql.all<{ id: number; flag: string }>(RECOMPUTE.flags, periodId, lo, hi));
  const rows: PackedRow[] = [];
  const text = RECOMPUTE.responses(layout.shiftCase);
  for (let from = lo; from <= hi; from += 20_000) {
    type Row = { id: number; unitId: number; submittedAt: string; surveyVersionId: number; channel: string; packed: number | null };
    for (const r of await sql.all<Row>(text, periodId, from, Math.min(hi, from + 19_999))) {
      rows.push([r.id, r.unitId, r.submittedAt, r.surveyVersionId, r.channel, r.packed]);
    }
  }
  return recomputeFrom(period, layout, flags, rows);
}

type Period = { startsOn: string; endsOn: string };

/** The lowest and highest id of the period's responses ([0, 0] when it has none). */
async function responseIdRange(sql: Sql, periodId: number): Promise<[number, number]> {
  const bounds = await sql.get<{ lo: number | null; hi: number | null }>(`SELECT MIN(id) AS lo, MAX(id) AS hi FROM Response WHERE periodId = ?`, periodId);
  return [bounds?.lo ?? 0, bounds?.hi ?? 0];
}
type QuestionRow = { id: number; key: string; kind: string; surveyVersionId: number };
type ItemLayout = { slots: Map<number, { key: string; core: boolean }[]>; shiftCase: string };

/** Each version's five-grade items by slot, and the SQL that maps a question to its slot's shift. */
function itemLayout(questions: readonly QuestionRow[]): ItemLayout {
  const slots = new Map<number, { key: string; core: boolean }[]>(); // version -> items by slot
  const shiftOf = new Map<number, number>();
  for (const q of questions) {
    const list = slots.get(q.surveyVersionId) ?? [];
    if (list.length >= 17) throw new Error("more than 17 five-grade items in one survey version");
    shiftOf.set(q.id, 3 * list.length);
    list.push({ key: q.key, core: q.kind === "grade_core" });
    slots.set(q.surveyVersionId, list);
  }
  const shiftCase = questions.length
    ? `CASE a.questionId ${[...shiftOf].map(([id, shift]) => `WHEN ${id} THEN ${shift}`).join(" ")} END`
    : "NULL";
  return { slots, shiftCase };
}

function flagsById(rows: Iterable<{ id: number; flag: string }>): Map<number, string[]> {
  const flags = new Map<number, string[]>();
  for (const row of rows) {
    const list = flags.get(row.id);
    if (list) list.push(row.flag);
    else flags.set(row.id, [row.flag]);
  }
  return flags;
}

/**
 * The recomputation itself, over rows from either source: the month, flags and k of a response
 * come from the same functions the write path uses (app/domain/tally.ts), so the paths share their
 * rules and differ only in where the rows come from.
 */
function recomputeFrom(period: Period, layout: ItemLayout, flags: Map<number, string[]>, rows: Iterable<PackedRow>): PeriodTallies {
  const from = Date.parse(period.startsOn);
  const to = Date.parse(period.endsOn);
  const { slots } = layout;
  const scores = new Map<string, TallyRow>();
  // Item answers are counted per unit, flags and survey version in flat arrays (slot × grade),
  // and turned into rows at the end: no string work per answer.
  const itemCounts = new Map<string, { unitId: number; flags: string; versionId: number; counts: number[] }>();
  const counts = [0, 0, 0, 0, 0];
  for (const [id, unitId, submittedAt, versionId, channel, code] of rows) {
    const at = Date.parse(submittedAt);
    const month = tallyMonth(new Date(at));
    const fkey = tallyFlags(flags.get(id) ?? [], at < from || at > to, channel);
    const versionSlots = slots.get(versionId) ?? [];
    const groupKey = `${unitId}|${fkey}|${versionId}`;
    let group = itemCounts.get(groupKey);
    if (!group) itemCounts.set(groupKey, (group = { unitId, flags: fkey, versionId, counts: new Array(versionSlots.length * 6).fill(0) }));
    counts.fill(0);
    let k = 0;
    for (let i = 0, c = code ?? 0; c > 0; i++, c = Math.floor(c / 8)) {
      const v = c % 8;
      if (v === 0) continue;
      const grade = v === 6 ? 0 : v;
      group.counts[i * 6 + grade]! += 1;
      if (grade > 0 && versionSlots[i]!.core) {
        counts[grade - 1]! += 1;
        k += 1;
      }
    }
    const key = `${unitId}|${month}|${fkey}|${k}`;
    let row = scores.get(key);
    if (!row) scores.set(key, (row = { unitId, month, flags: fkey, k, moments: emptyMoments() }));
    addCounts(row.moments, counts);
  }
  const items = new Map<string, ItemRow>();
  for (const group of itemCounts.values()) {
    const versionSlots = slots.get(group.versionId) ?? [];
    group.counts.forEach((count, index) => {
      if (count === 0) return;
      const questionKey = versionSlots[Math.floor(index / 6)]!.key;
      const grade = index % 6;
      const ikey = `${group.unitId}|${group.flags}|${questionKey}|${grade}`;
      const irow = items.get(ikey);
      if (irow) irow.count += count;
      else items.set(ikey, { unitId: group.unitId, flags: group.flags, questionKey, grade, count });
    });
  }
  return { scores: [...scores.values()], items: [...items.values()] };
}

/** Adds partial tallies (of disjoint sets of responses) together. */
export function mergeTallies(parts: readonly PeriodTallies[]): PeriodTallies {
  const scores = new Map<string, TallyRow>();
  const items = new Map<string, ItemRow>();
  for (const part of parts) {
    for (const r of part.scores) {
      const key = `${r.unitId}|${r.month}|${r.flags}|${r.k}`;
      const row = scores.get(key);
      if (row) addMoments(row.moments, r.moments);
      else scores.set(key, { ...r, moments: addMoments(emptyMoments(), r.moments) });
    }
    for (const r of part.items) {
      const key = `${r.unitId}|${r.flags}|${r.questionKey}|${r.grade}`;
      const row = items.get(key);
      if (row) row.count += r.count;
      else items.set(key, { ...r });
    }
  }
  return { scores: [...scores.values()], items: [...items.values()] };
}

export interface AuditTallies {
  live: PeriodTallies;
  recomputed: PeriodTallies;
}

interface WorkerAnswer {
  version: string;
  live: PeriodTallies | null;
  recomputed: PeriodTallies;
}

/**
 * Work of one audit thread: in one read transaction (one consistent state of the database), the
 * data version, the maintained tallies (when asked) and the recomputation of a range of responses.
 */
export async function auditSlice(periodId: number, range: readonly [number, number], withLive: boolean, file: string): Promise<WorkerAnswer> {
  const conn = new BetterSqlite3(file, { readonly: true });
  const sql = sqliteSql(conn);
  conn.exec("BEGIN");
  try {
    const version = await scoreVersion(sql);
    return {
      version,
      live: withLive ? await readTallies(periodId, undefined, sql) : null,
      recomputed: recomputeOnSqlite(periodId, conn, range),
    };
  } finally {
    conn.exec("COMMIT");
    conn.close();
  }
}

function runWorker(periodId: number, range: readonly [number, number], withLive: boolean): Promise<WorkerAnswer> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.resolve("app/workers/recompute-tallies.mjs"), { workerData: { periodId, range, withLive, file: getEnv().DATABASE_FILE } });
    worker.once("message", (answer: WorkerAnswer) => resolve(answer));
    worker.once("error", reject);
    worker.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`the recomputation stopped with exit code ${code}`))));
  });
}

/**
 * The maintained tallies and their recomputation from raw rows, the recomputation split over
 * worker threads (one per core, at most 4), each with its own connection, so the event loop stays
 * free and a million responses take seconds. Every thread reports the data version it read; when
 * a write landed in between, the audit is read again (it compares like with like, or says so).
 */
export async function talliesForAudit(periodId: number): Promise<AuditTallies> {
  const database = db();
  // PostgreSQL: both read in one REPEATABLE READ snapshot, so they compare like with like.
  if (database.kind !== "sqlite") {
    return database.snapshot(async (sql) => ({ live: await readTallies(periodId, undefined, sql), recomputed: await recomputeOnSql(periodId, sql) }));
  }
  const { live, recomputed } = await recomputeInThreads(periodId, true);
  return { live: live!, recomputed };
}

async function recomputeInThreads(periodId: number, withLive: boolean, threads = Math.min(4, Math.max(1, availableParallelism()))) {
  const [lo, hi] = await responseIdRange(db().read, periodId);
  const step = Math.ceil((hi - lo + 1) / threads);
  const ranges = Array.from({ length: threads }, (_, i) => [lo + i * step, i === threads - 1 ? Number.MAX_SAFE_INTEGER : lo + (i + 1) * step - 1] as const);
  for (let attempt = 1; ; attempt++) {
    const answers = await Promise.all(ranges.map((range, i) => runWorker(periodId, range, withLive && i === 0)));
    if (answers.every((a) => a.version === answers[0]!.version)) {
      return { live: answers[0]!.live, recomputed: mergeTallies(answers.map((a) => a.recomputed)) };
    }
    if (attempt === 3) throw new Error("the data kept changing during the recomputation; run it again");
  }
}

/**
 * Replaces a period's tallies by a recomputation from the raw rows. For bulk loads that bypass
 * the write path (the demo seed, the benchmark's generator, an import) and as the operator's
 * repair (`npm run scores:audit -- --rebuild`); a running server keeps them up to date by itself.
 * Small periods are recomputed inline, large ones in worker threads.
 */
export async function rebuildTallies(periodId: number) {
  const responses = (await db().read.value<number>(`SELECT COUNT(*) FROM Response WHERE periodId = ?`, periodId)) ?? 0;
  const fresh = responses < 50_000 || db().kind !== "sqlite" ? await recomputeTallies(periodId) : (await recomputeInThreads(periodId, false)).recomputed;
  await db().write(async (tx) => {
    await tx.run(`DELETE FROM ScoreTally WHERE periodId = ?`, periodId);
    await tx.run(`DELETE FROM ItemTally WHERE periodId = ?`, periodId);
    for (const r of fresh.scores) await tx.run(SCORE_ROW, periodId, r.unitId, r.month, r.flags, r.k, ...momentValues(r.moments));
    for (const g of collapseItems(fresh.items)) await tx.run(ITEM_PUT, periodId, g.unitId, g.flags, JSON.stringify(g.counts));
  });
  return fresh;
}

/** Tallies summed by month (and flags and k) for the region or one unit: the trend's input. */
export async function readMonthly(periodId: number, unitId?: number): Promise<TallyRow[]> {
  const unitFilter = unitId === undefined ? "" : " AND unitId = ?";
  const args = unitId === undefined ? [periodId] : [periodId, unitId];
  return (
    await db().read.all<Record<string, number> & { month: string; flags: string }>(
      `SELECT month, flags, k, ${momentColumns.map((c) => `SUM(${c}) AS ${c}`).join(", ")} FROM ScoreTally
       WHERE periodId = ?${unitFilter} GROUP BY month, flags, k HAVING SUM(n) <> 0 ORDER BY month`,
      ...args,
    )
  ).map((r) => ({ unitId: unitId ?? 0, month: r.month, flags: r.flags, k: r.k!, moments: momentsOf(r) }));
}

/** Item answer counts summed over units (or for one unit), by flags, item and grade. */
export async function readItems(periodId: number, unitId?: number): Promise<ItemRow[]> {
  const sums = new Map<string, ItemRow>();
  for (const r of await readItemRows(periodId, unitId)) {
    const key = `${r.flags}|${r.questionKey}|${r.grade}`;
    const sum = sums.get(key);
    if (sum) sum.count += r.count;
    else sums.set(key, { ...r, unitId: unitId ?? 0 });
  }
  return [...sums.values()];
}
