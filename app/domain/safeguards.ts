// What the confirmation steps (confirmation.ts) say will happen: plain rules over figures and
// definitions the services read, so each consequence is tested without a database.
import { type MethodParams, round2 } from "./scoring";

export interface ScoreRow {
  code: string;
  q: number | null;
  rank: number | null;
}

export interface ScoreChange {
  code: string;
  q: { before: number | null; after: number | null };
  rank: { before: number | null; after: number | null };
}

/**
 * Units whose published Q (rounded to 2 decimals, as printed) or rank differ between two
 * computations of the same period, in the order of `after`. A unit missing from `before` counts
 * as having had no Q and no rank.
 */
export function scoreChanges(before: readonly ScoreRow[], after: readonly ScoreRow[]): ScoreChange[] {
  const old = new Map(before.map((r) => [r.code, r]));
  const shown = (q: number | null) => (q === null ? null : round2(q));
  const changes: ScoreChange[] = [];
  for (const r of after) {
    const b = old.get(r.code);
    const q = { before: shown(b?.q ?? null), after: shown(r.q) };
    const rank = { before: b?.rank ?? null, after: r.rank };
    if (q.before !== q.after || rank.before !== rank.after) changes.push({ code: r.code, q, rank });
  }
  return changes;
}

export interface RemovalConsequence {
  /** 1-based, as the editor numbers questions. */
  number: number;
  key: string;
  /** A scored (core five-grade) item: the scores of later responses are computed without it. */
  scored: boolean;
  /** In the published version: citizens are asked it until the next version is published. */
  published: boolean;
  /** Answers stored under its key (every version): they stay, with the version they were given to. */
  answers: number;
}

/**
 * What removing the draft's question at `index` does. Whether it is scored is read from the
 * published question of that key when there is one (that is what the scores count today), else
 * from the draft. Null when there is no question at that place.
 */
export function removalConsequence(
  draft: readonly { key: string; kind: string }[],
  index: number,
  published: readonly { key: string; kind: string }[] | null,
  answers: number,
): RemovalConsequence | null {
  const q = draft[index];
  if (!q) return null;
  const live = published?.find((p) => p.key === q.key) ?? null;
  return { number: index + 1, key: q.key, scored: (live ?? q).kind === "grade_core", published: live !== null, answers };
}

export interface ScoreFeed {
  periodCode: string;
  /** The survey has scored (core five-grade) items. */
  scored: boolean;
  /** Codes of the active units it applies to. */
  units: readonly string[];
}

/**
 * Units whose figures a publication starts to feed: none unless the survey has scored items and
 * its period is open; otherwise the units it applies to that it did not feed before (all of them
 * for a first publication, a newly scored survey or another period). A publication that feeds
 * nobody new needs no confirmation.
 */
export function newlyFedUnits(before: ScoreFeed | null, after: ScoreFeed, periodOpen: boolean): string[] {
  if (!periodOpen || !after.scored || after.units.length === 0) return [];
  if (!before || !before.scored || before.periodCode !== after.periodCode) return [...after.units];
  const fed = new Set(before.units);
  return after.units.filter((u) => !fed.has(u));
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The revision of a period's stored method parameters that a parameters confirmation step was
 * drawn against: a hash of their content (FNV-1a, 64 bits), so it moves when anyone saves other
 * parameters and stays when the same ones are saved again (the preview still holds then). The
 * order of the excluding flags does not matter.
 */
export function paramsRevision(params: MethodParams): string {
  let h = 0xcbf29ce484222325n;
  const text = canonical({ ...params, excludingFlags: [...params.excludingFlags].sort() });
  for (const byte of new TextEncoder().encode(text)) h = BigInt.asUintN(64, (h ^ BigInt(byte)) * 0x100000001b3n);
  return h.toString(16).padStart(16, "0");
}
