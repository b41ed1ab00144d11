// What the operator's endpoints read from the database (/metrics, /readyz): counts by status, the
// migrations applied, and a write that changes nothing. Cheap by design: a scrape every 15 s and a
// readiness probe every few seconds must not weigh on the citizens' requests.
import { db, dbDateTime } from "#app/lib/db.server";
import { dialect } from "#app/lib/db/dialect.server";

/** Complaints by status, and how many open ones are past their nearest deadline (one indexed scan). */
export async function complaintCounts(now: Date): Promise<{ byStatus: Record<string, number>; overdue: number }> {
  // nextDueAt is set exactly while a case is open (kept by triggers): late means it has passed.
  const rows = await db().read.all<{ status: string; n: number; late: number }>(
    `SELECT status, COUNT(*) AS n, COUNT(CASE WHEN nextDueAt < ? THEN 1 END) AS late FROM Complaint GROUP BY status`,
    dbDateTime(now),
  );
  return {
    byStatus: Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])),
    overdue: rows.reduce((sum, r) => sum + Number(r.late), 0),
  };
}

/** Notifications waiting (pending) and given up (failed), and how long the oldest due one has waited. */
export async function notificationCounts(now: Date): Promise<{ pending: number; failed: number; oldestDueSeconds: number }> {
  const rows = await db().read.all<{ status: string; n: number; oldestDue: string | null }>(
    `SELECT status, COUNT(*) AS n, MIN(CASE WHEN status = 'pending' AND dueAt <= ? THEN dueAt END) AS oldestDue
     FROM Notification WHERE status IN ('pending', 'failed') GROUP BY status`,
    dbDateTime(now),
  );
  const pending = rows.find((r) => r.status === "pending");
  const oldest = pending?.oldestDue ? new Date(pending.oldestDue).getTime() : null;
  return {
    pending: Number(pending?.n ?? 0),
    failed: Number(rows.find((r) => r.status === "failed")?.n ?? 0),
    oldestDueSeconds: oldest === null || Number.isNaN(oldest) ? 0 : Math.max(0, (now.getTime() - oldest) / 1000),
  };
}

/**
 * The migrations Prisma finished applying and did not roll back (`_prisma_migrations`), or null
 * when the table is missing (a database no migration ever ran on).
 */
export async function appliedMigrations(): Promise<string[] | null> {
  if (!(await db().read.get(dialect().tableExists, "_prisma_migrations"))) return null;
  return db().read.pluck<string>(`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`);
}

/** The database's size in bytes as the database counts it (on PostgreSQL, every file of it on the server). */
export async function databaseSizeBytes(): Promise<number> {
  return Number(await db().read.value(dialect().databaseSize));
}

/**
 * A real write that changes nothing anyone sees: takes the write lock (BEGIN IMMEDIATE, through
 * the group commit of db().write), writes through the dialect's probe, and commits durably.
 * Rejects when the database cannot be written (read-only file or folder, full disk, a lock held
 * past the busy timeout; a read-only or standby PostgreSQL server).
 */
export function probeWrite(): Promise<void> {
  // Nothing to guard against concurrent writers: READ COMMITTED on PostgreSQL (a standby refuses
  // SERIALIZABLE before the probe could say it is read-only).
  return db().write((tx) => dialect().probeWrite(tx), { hot: true });
}
