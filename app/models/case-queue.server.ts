// The staff queue: complaints an actor may see, with filters. Visibility comes from
// app/domain/permissions.ts, applied in the query so that nothing else is ever read.
import { awaitingReply, type CaseStatus } from "#app/domain/case-flow";
import type { Actor } from "#app/domain/permissions";
import { queueUnits } from "#app/domain/permissions";
import type { Prisma } from "#app/generated/prisma/client";
import { getDb } from "#app/lib/db.server";
import { unitIndex } from "./unit.server";

export interface QueueFilters {
  status?: string;
  type?: string;
  overdue?: boolean;
  /** Received on or after / on or before these instants. */
  from?: Date;
  to?: Date;
  /** due: nearest deadline first (default); newest: latest received first; oldest. */
  sort?: "due" | "newest" | "oldest";
  page?: number;
}

export const QUEUE_PAGE_SIZE = 50;

export async function visibilityWhere(actor: Actor): Promise<Prisma.ComplaintWhereInput> {
  const roles = new Set(actor.grants.map((g) => g.role));
  if (roles.has("office")) return {};
  const index = await unitIndex();
  const units = queueUnits(actor, index.descendantsOf) ?? [];
  const or: Prisma.ComplaintWhereInput[] = [];
  if (units.length) or.push({ unitId: { in: units }, type: { not: "integrity" } });
  // A reviewer never sees integrity complaints against a unit they also work for (permissions.ts):
  // "against" is the subject unit, which a transfer does not change; the handling unit does not
  // matter for integrity cases.
  if (roles.has("integrity_reviewer")) or.push(units.length ? { type: "integrity", subjectUnitId: { notIn: units } } : { type: "integrity" });
  return or.length ? { OR: or } : { id: -1 };
}

export async function listQueue(actor: Actor, filters: QueueFilters, now = new Date()) {
  const db = await getDb();
  const where: Prisma.ComplaintWhereInput = { AND: [await visibilityWhere(actor)] };
  const and = where.AND as Prisma.ComplaintWhereInput[];
  if (filters.status) and.push({ status: filters.status });
  if (filters.type) and.push({ type: filters.type });
  if (filters.from) and.push({ submittedAt: { gte: filters.from } });
  if (filters.to) and.push({ submittedAt: { lte: filters.to } });
  if (filters.overdue) {
    and.push({
      OR: [
        { status: { in: ["submitted", "transferred"] }, acceptDueAt: { lt: now } },
        { status: { in: ["submitted", "transferred", "accepted", "in_progress"] }, replyDueAt: { lt: now } },
      ],
    });
  }
  const orderBy: Prisma.ComplaintOrderByWithRelationInput[] =
    filters.sort === "newest" ? [{ submittedAt: "desc" }] : filters.sort === "oldest" ? [{ submittedAt: "asc" }] : [{ replyDueAt: "asc" }];
  const page = Math.max(1, Math.floor(filters.page ?? 1));
  // One row more than a page tells whether there is a next page, without counting everything.
  const rows = await db.complaint.findMany({
    where,
    orderBy: [...orderBy, { id: "asc" }],
    skip: (page - 1) * QUEUE_PAGE_SIZE,
    take: QUEUE_PAGE_SIZE + 1,
    select: {
      reference: true,
      type: true,
      status: true,
      submittedAt: true,
      acceptDueAt: true,
      replyDueAt: true,
      supervised: true,
      unit: { select: { code: true, names: true } },
    },
  });
  return {
    rows: rows.slice(0, QUEUE_PAGE_SIZE).map((r) => ({ ...r, open: awaitingReply(r.status as CaseStatus) })),
    page,
    hasNext: rows.length > QUEUE_PAGE_SIZE,
  };
}

/** For the evaluation office: per unit, open complaints and how many are past a deadline. */
export async function overdueByUnit(now = new Date()) {
  const db = await getDb();
  const open = ["submitted", "transferred", "accepted", "in_progress"];
  const [openRows, lateAccept, lateReply] = await Promise.all([
    db.complaint.groupBy({ by: ["unitId"], where: { status: { in: open } }, _count: { _all: true } }),
    db.complaint.groupBy({
      by: ["unitId"],
      where: { status: { in: ["submitted", "transferred"] }, acceptDueAt: { lt: now } },
      _count: { _all: true },
    }),
    db.complaint.groupBy({ by: ["unitId"], where: { status: { in: open }, replyDueAt: { lt: now } }, _count: { _all: true } }),
  ]);
  const count = (rows: { unitId: number; _count: { _all: number } }[], unitId: number) =>
    rows.find((r) => r.unitId === unitId)?._count._all ?? 0;
  return openRows
    .map((r) => ({
      unitId: r.unitId,
      open: r._count._all,
      lateAccept: count(lateAccept, r.unitId),
      lateReply: count(lateReply, r.unitId),
    }))
    .sort((a, b) => b.lateReply - a.lateReply || b.lateAccept - a.lateAccept || b.open - a.open);
}
