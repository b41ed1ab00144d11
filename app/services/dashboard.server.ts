// The evaluation office's and the units' views of a period beyond the score table: the monthly
// trend, item breakdowns and grade distributions (from the tallies), complaint volumes by type,
// citizens' comments.
import { type CommentDetail, type CommentFacts, commentMeta } from "#app/domain/comment-detail";
import { complaintTypes } from "#app/domain/case-flow";
import { unitReaderOrder } from "#app/domain/comment-order";
import {
  addChannelMoments,
  exclusionReason,
  type MethodParams,
  type MomentsByChannel,
  parseFlagsKey,
  surveyIndexByChannel,
  timeliness,
} from "#app/domain/scoring";
import { channelOfKey } from "#app/domain/tally";
import { localDate, startOfLocalDay } from "#app/domain/working-days";
import { db, dbDateTime, getDb } from "#app/lib/db.server";
import { cachedScores } from "#app/lib/score-cache.server";
import { commentOrderKey } from "#app/lib/signing.server";
import type { PeriodRecord } from "#app/models/period.server";
import { readItems, readMonthly } from "#app/models/score-tally.server";

export interface TrendPoint {
  month: string;
  n: number;
  s: number | null;
}

/** S and n of the counted responses, month by month (submission month, region time). */
export function monthlyTrend(period: PeriodRecord, params: MethodParams, unitId?: number): Promise<TrendPoint[]> {
  return cachedScores(`trend|${period.id}|${unitId ?? ""}|${JSON.stringify(params)}`, () => computeTrend(period, params, unitId));
}

async function computeTrend(period: PeriodRecord, params: MethodParams, unitId?: number): Promise<TrendPoint[]> {
  const byMonth = new Map<string, MomentsByChannel>();
  for (const row of await readMonthly(period.id, unitId)) {
    const flags = parseFlagsKey(row.flags);
    if (exclusionReason(flags, row.k, params)) continue;
    let byChannel = byMonth.get(row.month);
    if (!byChannel) byMonth.set(row.month, (byChannel = new Map()));
    addChannelMoments(byChannel, channelOfKey(flags), row.k, row.moments);
  }
  return [...byMonth.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, byChannel]) => {
      const s = surveyIndexByChannel(byChannel, params);
      return { month, n: s.n, s: s.s };
    });
}

export interface ItemFigures {
  key: string;
  core: boolean;
  /** Answers by grade 1..5 (index 0..4). */
  counts: number[];
  notApplicable: number;
  /** Mean points of the graded answers (null when none). */
  mean: number | null;
}

/** Per five-grade item: the distribution of the counted responses' answers and its mean points. */
export function itemBreakdown(period: PeriodRecord, params: MethodParams, unitId?: number): Promise<ItemFigures[]> {
  return cachedScores(`items|${period.id}|${unitId ?? ""}|${JSON.stringify(params)}`, () => computeItems(period, params, unitId));
}

async function computeItems(period: PeriodRecord, params: MethodParams, unitId?: number): Promise<ItemFigures[]> {
  const coreKeys = await gradeItemKinds(period.id);
  const byKey = new Map<string, ItemFigures>();
  for (const row of await readItems(period.id, unitId)) {
    // k is unknown per item row; "no scored items" cannot apply to a response with a graded
    // core answer, so only the flag-based reasons decide here (k = 1).
    if (exclusionReason(parseFlagsKey(row.flags), 1, params)) continue;
    let f = byKey.get(row.questionKey);
    if (!f) byKey.set(row.questionKey, (f = { key: row.questionKey, core: coreKeys.get(row.questionKey) ?? false, counts: [0, 0, 0, 0, 0], notApplicable: 0, mean: null }));
    if (row.grade === 0) f.notApplicable += row.count;
    else f.counts[row.grade - 1]! += row.count;
  }
  const p = params.gradePoints;
  const points = [p["1"], p["2"], p["3"], p["4"], p["5"]];
  const order = [...coreKeys.keys()];
  return [...byKey.values()]
    .map((f) => {
      const graded = f.counts.reduce((a, b) => a + b, 0);
      return { ...f, mean: graded ? f.counts.reduce((sum, c, i) => sum + c * points[i]!, 0) / graded : null };
    })
    .sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
}

/** Five-grade items of the period's surveys (key → core?), in questionnaire order. */
async function gradeItemKinds(periodId: number): Promise<Map<string, boolean>> {
  const db = await getDb();
  const rows = await db.question.findMany({
    where: { kind: { in: ["grade_core", "grade_diagnostic"] }, surveyVersion: { survey: { periodId } } },
    orderBy: [{ surveyVersionId: "desc" }, { position: "asc" }],
    select: { key: true, kind: true },
  });
  const out = new Map<string, boolean>();
  for (const r of rows) if (!out.has(r.key)) out.set(r.key, r.kind === "grade_core");
  return out;
}

