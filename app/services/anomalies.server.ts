// The evaluation office's anomalies review (docs/decisions/0010, "Anomalies review"): per unit and
// region-local day, how many responses came, what share carries each quality flag, and whether the
// day's grade distribution differs from the rest of the unit's period (app/domain/anomaly-test.ts);
// then one unit-day's responses in clusters by network, which the office excludes or reinstates in
// one audited action. Responses are never deleted; flags set them aside.
//
// Speed with a million responses: a response's grade category never changes (its answers are
// stored once), so counts by unit, day and category are kept in memory per period and only the
// responses added since (higher ids) are read on the next visit; the first visit after a start
// reads the period in slices of ids, giving the event loop back between them. Flags do change
// (moderation), but only a few per cent of responses have one: they are read afresh. The figures
// are cached with cachedScores until a response or a flag changes.
import { dayDistributionTest, type DayTest } from "#app/domain/anomaly-test";
import { qualityFlags } from "#app/domain/quality";
import { cachedScores } from "#app/lib/score-cache.server";
import { categoryCountsBetween, coreQuestionIds, dayResponses, flaggedCounts, highestResponseId } from "#app/models/anomaly.server";
import type { PeriodRecord } from "#app/models/period.server";
import { excludeResponses, reinstatableFlags, reinstateResponses } from "#app/services/moderation.server";
import { computeFigures } from "#app/services/scores.server";

/** Responses read per slice while catching up (a slice holds the event loop for well under 0.1 s). */
const SLICE = 5_000;
/** Unit-days per page of the overview. */
export const PAGE_SIZE = 100;

// ---------------------------------------------------------------------------------------------
// Counts by unit, day and grade category, kept up to date from the highest id seen.

interface CategoryState {
  /** Every response with an id up to this one is counted. */
  coveredTo: number;
  /** `${unitId}|${day}` → [dissatisfied, neutral, satisfied, without a core grade]. */
  counts: Map<string, number[]>;
  /** Catch-ups run one after another. */
  queue: Promise<unknown>;
}
const categoryStates = new Map<number, CategoryState>();

/** The last test of each unit-day with its inputs: reused while the counts stay (a flag changed). */
const testMemo = new Map<number, Map<string, { day: number[]; rest: number[]; test: DayTest }>>();

function memoTest(periodId: number, key: string, day: number[], rest: number[]): DayTest {
  let memo = testMemo.get(periodId);
  if (!memo) testMemo.set(periodId, (memo = new Map()));
  const hit = memo.get(key);
  if (hit && hit.day.every((x, i) => x === day[i]) && hit.rest.every((x, i) => x === rest[i])) return hit.test;
  const test = dayDistributionTest(day, rest);
  memo.set(key, { day, rest, test });
  return test;
}

