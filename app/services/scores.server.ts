// A period's satisfaction figures: live (from the running tallies), recomputed for the audit
// (from the raw rows), or frozen (a snapshot). The method itself is app/domain/scoring.ts.
import {
  addChannelMoments,
  type ChannelFigures,
  channels,
  type ComplaintIndex,
  type CaseForIndex,
  complaintIndex,
  composeScores,
  type ExclusionReason,
  exclusionReason,
  exclusionReasons,
  type MethodParams,
  METHOD_VERSION,
  type MomentsByChannel,
  parseFlagsKey,
  surveyIndex,
  surveyIndexByChannel,
  type UnitScore,
} from "#app/domain/scoring";
import { channelOfKey } from "#app/domain/tally";
import { calendarFrom, type HolidayCalendar, localDate } from "#app/domain/working-days";
import { db, dbDateTime } from "#app/lib/db.server";
import { logFor } from "#app/lib/log.server";
import { cachedScores } from "#app/lib/score-cache.server";
import type { PeriodRecord } from "#app/models/period.server";
import { listUnits, type UnitRecord } from "#app/models/unit.server";
import { type PeriodTallies, readTallies, recomputeTallies, talliesForAudit } from "#app/models/score-tally.server";

export interface ScoredUnit extends UnitScore {
  code: string;
  names: Record<string, string>;
}

export interface PeriodFigures {
  source: "live" | "audit" | "snapshot";
  methodVersion: string;
  params: MethodParams;
  units: ScoredUnit[];
  /** Responses of the period that did not count, by reason, all units together. */
  exclusions: Partial<Record<ExclusionReason, number>>;
  /** Responses of the period, counted or not. */
  total: number;
}

/** Units that are scored: every unit but the region itself (inactive ones keep their history). */
export function scoredUnits(units: readonly UnitRecord[]) {
  return units.filter((u) => u.kind !== "region");
}

/** Complaint cases whose reply was due within the period, per handling unit (docs/scoring.md). */
export async function casesDueIn(period: Pick<PeriodRecord, "startsOn" | "endsOn">): Promise<Map<number, CaseForIndex[]>> {
  const rows = await db().read.all<{
    unitId: number;
    status: string;
    replyDueAt: string;
    repliedAt: string | null;
    handlingGrade: number | null;
    ratedAt: string | null;
    ratingExcludedAt: string | null;
  }>(
    `SELECT unitId, status, replyDueAt, repliedAt, handlingGrade, ratedAt, ratingExcludedAt FROM Complaint
     WHERE replyDueAt >= ? AND replyDueAt <= ? AND type <> 'integrity'`,
    dbDateTime(period.startsOn),
    dbDateTime(period.endsOn),
  );
  const byUnit = new Map<number, CaseForIndex[]>();
  for (const { unitId, status, replyDueAt, repliedAt, handlingGrade, ratedAt, ratingExcludedAt } of rows) {
    const c: CaseForIndex = {
      status,
      replyDueAt: new Date(replyDueAt),
      repliedAt: repliedAt ? new Date(repliedAt) : null,
      handlingGrade,
      ratedAt: ratedAt ? new Date(ratedAt) : null,
      ratingExcluded: ratingExcludedAt !== null,
    };
    const list = byUnit.get(unitId);
    if (list) list.push(c);
    else byUnit.set(unitId, [c]);
  }
  return byUnit;
}

/**
 * The working-day calendar as the scores read it: straight from the database (a few dozen rows),
 * so a holiday changed by any process reaches the figures and their cache key at once.
 */
export async function scoringCalendar(): Promise<HolidayCalendar> {
  return calendarFrom(await db().read.all<{ date: string; kind: string }>(`SELECT date, kind FROM CalendarDay ORDER BY date`));
}

/**
 * What, beside the database's version, the figures depend on at `now`. With the assumed-satisfaction
 * rule on, an unrated reply becomes "satisfied" at a local midnight after N working days: the
 * local date and the calendar make the key, so a cached figure never outlives the day it was
 * computed for (and never waits out the cache's minute).
 */
