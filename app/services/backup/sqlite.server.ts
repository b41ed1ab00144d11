// Every SQLite statement of backups and restores (the one dialect module of this feature).
//
// The database side of a backup, on a worker thread: `VACUUM INTO` on its own read-only
// connection (a consistent snapshot while the app keeps writing; docs/decisions/0022), then the
// copy's facts (row counts, applied migrations, referenced photos, size and sha256), and for a
// restore or a check, `PRAGMA integrity_check`. All of it is synchronous in better-sqlite3 and
// takes seconds on a large database, so it never runs on the app's event loop.
//
// The worker's code is a plain script given to the Worker as text (eval): it must run the same
// from the TypeScript sources (scripts, tests) and from the compiled server, where there is no
// separate file to point a worker at.
import fs from "node:fs";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";

export interface DatabaseFacts {
  size: number;
  sha256: string;
  /** Rows per table (every table but SQLite's own), by table name. */
  rowCounts: Record<string, number>;
  /** Migrations recorded as applied in `_prisma_migrations`, oldest first. */
  migrations: string[];
  /** ComplaintPhoto.storedName of every row: the files the database refers to. */
  photoNames: string[];
  /** `PRAGMA integrity_check`'s lines (["ok"] when sound); only when asked for. */
  integrity?: string[];
}

const WORKER_SOURCE = String.raw`
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const crypto = require("node:crypto");
const fs = require("node:fs");
const Database = require(workerData.driver);

function sha256(file) {
  const hash = crypto.createHash("sha256");
  const fd = fs.openSync(file, "r");
  const buffer = Buffer.allocUnsafe(1 << 20);
  try {
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest("hex");
}

function facts(file, integrity) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").pluck().all();
    const rowCounts = {};
    for (const t of tables) rowCounts[t] = db.prepare('SELECT COUNT(*) FROM "' + t.replaceAll('"', '""') + '"').pluck().get();
    const migrations = tables.includes("_prisma_migrations")
      ? db.prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name").pluck().all()
      : [];
    const photoNames = tables.includes("ComplaintPhoto") ? db.prepare("SELECT storedName FROM ComplaintPhoto ORDER BY id").pluck().all() : [];
    const result = { rowCounts, migrations, photoNames };
    if (integrity) result.integrity = db.prepare("PRAGMA integrity_check").pluck().all();
    return result;
  } finally {
    db.close();
  }
}

const job = workerData.job;
if (job.kind === "snapshot") {
  const source = new Database(job.source, { readonly: true, fileMustExist: true, timeout: job.timeoutMs });
  try {
    source.prepare("VACUUM INTO ?").run(job.target);
  } finally {
    source.close();
  }
}
const file = job.kind === "snapshot" ? job.target : job.file;
const found = facts(file, job.integrity);
parentPort.postMessage({ ...found, size: fs.statSync(file).size, sha256: sha256(file) });
`;

type Job =
  | { kind: "snapshot"; source: string; target: string; timeoutMs: number; integrity: boolean }
  | { kind: "inspect"; file: string; integrity: boolean };

function runJob(job: Job): Promise<DatabaseFacts> {
  // Resolved here, where the app's node_modules are known (the source tree or the build).
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, job } });
    let result: DatabaseFacts | undefined;
    worker.once("message", (m: DatabaseFacts) => (result = m));
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (result) resolve(result);
      else reject(new Error(`the database worker stopped (exit ${code}) without an answer`));
    });
  });
}

/**
 * Copies the live database at `source` into the new file `target` with `VACUUM INTO` (a read
 * transaction on a read-only connection: writers go on meanwhile) and returns the copy's facts.
 */
export function snapshotDatabase(source: string, target: string, { timeoutMs = 5000 } = {}): Promise<DatabaseFacts> {
  return runJob({ kind: "snapshot", source, target, timeoutMs, integrity: false });
}

/** The facts of a database file that nothing else uses (a copy), with its integrity check. */
export function inspectDatabase(file: string): Promise<DatabaseFacts> {
  return runJob({ kind: "inspect", file, integrity: true });
}

export interface DatabaseState {
  exists: boolean;
  /** Tables holding the app's data (SQLite's own and `_prisma_migrations` left out). */
  dataTables: number;
  /** Migrations recorded as applied, oldest first. */
  applied: string[];
}

/**
 * What is in a database file, read on this thread (small queries; for scripts, before start-up
 * or a restore, when the app is not writing). A file that is not a database throws.
 */
export function databaseState(file: string): DatabaseState {
  if (!fs.existsSync(file)) return { exists: false, dataTables: 0, applied: [] };
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
      .pluck()
      .all() as string[];
    const applied = tables.includes("_prisma_migrations")
      ? (db
          .prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name")
          .pluck()
          .all() as string[])
      : [];
    return { exists: true, dataTables: tables.filter((t) => t !== "_prisma_migrations").length, applied };
  } finally {
    db.close();
  }
}
