// The staff audit trail (AuditEvent): appended, never changed. `writeAudit` runs inside a
// write transaction together with the change it records.
import { db, dbDateTime, getDb, type Sql } from "#app/lib/db.server";

export interface AuditEntry {
  actorId: number | null;
  action: string;
  targetType: string;
  targetId: string | number;
  note?: string | null;
  data?: unknown;
  at?: Date;
}

const INSERT = `INSERT INTO AuditEvent (at, actorId, action, targetType, targetId, note, data) VALUES (?, ?, ?, ?, ?, ?, ?)`;

function values(e: AuditEntry) {
  return [
    dbDateTime(e.at ?? new Date()),
    e.actorId,
    e.action,
    e.targetType,
    String(e.targetId),
    e.note ?? null,
    e.data === undefined ? null : JSON.stringify(e.data),
  ] as const;
}

/** Appends an entry inside the write transaction `tx` of the change it records. */
export async function writeAudit(tx: Sql, e: AuditEntry): Promise<void> {
  await tx.run(INSERT, ...values(e));
}

export function recordAudit(e: AuditEntry): Promise<void> {
  return db().write((tx) => writeAudit(tx, e));
}

export async function auditTrail(targetType: string, targetId: string | number, take = 50) {
  const db = await getDb();
  return db.auditEvent.findMany({
    where: { targetType, targetId: String(targetId) },
    orderBy: { id: "desc" },
    take,
  });
}

export async function recentAudit(targetType: string, actions: string[], take = 20) {
  const db = await getDb();
  return db.auditEvent.findMany({ where: { targetType, action: { in: actions } }, orderBy: { id: "desc" }, take });
}
