// Running tallies behind the scores (ScoreTally, ItemTally): written in the same transaction as
// each response or moderation, read by the dashboard and the API, and recomputed from the raw
// responses by the audit. See app/domain/scoring.ts for what the integers mean.
import {
  addMoments,
  emptyMoments,
  GRADE_PAIRS,
  type Moments,
  responseMoments,
} from "#app/domain/scoring";
import { type ResponseTally, responseTally } from "#app/domain/tally";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { getWriter } from "#app/lib/db.server";

const pairColumns = GRADE_PAIRS.map(([a, b]) => `g${a}${b}`);
const momentColumns = ["n", "g1", "g2", "g3", "g4", "g5", ...pairColumns];

type Statement = import("better-sqlite3").Statement;
let statements: { score: Statement; item: Statement } | undefined;

function prepare() {
  const db = getWriter();
  return (statements ??= {
    score: db.prepare(
      `INSERT INTO ScoreTally (periodId, unitId, month, flags, k, ${momentColumns.join(", ")})
       VALUES (?, ?, ?, ?, ?, ${momentColumns.map(() => "?").join(", ")})
       ON CONFLICT (periodId, unitId, month, flags, k) DO UPDATE SET
       ${momentColumns.map((c) => `${c} = ${c} + excluded.${c}`).join(", ")}`,
    ),
    item: db.prepare(
      `INSERT INTO ItemTally (periodId, unitId, flags, questionKey, grade, count) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (periodId, unitId, flags, questionKey, grade) DO UPDATE SET count = count + excluded.count`,
    ),
  });
}

const momentValues = (m: Moments) => [m.n, ...m.g, ...m.gg];

/**
 * Adds (sign 1) or takes away (sign -1) one response's tally. Must run inside the transaction
 * that writes or changes the response (withWriteLock), so tallies and rows never disagree.
 */
export function applyTally(periodId: number, unitId: number, t: ResponseTally, sign: 1 | -1) {
  const st = prepare();
  st.score.run(periodId, unitId, t.month, t.flags, t.k, ...momentValues(responseMoments(t.counts, sign)));
  for (const item of t.items) st.item.run(periodId, unitId, t.flags, item.questionKey, item.grade, sign);
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
export function readTallies(periodId: number, unitId?: number, db = getWriter()): PeriodTallies {
  const unitFilter = unitId === undefined ? "" : " AND unitId = ?";
  const args = unitId === undefined ? [periodId] : [periodId, unitId];
  const scores = (
    db
      .prepare(`SELECT unitId, month, flags, k, ${momentColumns.join(", ")} FROM ScoreTally WHERE periodId = ?${unitFilter} AND n <> 0`)
      .all(...args) as (Record<string, number> & { month: string; flags: string })[]
  ).map((r) => ({ unitId: r.unitId!, month: r.month, flags: r.flags, k: r.k!, moments: momentsOf(r) }));
  const items = db
    .prepare(`SELECT unitId, flags, questionKey, grade, count FROM ItemTally WHERE periodId = ?${unitFilter} AND count <> 0`)
    .all(...args) as ItemRow[];
  return { scores, items };
}

/**
 * The same tallies recomputed from the raw responses, answers and flags of the period, without
 * reading ScoreTally or ItemTally. The audit compares both.
 *
 * For speed at a million responses, SQLite packs each response's five-grade answers into one
 * integer (3 bits per item: 1–5 a grade, 6 "not applicable", 0 unanswered) in a single pass over
 * the answers, and this function unpacks it; everything else is the write path's own
 * responseTally, so both paths share the rules and differ only in where the rows come from.
 */
export function recomputeTallies(periodId: number, db = getWriter()): PeriodTallies {
  const period = db.prepare(`SELECT startsOn, endsOn FROM EvaluationPeriod WHERE id = ?`).get(periodId) as
    | { startsOn: string; endsOn: string }
    | undefined;
  if (!period) return { scores: [], items: [] };
  const bounds = { startsOn: new Date(period.startsOn), endsOn: new Date(period.endsOn) };
  const flags = new Map<number, string[]>();
  for (const row of db
    .prepare(`SELECT f.responseId AS id, f.flag AS flag FROM ResponseFlag f JOIN Response r ON r.id = f.responseId WHERE r.periodId = ?`)
    .iterate(periodId) as Iterable<{ id: number; flag: string }>) {
    const list = flags.get(row.id);
    if (list) list.push(row.flag);
    else flags.set(row.id, [row.flag]);
  }
  // Five-grade items of every version of the period's surveys, each with its place in the code.
  const questions = db
    .prepare(
      `SELECT q.id, q.key, q.kind, q.surveyVersionId FROM Question q JOIN SurveyVersion v ON v.id = q.surveyVersionId JOIN Survey s ON s.id = v.surveyId
       WHERE s.periodId = ? AND q.kind IN ('grade_core', 'grade_diagnostic') ORDER BY q.surveyVersionId, q.position`,
    )
    .all(periodId) as { id: number; key: string; kind: string; surveyVersionId: number }[];
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
  const rows = db
    .prepare(
      `SELECT r.id, r.unitId, r.submittedAt, r.surveyVersionId,
         (SELECT SUM((CASE WHEN a.notApplicable THEN 6 ELSE a.grade END) << (${shiftCase}))
          FROM Answer a WHERE a.responseId = r.id AND (${shiftCase}) IS NOT NULL)
       FROM Response r WHERE r.periodId = ?`,
    )
    .raw()
    .iterate(periodId) as Iterable<[number, number, string, number, number | null]>;
  const scores = new Map<string, TallyRow>();
  const items = new Map<string, ItemRow>();
  for (const [id, unitId, submittedAt, versionId, code] of rows) {
    const answers: { questionKey: string; core: boolean; grade: number | null }[] = [];
    const versionSlots = slots.get(versionId) ?? [];
    for (let i = 0, c = code ?? 0; c > 0; i++, c = Math.floor(c / 8)) {
      const v = c % 8;
      if (v === 0) continue;
      const slot = versionSlots[i]!;
      answers.push({ questionKey: slot.key, core: slot.core, grade: v === 6 ? null : v });
    }
    const t = responseTally({ submittedAt: new Date(submittedAt), flags: flags.get(id) ?? [], period: bounds, answers });
    const key = `${unitId}|${t.month}|${t.flags}|${t.k}`;
    let row = scores.get(key);
    if (!row) scores.set(key, (row = { unitId, month: t.month, flags: t.flags, k: t.k, moments: emptyMoments() }));
    addMoments(row.moments, responseMoments(t.counts));
    for (const item of t.items) {
      const ikey = `${unitId}|${t.flags}|${item.questionKey}|${item.grade}`;
      const irow = items.get(ikey);
      if (irow) irow.count += 1;
      else items.set(ikey, { unitId, flags: t.flags, questionKey: item.questionKey, grade: item.grade, count: 1 });
    }
  }
  return { scores: [...scores.values()], items: [...items.values()] };
}

export interface AuditTallies {
  live: PeriodTallies;
  recomputed: PeriodTallies;
}

/** The maintained tallies and their recomputation, read from one consistent state of the database. */
export function talliesForAudit(periodId: number, db = getWriter()): AuditTallies {
  db.exec("BEGIN");
  try {
    return { live: readTallies(periodId, undefined, db), recomputed: recomputeTallies(periodId, db) };
  } finally {
    db.exec("COMMIT");
  }
}

/** talliesForAudit in a worker thread with its own database connection (for the server). */
export function talliesForAuditOffThread(periodId: number): Promise<AuditTallies> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.resolve("app/workers/recompute-tallies.ts"), { workerData: { periodId }, execArgv: ["--import", "tsx"] });
    worker.once("message", (tallies: AuditTallies) => resolve(tallies));
    worker.once("error", reject);
    worker.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`the recomputation stopped with exit code ${code}`))));
  });
}

