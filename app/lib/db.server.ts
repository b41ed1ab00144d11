// The one Prisma client of the process, on embedded SQLite through better-sqlite3.
// WAL lets readers run while a response is written; synchronous=FULL makes a commit durable
// before the citizen is told it was accepted; busy_timeout makes concurrent writers wait
// instead of failing; foreign keys are enforced on every connection.
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
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
  // Survives module reloads in development.
  var __prisma: { client: PrismaClient; ready: Promise<void> } | undefined;
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
