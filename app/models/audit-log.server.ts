// Reading the audit log (AuditEvent) for its page: newest first, filtered, a page at a time.
import type { Prisma } from "#app/generated/prisma/client";
import { getDb } from "#app/lib/db.server";

export const AUDIT_PAGE_SIZE = 50;

export interface AuditQuery {
  action?: string;
  targetType?: string;
  actorId?: number;
  from?: Date;
  to?: Date;
  page: number;
}

export async function listAuditEvents(q: AuditQuery) {
  const db = await getDb();
  const where: Prisma.AuditEventWhereInput = {};
  if (q.action) where.action = q.action;
  if (q.targetType) where.targetType = q.targetType;
  if (q.actorId) where.actorId = q.actorId;
  if (q.from || q.to) where.at = { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lte: q.to } : {}) };
  const page = Math.max(1, Math.floor(q.page));
  // One row more than a page tells whether there is a next page, without counting everything.
  const rows = await db.auditEvent.findMany({
    where,
    orderBy: [{ at: "desc" }, { id: "desc" }],
    skip: (page - 1) * AUDIT_PAGE_SIZE,
    take: AUDIT_PAGE_SIZE + 1,
  });
  return { rows: rows.slice(0, AUDIT_PAGE_SIZE), page, hasNext: rows.length > AUDIT_PAGE_SIZE };
}

/** What the filters can offer: the actions and target types recorded so far, and every account. */
export async function auditFacets() {
  const db = await getDb();
  const [actions, types, accounts] = await Promise.all([
    db.auditEvent.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } }),
    db.auditEvent.findMany({ distinct: ["targetType"], select: { targetType: true }, orderBy: { targetType: "asc" } }),
    db.staffUser.findMany({ select: { id: true, username: true, displayName: true }, orderBy: { username: "asc" } }),
  ]);
  return { actions: actions.map((a) => a.action), targetTypes: types.map((t) => t.targetType), accounts };
}

/** Display names of the accounts that made some audit events (by id). */
export async function actorNames(ids: readonly (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const db = await getDb();
  const rows = await db.staffUser.findMany({ where: { id: { in: wanted } }, select: { id: true, username: true, displayName: true } });
  return new Map(rows.map((r) => [r.id, `${r.displayName} (${r.username})`]));
}
