// The satisfaction component of a unit's performance evaluation: the published method
// (docs/scoring.md) as plain functions. Nothing here reads the database; the same functions serve
// the live figures (from running tallies), the audit recomputation (from raw responses) and the
// frozen snapshots, so the paths can only differ in the integers they are given.
import { z } from "zod/mini";
import { dueAfterWorkingDays, type HolidayCalendar } from "./working-days";

/** Bumped whenever a rule below changes; stored with every snapshot. */
export const METHOD_VERSION = "2026.3";

/** Reasons a response does not count, in the order a response with several is reported under. */
export const exclusionReasons = [
  "outside_period",
  "excluded",
  "duplicate",
  "honeypot",
  "network_burst",
  "device_hopping",
  "same_answers",
  "code_burst",
  "too_fast",
  "unverified_start",
  "not_verified",
  "no_scored_items",
] as const;
export type ExclusionReason = (typeof exclusionReasons)[number];

/** Quality flags the office may choose to exclude by (the others are fixed rules). */
export const excludableFlags = [
  "excluded",
  "duplicate",
  "honeypot",
  "network_burst",
  "device_hopping",
  "same_answers",
  "code_burst",
  "too_fast",
  "unverified_start",
] as const;

/** The channels a response can arrive by; "verified" is a response made with a single-use rating code. */
export const channels = ["link", "qr", "kiosk", "verified"] as const;
export type ChannelName = (typeof channels)[number];

/** The marker of a response's channel in its tally key (e.g. "via:qr"; app/domain/tally.ts). */
export const channelMarker = (channel: string) => `via:${channel}`;

const grade = z.number().check(z.gte(0), z.lte(100));
export const methodParamsSchema = z.object({
  /** Points of the five grades: very satisfied (5) … very dissatisfied (1). */
  gradePoints: z.object({ "5": grade, "4": grade, "3": grade, "2": grade, "1": grade }),
  excludingFlags: z.array(z.enum(excludableFlags)),
  /** Weight of S in Q; C gets the rest. */
  surveyWeight: z.number().check(z.gte(0), z.lte(1)),
  /** Weight of timeliness T in C; handling satisfaction H gets the rest. */
  timelinessWeight: z.number().check(z.gte(0), z.lte(1)),
  maxPoints: z.number().check(z.gt(0), z.lte(1000)),
  minSample: z.int().check(z.gte(2), z.lte(100_000)),
  confidence: z.number().check(z.gte(0.5), z.lte(0.999)),
  /** Count only responses made with a single-use rating code (一次一评); the others are "not_verified". */
  verifiedOnly: z.boolean(),
  /** How many ordinary responses one verified response weighs in S (1: the same). */
  verifiedWeight: z.number().check(z.gte(1), z.lte(10)),
  /**
   * Handling (issue 13): a replied complaint still unrated after this many working days gets one
   * invitation to rate (before the rule below would assume its rating).
   */
  ratingInviteDays: z.int().check(z.gte(1), z.lte(30)),
  /** Count a replied complaint unrated after assumeSatisfiedDays working days as "satisfied" (4) in H (Xinjiang's rule); off by default. */
  assumeSatisfied: z.boolean(),
  assumeSatisfiedDays: z.int().check(z.gte(1), z.lte(60)),
  /** Working days staff have to call back a citizen whose complaint followed a dissatisfied rating (差评回访). */
  followUpDays: z.int().check(z.gte(1), z.lte(30)),
  /**
   * The 通报 report (issue 14) names the units whose S is below this value (0..100). A reading
   * aid only: it changes no score, rank or flag of the method.
   */
  reportThreshold: z.number().check(z.gte(0), z.lte(100)),
  /**
   * 差评整改 (issue 14): working days a unit has to write the cause and measures of a rectification
   * record after the office opened it (15 as Sichuan's rule). Not part of the score; a default here
   * so parameters stored before it (and forms without its field) keep it.
   */
  rectificationDays: z._default(z.int().check(z.gte(1), z.lte(60)), 15),
});
export type MethodParams = z.infer<typeof methodParamsSchema>;

export const defaultParams: MethodParams = {
  gradePoints: { "5": 100, "4": 80, "3": 60, "2": 30, "1": 0 },
  excludingFlags: ["excluded", "duplicate", "honeypot", "network_burst", "device_hopping", "same_answers", "code_burst", "too_fast"],
  surveyWeight: 0.7,
  timelinessWeight: 0.5,
  maxPoints: 20,
  minSample: 30,
  confidence: 0.95,
  verifiedOnly: false,
  verifiedWeight: 1,
  ratingInviteDays: 3,
  assumeSatisfied: false,
  assumeSatisfiedDays: 5,
  followUpDays: 5,
  reportThreshold: 60,
  rectificationDays: 15,
};

