// Which migrations a database has and which of the checkout's it lacks: `npm start` backs up a
// database that holds data before `prisma migrate deploy` changes it (scripts/start.js), and a
// restore refuses an archive made by a newer version of the app.
import fs from "node:fs";
import path from "node:path";
import type { DatabaseState } from "./sqlite.server";

export const MIGRATIONS_DIR = "prisma/migrations";

/** The checkout's migrations: the folders of prisma/migrations that hold a migration.sql, in order. */
export function migrationFolders(dir = path.resolve(process.cwd(), MIGRATIONS_DIR)): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort();
}

/** The checkout's migrations not applied to the database, in order. */
export function pendingMigrations(folders: readonly string[], applied: readonly string[]): string[] {
  const done = new Set(applied);
  return folders.filter((f) => !done.has(f));
}

/**
 * The migrations `prisma migrate deploy` is about to apply to a database that holds data: a
 * backup must come first. Empty when there is nothing to protect (no file, no tables) or nothing
 * pending.
 */
export function migrationsNeedingBackup(state: DatabaseState, folders: readonly string[]): string[] {
  if (!state.exists || state.dataTables === 0) return [];
  return pendingMigrations(folders, state.applied);
}