/**
 * Replaces a period's tallies by a recomputation from the raw rows. For bulk loads that bypass
 * the write path (the demo seed, the benchmark's generator) and as the operator's repair; a
 * running server keeps them up to date by itself.
 */
export function rebuildTallies(periodId: number) {
  const db = getWriter();
  const fresh = recomputeTallies(periodId);
  const st = prepare();
  db.transaction(() => {
    db.prepare(`DELETE FROM ScoreTally WHERE periodId = ?`).run(periodId);
    db.prepare(`DELETE FROM ItemTally WHERE periodId = ?`).run(periodId);
    for (const r of fresh.scores) st.score.run(periodId, r.unitId, r.month, r.flags, r.k, ...momentValues(r.moments));
    for (const r of fresh.items) st.item.run(periodId, r.unitId, r.flags, r.questionKey, r.grade, r.count);
  }).immediate();
  return fresh;
}

/** Tallies summed by month (and flags and k) for the region or one unit: the trend's input. */
export function readMonthly(periodId: number, unitId?: number): TallyRow[] {
  const db = getWriter();
  const unitFilter = unitId === undefined ? "" : " AND unitId = ?";
  const args = unitId === undefined ? [periodId] : [periodId, unitId];
  return (
    db
      .prepare(
        `SELECT month, flags, k, ${momentColumns.map((c) => `SUM(${c}) AS ${c}`).join(", ")} FROM ScoreTally
         WHERE periodId = ?${unitFilter} GROUP BY month, flags, k HAVING SUM(n) <> 0 ORDER BY month`,
      )
      .all(...args) as (Record<string, number> & { month: string; flags: string })[]
  ).map((r) => ({ unitId: unitId ?? 0, month: r.month, flags: r.flags, k: r.k!, moments: momentsOf(r) }));
}

/** Item answer counts summed over units (or for one unit), by flags, item and grade. */
export function readItems(periodId: number, unitId?: number): ItemRow[] {
  const db = getWriter();
  const unitFilter = unitId === undefined ? "" : " AND unitId = ?";
  const args = unitId === undefined ? [periodId] : [periodId, unitId];
  return db
    .prepare(
      `SELECT ${unitId ?? 0} AS unitId, flags, questionKey, grade, SUM(count) AS count FROM ItemTally
       WHERE periodId = ?${unitFilter} GROUP BY flags, questionKey, grade HAVING SUM(count) <> 0`,
    )
    .all(...args) as ItemRow[];
}
