// A small database shaped like the app's where backups look (rows in a few tables, the applied
// migrations, ComplaintPhoto rows naming files in an upload folder), in WAL mode as the app runs it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";

export const FIXTURE_MIGRATIONS = ["20260101000000_init", "20260201000000_photos"];

export function backupFixture(name: string, { photos = 3, responses = 50 } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  const dbFile = path.join(dir, "app.db");
  const uploadDir = path.join(dir, "uploads");
  fs.mkdirSync(uploadDir);
  const db = new Database(dbFile);
  db.pragma("journal_mode = WAL");
  db.exec(`
    CREATE TABLE _prisma_migrations (id TEXT PRIMARY KEY NOT NULL, checksum TEXT NOT NULL, finished_at DATETIME, migration_name TEXT NOT NULL,
      logs TEXT, rolled_back_at DATETIME, started_at DATETIME NOT NULL DEFAULT current_timestamp, applied_steps_count INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE Response (id INTEGER PRIMARY KEY, grade INTEGER NOT NULL);
    CREATE TABLE ComplaintPhoto (id INTEGER PRIMARY KEY, storedName TEXT NOT NULL UNIQUE);
  `);
  FIXTURE_MIGRATIONS.forEach((m, i) =>
    db.prepare("INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name) VALUES (?, 'x', current_timestamp, ?)").run(String(i), m),
  );
  // A migration that was rolled back does not count as applied.
  db.prepare("INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, rolled_back_at) VALUES ('rb', 'x', current_timestamp, '20260301000000_gone', current_timestamp)").run();
  const insert = db.prepare("INSERT INTO Response (grade) VALUES (?)");
  for (let i = 0; i < responses; i++) insert.run((i % 5) + 1);
  const names: string[] = [];
  for (let i = 0; i < photos; i++) {
    const stored = `${String(i).padStart(32, "a")}.jpg`;
    fs.writeFileSync(path.join(uploadDir, stored), `photo ${i} `.repeat(100 + i));
    db.prepare("INSERT INTO ComplaintPhoto (storedName) VALUES (?)").run(stored);
    names.push(stored);
  }
  return { dir, dbFile, uploadDir, db, photoNames: names, cleanup: () => (db.close(), fs.rmSync(dir, { recursive: true, force: true })) };
}
