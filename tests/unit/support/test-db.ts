// A fresh database for a test file that reaches the real data layer, and the environment pointed
// at it. Call before importing any app module.
// - SQLite (the default): a temporary file with the committed migrations applied as they are
//   (tests/unit/migrations.test.ts checks them with the Prisma CLI).
// - PostgreSQL (the vitest project "pg", TEST_DATABASE=postgres): a new database on the run's
//   throwaway cluster, copied from the template its global setup migrated
//   (tests/unit/support/pg-global-setup.ts); about 50 ms.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";

/** Which database the unit tests run on. */
export const testDatabaseKind: "sqlite" | "postgres" = process.env.TEST_DATABASE === "postgres" ? "postgres" : "sqlite";

export function freshTestDatabase(name: string): { dir: string; dbFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  process.env.SESSION_SECRET = `${name}-test-secret-0123456789abcdefgh`;
  if (testDatabaseKind === "postgres") {
    const server = process.env.TEST_PG_SERVER;
    const bin = process.env.PG_BIN;
    if (!server || !bin) throw new Error("TEST_DATABASE=postgres needs the pg project's global setup (TEST_PG_SERVER, PG_BIN)");
    const database = `t_${name.toLowerCase().replace(/[^a-z0-9]+/g, "_").slice(0, 30)}_${process.pid}_${Date.now() % 100000}`;
    execFileSync(path.join(bin, "psql"), [`${server}/postgres`, "-v", "ON_ERROR_STOP=1", "-qc", `CREATE DATABASE ${database} TEMPLATE civic_tpl`]);
    process.env.DATABASE_URL = `${server}/${database}`;
    return { dir, dbFile: "" };
  }
  const dbFile = path.join(dir, "test.db");
  process.env.DATABASE_URL = `file:${dbFile}`;
  const raw = new Database(dbFile);
  const migrationsDir = path.resolve(import.meta.dirname, "../../../prisma/migrations");
  for (const m of fs.readdirSync(migrationsDir).filter((d) => /^\d+_/.test(d)).sort()) {
    raw.exec(fs.readFileSync(path.join(migrationsDir, m, "migration.sql"), "utf8"));
  }
  raw.close();
  return { dir, dbFile };
}
