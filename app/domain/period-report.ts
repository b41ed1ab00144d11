// Reading a period's figures against the previous period, and the units the 通报 report names
// (issue 14, docs/decisions/0019). Plain functions over published figures: the report, the
// dashboard and the unit page all ask here, so they mark the same units.
import { round2, type ScoreFlag } from "./scoring";

/** What the comparison needs of a unit's figures in one period (a UnitScore has all of it). */
export interface ComparedFigures {
  unitId: number;
  n: number;
  s: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  q: number | null;
  rank: number | null;
  flags: readonly ScoreFlag[];
}

export interface UnitChange {
  /** The unit's figures in the previous period; null when it had none there (new unit, no period). */
  previous: { n: number; s: number | null; q: number | null; rank: number | null } | null;
  /** S now minus S then (published, 2 decimals), or null when either is missing. */
  deltaS: number | null;
  deltaQ: number | null;
  /** Places gained (positive) or lost (negative) in the rank of its kind; null when either is unranked. */
  rankMove: number | null;
  /**
   * "up"/"down" when the change in S is beyond this period's interval (the rule below), null when
   * it is within it or cannot be judged.
   */
  beyond: "up" | "down" | null;
}

/**
 * Whether S moved beyond its interval: the previous period's published S lies outside this
 * period's published confidence interval [ciLow, ciHigh] (both ends excluded from "outside"),
 * and neither period's S rests on an insufficient sample (fewer responses than that period's
 * minSample; such an S is printed but not ranked, and is not read as a change either).
 * The interval is this period's: the question the office asks is "is last year's figure still
 * plausible for this year?". The previous S is taken as a fixed value (its own interval is not
 * combined), which is the reading the report prints next to each unit.
 */
export function changeBeyondInterval(current: ComparedFigures, previous: ComparedFigures | null): "up" | "down" | null {
  if (!previous || current.s === null || previous.s === null || current.ciLow === null || current.ciHigh === null) return null;
  if (current.flags.includes("insufficient_sample") || previous.flags.includes("insufficient_sample")) return null;
  const before = round2(previous.s);
  if (before < round2(current.ciLow)) return "up";
  if (before > round2(current.ciHigh)) return "down";
  return null;
}

const delta = (now: number | null, then: number | null | undefined) => (now === null || then === null || then === undefined ? null : round2(round2(now) - round2(then)));

/** Each unit's change from the previous period (matched by unit id), for every unit of `current`. */
export function periodChanges(current: readonly ComparedFigures[], previous: readonly ComparedFigures[] | null): Map<number, UnitChange> {
  const before = new Map((previous ?? []).map((u) => [u.unitId, u]));
  const out = new Map<number, UnitChange>();
  for (const u of current) {
    const p = before.get(u.unitId) ?? null;
    // A unit without responses then has no figures to compare with (n = 0 is not a score of 0).
    const had = p && p.n > 0 ? p : null;
    out.set(u.unitId, {
      previous: had ? { n: had.n, s: had.s, q: had.q, rank: had.rank } : null,
      deltaS: delta(u.s, had?.s),
      deltaQ: delta(u.q, had?.q),
      rankMove: u.rank !== null && had?.rank != null ? had.rank - u.rank : null,
      beyond: changeBeyondInterval(u, had),
    });
  }
  return out;
}

/** What the report names a unit for. */
export type ReportFlag = "insufficient_sample" | "below_threshold";
export const reportFlagKinds: readonly ReportFlag[] = ["insufficient_sample", "below_threshold"];

/**
 * The report's flags of a unit: its sample is below the method's minimum (the method's own flag),
 * and its published S is below the office's threshold (params.reportThreshold). A unit without
 * responses has no S and is named for its sample only.
 */
export function reportFlags(u: Pick<ComparedFigures, "s" | "flags">, threshold: number): ReportFlag[] {
  const flags: ReportFlag[] = [];
  if (u.flags.includes("insufficient_sample")) flags.push("insufficient_sample");
  if (u.s !== null && round2(u.s) < threshold) flags.push("below_threshold");
  return flags;
}

/**
 * The previous period of one that starts at `startsOn`: of the candidates (periods with figures,
 * i.e. not drafts), the one whose end is the latest before that start; ties go to the later start.
 */
export function previousPeriodOf<P extends { id: number; startsOn: Date; endsOn: Date; status: string }>(period: P, all: readonly P[]): P | null {
  let best: P | null = null;
  for (const p of all) {
    if (p.id === period.id || p.status === "draft" || p.endsOn.getTime() >= period.startsOn.getTime()) continue;
    if (!best || p.endsOn.getTime() > best.endsOn.getTime() || (p.endsOn.getTime() === best.endsOn.getTime() && p.startsOn.getTime() > best.startsOn.getTime())) best = p;
  }
  return best;
}

export interface ItemCounts {
  key: string;
  core: boolean;
  /** Answers by grade 1..5 (index 0..4). */
  counts: readonly number[];
}

export interface WeakItem {
  key: string;
  core: boolean;
  /** Graded answers. */
  answers: number;
  /** Mean points of the graded answers. */
  mean: number;
  /** Share (0..1) of graded answers that were 不满意 or 非常不满意 (grades 2 and 1). */
  dissatisfied: number;
}

/**
 * The items that pull a group of units down: per item, the answers of the group summed, its mean
 * points under the grade points, lowest mean first (then the larger dissatisfied share, then the
 * key); items without graded answers are left out. `limit` keeps the first ones.
 */
export function weakestItems(perUnit: readonly (readonly ItemCounts[])[], gradePoints: Record<"1" | "2" | "3" | "4" | "5", number>, limit: number): WeakItem[] {
  const sums = new Map<string, { core: boolean; counts: number[] }>();
  for (const items of perUnit) {
    for (const i of items) {
      let s = sums.get(i.key);
      if (!s) sums.set(i.key, (s = { core: i.core, counts: [0, 0, 0, 0, 0] }));
      i.counts.forEach((c, g) => (s!.counts[g]! += c));
    }
  }
  const points = [gradePoints["1"], gradePoints["2"], gradePoints["3"], gradePoints["4"], gradePoints["5"]];
  const out: WeakItem[] = [];
  for (const [key, s] of sums) {
    const answers = s.counts.reduce((a, b) => a + b, 0);
    if (answers === 0) continue;
    out.push({
      key,
      core: s.core,
      answers,
      mean: s.counts.reduce((sum, c, g) => sum + c * points[g]!, 0) / answers,
      dissatisfied: (s.counts[0]! + s.counts[1]!) / answers,
    });
  }
  out.sort((a, b) => round2(a.mean) - round2(b.mean) || b.dissatisfied - a.dissatisfied || a.key.localeCompare(b.key));
  return out.slice(0, limit);
}
