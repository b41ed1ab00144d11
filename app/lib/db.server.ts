// The one Prisma client of the process, on embedded SQLite through better-sqlite3.
// WAL lets readers run while a response is written; synchronous=FULL makes a commit durable
// before the citizen is told it was accepted; busy_timeout makes concurrent writers wait
// instead of failing; foreign keys are enforced on every connection.
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type BetterSqlite3 from "better-sqlite3";
import { PrismaClient } from "#app/generated/prisma/client";
import { getEnv } from "./env.server";
import { BUSY_TIMEOUT_MS, openSqlite, type SqliteDatabase } from "./db/sqlite.server";
import type { WriteTx } from "./db/types";

export { BUSY_TIMEOUT_MS };
export type { Database, Param, Sql, WriteTx, Accumulator } from "./db/types";

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
  var __database: SqliteDatabase | undefined;
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
 * The raw-SQL data layer (app/lib/db/types.ts): `db().read` for committed state, `db().write(async
 * (tx) => …)` for writes. Prisma's interactive transaction through the driver adapter costs ~3 ms
 * per submission and holds its mutex across event-loop turns; the driver's group commit of cached
 * statements costs ~0.5 ms and cannot interleave with anything (docs/decisions/0005).
 */
export function db(): SqliteDatabase {
  return (globalThis.__database ??= openSqlite(getEnv().DATABASE_FILE));
}

/**
 * @deprecated The writer connection itself, for code not yet on `db()` (docs/decisions/0026,
 * stage 3). Inside `withWriteLock` it is the batch's transaction.
 */
export function getWriter(): BetterSqlite3.Database {
  return db().writer;
}

/** DateTime as Prisma stores it (ISO 8601 with an explicit +00:00), so both agree; PostgreSQL reads it as a timestamp. */
export function dbDateTime(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}
/** @deprecated the old name of dbDateTime. */
export const sqliteDateTime = dbDateTime;

/**
 * @deprecated A synchronous piece of write work on the writer connection, committed with the
 * group commit of `db().write` (docs/decisions/0026, stage 3: every piece moves to `db().write`).
 */
export function withWriteLock<T>(work: () => T): Promise<T> {
  return db().write(async (tx) => {
    legacyTx = tx;
    try {
      return work();
    } finally {
      legacyTx = undefined;
    }
  });
}
let legacyTx: WriteTx | undefined;

/** @deprecated The transaction of the synchronous withWriteLock piece running now (stage 3 removes it). */
export function currentLegacyTx(): WriteTx | undefined {
  return legacyTx;
}

/**
 * Resolves once no write is queued or being committed: a graceful shutdown (server/shutdown.ts)
 * waits for it, so a batch of submissions already accepted into the queue is committed before
 * the process exits.
 */
export async function writesSettled(): Promise<void> {
  if (globalThis.__database) await globalThis.__database.settled();
}

/** Closes the process's database connections (after writesSettled), checkpointing the WAL. */
export async function closeDatabases(): Promise<void> {
  await writesSettled();
  if (globalThis.__prisma) await globalThis.__prisma.client.$disconnect();
  await globalThis.__database?.close();
  globalThis.__database = undefined;
}

/** An SQL list of integer ids for `IN (...)` (never matches when empty); ids are coerced to numbers. */
export function sqlIdList(ids: readonly number[]): string {
  return `(${ids.map((id) => Number(id)).filter(Number.isInteger).join(",") || "NULL"})`;
}
