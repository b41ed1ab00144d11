// Frozen figures. Closing a period freezes a snapshot; a closed period is then always served from
// its latest snapshot, so its numbers never change silently. A correction (a moderation, changed
// parameters) reaches the served numbers only through a new, labelled recompute snapshot.
import type { ExclusionReason, MethodParams, UnitScore } from "#app/domain/scoring";
import { paramsOf } from "#app/domain/scoring";
import { getDb } from "#app/lib/db.server";
import { logFor } from "#app/lib/log.server";
import { cachedScores } from "#app/lib/score-cache.server";
import { listUnits } from "#app/models/unit.server";
import type { PeriodRecord } from "#app/models/period.server";
import { computeFigures, type PeriodFigures } from "./scores.server";

export interface SnapshotInfo {
  id: number;
  periodId: number;
  kind: "close" | "recompute";
  label: string;
  reason: string | null;
  methodVersion: string;
  createdAt: Date;
  createdById: number | null;
}

export class PeriodStateError extends Error {
  constructor(public readonly code: "not_open" | "not_closed" | "has_responses") {
    super(code);
  }
}

const info = (s: { id: number; periodId: number; kind: string; label: string; reason: string | null; methodVersion: string; createdAt: Date; createdById: number | null }): SnapshotInfo => ({
  id: s.id,
  periodId: s.periodId,
  kind: s.kind as SnapshotInfo["kind"],
  label: s.label,
  reason: s.reason,
  methodVersion: s.methodVersion,
  createdAt: s.createdAt,
  createdById: s.createdById,
});

async function writeSnapshot(
  period: PeriodRecord,
  figures: PeriodFigures,
  meta: { kind: SnapshotInfo["kind"]; label: string; reason: string | null; actorId: number | null },
  closeAt: Date | null,
): Promise<SnapshotInfo> {
  const db = await getDb();
  const snapshot = await db.$transaction(async (tx) => {
    if (closeAt) {
      // Only an open period can be closed; the condition makes two concurrent closes safe.
      const { count } = await tx.evaluationPeriod.updateMany({
        where: { id: period.id, status: "open" },
        data: { status: "closed", closedAt: closeAt },
      });
      if (count !== 1) throw new PeriodStateError("not_open");
    }
    const snapshot = await tx.scoreSnapshot.create({
      data: {
        periodId: period.id,
        kind: meta.kind,
        label: meta.label,
        reason: meta.reason,
        methodVersion: figures.methodVersion,
        params: figures.params,
        exclusions: { ...figures.exclusions, total: figures.total },
        createdById: meta.actorId,
        rows: {
          create: figures.units.map(({ names: _names, ...figure }) => ({ unitId: figure.unitId, figures: figure as object })),
        },
      },
    });
    await tx.auditEvent.create({
      data: {
        actorId: meta.actorId,
        action: closeAt ? "period.close" : "snapshot.create",
        targetType: "period",
        targetId: String(period.id),
        note: meta.reason,
        data: { snapshotId: snapshot.id, kind: meta.kind, label: meta.label },
      },
    });
    return info(snapshot);
  });
  // After the commit: one line for the operator (the label and reason stay in the audit log).
  logFor("periods").info(
    { event: closeAt ? "period.close" : "snapshot.create", period: period.code, snapshotId: snapshot.id, kind: meta.kind, units: figures.units.length, responses: figures.total, actorId: meta.actorId },
    closeAt ? "period closed, snapshot taken" : "snapshot taken",
  );
  return snapshot;
}

/** Closes an open period and freezes its figures. */
export async function closePeriod(period: PeriodRecord, actorId: number | null, now = new Date()): Promise<SnapshotInfo> {
  if (period.status !== "open") throw new PeriodStateError("not_open");
  const figures = await computeFigures(period, { now });
  return writeSnapshot(period, figures, { kind: "close", label: period.code, reason: null, actorId }, now);
}

/**
 * A new, labelled snapshot of a closed period after a correction, evaluated as of the period's
 * close; the API serves it from now on.
 */
export async function recomputeSnapshot(
  period: PeriodRecord,
  input: { label: string; reason: string; actorId: number | null },
  now = new Date(),
): Promise<SnapshotInfo> {
  if (period.status !== "closed") throw new PeriodStateError("not_closed");
  // Evaluated as of the close: a correction changes what was corrected, not what time alone would
  // (a reply unrated at the close does not become "assumed satisfied" later, a case pending then
  // does not turn late), so the units the correction is not about keep their figures.
  const figures = await computeFigures(period, { now: period.closedAt ?? now });
  return writeSnapshot(period, figures, { kind: "recompute", label: input.label, reason: input.reason, actorId: input.actorId }, null);
}

export async function listSnapshots(periodId: number): Promise<SnapshotInfo[]> {
  const db = await getDb();
  return (await db.scoreSnapshot.findMany({ where: { periodId }, orderBy: { id: "desc" } })).map(info);
}

export function snapshotFigures(snapshotId: number): Promise<(PeriodFigures & { snapshot: SnapshotInfo }) | null> {
  return cachedScores(`snapshot|${snapshotId}`, () => loadSnapshotFigures(snapshotId));
}

async function loadSnapshotFigures(snapshotId: number): Promise<(PeriodFigures & { snapshot: SnapshotInfo }) | null> {
  const db = await getDb();
  const s = await db.scoreSnapshot.findUnique({ where: { id: snapshotId }, include: { rows: true } });
  if (!s) return null;
  const units = new Map((await listUnits()).map((u) => [u.id, u]));
  const { total, ...exclusions } = s.exclusions as Partial<Record<ExclusionReason, number>> & { total: number };
  return {
    source: "snapshot",
    methodVersion: s.methodVersion,
    params: paramsOf(s.params) as MethodParams,
    exclusions,
    total,
    units: s.rows
      .map((r) => {
        const figure = r.figures as unknown as UnitScore & { code?: string };
        const unit = units.get(r.unitId);
        // Frozen before H could assume ratings (method 2026.3): none were assumed.
        return { ...figure, assumedRatings: figure.assumedRatings ?? 0, code: unit?.code ?? figure.code ?? "", names: unit?.names ?? {} };
      })
      .sort((a, b) => a.unitId - b.unitId),
    snapshot: info(s),
  };
}

/**
 * The figures the platform serves for a period: a closed period's latest snapshot, or an open
 * period's live figures (snapshot null).
 */
export async function servedFigures(period: PeriodRecord, now?: Date): Promise<PeriodFigures & { snapshot: SnapshotInfo | null }> {
  if (period.status === "closed") {
    const [latest] = await listSnapshots(period.id);
    if (latest) {
      const frozen = await snapshotFigures(latest.id);
      if (frozen) return frozen;
    }
  }
  return { ...(await computeFigures(period, { now })), snapshot: null };
}
