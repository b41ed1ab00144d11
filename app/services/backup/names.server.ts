// Names of the archives this feature writes, sortable by time (UTC, to the second), and which of
// them the schedule may prune: only its own `scheduled-*` files, never a manual or pre-migration
// backup, nor anything else an operator keeps in the folder.

const SCHEDULED = /^scheduled-(\d{8}T\d{6}Z)\.tar\.gz$/;

/** 2026-12-01T03:00:00.123Z -> 20261201T030000Z */
export function backupStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
}

export const scheduledName = (date: Date) => `scheduled-${backupStamp(date)}.tar.gz`;
export const manualName = (date: Date) => `manual-${backupStamp(date)}.tar.gz`;
/** Named for the first migration about to be applied. */
export const preMigrationName = (date: Date, migration: string) => `pre-migration-${backupStamp(date)}-before-${migration.replace(/[^A-Za-z0-9_-]/g, "_")}.tar.gz`;

/** When a scheduled backup was taken, from its name; null for any other file. */
export function scheduledTime(name: string): Date | null {
  const stamp = SCHEDULED.exec(name)?.[1];
  if (!stamp) return null;
  const iso = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The newest scheduled backup's time among the folder's file names. */
export function latestScheduled(names: readonly string[]): Date | null {
  let latest: Date | null = null;
  for (const name of names) {
    const t = scheduledTime(name);
    if (t && (!latest || t > latest)) latest = t;
  }
  return latest;
}

/**
 * Whether the next scheduled backup is due. `toleranceMs` (the check's period) lets a backup
 * taken a little early count, so the time of day does not creep later by a check each round.
 */
export function backupDue(latest: Date | null, now: Date, intervalMs: number, toleranceMs = 0): boolean {
  return latest === null || now.getTime() - latest.getTime() >= intervalMs - toleranceMs;
}

/** The scheduled backups beyond the newest `keep`, oldest last; other files are never listed. */
export function backupsToPrune(names: readonly string[], keep: number): string[] {
  const scheduled = names.filter((n) => scheduledTime(n) !== null).sort().reverse();
  return scheduled.slice(Math.max(keep, 1));
}
