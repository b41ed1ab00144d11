// One data layer (docs/decisions/0027): database drivers are imported only by the drivers
// themselves (app/lib/db/), by the modules that exist for one database alone (the SQLite backups,
// the audit's SQLite worker threads), and by the Prisma client set-up. A route, service or model
// that imported better-sqlite3 or pg would work on one database and fail on the other.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
/** Files allowed to import a driver, and why. */
const ALLOWED = new Map([
  ["app/lib/db/sqlite.server.ts", "the SQLite driver"],
  ["app/lib/db/postgres.server.ts", "the PostgreSQL driver"],
  ["app/lib/db.server.ts", "Prisma's adapters and the choice of driver"],
  ["app/services/backup/sqlite.server.ts", "SQLite backups (VACUUM INTO, integrity_check); PostgreSQL has pg_dump"],
  ["app/models/score-tally.server.ts", "the audit's recomputation streams rows on SQLite connections of its worker threads"],
]);

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" ? [] : sources(rel);
    return /\.(ts|tsx|mjs|js)$/.test(e.name) ? [rel] : [];
  });
}

const DRIVER_IMPORT = /(?:from\s+|import\s*\(\s*|require\(\s*)["'](better-sqlite3|pg|@prisma\/adapter-(?:pg|better-sqlite3))["']/;

describe("the data layer's boundary", () => {
  it("no route, service, model or server file outside the allowed ones imports a database driver", () => {
    const offenders = [...sources("app"), ...sources("server")].filter((file) => {
      if (ALLOWED.has(file)) return false;
      return DRIVER_IMPORT.test(fs.readFileSync(path.join(root, file), "utf8"));
    });
    expect(offenders).toEqual([]);
  });

  it("no module outside app/lib/db/ reaches for SQLite's raw writer or the removed lock", () => {
    const offenders = [...sources("app"), ...sources("server")].filter(
      (file) => !file.startsWith("app/lib/db/") && /\b(getWriter|withWriteLock)\s*\(/.test(fs.readFileSync(path.join(root, file), "utf8")),
    );
    expect(offenders).toEqual([]);
  });

  it("every allowed file exists and still needs its exception", () => {
    for (const file of ALLOWED.keys()) expect(DRIVER_IMPORT.test(fs.readFileSync(path.join(root, file), "utf8")), file).toBe(true);
  });
});
