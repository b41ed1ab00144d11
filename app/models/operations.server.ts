// What the operator's endpoints read from the database (/metrics, /readyz): counts by status, the
// migrations applied, and a write that changes nothing. Cheap by design: a scrape every 15 s and a
// readiness probe every few seconds must not weigh on the citizens' requests.
import { getWriter, sqliteDateTime, withWriteLock } from "#app/lib/db.server";

/** Complaints by status, and how many open ones are past their nearest deadline (one indexed scan). */
export function complaintCounts(now: Date): { byStatus: Record<string, number>; overdue: number } {
  // nextDueAt is set exactly while a case is open (kept by triggers): late means it has passed.
  const rows = getWriter()
    .prepare(`SELECT status, COUNT(*) AS n, COUNT(CASE WHEN nextDueAt < ? THEN 1 END) AS late FROM Complaint GROUP BY status`)
    .all(sqliteDateTime(now)) as { status: string; n: number; late: number }[];
  return {
    byStatus: Object.fromEntries(rows.map((r) => [r.status, r.n])),
    overdue: rows.reduce((sum, r) => sum + r.late, 0),
  };
}

/** Notifications waiting (pending) and given up (failed), and how long the oldest due one has waited. */
export function notificationCounts(now: Date): { pending: number; failed: number; oldestDueSeconds: number } {
  const at = sqliteDateTime(now);
  const rows = getWriter()
    .prepare(
      `SELECT status, COUNT(*) AS n, MIN(CASE WHEN status = 'pending' AND dueAt <= ? THEN dueAt END) AS oldestDue
       FROM Notification WHERE status IN ('pending', 'failed') GROUP BY status`,
    )
    .all(at) as { status: string; n: number; oldestDue: string | null }[];
  const pending = rows.find((r) => r.status === "pending");
  const oldest = pending?.oldestDue ? new Date(pending.oldestDue).getTime() : null;
  return {
    pending: pending?.n ?? 0,
    failed: rows.find((r) => r.status === "failed")?.n ?? 0,
    oldestDueSeconds: oldest === null || Number.isNaN(oldest) ? 0 : Math.max(0, (now.getTime() - oldest) / 1000),
  };
}

/**
 * The migrations Prisma finished applying and did not roll back (`_prisma_migrations`), or null
 * when the table is missing (a database no migration ever ran on).
 */
export function appliedMigrations(): string[] | null {
  const db = getWriter();
  const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
  if (!table) return null;
  return db.prepare(`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`).pluck().all() as string[];
}

/**
 * A real write that changes nothing anyone sees: takes the write lock (BEGIN IMMEDIATE, through
 * the group commit of app/lib/db.server.ts), sets the file header's user_version to the value it
 * has, and commits durably. Rejects when the database cannot be written (read-only file or
 * folder, full disk, a lock held past the busy timeout).
 */
export function probeWrite(): Promise<void> {
  return withWriteLock(() => {
    const db = getWriter();
    const version = Number(db.pragma("user_version", { simple: true }));
    db.pragma(`user_version = ${Number.isInteger(version) ? version : 0}`);
  });
}