/** A period's stored parameters, or the defaults for what is missing or invalid. */
export function paramsOf(stored: unknown): MethodParams {
  const parsed = methodParamsSchema.safeParse({ ...defaultParams, ...(stored && typeof stored === "object" ? stored : {}) });
  return parsed.success ? parsed.data : defaultParams;
}

// ---------------------------------------------------------------------------------------------
// Moments: integer sums from which the mean and variance of response scores follow exactly for
// any grade points. A response with counts c1..c5 of its answered core items by grade (k = their
// sum) has score s = Σ p_g·c_g / k. Grouped by k, Σ s = Σ_g p_g·G_g / k and
// Σ s² = Σ_g Σ_h p_g·p_h·GG_gh / k², with G_g = Σ c_g and GG_gh = Σ c_g·c_h over the responses.

export const GRADES = [1, 2, 3, 4, 5] as const;
/** Pairs (g, h) with g ≤ h, in a fixed order; the column names of ScoreTally are g<g><h>. */
export const GRADE_PAIRS: readonly (readonly [number, number])[] = GRADES.flatMap((g) =>
  GRADES.filter((h) => h >= g).map((h) => [g, h] as const),
);

export interface Moments {
  /** Number of responses. */
  n: number;
  /** G_1..G_5 (index 0..4). */
  g: number[];
  /** GG over GRADE_PAIRS, same order. */
  gg: number[];
}

export const emptyMoments = (): Moments => ({ n: 0, g: [0, 0, 0, 0, 0], gg: GRADE_PAIRS.map(() => 0) });

/** The grade counts c1..c5 (index 0..4) of one response's answered core items. */
export function gradeCounts(coreGrades: readonly (number | null)[]): number[] {
  const c = [0, 0, 0, 0, 0];
  for (const g of coreGrades) if (g !== null && g >= 1 && g <= 5) c[g - 1]! += 1;
  return c;
}

/** One response's contribution to the moments (to add, or with sign -1 to take away). */
export function responseMoments(counts: readonly number[], sign: 1 | -1 = 1): Moments {
  return {
    n: sign,
    g: counts.map((c) => sign * c),
    gg: GRADE_PAIRS.map(([a, b]) => sign * counts[a - 1]! * counts[b - 1]!),
  };
}

/** Adds one response with these grade counts to the moments, in place (the fast path of the audit). */
export function addCounts(into: Moments, counts: readonly number[]): Moments {
  into.n += 1;
  for (let i = 0; i < 5; i++) into.g[i]! += counts[i]!;
  for (let i = 0; i < GRADE_PAIRS.length; i++) {
    const [a, b] = GRADE_PAIRS[i]!;
    into.gg[i]! += counts[a - 1]! * counts[b - 1]!;
  }
  return into;
}

export function addMoments(into: Moments, m: Moments): Moments {
  into.n += m.n;
  for (let i = 0; i < 5; i++) into.g[i]! += m.g[i]!;
  for (let i = 0; i < into.gg.length; i++) into.gg[i]! += m.gg[i]!;
  return into;
}

/** Moments of the counted responses, by k (number of answered core items). */
export type MomentsByK = Map<number, Moments>;

function points(params: MethodParams): number[] {
  const p = params.gradePoints;
  return [p["1"], p["2"], p["3"], p["4"], p["5"]];
}

/** n, Σ s and Σ s² of the counted responses. */
export function sums(byK: MomentsByK, params: MethodParams): { n: number; sum: number; sumSq: number } {
  const p = points(params);
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  // A fixed order (by k) so the result never depends on how the map was filled.
  for (const k of [...byK.keys()].sort((a, b) => a - b)) {
    const m = byK.get(k)!;
    if (k <= 0 || m.n === 0) continue;
    n += m.n;
    let s = 0;
    for (let i = 0; i < 5; i++) s += p[i]! * m.g[i]!;
    sum += s / k;
    let sq = 0;
    GRADE_PAIRS.forEach(([a, b], i) => {
      sq += (a === b ? 1 : 2) * p[a - 1]! * p[b - 1]! * m.gg[i]!;
    });
    sumSq += sq / (k * k);
  }
  return { n, sum, sumSq };
}

// ---------------------------------------------------------------------------------------------
// Student's t quantile, from the regularised incomplete beta function (Numerical Recipes' Lentz
// continued fraction) and bisection; accurate to well below the 2 decimals that are published.

