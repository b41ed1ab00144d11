// The one Prisma client of the process, on embedded SQLite through better-sqlite3.
// WAL lets readers run while a response is written; synchronous=FULL makes a commit durable
// before the citizen is told it was accepted; busy_timeout makes concurrent writers wait
// instead of failing; foreign keys are enforced on every connection.
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import Database from "better-sqlite3";
import { PrismaClient } from "#app/generated/prisma/client";
import { getEnv } from "./env.server";

export const BUSY_TIMEOUT_MS = 5000;

export function createPrismaClient(databaseFile: string) {
  fs.mkdirSync(path.dirname(databaseFile), { recursive: true });
  const adapter = new PrismaBetterSqlite3({ url: `file:${databaseFile}`, timeout: BUSY_TIMEOUT_MS });
  return new PrismaClient({ adapter });
}

export async function applyPragmas(client: PrismaClient) {
  await client.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await client.$executeRawUnsafe("PRAGMA synchronous = FULL");
  await client.$executeRawUnsafe("PRAGMA foreign_keys = ON");
  await client.$executeRawUnsafe(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
}

declare global {
  // Survive module reloads in development.
  var __prisma: { client: PrismaClient; ready: Promise<void> } | undefined;
  var __writer: Database.Database | undefined;
}

function init() {
  const client = createPrismaClient(getEnv().DATABASE_FILE);
  return { client, ready: applyPragmas(client) };
}

const holder = (globalThis.__prisma ??= init());

/** Resolves once the connection's pragmas are set; call before the first query. */
export async function getDb(): Promise<PrismaClient> {
  await holder.ready;
  return holder.client;
}

/**
 * A plain better-sqlite3 connection for the hot write path (survey submissions). Prisma's
 * interactive transaction through the driver adapter costs ~3 ms per submission and holds its
 * mutex across event-loop turns; a synchronous `BEGIN IMMEDIATE` transaction of prepared
 * statements costs ~0.5 ms and cannot interleave with anything (docs/decisions/0005).
 */
export function getWriter(): Database.Database {
  if (!globalThis.__writer) {
    const file = getEnv().DATABASE_FILE;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // No busy wait here: a synchronous wait would freeze the event loop, and with it the Prisma
    // transaction that holds the lock. `withWriteLock` retries asynchronously instead.
    const writer = new Database(file, { timeout: 0 });
    writer.pragma("journal_mode = WAL");
    writer.pragma("synchronous = FULL");
    writer.pragma("foreign_keys = ON");
    globalThis.__writer = writer;
  }
  return globalThis.__writer;
}

/** DateTime as Prisma stores it in SQLite (ISO 8601 with an explicit +00:00), so both agree. */
export function sqliteDateTime(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === "SQLITE_BUSY" || code === "SQLITE_BUSY_SNAPSHOT" || code === "SQLITE_LOCKED";
}

interface WriteJob {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

let queue: WriteJob[] = [];
let flushScheduled = false;
// The batches being committed (a flush runs on asynchronously while it waits for the lock).
const flushing = new Set<Promise<void>>();

/**
 * Runs a synchronous piece of write work on the writer connection, inside a BEGIN IMMEDIATE
 * transaction, and resolves once it is committed durably.
 *
 * Group commit: work that arrives while the event loop is busy is queued and committed together
 * in one transaction, so one fsync serves many submissions. Each piece runs in its own savepoint
 * (a nested better-sqlite3 transaction): if it throws, only its own writes are undone and only its
 * caller sees the error. Pieces run one after another, so each sees the writes of the previous
 * ones (the repeat rule stays exact). Work staged through a BatchAccumulator (the score tallies)
 * is written once at the end of the batch, before the commit.
 *
 * When another connection (Prisma's, or another process) holds the write lock, the commit waits
 * without blocking the event loop and tries again, for up to BUSY_TIMEOUT_MS.
 */
export function withWriteLock<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(startFlush);
    }
  });
}

/**
 * Work that pieces of a batch stage and that is written once for the whole batch, at its end but
 * inside its transaction (the score tallies: 32 submissions to 19 units become at most 19 tally
 * upserts, not 32). A piece's staged work is kept only when the piece succeeds.
 */
export interface BatchAccumulator {
  /** A batch starts (again, after a busy retry): forget everything staged. */
  begin(): void;
  /** The piece that just ran succeeded (keep what it staged) or failed (drop it). */
  pieceDone(ok: boolean): void;
  /** Write what the successful pieces staged; runs inside the batch's transaction. */
  end(): void;
}
const accumulators: BatchAccumulator[] = [];
let inBatch = false;

export function registerBatchAccumulator(accumulator: BatchAccumulator) {
  accumulators.push(accumulator);
}

/** True while withWriteLock's batch runs its pieces (work may then be staged). */
export function isInWriteBatch(): boolean {
  return inBatch;
}

function startFlush() {
  const current: Promise<void> = flush().finally(() => flushing.delete(current));
  flushing.add(current);
}

/**
 * Resolves once no write is queued or being committed: a graceful shutdown (server/index.ts)
 * waits for it, so a batch of submissions already accepted into the queue is committed before
 * the process exits.
 */
export async function writesSettled(): Promise<void> {
  while (flushing.size > 0 || flushScheduled || queue.length > 0) {
    if (flushing.size > 0) await Promise.all(flushing);
    else await new Promise((r) => setImmediate(r));
  }
}

/** Closes the process's database connections (after writesSettled), checkpointing the WAL. */
export async function closeDatabases(): Promise<void> {
  await writesSettled();
  if (globalThis.__prisma) await globalThis.__prisma.client.$disconnect();
  globalThis.__writer?.close();
  globalThis.__writer = undefined;
}

async function flush() {
  const jobs = queue;
  queue = [];
  flushScheduled = false;
  const db = getWriter();
  const outcomes: { ok: boolean; value: unknown }[] = [];
  const batch = db.transaction(() => {
    outcomes.length = 0;
    for (const a of accumulators) a.begin();
    inBatch = true;
    try {
      for (const job of jobs) {
        try {
          outcomes.push({ ok: true, value: db.transaction(job.work)() });
          for (const a of accumulators) a.pieceDone(true);
        } catch (error) {
          outcomes.push({ ok: false, value: error });
          for (const a of accumulators) a.pieceDone(false);
        }
      }
    } finally {
      inBatch = false;
    }
    // If this throws, the whole batch rolls back and every piece is told so.
    for (const a of accumulators) a.end();
  });
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      batch.immediate();
      break;
    } catch (error) {
      if (!isBusy(error) || Date.now() > deadline) {
        for (const job of jobs) job.reject(error);
        return;
      }
      await new Promise((r) => setTimeout(r, Math.min(2 ** attempt, 25)));
    }
  }
  jobs.forEach((job, i) => {
    const outcome = outcomes[i]!;
    if (outcome.ok) job.resolve(outcome.value);
    else job.reject(outcome.value);
  });
}

/** An SQL list of integer ids for `IN (...)` (never matches when empty); ids are coerced to numbers. */
export function sqlIdList(ids: readonly number[]): string {
  return `(${ids.map((id) => Number(id)).filter(Number.isInteger).join(",") || "NULL"})`;
}