async function catchUp(periodId: number, state: CategoryState): Promise<void> {
  const top = await highestResponseId();
  if (top <= state.coveredTo) return;
  const coreIds = await coreQuestionIds(periodId);
  while (state.coveredTo < top) {
    const to = Math.min(top, state.coveredTo + SLICE);
    for (const row of await categoryCountsBetween(periodId, coreIds, state.coveredTo + 1, to)) {
      const key = `${row.unitId}|${row.day}`;
      let c = state.counts.get(key);
      if (!c) state.counts.set(key, (c = [0, 0, 0, 0]));
      c[row.category ?? 3]! += row.count;
    }
    state.coveredTo = to;
    if (to < top) await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Brings the period's counts by unit-day and category up to date and hands them, with the id they
 * cover up to, to `use`, which runs in the same queue: no later catch-up changes them before it ends.
 */
function withCategoryCounts<T>(periodId: number, use: (counts: ReadonlyMap<string, readonly number[]>, coveredTo: number) => Promise<T>): Promise<T> {
  let state = categoryStates.get(periodId);
  if (!state) categoryStates.set(periodId, (state = { coveredTo: 0, counts: new Map(), queue: Promise.resolve() }));
  const s = state;
  const run = s.queue.then(() => catchUp(periodId, s)).then(() => use(s.counts, s.coveredTo));
  s.queue = run.catch(() => undefined);
  return run;
}

// ---------------------------------------------------------------------------------------------
// The period's unit-days.

export interface UnitDay {
  unitId: number;
  /** YYYY-MM-DD, region time. */
  day: string;
  responses: number;
  /** Categorised responses of the day: dissatisfied, neutral, satisfied. */
  categories: number[];
  /** Responses with at least one quality flag. */
  flagged: number;
  /** Responses by quality flag (a response with two flags counts under both). */
  byFlag: Partial<Record<string, number>>;
  test: DayTest;
}

export interface PeriodAnomalies {
  /** Every unit-day with responses, newest day first. */
  days: UnitDay[];
  /** Each unit's categorised responses over the period. */
  unitCategories: Map<number, number[]>;
}

/** Every unit-day of the period with its flags and test; cached until a response or flag changes. */
export function periodAnomalies(period: Pick<PeriodRecord, "id">): Promise<PeriodAnomalies> {
  return cachedScores(`anomalies|${period.id}`, () => computeAnomalies(period.id), 10 * 60_000);
}

function computeAnomalies(periodId: number): Promise<PeriodAnomalies> {
  return withCategoryCounts(periodId, (counts, coveredTo) => anomaliesFrom(periodId, counts, coveredTo));
}

async function anomaliesFrom(periodId: number, counts: ReadonlyMap<string, readonly number[]>, coveredTo: number): Promise<PeriodAnomalies> {
  const flags = new Map<string, { flagged: number; byFlag: Partial<Record<string, number>> }>();
  for (const row of await flaggedCounts(periodId, coveredTo)) {
    const key = `${row.unitId}|${row.day}`;
    let f = flags.get(key);
    if (!f) flags.set(key, (f = { flagged: 0, byFlag: {} }));
    f.flagged += row.count;
    for (const flag of new Set(row.flags.split(","))) f.byFlag[flag] = (f.byFlag[flag] ?? 0) + row.count;
  }
  const unitCategories = new Map<number, number[]>();
  for (const [key, c] of counts) {
    const unitId = Number(key.slice(0, key.indexOf("|")));
    const total = unitCategories.get(unitId) ?? [0, 0, 0];
    for (let i = 0; i < 3; i++) total[i]! += c[i]!;
    unitCategories.set(unitId, total);
  }
  const days: UnitDay[] = [];
  for (const [key, c] of counts) {
    const bar = key.indexOf("|");
    const unitId = Number(key.slice(0, bar));
    const day = key.slice(bar + 1);
    const categories = c.slice(0, 3);
    const unitTotal = unitCategories.get(unitId)!;
    const f = flags.get(key);
    days.push({
      unitId,
      day,
      responses: c[0]! + c[1]! + c[2]! + c[3]!,
      categories,
      flagged: f?.flagged ?? 0,
      byFlag: f?.byFlag ?? {},
      test: memoTest(periodId, key, categories, unitTotal.map((t, i) => t - categories[i]!)),
    });
  }
  days.sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : a.unitId - b.unitId));
  return { days, unitCategories };
}

/** A unit-day the overview lists by default: something is flagged, or its distribution differs. */
export function isNotable(d: UnitDay): boolean {
  return d.flagged > 0 || d.test.significant;
}

export interface OverviewFilter {
  unitId?: number;
  /** Inclusive local days, YYYY-MM-DD. */
  from?: string;
  to?: string;
  /** 1-based. */
  page?: number;
}

export interface Overview {
  rows: UnitDay[];
  /** Unit-days matching the filter (all pages), and how many of them differ significantly. */
  matching: number;
  significant: number;
  page: number;
  pages: number;
  /** Flags that occur among the matching unit-days, in the order of qualityFlags. */
  flags: string[];
}

/**
 * The overview's rows: notable unit-days of every unit, or every day of one unit, within the
 * dates, newest first, one page at a time.
 */
export async function anomalyOverview(period: Pick<PeriodRecord, "id">, filter: OverviewFilter = {}): Promise<Overview> {
  const { days } = await periodAnomalies(period);
  const matching = days.filter(
    (d) =>
      (filter.unitId === undefined ? isNotable(d) : d.unitId === filter.unitId) &&
      (!filter.from || d.day >= filter.from) &&
      (!filter.to || d.day <= filter.to),
  );
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const page = Math.min(Math.max(1, filter.page ?? 1), pages);
  const present = new Set(matching.flatMap((d) => Object.keys(d.byFlag)));
  return {
    rows: matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
    matching: matching.length,
    significant: matching.filter((d) => d.test.significant).length,
    page,
    pages,
    flags: [...qualityFlags.filter((f) => present.has(f)), ...[...present].filter((f) => !(qualityFlags as readonly string[]).includes(f)).sort()],
  };
}

// ---------------------------------------------------------------------------------------------
// One unit-day: its responses in clusters.

export interface Cluster {
  /** "all", "network-N" (N from 1, by size), or "no-network" (responses without a network hash). */
  key: string;
  /** N of "network N"; null for the other two. */
  network: number | null;
  responseIds: number[];
  first: Date;
  last: Date;
  channels: Record<string, number>;
  flags: Record<string, number>;
  /** Mean over the cluster's responses of each response's mean core grade (1–5); null when none. */
  meanGrade: number | null;
}

export interface UnitDayReview {
  /** The highest response id of the day as shown: an action applies to these responses only. */
  seen: number;
  responses: number;
  clusters: Cluster[];
  /** The day in the period's overview (null when it has no responses). */
  day: UnitDay | null;
  /** The unit's categorised responses over the whole period. */
  unitCategories: number[];
}

