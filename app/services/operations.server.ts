// The operator's two questions (docs/operations.md, "Monitoring"): how is it doing (/metrics: the
// figures that live in the database are read at scrape time, one cheap query each) and can it
// take work (/readyz: the database can be written and every migration of this version is applied).
import fs from "node:fs";
import path from "node:path";
import { getEnv } from "#app/lib/env.server";
import { logFor } from "#app/lib/log.server";
import { metricsText, setScrapeFigures } from "#app/lib/metrics.server";
import { appliedMigrations, complaintCounts, databaseSizeBytes, notificationCounts, probeWrite } from "#app/models/operations.server";
import { MIGRATIONS_DIR, migrationFolders, pendingMigrations } from "./backup/migrations.server";
import { latestScheduled } from "./backup/names.server";
import { backupStatus } from "./backup/schedule.server";

/** PostgreSQL's own migrations (ADR 0026; prisma.config.ts picks the same folder for the CLI). */
const POSTGRES_MIGRATIONS_DIR = "prisma/postgres/migrations";

const sizeOf = (file: string): number => {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0; // no -wal file between checkpoints of a closed database
  }
};

/** Every metric of the process in Prometheus text format, with the database's figures as of now. */
export async function scrapeMetrics(now = new Date()): Promise<string> {
  const file = getEnv().DATABASE_FILE;
  const complaints = await complaintCounts(now);
  const notifications = await notificationCounts(now);
  // SQLite: the file and its write-ahead log. PostgreSQL: the database as the server counts it; its
  // write-ahead log belongs to the whole server (watched with the server), so 0 here.
  const sizes = file ? { databaseBytes: sizeOf(file), walBytes: sizeOf(`${file}-wal`) } : { databaseBytes: await databaseSizeBytes(), walBytes: 0 };
  setScrapeFigures({
    complaintsByStatus: complaints.byStatus,
    complaintsOverdue: complaints.overdue,
    notificationsPending: notifications.pending,
    notificationsFailed: notifications.failed,
    notificationsOldestDueSeconds: notifications.oldestDueSeconds,
    ...sizes,
    backup: backupFigures(),
  });
  return metricsText();
}

/**
 * The newest scheduled backup: the folder's newest archive (another process sharing BACKUP_DIR
 * may have taken it) or this process's own, whichever is later; failures as this process saw them.
 */
function backupFigures() {
  const dir = getEnv().BACKUP_DIR;
  const own = backupStatus();
  if (!dir) return { configured: false, lastSuccessAt: own.lastSuccessAt, lastFailureAt: own.lastFailureAt };
  let inFolder: Date | null = null;
  try {
    inFolder = latestScheduled(fs.readdirSync(dir));
  } catch {
    // not created yet: no backup so far
  }
  const later = [inFolder, own.lastSuccessAt].filter((d): d is Date => d !== null).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
  return { configured: true, lastSuccessAt: later, lastFailureAt: own.lastFailureAt };
}

let folders: string[] | undefined;

/**
 * The migrations this version of the platform ships for the database it runs on (prisma/migrations,
 * or prisma/postgres/migrations), read once per process.
 */
export function shippedMigrations(root = process.cwd()): string[] {
  if (!folders) {
    const dir = path.join(root, getEnv().DATABASE_KIND === "postgres" ? POSTGRES_MIGRATIONS_DIR : MIGRATIONS_DIR);
    // No folder at all is a broken installation, not "nothing to apply".
    if (!fs.existsSync(dir)) throw new Error("no migrations folder");
    folders = migrationFolders(dir);
  }
  return folders;
}

/**
 * Why the database refused the write, in words (the log has its code and message): SQLite's codes,
 * and PostgreSQL's SQLSTATEs and connection errors.
 */
function writeRefusal(error: unknown): string | null {
  const code = String((error as { code?: unknown } | null)?.code ?? "");
  if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED" || code === "55P03") return "locked by another writer";
  // 25006: a read-only transaction (a standby, or default_transaction_read_only).
  if (code === "SQLITE_READONLY" || code === "25006") return "read-only";
  if (code === "SQLITE_FULL" || code === "53100") return "disk full";
  if (code.startsWith("SQLITE_IOERR") || code === "58030") return "input/output error";
  // 57P03: the server is starting or shutting down; ECONNREFUSED: nothing listens.
  if (code === "SQLITE_CANTOPEN" || code === "57P03" || code === "ECONNREFUSED") return "cannot be opened";
  if (code === "SQLITE_CORRUPT" || code === "SQLITE_NOTADB" || code === "XX001" || code === "XX002") return "damaged";
  return null;
}

/**
 * What keeps the platform from taking work, in words an operator can act on (no paths, no stack,
 * no error text): the database cannot be written (and why, when the database said), and migrations
 * shipped with this version but not applied to the database.
 */
export function readinessProblems(input: { shipped: readonly string[] | null; applied: readonly string[] | null; writeError: unknown }): string[] {
  const problems: string[] = [];
  if (input.writeError !== undefined) {
    const why = writeRefusal(input.writeError);
    problems.push(`database not writable${why ? ` (${why})` : ""}`);
  }
  if (input.shipped === null) problems.push("migration list unreadable");
  else if (input.applied === null) problems.push("no migrations applied");
  else {
    const missing = pendingMigrations(input.shipped, input.applied);
    if (missing.length) problems.push(`migrations not applied: ${missing.join(", ")}`);
  }
  return problems;
}

async function checkReadiness(): Promise<string[]> {
  let writeError: unknown = undefined;
  try {
    await probeWrite();
  } catch (error) {
    writeError = error ?? new Error("write failed");
    const e = writeError as { code?: unknown; message?: unknown };
    logFor("readiness").warn({ event: "readiness.write_failed", code: String(e.code ?? ""), error: String(e.message ?? e) }, "database not writable");
  }
  let shipped: string[] | null;
  try {
    shipped = shippedMigrations();
  } catch {
    shipped = null;
  }
  let applied: string[] | null;
  try {
    applied = await appliedMigrations();
  } catch {
    applied = null;
  }
  return readinessProblems({ shipped, applied, writeError });
}

/** Answers within this long share one check: a probe flood costs one small commit a second at most. */
const READINESS_REUSE_MS = 1000;
let last: { at: number; problems: Promise<string[]> } | undefined;

/** The readiness problems (empty: ready), checked at most once a second however often it is asked. */
export function readiness(now = Date.now()): Promise<string[]> {
  if (!last || now - last.at >= READINESS_REUSE_MS) last = { at: now, problems: checkReadiness() };
  return last.problems;
}