/** ln Γ(x) for x > 0 (Lanczos, as Numerical Recipes' gammln); also the anomalies page's chi-square. */
export function logGamma(x: number): number {
  const c = [76.18009172947146, -86.50532032941677, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2, -0.5395239384953e-5];
  let y = x;
  const tmp = x + 5.5 - (x + 0.5) * Math.log(x + 5.5);
  let ser = 1.000000000190015;
  for (const ci of c) ser += ci / ++y;
  return -tmp + Math.log((2.5066282746310005 * ser) / x);
}

function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

function incompleteBeta(a: number, b: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(a, b, x)) / a
    : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t with df degrees of freedom. */
export function tCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / 2, 0.5, df / (df + t * t));
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile (0.5 < p < 1) of Student's t with df ≥ 1 degrees of freedom. */
export function tQuantile(p: number, df: number): number {
  let lo = 0;
  let hi = 1;
  while (tCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

// ---------------------------------------------------------------------------------------------
// The indices.

export interface SurveyIndex {
  n: number;
  /** S, or null when no response counts. */
  s: number | null;
  sd: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

/**
 * S over groups of responses with weights (verified responses may weigh more, docs/scoring.md).
 * With every weight 1 this is exactly surveyIndex of all groups together. Otherwise S is the
 * weighted mean, and its interval uses the effective sample size (Σw)²/Σw² and the
 * reliability-weighted variance; n stays the number of responses.
 */
export function weightedSurveyIndex(groups: readonly { byK: MomentsByK; weight: number }[], params: MethodParams): SurveyIndex {
  if (groups.every((g) => g.weight === 1)) {
    const all: MomentsByK = new Map();
    for (const g of groups) {
      for (const [k, m] of g.byK) {
        let into = all.get(k);
        if (!into) all.set(k, (into = emptyMoments()));
        addMoments(into, m);
      }
    }
    return surveyIndex(all, params);
  }
  let n = 0;
  let w = 0;
  let w2 = 0;
  let wSum = 0;
  let wSumSq = 0;
  for (const g of groups) {
    const part = sums(g.byK, params);
    n += part.n;
    w += g.weight * part.n;
    w2 += g.weight * g.weight * part.n;
    wSum += g.weight * part.sum;
    wSumSq += g.weight * part.sumSq;
  }
  if (n === 0) return { n, s: null, sd: null, ciLow: null, ciHigh: null };
  const s = wSum / w;
  const nEff = (w * w) / w2;
  if (n === 1 || nEff <= 1) return { n, s, sd: null, ciLow: null, ciHigh: null };
  const variance = Math.max(0, (wSumSq - w * s * s) / (w - w2 / w));
  const sd = Math.sqrt(variance);
  const half = tQuantile(1 - (1 - params.confidence) / 2, nEff - 1) * (sd / Math.sqrt(nEff));
  return { n, s, sd, ciLow: Math.max(0, s - half), ciHigh: Math.min(100, s + half) };
}

/** Counted moments kept apart by channel, so verified responses can weigh more. */
export type MomentsByChannel = Map<string, MomentsByK>;

export function addChannelMoments(into: MomentsByChannel, channel: string, k: number, m: Moments) {
  let byK = into.get(channel);
  if (!byK) into.set(channel, (byK = new Map()));
  let target = byK.get(k);
  if (!target) byK.set(k, (target = emptyMoments()));
  addMoments(target, m);
}

/** S of responses kept by channel, verified ones weighing params.verifiedWeight. */
export function surveyIndexByChannel(byChannel: MomentsByChannel, params: MethodParams): SurveyIndex {
  // A fixed order, so the sums never depend on which channel came first.
  const groups = [...byChannel.keys()].sort().map((ch) => ({ byK: byChannel.get(ch)!, weight: ch === "verified" ? params.verifiedWeight : 1 }));
  return weightedSurveyIndex(groups, params);
}

export function surveyIndex(byK: MomentsByK, params: MethodParams): SurveyIndex {
  const { n, sum, sumSq } = sums(byK, params);
  if (n === 0) return { n, s: null, sd: null, ciLow: null, ciHigh: null };
  const s = sum / n;
  if (n === 1) return { n, s, sd: null, ciLow: null, ciHigh: null };
  const variance = Math.max(0, (sumSq - n * s * s) / (n - 1));
  const sd = Math.sqrt(variance);
  const half = tQuantile(1 - (1 - params.confidence) / 2, n - 1) * (sd / Math.sqrt(n));
  return { n, s, sd, ciLow: Math.max(0, s - half), ciHigh: Math.min(100, s + half) };
}

export interface CaseForIndex {
  /** Rejected (out of scope) cases do not count. */
  status: string;
  replyDueAt: Date;
  /** The unit's latest reply. */
  repliedAt: Date | null;
  handlingGrade: number | null;
  /**
   * When the citizen gave their verdict on a reply: a grade, or "not resolved" (no grade; the case
   * went back to handling). Absent or null: no verdict yet.
   */
  ratedAt?: Date | null;
  ratingExcluded: boolean;
}

export interface ComplaintIndex {
  /** Cases whose reply was due within the period (rejected ones left out). */
  due: number;
  onTime: number;
  late: number;
  /** Not yet replied and not yet due: not counted in T until they are. */
  pending: number;
  /** Citizens' ratings counted in H. */
  ratings: number;
  /** Replies left unrated for the period's assumeSatisfiedDays, counted in H as "satisfied" (4). */
  assumedRatings: number;
  excludedRatings: number;
  t: number | null;
  h: number | null;
  c: number | null;
}

export type Timeliness = "rejected" | "onTime" | "late" | "pending";

/**
 * Where a case due in the period stands for timeliness T: out of scope (rejected), replied by its
 * (possibly extended) deadline, late (replied after it, or not replied and past it), or pending
 * (not replied and not yet due). The complaint index and the dashboard's volumes both ask here.
 */
export function timeliness(c: Pick<CaseForIndex, "status" | "replyDueAt" | "repliedAt">, now: Date): Timeliness {
  if (c.status === "rejected") return "rejected";
  if (c.repliedAt) return c.repliedAt.getTime() <= c.replyDueAt.getTime() ? "onTime" : "late";
  return now.getTime() > c.replyDueAt.getTime() ? "late" : "pending";
}

/** The grade an unrated reply is assumed to have, when the period's rule says so: "satisfied". */
export const ASSUMED_GRADE = 4;

/**
 * The last instant a citizen can rate a reply before its rating is assumed: the end of the
 * assumeSatisfiedDays-th working day after the reply's local day (the deadline rule of
 * working-days.ts). The assumption holds from the next local midnight on.
 */
export function assumptionDeadline(repliedAt: Date, params: Pick<MethodParams, "assumeSatisfiedDays">, calendar: HolidayCalendar): Date {
  return dueAfterWorkingDays(repliedAt, params.assumeSatisfiedDays, calendar);
}

export type HandlingRating =
  | { kind: "rated"; grade: number }
  | { kind: "excluded" }
  | { kind: "assumed"; grade: number }
  | { kind: "none" };

/**
 * What a case gives H at `now` (docs/scoring.md, ADR 0018):
 * - the citizen's grade, whenever it was given (also after an assumption: their own word replaces
 *   the guess), unless the office excluded it (an excluded rating stays excluded);
 * - with the period's rule on, "satisfied" (ASSUMED_GRADE) for a reply still without a verdict
 *   after assumeSatisfiedDays working days. Never written into the case: it is read again from
 *   the case, the calendar and the clock every time, so live figures and the audit agree.
 *   A reply the citizen called "not resolved" (ratedAt at or after it, no grade) has a verdict
 *   and is never assumed; the unit's next reply starts a new clock. A rejected case never counts;
 * - nothing otherwise.
 */
export function handlingRating(c: CaseForIndex, params: MethodParams, calendar: HolidayCalendar, now: Date): HandlingRating {
  if (c.status === "rejected") return { kind: "none" };
  if (c.handlingGrade !== null && c.handlingGrade >= 1 && c.handlingGrade <= 5) {
    return c.ratingExcluded ? { kind: "excluded" } : { kind: "rated", grade: c.handlingGrade };
  }
  if (!params.assumeSatisfied || !c.repliedAt || (c.status !== "replied" && c.status !== "closed")) return { kind: "none" };
  const verdictOnThisReply = c.ratedAt != null && c.ratedAt.getTime() >= c.repliedAt.getTime();
  if (verdictOnThisReply) return { kind: "none" };
  return now.getTime() > assumptionDeadline(c.repliedAt, params, calendar).getTime() ? { kind: "assumed", grade: ASSUMED_GRADE } : { kind: "none" };
}

export function complaintIndex(cases: readonly CaseForIndex[], params: MethodParams, now: Date, calendar: HolidayCalendar): ComplaintIndex {
  const p = points(params);
  let due = 0;
  let onTime = 0;
  let late = 0;
  let pending = 0;
  let ratings = 0;
  let assumedRatings = 0;
  let excludedRatings = 0;
  let ratingSum = 0;
  for (const c of cases) {
    const standing = timeliness(c, now);
    if (standing === "rejected") continue;
    due += 1;
    if (standing === "onTime") onTime += 1;
    else if (standing === "late") late += 1;
    else pending += 1;
    const rating = handlingRating(c, params, calendar, now);
    if (rating.kind === "excluded") excludedRatings += 1;
    else if (rating.kind === "rated") {
      ratings += 1;
      ratingSum += p[rating.grade - 1]!;
    } else if (rating.kind === "assumed") {
      assumedRatings += 1;
      ratingSum += p[rating.grade - 1]!;
    }
  }
  const t = onTime + late > 0 ? (onTime / (onTime + late)) * 100 : null;
  const h = ratings + assumedRatings > 0 ? ratingSum / (ratings + assumedRatings) : null;
  const w = params.timelinessWeight;
  const c = t !== null && h !== null ? w * t + (1 - w) * h : (t ?? h);
  return { due, onTime, late, pending, ratings, assumedRatings, excludedRatings, t, h, c };
}

export type ScoreFlag = "insufficient_sample" | "no_responses" | "no_complaints";

export interface UnitScore extends SurveyIndex, Omit<ComplaintIndex, "c"> {
  unitId: number;
  kind: string;
  c: number | null;
  q: number | null;
  points: number | null;
  rank: number | null;
  flags: ScoreFlag[];
  /** Responses of the unit that did not count, by reason. */
  exclusions: Partial<Record<ExclusionReason, number>>;
  /**
   * n and S of each channel the unit's responses came by (those the quality flags leave in, each
   * response weighing one, whatever the verified-only rule says), to compare channels.
   */
  byChannel: ChannelFigures;
}

export type ChannelFigures = Partial<Record<ChannelName, { n: number; s: number | null }>>;

export interface UnitInput {
  unitId: number;
  kind: string;
  survey: SurveyIndex;
  complaints: ComplaintIndex;
  exclusions: Partial<Record<ExclusionReason, number>>;
  byChannel?: ChannelFigures;
}

/** Published figures are rounded half away from zero to 2 decimals; ranks use them. */
export function round2(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x) * 100 + 1e-9) / 100;
}

/** Q, points, flags and ranks (within each kind, by published Q, ties share a rank). */
export function composeScores(units: readonly UnitInput[], params: MethodParams): UnitScore[] {
  const rows: UnitScore[] = units.map((u) => {
    const { s } = u.survey;
    const c = u.complaints.c;
    const q = s === null ? null : c === null ? s : params.surveyWeight * s + (1 - params.surveyWeight) * c;
    const flags: ScoreFlag[] = [];
    if (u.survey.n === 0) flags.push("no_responses");
    if (u.survey.n < params.minSample) flags.push("insufficient_sample");
    if (u.complaints.due === 0) flags.push("no_complaints");
    return {
      unitId: u.unitId,
      kind: u.kind,
      ...u.survey,
      ...u.complaints,
      c,
      q,
      points: q === null ? null : (q / 100) * params.maxPoints,
      rank: null,
      flags,
      exclusions: u.exclusions,
      byChannel: u.byChannel ?? {},
    };
  });
  const byKind = new Map<string, UnitScore[]>();
  for (const r of rows) {
    if (r.q === null || r.flags.includes("insufficient_sample")) continue;
    byKind.set(r.kind, [...(byKind.get(r.kind) ?? []), r]);
  }
  for (const list of byKind.values()) {
    list.sort((a, b) => round2(b.q!) - round2(a.q!));
    list.forEach((r, i) => {
      const prev = list[i - 1];
      r.rank = prev && round2(prev.q!) === round2(r.q!) ? prev.rank : i + 1;
    });
  }
  return rows;
}

/**
 * The reason a response with these flags (its tally key's flags and markers, app/domain/tally.ts)
 * and k answered core items does not count, or null.
 */
export function exclusionReason(flags: readonly string[], k: number, params: Pick<MethodParams, "excludingFlags" | "verifiedOnly">): ExclusionReason | null {
  for (const reason of exclusionReasons) {
    if (reason === "no_scored_items") continue;
    if (reason === "not_verified") {
      if (params.verifiedOnly && !flags.includes(channelMarker("verified"))) return reason;
      continue;
    }
    if (!flags.includes(reason)) continue;
    if (reason === "outside_period" || (params.excludingFlags as readonly string[]).includes(reason)) return reason;
  }
  return k <= 0 ? "no_scored_items" : null;
}

/** The key a set of flags is tallied under: sorted, comma-separated, "" for none. */
export function flagsKey(flags: Iterable<string>): string {
  return [...new Set(flags)].sort().join(",");
}

export function parseFlagsKey(key: string): string[] {
  return key === "" ? [] : key.split(",");
}

/** Median of the published values (null when none). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}
