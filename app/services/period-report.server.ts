// The 通报 report of a period (issue 14, docs/decisions/0019): one plain object with everything
// the printed report shows, assembled from the figures the platform serves (the latest snapshot
// of a closed period, else the live figures, marked so), the previous period's, the per-item
// breakdown and the complaint figures. The page and the PDF draw this same object.
import { type PeriodRectification, rectificationsForPeriod } from "./rectification.server";
import {
  type ComparedFigures,
  periodChanges,
  previousPeriodOf,
  type ReportFlag,
  reportFlags,
  type UnitChange,
  type WeakItem,
  weakestItems,
} from "#app/domain/period-report";
import { type ExclusionReason, exclusionReasons, type MethodParams, type ScoreFlag, timeliness } from "#app/domain/scoring";
import { db, dbDateTime } from "#app/lib/db.server";
import { listPeriods, type PeriodRecord } from "#app/models/period.server";
import { complaintVolumes, type ComplaintVolume, itemBreakdown, questionTexts } from "./dashboard.server";
import { casesDueIn, type PeriodFigures } from "./scores.server";
import { servedFigures, type SnapshotInfo } from "./snapshots.server";

/** The kinds of unit the report ranks, in the order it prints them. */
export const reportKinds = ["county", "department"] as const;
/** How many items per kind the report lists as pulling it down. */
export const WEAK_ITEMS = 3;

export interface ReportUnit {
  unitId: number;
  code: string;
  names: Record<string, string>;
  kind: string;
  n: number;
  s: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  c: number | null;
  t: number | null;
  h: number | null;
  q: number | null;
  points: number | null;
  rank: number | null;
  /** The method's own flags (insufficient sample, no responses, no complaints due). */
  methodFlags: ScoreFlag[];
  /** What the report names the unit for (app/domain/period-report.ts). */
  flags: ReportFlag[];
  exclusions: Partial<Record<ExclusionReason, number>>;
  change: UnitChange;
  /** Complaints due in the period (integrity cases never counted per unit): as the figures hold them. */
  due: number;
  onTime: number;
  late: number;
  pending: number;
  /** Counted when the report is made: not replied and past the reply deadline. */
  overdue: number;
  /** Counted when the report is made: cases the citizen sent back ("not resolved") at least once. */
  reopened: number;
}

export interface ReportKind {
  kind: string;
  /** Ranked units first (by rank, then code), then the unranked by code. */
  units: ReportUnit[];
  /** The items with the lowest mean points over the kind's units, with their wording. */
  weakItems: (WeakItem & { texts: Record<string, string> })[];
}

export interface PeriodReport {
  period: { code: string; names: Record<string, string>; startsOn: Date; endsOn: Date; status: string };
  /** Frozen: served from a snapshot; otherwise the live figures at `generatedAt`. */
  frozen: boolean;
  snapshot: Pick<SnapshotInfo, "id" | "kind" | "label" | "createdAt"> | null;
  methodVersion: string;
  /** The parameters the figures were made with (the snapshot's when frozen). */
  params: MethodParams;
  /** The office's threshold of S (the period's current setting: it changes no figure). */
  threshold: number;
  generatedAt: Date;
  previous: { code: string; names: Record<string, string>; frozen: boolean; snapshotId: number | null; methodVersion: string } | null;
  kinds: ReportKind[];
  /** Every unit the report names, in the kinds' order. */
  flagged: ReportUnit[];
  total: number;
  counted: number;
  exclusions: { reason: ExclusionReason; count: number }[];
  /** The period's rectification records (差评整改), overdue ones marked as of `generatedAt`. */
  rectifications: PeriodRectification[];
  complaints: {
    /** Region-wide, every type (the office's report; no unit is named here). */
    byType: ComplaintVolume[];
    totals: { due: number; onTime: number; late: number; pending: number; overdue: number; reopened: number; t: number | null };
  };
}

/** The previous period (app/domain/period-report.ts) and the figures it serves, or null. */
export async function previousFigures(period: PeriodRecord): Promise<{ period: PeriodRecord; figures: Awaited<ReturnType<typeof servedFigures>> } | null> {
  const prev = previousPeriodOf(period, await listPeriods());
  return prev ? { period: prev, figures: await servedFigures(prev) } : null;
}

/**
 * Each unit's change from the previous period, for the dashboard and the unit page (the report
 * uses the same): the previous period named, and the changes by unit id.
 */
export async function changesFromPrevious(period: PeriodRecord, current: { units: readonly ComparedFigures[] }) {
  const prev = await previousFigures(period);
  return {
    previous: prev ? { code: prev.period.code, names: prev.period.names, frozen: prev.figures.snapshot !== null } : null,
    changes: periodChanges(current.units, prev ? prev.figures.units : null),
  };
}

/**
 * Per unit, the cases due in the period (integrity aside, as in the scores) that the citizen sent
 * back at least once.
 */
