// Scheduled backups from the app itself when BACKUP_DIR is set (started by
// app/services/jobs.server.ts): every BACKUP_INTERVAL_HOURS one archive named scheduled-<time>
// in BACKUP_DIR, the newest BACKUP_KEEP of them kept. With several app processes on one database,
// each checks now and then; the lock file and the newest archive's time make one of them take
// the backup and the others skip it. The outcome is logged and kept in backupStatus() (metrics).
import fsp from "node:fs/promises";
import path from "node:path";
import { getEnv } from "#app/lib/env.server";
import { logFor } from "#app/lib/log.server";
import { uploadDir } from "#app/lib/photos.server";
import { type BackupResult, createBackup, STAGING_PREFIX } from "./archive.server";
import { acquireLock, type LockOptions } from "./lock.server";
import { backupDue, backupsToPrune, latestScheduled, scheduledName } from "./names.server";

export const LOCK_FILE = ".backup.lock";
/** A lock untouched this long is taken over (its holder touches it every LOCK_TOUCH_MS). */
export const LOCK_STALE_MS = 10 * 60_000;
const LOCK_TOUCH_MS = 30_000;
/** How often each process looks whether a backup is due (at most; less for short intervals). */
const CHECK_MS = 5 * 60_000;

export interface BackupStatus {
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  /** Size in bytes of the last archive this process wrote. */
  lastSizeBytes: number | null;
  lastDurationMs: number | null;
}

declare global {
  // One per process, whichever module graph (the React Router build, the compiled server) asks.
  var __backupStatus: BackupStatus | undefined;
}
const status: BackupStatus = (globalThis.__backupStatus ??= { lastSuccessAt: null, lastFailureAt: null, lastSizeBytes: null, lastDurationMs: null });

/** This process's scheduled backups so far (for /metrics). */
export function backupStatus(): BackupStatus {
  return { ...status };
}

export type RoundOutcome =
  | { outcome: "not-due" }
  | { outcome: "locked" }
  | { outcome: "taken"; result: BackupResult; pruned: string[] };

export interface RoundOptions {
  dir: string;
  intervalMs: number;
  keep: number;
  databaseFile: string;
  uploadDir: string;
  sessionSecret?: string;
  toleranceMs?: number;
  now?: () => Date;
  lock?: Partial<LockOptions>;
}

/** Leftovers of a backup that died (staging folders, partial archives) older than the stale age. */
async function removeLeftovers(dir: string, nowMs: number) {
  for (const name of await fsp.readdir(dir)) {
    if (!name.startsWith(STAGING_PREFIX) && !(name.startsWith(".") && name.endsWith(".partial"))) continue;
    const file = path.join(dir, name);
    const stat = await fsp.stat(file).catch(() => null);
    if (stat && nowMs - stat.mtimeMs > LOCK_STALE_MS) await fsp.rm(file, { recursive: true, force: true });
  }
}

/** One check: takes a backup when one is due and no other process is taking it; throws when it fails. */
export async function scheduledRound(opts: RoundOptions): Promise<RoundOutcome> {
  const now = opts.now ?? (() => new Date());
  const tolerance = opts.toleranceMs ?? 0;
  await fsp.mkdir(opts.dir, { recursive: true });
  const due = async () => backupDue(latestScheduled(await fsp.readdir(opts.dir)), now(), opts.intervalMs, tolerance);
  if (!(await due())) return { outcome: "not-due" };
  // The lock ages by the real clock, as the file times it compares with.
  const lock = acquireLock(path.join(opts.dir, LOCK_FILE), { staleMs: LOCK_STALE_MS, ...opts.lock });
  if (!lock) return { outcome: "locked" };
  const touching = setInterval(() => lock.touch(), LOCK_TOUCH_MS).unref();
  try {
    // Another process may have finished one while this one waited for the lock.
    if (!(await due())) return { outcome: "not-due" };
    await removeLeftovers(opts.dir, Date.now());
    const result = await createBackup({
      databaseFile: opts.databaseFile,
      uploadDir: opts.uploadDir,
      out: path.join(opts.dir, scheduledName(now())),
      reason: "scheduled",
      sessionSecret: opts.sessionSecret,
      now,
    });
    const pruned = backupsToPrune(await fsp.readdir(opts.dir), opts.keep);
    for (const name of pruned) await fsp.rm(path.join(opts.dir, name), { force: true });
    return { outcome: "taken", result, pruned };
  } finally {
    clearInterval(touching);
    lock.release();
  }
}

/** Starts the schedule when BACKUP_DIR is set; returns the function that stops it. */
/** How long a shutdown waits for a backup under way before leaving it. */
const STOP_WAIT_MS = 5_000;

export function startScheduledBackups(): () => Promise<void> {
  const env = getEnv();
  if (!env.BACKUP_DIR) return async () => {};
  const log = logFor("backup");
  if (env.DATABASE_KIND === "postgres") {
    // The archives hold an SQLite file; PostgreSQL is backed up by its own tools.
    log.warn({ event: "backup.not_scheduled" }, "BACKUP_DIR is set but the database is PostgreSQL: no scheduled backups from the app; use pg_dump or the server's replication (docs/operations.md)");
    return async () => {};
  }
  const dir = path.resolve(process.cwd(), env.BACKUP_DIR);
  const intervalMs = env.BACKUP_INTERVAL_HOURS * 3600_000;
  const checkMs = Math.max(1000, Math.min(CHECK_MS, intervalMs / 4));
  const opts: RoundOptions = { dir, intervalMs, keep: env.BACKUP_KEEP, databaseFile: env.DATABASE_FILE, uploadDir: uploadDir(), sessionSecret: env.SESSION_SECRET, toleranceMs: checkMs };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function round() {
    const started = new Date();
    try {
      const r = await scheduledRound(opts);
      if (r.outcome === "taken") {
        status.lastSuccessAt = new Date();
        status.lastSizeBytes = r.result.size;
        status.lastDurationMs = r.result.ms;
        log.info({ file: path.basename(r.result.file), size: r.result.size, ms: r.result.ms, rows: r.result.rows }, "backup taken");
        if (r.pruned.length) log.info({ removed: r.pruned }, "old backups removed");
      } else {
        log.debug({ outcome: r.outcome }, "backup not taken");
      }
    } catch (error) {
      status.lastFailureAt = new Date();
      log.error({ error: (error as Error).message, ms: Date.now() - started.getTime() }, "backup failed");
    }
    if (!stopped) timer = setTimeout(tick, checkMs).unref();
  }
  const tick = () => {
    running = round().finally(() => (running = undefined));
  };
  timer = setTimeout(tick, Math.min(checkMs, 5_000)).unref();
  // Stopping lets a backup under way finish (its archive is renamed into place or removed), for
  // up to STOP_WAIT_MS: a restart must not wait for the copy of a large database (nor exceed
  // SHUTDOWN_TIMEOUT_SECONDS). An abandoned backup leaves a partial file and its lock, which the
  // next round (in this or another process) removes; the next backup is taken as due.
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    if (!running) return;
    const finished = await Promise.race([running.then(() => true), new Promise<false>((r) => setTimeout(r, STOP_WAIT_MS, false).unref())]);
    if (!finished) log.warn({ event: "backup.abandoned" }, "backup under way abandoned by the shutdown; the next round takes it again");
  };
}
