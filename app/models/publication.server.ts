// A period's publication (ADR 0020): the office makes a closed period's frozen figures public, and
// can withdraw them. Each publish is a new row naming the snapshot it shows, so a recompute made
// afterwards reaches the public pages only when the office publishes again; withdrawing marks the
// row. The period's latest row is its publication. Both acts are audited with the row's id.
import { getDb } from "#app/lib/db.server";
import type { PeriodRecord } from "./period.server";

export interface Publication {
  id: number;
  periodId: number;
  snapshotId: number;
  publishedAt: Date;
  publishedById: number | null;
  withdrawnAt: Date | null;
  withdrawReason: string | null;
}

export class PublicationError extends Error {
  constructor(public readonly code: "not_closed" | "no_snapshot" | "stale_snapshot" | "already_published" | "not_published") {
    super(code);
  }
}

const toPublication = (r: Publication & Record<string, unknown>): Publication => ({
  id: r.id,
  periodId: r.periodId,
  snapshotId: r.snapshotId,
  publishedAt: r.publishedAt,
  publishedById: r.publishedById,
  withdrawnAt: r.withdrawnAt,
  withdrawReason: r.withdrawReason,
});

/** The period's latest publication, withdrawn or not; null when it was never published. */
export async function latestPublication(periodId: number): Promise<Publication | null> {
  const db = await getDb();
  const row = await db.periodPublication.findFirst({ where: { periodId }, orderBy: { id: "desc" } });
  return row && toPublication(row);
}

/** The publication the public pages show for the period, or null (never published, or withdrawn). */
export async function activePublication(periodId: number): Promise<Publication | null> {
  const latest = await latestPublication(periodId);
  return latest && !latest.withdrawnAt ? latest : null;
}

/** Every period's active publication, by period id. */
export async function activePublications(): Promise<Map<number, Publication>> {
  const db = await getDb();
  const rows = await db.periodPublication.findMany({ orderBy: { id: "asc" } });
  const latest = new Map<number, Publication>();
  for (const r of rows) latest.set(r.periodId, toPublication(r));
  for (const [periodId, p] of latest) if (p.withdrawnAt) latest.delete(periodId);
  return latest;
}

/**
 * Publishes a closed period's served snapshot (its latest). `expectedSnapshotId` is the snapshot
 * the office saw when it chose to publish: when another snapshot was made since, nothing is
 * published (the office must see what it makes public). Publishing the snapshot already shown is
 * refused; publishing a newer one replaces it on the public pages.
 */
export async function publishPeriod(period: PeriodRecord, actorId: number, expectedSnapshotId: number | null, now = new Date()): Promise<Publication> {
  if (period.status !== "closed") throw new PublicationError("not_closed");
  const db = await getDb();
  return db.$transaction(async (tx) => {
    const fresh = await tx.evaluationPeriod.findUnique({ where: { id: period.id } });
    if (fresh?.status !== "closed") throw new PublicationError("not_closed");
    const snapshot = await tx.scoreSnapshot.findFirst({ where: { periodId: period.id }, orderBy: { id: "desc" } });
    if (!snapshot) throw new PublicationError("no_snapshot");
    if (expectedSnapshotId !== null && snapshot.id !== expectedSnapshotId) throw new PublicationError("stale_snapshot");
    const previous = await tx.periodPublication.findFirst({ where: { periodId: period.id }, orderBy: { id: "desc" } });
    if (previous && !previous.withdrawnAt && previous.snapshotId === snapshot.id) throw new PublicationError("already_published");
    const row = await tx.periodPublication.create({ data: { periodId: period.id, snapshotId: snapshot.id, publishedAt: now, publishedById: actorId } });
    await tx.auditEvent.create({
      data: {
        actorId,
        action: "period.publish",
        targetType: "period",
        targetId: String(period.id),
        data: { publicationId: row.id, snapshotId: snapshot.id, replaces: previous && !previous.withdrawnAt ? previous.snapshotId : null },
      },
    });
    return toPublication(row);
  });
}

/** Takes the period's results off the public pages; the reason is kept with the row and in the audit. */
export async function withdrawPublication(period: PeriodRecord, actorId: number, reason: string, now = new Date()): Promise<void> {
  const db = await getDb();
  await db.$transaction(async (tx) => {
    const current = await tx.periodPublication.findFirst({ where: { periodId: period.id }, orderBy: { id: "desc" } });
    if (!current || current.withdrawnAt) throw new PublicationError("not_published");
    // The condition makes two concurrent withdrawals withdraw once.
    const { count } = await tx.periodPublication.updateMany({
      where: { id: current.id, withdrawnAt: null },
      data: { withdrawnAt: now, withdrawnById: actorId, withdrawReason: reason },
    });
    if (count !== 1) throw new PublicationError("not_published");
    await tx.auditEvent.create({
      data: {
        actorId,
        action: "period.withdraw",
        targetType: "period",
        targetId: String(period.id),
        note: reason,
        data: { publicationId: current.id, snapshotId: current.snapshotId },
      },
    });
  });
}
