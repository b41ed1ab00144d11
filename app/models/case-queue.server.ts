// The staff queue: complaints an actor may see, with filters. Visibility comes from
// app/domain/permissions.ts, applied in the query so that nothing else is ever read.
import { type CaseStatus, caseStatuses, needsActionStatuses } from "#app/domain/case-flow";
import type { Actor } from "#app/domain/permissions";
import { queueUnits } from "#app/domain/permissions";
import type { Prisma } from "#app/generated/prisma/client";
import { getDb } from "#app/lib/db.server";
import { recordsVersion } from "#app/lib/score-cache.server";
import { versionedCache } from "#app/lib/versioned-cache";
import { unitIndex } from "./unit.server";

/** The queue's status choices: the cases that need action (the default), one status, or all. */
export const queueStatusChoices = ["open", ...caseStatuses, "all"] as const;
export type QueueStatusChoice = (typeof queueStatusChoices)[number];

export interface QueueFilters {
  /** Default "open": the cases the unit still has to act on. */
  status?: QueueStatusChoice;
  type?: string;
  overdue?: boolean;
  /** Received on or after / on or before these instants. */
  from?: Date;
  to?: Date;
  /** due: nearest open deadline first (default; cases with none follow, newest first); newest: latest received first; oldest. */
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

/** Every filter but the status: the status tabs count within these. */
function filterWhere(filters: QueueFilters, now: Date): Prisma.ComplaintWhereInput[] {
  const and: Prisma.ComplaintWhereInput[] = [];
  if (filters.type) and.push({ type: filters.type });
  if (filters.from) and.push({ submittedAt: { gte: filters.from } });
  if (filters.to) and.push({ submittedAt: { lte: filters.to } });
  // Complaint.nextDueAt is the nearest open deadline (nextDueAt in case-flow.ts), null once nothing
  // is owed: "overdue" is a range on its index rather than a condition per status and deadline.
  if (filters.overdue) and.push({ nextDueAt: { lt: now } });
  return and;
}

function statusWhere(status: QueueStatusChoice): Prisma.ComplaintWhereInput | null {
  if (status === "all") return null;
  // The statuses that need action are exactly those with a deadline (tests/unit/next-due.test.ts):
  // asked as "nextDueAt is set", the query walks the (unitId, nextDueAt) or (nextDueAt) index in
  // deadline order and stops after a page.
  if (status === "open") return { nextDueAt: { not: null } };
  return { status };
}

export async function listQueue(actor: Actor, filters: QueueFilters, now = new Date()) {
  const db = await getDb();
  const status = filters.status ?? "open";
  const visible = await visibilityWhere(actor);
  const others = filterWhere(filters, now);
  const byStatus = statusWhere(status);
  const where: Prisma.ComplaintWhereInput = { AND: [visible, ...others, ...(byStatus ? [byStatus] : [])] };
  const orderBy: Prisma.ComplaintOrderByWithRelationInput[] =
    filters.sort === "newest"
      ? [{ submittedAt: "desc" }]
      : filters.sort === "oldest"
        ? [{ submittedAt: "asc" }]
        : status === "open"
          ? [{ nextDueAt: "asc" }]
          : [{ nextDueAt: { sort: "asc", nulls: "last" } }, { submittedAt: "desc" }];
  const page = Math.max(1, Math.floor(filters.page ?? 1));
  // One row more than a page tells whether there is a next page, without counting everything.
  const [rows, counts] = await Promise.all([
    db.complaint.findMany({
      where,
      orderBy: [...orderBy, { id: "asc" }],
      skip: (page - 1) * QUEUE_PAGE_SIZE,
      take: QUEUE_PAGE_SIZE + 1,
      select: {
        reference: true,
        type: true,
        status: true,
        submittedAt: true,
        nextDueAt: true,
        supervised: true,
        // 差评回访: an open call-back is marked in the row.
        followUpDueAt: true,
        followUpDoneAt: true,
        unit: { select: { code: true, names: true } },
      },
    }),
    kept.get(JSON.stringify(["counts", visible, filters.type, filters.from, filters.to, filters.overdue]), async () => {
      const groups = await db.complaint.groupBy({ by: ["status"], where: { AND: [visible, ...others] }, _count: { _all: true } });
      return statusCounts(groups.map((c) => ({ status: c.status, count: c._count._all })));
    }),
  ]);
  return { rows: rows.slice(0, QUEUE_PAGE_SIZE), page, hasNext: rows.length > QUEUE_PAGE_SIZE, counts };
}

// Counts over every case a user may see (the status tabs, the office's overview by unit) read the
// whole table or an index of it (~10 ms and more for the office at 100,000 complaints, on every
// page view), yet change only when a case does. ScoreVersion is moved by triggers on every insert
// or update of a complaint, from any connection or process (0007), so such counts are kept while
// it stays the same, and for at most 30 s: "overdue" also moves with the clock (deadlines
// end at local midnight, so that is rarely noticed).
const kept = versionedCache({ version: () => recordsVersion(), maxAgeMs: 30_000 });

/** Cases per status choice (every status listed, zeros included), for the queue's status tabs. */
export function statusCounts(rows: readonly { status: string; count: number }[]): Record<QueueStatusChoice, number> {
  const counts = Object.fromEntries(queueStatusChoices.map((s) => [s, 0])) as Record<QueueStatusChoice, number>;
  for (const { status, count } of rows) {
    if (!(caseStatuses as readonly string[]).includes(status)) continue;
    counts[status as CaseStatus] += count;
    counts.all += count;
    if (needsActionStatuses.includes(status as CaseStatus)) counts.open += count;
  }
  return counts;
}

/** For the evaluation office: per unit, open complaints and how many are past a deadline. */
export function overdueByUnit() {
  return kept.get("overdueByUnit", () => countOverdueByUnit(new Date()));
}

async function countOverdueByUnit(now: Date) {
  const db = await getDb();
  // nextDueAt is set exactly while a case is open and is never later than a deadline still
  // running, so every late case has it in the past: the index narrows each count to late cases.
  const [openRows, lateAccept, lateReply] = await Promise.all([
    db.complaint.groupBy({ by: ["unitId"], where: { nextDueAt: { not: null } }, _count: { _all: true } }),
    db.complaint.groupBy({
      by: ["unitId"],
      where: { nextDueAt: { lt: now }, status: { in: ["submitted", "transferred"] }, acceptDueAt: { lt: now } },
      _count: { _all: true },
    }),
    db.complaint.groupBy({ by: ["unitId"], where: { nextDueAt: { lt: now }, replyDueAt: { lt: now } }, _count: { _all: true } }),
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