/** The latest wording of each question of the period's surveys, by key. */
export function questionTexts(periodId: number): Promise<Map<string, Record<string, string>>> {
  return cachedScores(`texts|${periodId}`, () => loadQuestionTexts(periodId));
}

async function loadQuestionTexts(periodId: number): Promise<Map<string, Record<string, string>>> {
  const db = await getDb();
  const rows = await db.question.findMany({
    where: { surveyVersion: { survey: { periodId } } },
    orderBy: { surveyVersionId: "desc" },
    select: { key: true, texts: true },
  });
  const out = new Map<string, Record<string, string>>();
  for (const r of rows) if (!out.has(r.key)) out.set(r.key, r.texts as Record<string, string>);
  return out;
}

export interface ComplaintVolume {
  type: string;
  due: number;
  onTime: number;
  late: number;
  pending: number;
  rejected: number;
}

/** Complaints whose reply was due within the period, by type: volumes and timeliness. */
export function complaintVolumes(period: PeriodRecord, unitId?: number): Promise<ComplaintVolume[]> {
  return cachedScores(`volumes|${period.id}|${unitId ?? ""}`, () => computeVolumes(period, new Date(), unitId));
}

async function computeVolumes(period: PeriodRecord, now: Date, unitId?: number): Promise<ComplaintVolume[]> {
  const rows = await db().read.all<{ type: string; status: string; replyDueAt: string; repliedAt: string | null }>(
    `SELECT type, status, replyDueAt, repliedAt FROM Complaint WHERE replyDueAt >= ? AND replyDueAt <= ?${unitId === undefined ? "" : " AND unitId = ?"}`,
    ...[dbDateTime(period.startsOn), dbDateTime(period.endsOn), ...(unitId === undefined ? [] : [unitId])],
  );
  const byType = new Map<string, ComplaintVolume>(complaintTypes.map((t) => [t, { type: t, due: 0, onTime: 0, late: 0, pending: 0, rejected: 0 }]));
  for (const { type, status, replyDueAt, repliedAt } of rows) {
    const v = byType.get(type);
    if (!v) continue;
    const standing = timeliness({ status, replyDueAt: new Date(replyDueAt), repliedAt: repliedAt ? new Date(repliedAt) : null }, now);
    v[standing] += 1;
    if (standing !== "rejected") v.due += 1;
  }
  return [...byType.values()];
}

export interface CommentRow {
  text: string;
  lang: string;
  /** The local day it was written (every reader). */
  day: string;
  /** Its ids and exact time: the office only (app/domain/comment-detail.ts). */
  full: CommentFacts | null;
  hidden: { reason: string | null } | null;
  excluded: boolean;
}

/**
 * Citizens' comments for a unit in a period, newest first; hidden ones only when asked for. With
 * detail "day" (unit staff) the rows carry the day only: no time, no answer or response number,
 * and within a day they come in a keyed order, not that of submission (app/domain/comment-order.ts).
 */
export async function unitComments(
  periodId: number,
  unitId: number,
  opts: { includeHidden: boolean; take?: number; detail: CommentDetail },
): Promise<CommentRow[]> {
  const db = await getDb();
  const take = opts.take ?? 50;
  const where = {
    text: { not: null },
    question: { kind: "text" },
    response: { periodId, unitId },
    ...(opts.includeHidden ? {} : { hiddenAt: null }),
  };
  const select = {
    id: true,
    text: true,
    hiddenAt: true,
    hiddenReason: true,
    response: { select: { id: true, lang: true, submittedAt: true, flags: { select: { flag: true } } } },
  } as const;
  let rows;
  if (opts.detail === "full") {
    rows = await db.answer.findMany({ where, orderBy: { responseId: "desc" }, take, select });
  } else {
    // Unit readers: every comment of the latest days that reach `take`, then the keyed order
    // within a day picks and orders them (app/domain/comment-order.ts).
    const last = await db.answer.findFirst({ where, orderBy: { response: { submittedAt: "desc" } }, skip: take - 1, select: { response: { select: { submittedAt: true } } } });
    const since = last ? startOfLocalDay(localDate(last.response.submittedAt)) : undefined;
    const all = await db.answer.findMany({ where: since ? { ...where, response: { ...where.response, submittedAt: { gte: since } } } : where, select });
    rows = unitReaderOrder(all, { day: (r) => localDate(r.response.submittedAt), responseId: (r) => r.response.id, key: commentOrderKey(), limit: take });
  }
  return rows.map((r) => ({
    ...commentMeta({ answerId: r.id, responseId: r.response.id, submittedAt: r.response.submittedAt }, opts.detail),
    text: r.text ?? "",
    lang: r.response.lang,
    hidden: r.hiddenAt ? { reason: r.hiddenReason } : null,
    excluded: r.response.flags.some((f) => f.flag === "excluded"),
  }));
}