export function clockKey(params: MethodParams, now: Date, calendar: HolidayCalendar): string {
  if (!params.assumeSatisfied) return "";
  return `${localDate(now)}|${[...calendar.holidays].sort().join(",")}|${[...calendar.workdays].sort().join(",")}`;
}

/**
 * Splits tallies into counted moments per unit (by channel) and exclusion counts, under the
 * parameters; and, per unit and channel, the moments the quality flags leave in whatever the
 * verified-only rule says (the figures by channel).
 */
export function countedMoments(tallies: PeriodTallies, params: MethodParams) {
  const byUnit = new Map<number, MomentsByChannel>();
  const shownByUnit = new Map<number, MomentsByChannel>();
  const exclusionsByUnit = new Map<number, Partial<Record<ExclusionReason, number>>>();
  const allChannels = { ...params, verifiedOnly: false };
  let total = 0;
  for (const row of tallies.scores) {
    total += row.moments.n;
    const flags = parseFlagsKey(row.flags);
    const channel = channelOfKey(flags);
    const reason = exclusionReason(flags, row.k, params);
    const shown = reason === "not_verified" ? exclusionReason(flags, row.k, allChannels) === null : reason === null;
    if (shown) {
      let byChannel = shownByUnit.get(row.unitId);
      if (!byChannel) shownByUnit.set(row.unitId, (byChannel = new Map()));
      addChannelMoments(byChannel, channel, row.k, row.moments);
    }
    if (reason) {
      const ex = exclusionsByUnit.get(row.unitId) ?? {};
      ex[reason] = (ex[reason] ?? 0) + row.moments.n;
      exclusionsByUnit.set(row.unitId, ex);
      continue;
    }
    let byChannel = byUnit.get(row.unitId);
    if (!byChannel) byUnit.set(row.unitId, (byChannel = new Map()));
    addChannelMoments(byChannel, channel, row.k, row.moments);
  }
  for (const [unitId, ex] of exclusionsByUnit) exclusionsByUnit.set(unitId, ordered(ex));
  return { byUnit, shownByUnit, exclusionsByUnit, total };
}

/** n and S of each channel, every response weighing one. */
function channelFigures(byChannel: MomentsByChannel | undefined, params: MethodParams): ChannelFigures {
  const out: ChannelFigures = {};
  if (!byChannel) return out;
  for (const ch of channels) {
    const byK = byChannel.get(ch);
    if (!byK) continue;
    const index = surveyIndex(byK, params);
    if (index.n > 0) out[ch] = { n: index.n, s: index.s };
  }
  return out;
}

/** Exclusion counts in the method's order of reasons, so both paths print the same. */
function ordered(ex: Partial<Record<ExclusionReason, number>>): Partial<Record<ExclusionReason, number>> {
  return Object.fromEntries(exclusionReasons.filter((r) => ex[r] !== undefined).map((r) => [r, ex[r]]));
}

/** Every unit's figures for a period, from the maintained tallies or recomputed from raw rows. */
export async function computeFigures(
  period: PeriodRecord,
  opts: { source?: "live" | "audit"; now?: Date; params?: MethodParams } = {},
): Promise<PeriodFigures> {
  const source = opts.source ?? "live";
  const params = opts.params ?? period.params;
  const now = opts.now ?? new Date();
  const calendar = await scoringCalendar();
  const compute = async () => {
    const tallies = source === "live" ? await readTallies(period.id) : await recomputeTallies(period.id);
    const units = scoredUnits(await listUnits());
    return figuresFrom(units, tallies, params, now, source, calendar, await casesDueIn(period));
  };
  // Live figures at the current time are served from memory until an input changes.
  if (source !== "live" || opts.now) return compute();
  return cachedScores(
    `figures|${period.id}|${JSON.stringify(params)}|${period.startsOn.getTime()}|${period.endsOn.getTime()}|${clockKey(params, now, calendar)}`,
    compute,
  );
}

