// The staff audit trail (AuditEvent): appended, never changed. `writeAudit` runs inside a
// withWriteLock transaction together with the change it records.
import { getDb, getWriter, sqliteDateTime, withWriteLock } from "#app/lib/db.server";

export interface AuditEntry {
  actorId: number | null;
  action: string;
  targetType: string;
  targetId: string | number;
  note?: string | null;
  data?: unknown;
  at?: Date;
}

export function writeAudit(e: AuditEntry) {
  getWriter()
    .prepare(`INSERT INTO AuditEvent (at, actorId, action, targetType, targetId, note, data) VALUES (?, ?, ?, ?, ?, ?, ?)`)
    .run(
      sqliteDateTime(e.at ?? new Date()),
      e.actorId,
      e.action,
      e.targetType,
      String(e.targetId),
      e.note ?? null,
      e.data === undefined ? null : JSON.stringify(e.data),
    );
}

export function recordAudit(e: AuditEntry): Promise<void> {
  return withWriteLock(() => writeAudit(e));
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