function clusterOf(key: string, network: number | null, rows: readonly { id: number; submittedAt: string; channel: string; flags: string | null; meanGrade: number | null }[]): Cluster {
  const channels: Record<string, number> = {};
  const flags: Record<string, number> = {};
  let sum = 0;
  let graded = 0;
  for (const r of rows) {
    channels[r.channel] = (channels[r.channel] ?? 0) + 1;
    for (const f of new Set(r.flags ? r.flags.split(",") : [])) flags[f] = (flags[f] ?? 0) + 1;
    if (r.meanGrade !== null) {
      sum += r.meanGrade;
      graded += 1;
    }
  }
  // Rows come oldest first.
  return {
    key,
    network,
    responseIds: rows.map((r) => r.id),
    first: new Date(rows[0]!.submittedAt),
    last: new Date(rows[rows.length - 1]!.submittedAt),
    channels,
    flags,
    meanGrade: graded ? sum / graded : null,
  };
}

/**
 * A unit-day's responses (up to the id `seen` when given, so an action applies to exactly the
 * responses the office saw) in clusters: all of them, then one per network, largest first (ties:
 * the earlier first), then those without a network. Network hashes never leave this function.
 */
export async function dayClusters(periodId: number, unitId: number, day: string, seen?: number): Promise<{ seen: number; clusters: Cluster[] }> {
  const rows = await dayResponses(periodId, unitId, day, await coreQuestionIds(periodId), seen);
  if (rows.length === 0) return { seen: seen ?? 0, clusters: [] };
  const byNetwork = new Map<string, typeof rows>();
  const none: typeof rows = [];
  for (const r of rows) {
    if (r.ipHash === null) none.push(r);
    else {
      const list = byNetwork.get(r.ipHash);
      if (list) list.push(r);
      else byNetwork.set(r.ipHash, [r]);
    }
  }
  const networks = [...byNetwork.values()].sort((a, b) => b.length - a.length || a[0]!.id - b[0]!.id);
  return {
    seen: seen ?? rows.reduce((m, r) => Math.max(m, r.id), 0),
    clusters: [
      clusterOf("all", null, rows),
      ...networks.map((list, i) => clusterOf(`network-${i + 1}`, i + 1, list)),
      ...(none.length ? [clusterOf("no-network", null, none)] : []),
    ],
  };
}

export async function unitDayReview(period: Pick<PeriodRecord, "id">, unitId: number, day: string): Promise<UnitDayReview> {
  const { days, unitCategories } = await periodAnomalies(period);
  const { seen, clusters } = await dayClusters(period.id, unitId, day);
  return {
    seen,
    responses: clusters[0]?.responseIds.length ?? 0,
    clusters,
    day: days.find((d) => d.unitId === unitId && d.day === day) ?? null,
    unitCategories: unitCategories.get(unitId) ?? [0, 0, 0],
  };
}

export type ReinstatableFlag = (typeof reinstatableFlags)[number];

export type ClusterAction = { intent: "exclude" } | { intent: "reinstate"; flag: ReinstatableFlag };

export interface ClusterActionResult {
  ok: true;
  /** Responses whose flag changed (others already were as asked). */
  changed: number;
  selected: number;
  before: { n: number; s: number | null };
  after: { n: number; s: number | null };
}

/**
 * Excludes or reinstates every response of the chosen clusters (as the office saw them: ids up to
 * `seen`) in one audited action with one reason, and reports the unit's counted responses and S
 * before and after. "stale" when a chosen cluster is not among the day's (the page is outdated).
 */
export async function actOnClusters(
  period: PeriodRecord,
  unitId: number,
  day: string,
  input: { seen: number; clusters: readonly string[]; reason: string; action: ClusterAction },
  actorId: number,
): Promise<ClusterActionResult | { ok: false; error: "stale" }> {
  const { clusters } = await dayClusters(period.id, unitId, day, input.seen);
  const byKey = new Map(clusters.map((c) => [c.key, c]));
  if (input.clusters.length === 0 || input.clusters.some((k) => !byKey.has(k))) return { ok: false, error: "stale" };
  const ids = [...new Set(input.clusters.flatMap((k) => byKey.get(k)!.responseIds))].sort((a, b) => a - b);
  const figures = async () => {
    const u = (await computeFigures(period)).units.find((x) => x.unitId === unitId);
    return { n: u?.n ?? 0, s: u?.s ?? null };
  };
  const before = await figures();
  const changed =
    input.action.intent === "exclude"
      ? await excludeResponses(ids, input.reason, actorId)
      : await reinstateResponses(ids, input.action.flag, input.reason, actorId);
  return { ok: true, changed, selected: ids.length, before, after: await figures() };
}