export function figuresFrom(
  units: readonly UnitRecord[],
  tallies: PeriodTallies,
  params: MethodParams,
  now: Date,
  source: "live" | "audit",
  calendar: HolidayCalendar,
  cases: ReadonlyMap<number, CaseForIndex[]>,
): PeriodFigures {
  const { byUnit, shownByUnit, exclusionsByUnit, total } = countedMoments(tallies, params);
  const noCases: ComplaintIndex = complaintIndex([], params, now, calendar);
  const scores = composeScores(
    units.map((u) => ({
      unitId: u.id,
      kind: u.kind,
      survey: surveyIndexByChannel(byUnit.get(u.id) ?? new Map(), params),
      complaints: cases.has(u.id) ? complaintIndex(cases.get(u.id)!, params, now, calendar) : noCases,
      exclusions: exclusionsByUnit.get(u.id) ?? {},
      byChannel: channelFigures(shownByUnit.get(u.id), params),
    })),
    params,
  );
  const byId = new Map(units.map((u) => [u.id, u]));
  const exclusions: Partial<Record<ExclusionReason, number>> = {};
  for (const ex of exclusionsByUnit.values()) {
    for (const [reason, n] of Object.entries(ex)) exclusions[reason as ExclusionReason] = (exclusions[reason as ExclusionReason] ?? 0) + n;
  }
  return {
    source,
    methodVersion: METHOD_VERSION,
    params,
    exclusions: ordered(exclusions),
    units: scores.map((s) => ({ ...s, code: byId.get(s.unitId)!.code, names: byId.get(s.unitId)!.names })),
    total,
  };
}

export interface AuditResult {
  equal: boolean;
  /** Units whose live figures differ from the recomputation (codes). */
  differing: string[];
  /** Tally rows that differ between the maintained and the recomputed tallies. */
  tallyDifferences: number;
  responses: number;
  ms: number;
}

/**
 * The audit: recomputes the period's tallies and figures from the raw responses and compares them,
 * integer for integer and number for number, with the live ones.
 */
export async function auditPeriod(period: PeriodRecord, now = new Date()): Promise<AuditResult> {
  const started = performance.now();
  const units = scoredUnits(await listUnits());
  const { live, recomputed: audit } = await talliesForAudit(period.id);
  // Every tally row as key -> value, so the two sets compare row for row.
  const rowsOf = (t: PeriodTallies) =>
    new Map([
      ...t.scores.map((r) => [`${r.unitId}|${r.flags}|${r.month}|${r.k}`, JSON.stringify(r.moments)] as const),
      ...t.items.map((r) => [`${r.unitId}|${r.flags}|${r.questionKey}|${r.grade}`, String(r.count)] as const),
    ]);
  const liveRows = rowsOf(live);
  const auditRows = rowsOf(audit);
  let tallyDifferences = 0;
  for (const k of new Set([...liveRows.keys(), ...auditRows.keys()])) if (liveRows.get(k) !== auditRows.get(k)) tallyDifferences += 1;
  // The complaints, the calendar and the clock are the same input to both paths: read once.
  const cases = await casesDueIn(period);
  const calendar = await scoringCalendar();
  const a = figuresFrom(units, live, period.params, now, "live", calendar, cases);
  const b = figuresFrom(units, audit, period.params, now, "audit", calendar, cases);
  const differing = a.units.filter((u, i) => JSON.stringify(u) !== JSON.stringify(b.units[i])).map((u) => u.code);
  const result = { equal: tallyDifferences === 0 && differing.length === 0, differing, tallyDifferences, responses: b.total, ms: performance.now() - started };
  // Drift means the live figures are not what the raw responses give: an operator must look.
  const line = { event: result.equal ? "audit.equal" : "audit.drift", period: period.code, responses: result.responses, tallyDifferences, units: differing.slice(0, 50), ms: Math.round(result.ms) };
  if (result.equal) logFor("scores").info(line, "audit: live figures equal the recomputation");
  else logFor("scores").warn(line, "audit: live figures differ from the recomputation");
  return result;
}

