// A fresh database for a test file that reaches the real data layer: a temporary SQLite file with
// the committed migrations applied as they are (tests/unit/migrations.test.ts checks them with the
// Prisma CLI), and the environment pointed at it. Call before importing any app module.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";

export function freshTestDatabase(name: string): { dir: string; dbFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  const dbFile = path.join(dir, "test.db");
  process.env.DATABASE_URL = `file:${dbFile}`;
  process.env.SESSION_SECRET = `${name}-test-secret-0123456789abcdefgh`;
  const raw = new Database(dbFile);
  const migrationsDir = path.resolve(import.meta.dirname, "../../../prisma/migrations");
  for (const m of fs.readdirSync(migrationsDir).filter((d) => /^\d+_/.test(d)).sort()) {
    raw.exec(fs.readFileSync(path.join(migrationsDir, m, "migration.sql"), "utf8"));
  }
  raw.close();
  return { dir, dbFile };
}
