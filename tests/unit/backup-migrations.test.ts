// `npm start` backs up before `prisma migrate deploy` only when the database holds data and the
// checkout has a migration it lacks; a fresh install or an up-to-date database starts as before.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { migrationFolders, migrationsNeedingBackup, pendingMigrations } from "#app/services/backup/migrations.server";
import { databaseState } from "#app/services/backup/sqlite.server";
import { backupFixture, FIXTURE_MIGRATIONS } from "./support/backup-fixture";

describe("pending migrations", () => {
  it("lists the checkout's migrations the database has not applied, in order", () => {
    expect(pendingMigrations(["a", "b", "c"], ["a", "b", "c"])).toEqual([]);
    expect(pendingMigrations(["a", "b", "c"], ["a"])).toEqual(["b", "c"]);
    expect(pendingMigrations(["a", "b"], [])).toEqual(["a", "b"]);
    // A migration applied by a newer checkout is not this one's business.
    expect(pendingMigrations(["a"], ["a", "z"])).toEqual([]);
  });

  it("needs a backup only for a database with data tables and something pending", () => {
    const folders = ["a", "b"];
    expect(migrationsNeedingBackup({ exists: false, dataTables: 0, applied: [] }, folders)).toEqual([]);
    expect(migrationsNeedingBackup({ exists: true, dataTables: 0, applied: ["a"] }, folders)).toEqual([]);
    expect(migrationsNeedingBackup({ exists: true, dataTables: 12, applied: ["a", "b"] }, folders)).toEqual([]);
    expect(migrationsNeedingBackup({ exists: true, dataTables: 12, applied: ["a"] }, folders)).toEqual(["b"]);
  });

  it("reads the state of real files: none, empty, and one with data and applied migrations", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-migrations-"));
    try {
      expect(databaseState(path.join(dir, "none.db"))).toEqual({ exists: false, dataTables: 0, applied: [] });
      const empty = path.join(dir, "empty.db");
      new Database(empty).close();
      expect(databaseState(empty)).toEqual({ exists: true, dataTables: 0, applied: [] });
      const fx = backupFixture("backup-migrations");
      try {
        const state = databaseState(fx.dbFile);
        expect(state).toEqual({ exists: true, dataTables: 2, applied: FIXTURE_MIGRATIONS });
        expect(migrationsNeedingBackup(state, [...FIXTURE_MIGRATIONS, "20260401000000_next"])).toEqual(["20260401000000_next"]);
      } finally {
        fx.cleanup();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("takes the checkout's migrations from the folders holding a migration.sql", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-folders-"));
    try {
      for (const m of ["20260201000000_b", "20260101000000_a"]) {
        fs.mkdirSync(path.join(dir, m));
        fs.writeFileSync(path.join(dir, m, "migration.sql"), "SELECT 1;");
      }
      fs.mkdirSync(path.join(dir, "20260301000000_unfinished"));
      fs.writeFileSync(path.join(dir, "migration_lock.toml"), "");
      expect(migrationFolders(dir)).toEqual(["20260101000000_a", "20260201000000_b"]);
      // The real folder: the committed migrations, oldest first.
      const real = migrationFolders();
      expect(real.length).toBeGreaterThan(10);
      expect(real).toEqual([...real].sort());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
