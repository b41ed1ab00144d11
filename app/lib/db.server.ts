// The process's database connections: one Prisma client, and the raw-SQL data layer `db()`
// (app/lib/db/). DATABASE_URL picks the database: an embedded SQLite file (the default) or a
// PostgreSQL server (docs/decisions/0026). On SQLite, WAL lets readers run while a response is
// written; synchronous=FULL makes a commit durable before the citizen is told it was accepted;
// busy_timeout makes concurrent writers wait instead of failing; foreign keys are enforced on
// every connection.
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "#app/generated/prisma/client";
import { type Env, getEnv } from "./env.server";
import { openPostgres } from "./db/postgres.server";
import { openSqlite } from "./db/sqlite.server";
import { BUSY_TIMEOUT_MS, type Database } from "./db/types";

export { BUSY_TIMEOUT_MS };
export type { Database, Param, Sql, WriteTx, Accumulator } from "./db/types";
export { RetryableConflict } from "./db/types";

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

/**
 * A Prisma client on the configured database, ready for queries (scripts make their own; the app
 * shares getDb()'s). On PostgreSQL it is the client generated from prisma/postgres/schema.prisma,
 * which has the same models and so the same types (ADR 0026 §2.2).
 */
export async function openPrismaClient(env: Env = getEnv()): Promise<PrismaClient> {
  if (env.DATABASE_KIND === "postgres") {
    const [{ PrismaClient: PgClient }, { PrismaPg }] = await Promise.all([import("#app/generated/prisma-pg/client"), import("@prisma/adapter-pg")]);
    const adapter = new PrismaPg({ connectionString: env.DATABASE_URL, max: env.DB_POOL_SIZE, options: "-c TimeZone=UTC" });
    return new PgClient({ adapter }) as unknown as PrismaClient;
  }
  const client = createPrismaClient(env.DATABASE_FILE);
  await applyPragmas(client);
  return client;
}

declare global {
  // Survive module reloads in development.
  var __prisma: { client: Promise<PrismaClient> } | undefined;
  var __database: Database | undefined;
}

const holder = (globalThis.__prisma ??= { client: openPrismaClient() });

/** The process's Prisma client, once its connection is set up. */
export async function getDb(): Promise<PrismaClient> {
  return holder.client;
}

/**
 * The raw-SQL data layer (app/lib/db/types.ts): `db().read` for committed state, `db().write(async
 * (tx) => …)` for writes. Prisma's interactive transaction through the driver adapter costs ~3 ms
 * per submission and holds its mutex across event-loop turns; the driver's group commit of cached
 * statements costs ~0.5 ms and cannot interleave with anything (docs/decisions/0005).
 */
export function db(): Database {
  if (!globalThis.__database) {
    const env = getEnv();
    globalThis.__database =
      env.DATABASE_KIND === "postgres" ? openPostgres(env.DATABASE_URL, { poolSize: env.DB_POOL_SIZE }) : openSqlite(env.DATABASE_FILE);
  }
  return globalThis.__database;
}

/** DateTime as Prisma stores it (ISO 8601 with an explicit +00:00), so both agree; PostgreSQL reads it as a timestamp. */
export function dbDateTime(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
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
  if (globalThis.__prisma) await (await globalThis.__prisma.client).$disconnect();
  await globalThis.__database?.close();
  globalThis.__database = undefined;
}

/** An SQL list of integer ids for `IN (...)` (never matches when empty); ids are coerced to numbers. */
export function sqlIdList(ids: readonly number[]): string {
  return `(${ids.map((id) => Number(id)).filter(Number.isInteger).join(",") || "NULL"})`;
}