async function reopenedByUnit(period: Pick<PeriodRecord, "startsOn" | "endsOn">): Promise<Map<number, number>> {
  const rows = await db().read.all<{ unitId: number; n: number }>(
    `SELECT c.unitId AS unitId, COUNT(*) AS n FROM Complaint c
     WHERE c.replyDueAt >= ? AND c.replyDueAt <= ? AND c.type <> 'integrity'
       AND EXISTS (SELECT 1 FROM ComplaintEvent e WHERE e.complaintId = c.id AND e.action = 'reopen')
     GROUP BY c.unitId`,
    dbDateTime(period.startsOn),
    dbDateTime(period.endsOn),
  );
  return new Map(rows.map((r) => [r.unitId, r.n]));
}

/** Per unit, the cases due in the period not replied and past their deadline at `now`. */
async function overdueByUnit(period: Pick<PeriodRecord, "startsOn" | "endsOn">, now: Date): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const [unitId, cases] of await casesDueIn(period)) {
    const overdue = cases.filter((c) => !c.repliedAt && timeliness(c, now) === "late").length;
    if (overdue) out.set(unitId, overdue);
  }
  return out;
}

function byRankThenCode(a: ReportUnit, b: ReportUnit) {
  return (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.code.localeCompare(b.code);
}

/** The report of a period as of `now`. */
export async function assembleReport(period: PeriodRecord, now = new Date()): Promise<PeriodReport> {
  const [figures, prev] = await Promise.all([servedFigures(period), previousFigures(period)]);
  const changes = periodChanges(figures.units, prev ? prev.figures.units : null);
  const threshold = period.params.reportThreshold;
  const overdue = await overdueByUnit(period, now);
  const reopened = await reopenedByUnit(period);
  const rows: ReportUnit[] = figures.units.map((u) => ({
    unitId: u.unitId,
    code: u.code,
    names: u.names,
    kind: u.kind,
    n: u.n,
    s: u.s,
    ciLow: u.ciLow,
    ciHigh: u.ciHigh,
    c: u.c,
    t: u.t,
    h: u.h,
    q: u.q,
    points: u.points,
    rank: u.rank,
    methodFlags: u.flags,
    flags: reportFlags(u, threshold),
    exclusions: u.exclusions,
    change: changes.get(u.unitId)!,
    due: u.due,
    onTime: u.onTime,
    late: u.late,
    pending: u.pending,
    overdue: overdue.get(u.unitId) ?? 0,
    reopened: reopened.get(u.unitId) ?? 0,
  }));
  const texts = await questionTexts(period.id);
  const kinds: ReportKind[] = [];
  for (const kind of reportKinds) {
    const units = rows.filter((r) => r.kind === kind).sort(byRankThenCode);
    if (units.length === 0) continue;
    // The per-item answers are not part of a snapshot: they come from the stored responses, under
    // the parameters the figures were made with.
    const perUnit = await Promise.all(units.map((u) => itemBreakdown(period, figures.params, u.unitId)));
    const weak = weakestItems(perUnit, figures.params.gradePoints, WEAK_ITEMS);
    kinds.push({ kind, units, weakItems: weak.map((w) => ({ ...w, texts: texts.get(w.key) ?? {} })) });
  }
  const all = kinds.flatMap((k) => k.units);
  const sum = (pick: (u: ReportUnit) => number) => all.reduce((n, u) => n + pick(u), 0);
  const onTime = sum((u) => u.onTime);
  const late = sum((u) => u.late);
  return {
    period: { code: period.code, names: period.names, startsOn: period.startsOn, endsOn: period.endsOn, status: period.status },
    frozen: figures.snapshot !== null,
    snapshot: figures.snapshot ? { id: figures.snapshot.id, kind: figures.snapshot.kind, label: figures.snapshot.label, createdAt: figures.snapshot.createdAt } : null,
    methodVersion: figures.methodVersion,
    params: figures.params,
    threshold,
    generatedAt: now,
    previous: prev
      ? { code: prev.period.code, names: prev.period.names, frozen: prev.figures.snapshot !== null, snapshotId: prev.figures.snapshot?.id ?? null, methodVersion: prev.figures.methodVersion }
      : null,
    kinds,
    flagged: all.filter((u) => u.flags.length > 0),
    total: figures.total,
    counted: figures.total - countExcluded(figures),
    exclusions: exclusionReasons.filter((r) => figures.exclusions[r]).map((r) => ({ reason: r, count: figures.exclusions[r]! })),
    rectifications: await rectificationsForPeriod(period.id, now),
    complaints: {
      byType: await complaintVolumes(period),
      totals: {
        due: sum((u) => u.due),
        onTime,
        late,
        pending: sum((u) => u.pending),
        overdue: sum((u) => u.overdue),
        reopened: sum((u) => u.reopened),
        t: onTime + late > 0 ? (onTime / (onTime + late)) * 100 : null,
      },
    },
  };
}

function countExcluded(figures: Pick<PeriodFigures, "exclusions">): number {
  return Object.values(figures.exclusions).reduce((n, c) => n + (c ?? 0), 0);
}
