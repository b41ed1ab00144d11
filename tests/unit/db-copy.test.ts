// `npm run db:copy -- --to postgresql://…` (scripts/db-copy.ts, ADR 0026 §2.8) moves an SQLite
// installation onto PostgreSQL: the demo region copied into a migrated database must read the same
// there (rows, answers, references, deadlines, booleans, JSON, the audit), new rows must not collide
// with copied ids, and a target that is not an empty migrated database must be refused untouched.
// Runs in the default project: the SQLite source is the subject, PostgreSQL a throwaway cluster.
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCluster, type PgCluster } from "../../scripts/pg-cluster.js";

const root = path.resolve(import.meta.dirname, "../..");
const tsx = path.join(root, "node_modules/.bin/tsx");
const run = promisify(execFile);

let cluster: PgCluster;
let dir: string;
let sourceFile: string;
/** postgresql://…:PORT (no database). */
let server: string;

async function prismaDeploy(databaseUrl: string) {
  await run(process.execPath, [path.join(root, "node_modules/prisma/build/index.js"), "migrate", "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
}

async function onServer<T>(database: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${server}/${database}` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new database: empty, or a copy of the migrated template. */
async function createDatabase(name: string, migrated = true): Promise<string> {
  await onServer("postgres", (c) => c.query(`CREATE DATABASE ${name}${migrated ? " TEMPLATE civic_tpl" : ""}`));
  return `${server}/${name}`;
}

function copy(to: string, from = sourceFile): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ["scripts/db-copy.ts", "--from", `file:${from}`, "--to", to], {
      cwd: root,
      env: { ...process.env, UPLOAD_DIR: path.join(dir, "uploads") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const sqlite = <T>(file: string, work: (db: Database.Database) => T): T => {
  const db = new Database(file);
  try {
    return work(db);
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  // No PostgreSQL, no test: startCluster throws naming the installer (never a skip).
  cluster = await startCluster({ database: "civic_tpl" });
  server = cluster.url.replace(/\/[^/]*$/, "");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "db-copy-"));
  sourceFile = path.join(dir, "app.db");
  const seedSource = async () => {
    await prismaDeploy(`file:${sourceFile}`);
    await run(tsx, ["prisma/seed.ts"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: `file:${sourceFile}`, SEED_MODE: "demo", SESSION_SECRET: "db-copy-test-secret-0123456789abcdefgh" },
    });
  };
  await Promise.all([prismaDeploy(cluster.url), seedSource()]);
  sqlite(sourceFile, (db) => {
    // What the demo seed lacks: audit events with a gap in their ids and JSON keys out of order,
    // an inactive unit, and a unit listed before its parent (id 400 under 401).
    const unit = db.prepare(
      `INSERT INTO Unit (id, code, kind, parentId, names, sortOrder, active, createdAt, updatedAt) VALUES (?, ?, 'department', ?, ?, 99, ?, '2026-11-02T03:04:05.678+00:00', '2026-11-02T03:04:05.678+00:00')`,
    );
    unit.run(401, "COPY-PARENT", 1, JSON.stringify({ en: "Parent", "zh-Hans": "上级" }), 1);
    unit.run(400, "COPY-CHILD", 401, JSON.stringify({ en: "Child", "zh-Hans": "下级" }), 0);
    const audit = db.prepare(`INSERT INTO AuditEvent (id, at, actorId, action, targetType, targetId, data) VALUES (?, '2026-11-03T01:02:03.004+00:00', NULL, ?, 'unit', '400', ?)`);
    audit.run(1, "unit.create", JSON.stringify({ zeta: 1, alpha: { b: [1, 2], a: null } }));
    audit.run(2, "unit.update", null);
    audit.run(7, "unit.deactivate", JSON.stringify({ active: false }));
  });
}, 180_000);

afterAll(() => {
  cluster?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("npm run db:copy", () => {
  it("copies the demo region into an empty migrated PostgreSQL database and proves it equal", async () => {
    const target = await createDatabase("copied");
    const result = await copy(target);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/scores:audit is equal on both databases for 1 period\(s\):\n {2}period 2026: \d+ responses, live figures equal the recomputation/);
    expect(result.stdout).toContain("AuditEvent: 3 events, last id 7 on both.");
    expect(result.stdout).toMatch(/Done: \d+ tables, \d+ rows in [\d.]+ s/);
    expect(result.stdout).toContain("Photos stay in UPLOAD_DIR");

    const source = new Database(sourceFile, { readonly: true });
    try {
      await onServer("copied", async (pgc) => {
        const one = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await pgc.query(sql, params)).rows[0] as T;
        const all = async (sql: string, params: unknown[] = []) => (await pgc.query(sql, params)).rows as Record<string, unknown>[];

        // Every table holds as many rows as the source (ScoreVersion excepted: shards, from 0).
        const tables = source
          .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('_prisma_migrations', 'ScoreVersion') ORDER BY name")
          .pluck()
          .all() as string[];
        expect(tables.length).toBeGreaterThan(40);
        for (const table of tables) {
          const n = source.prepare(`SELECT COUNT(*) FROM "${table}"`).pluck().get();
          expect({ table, n: Number((await one<{ n: string }>(`SELECT COUNT(*) AS n FROM "${table}"`)).n) }).toEqual({ table, n });
        }
        expect(Number((await one<{ n: string }>(`SELECT COUNT(*) AS n FROM "Response"`)).n)).toBeGreaterThan(1000);
        expect(await one(`SELECT COUNT(*)::int AS shards, SUM(version)::int AS total FROM "ScoreVersion"`)).toEqual({ shards: 64, total: 0 });
        expect((await all(`SELECT name FROM "DataTask" ORDER BY name`)).map((r) => r.name)).toEqual(source.prepare("SELECT name FROM DataTask ORDER BY name").pluck().all());

        // A response's answers, a not-applicable one among them, with booleans as booleans.
        const responseId = source.prepare("SELECT responseId FROM Answer WHERE notApplicable = 1 ORDER BY responseId LIMIT 1").pluck().get() as number;
        const sourceAnswers = (source.prepare("SELECT questionId, grade, notApplicable, choice, text FROM Answer WHERE responseId = ? ORDER BY id").all(responseId) as Record<string, unknown>[]).map(
          (a) => ({ ...a, notApplicable: a.notApplicable === 1 }),
        );
        expect(sourceAnswers.length).toBeGreaterThan(3);
        expect(await all(`SELECT "questionId", grade, "notApplicable", choice, text FROM "Answer" WHERE "responseId" = $1 ORDER BY id`, [responseId])).toEqual(sourceAnswers);

        // A complaint still due: its reference, and the deadline PostgreSQL's trigger recomputed.
        const complaint = source.prepare("SELECT id, reference, nextDueAt FROM Complaint WHERE nextDueAt IS NOT NULL ORDER BY id LIMIT 1").get() as { id: number; reference: string; nextDueAt: string };
        expect(await one(`SELECT reference, to_char("nextDueAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "nextDueAt" FROM "Complaint" WHERE id = $1`, [complaint.id])).toEqual({
          reference: complaint.reference,
          nextDueAt: new Date(complaint.nextDueAt).toISOString(),
        });

        // The inactive child inserted after its parent, JSON intact, the gap in audit ids kept.
        expect(await one(`SELECT "parentId", active, names FROM "Unit" WHERE id = 400`)).toEqual({ parentId: 401, active: false, names: { en: "Child", "zh-Hans": "下级" } });
        expect(await one(`SELECT active FROM "Unit" WHERE id = 401`)).toEqual({ active: true });
        expect((await all(`SELECT id, data FROM "AuditEvent" ORDER BY id`)).map((r) => [r.id, r.data])).toEqual([
          [1, { zeta: 1, alpha: { b: [1, 2], a: null } }],
          [2, null],
          [7, { active: false }],
        ]);

        // The app's next rows take ids after the copied ones.
        expect(await one(`INSERT INTO "AuditEvent" (action, "targetType", "targetId") VALUES ('test', 'unit', '1') RETURNING id`)).toEqual({ id: 8 });
        const maxResponse = source.prepare("SELECT MAX(id) FROM Response").pluck().get() as number;
        expect(Number((await one<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('"Response"', 'id'))::int AS id`)).id)).toBe(maxResponse + 1);
      });
    } finally {
      source.close();
    }
  }, 180_000);

  it("refuses a second copy into the same target and leaves it as it was", async () => {
    // Runs after the first test, into the database it filled.
    const before = await onServer("copied", async (c) => (await c.query(`SELECT COUNT(*)::int AS n FROM "Response"`)).rows[0].n as number);
    const result = await copy(`${server}/copied`);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/The target is not empty: .*Unit \(\d+\).*create one, run `npm run db:deploy` on it, and copy again/);
    expect(result.stdout).not.toContain("Committed");
    expect(await onServer("copied", async (c) => (await c.query(`SELECT COUNT(*)::int AS n FROM "Response"`)).rows[0].n)).toBe(before);
  }, 60_000);

  it("refuses a target without the PostgreSQL migrations, or with one missing", async () => {
    const bare = await copy(await createDatabase("bare", false));
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain("The target has no migrations applied: run `DATABASE_URL=<the target> npm run db:deploy` first");

    const behind = await createDatabase("behind");
    const last = await onServer("behind", async (c) => {
      const name = (await c.query(`SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name DESC LIMIT 1`)).rows[0].migration_name as string;
      await c.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = $1`, [name]);
      return name;
    });
    const refused = await copy(`${server}/behind`);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`The target lacks 1 migration(s) of prisma/postgres/migrations (${last})`);
    expect(await onServer("behind", async (c) => (await c.query(`SELECT COUNT(*)::int AS n FROM "Unit"`)).rows[0].n)).toBe(0);
  }, 60_000);

  it("rolls everything back when PostgreSQL's deadline differs from the stored one", async () => {
    // A source whose stored nextDueAt is not what the rule gives (its trigger dropped first).
    const skewed = path.join(dir, "skewed.db");
    sqlite(sourceFile, (db) => db.exec(`VACUUM INTO '${skewed}'`));
    const id = sqlite(skewed, (db) => {
      db.exec("DROP TRIGGER Complaint_update");
      const complaintId = db.prepare("SELECT id FROM Complaint WHERE nextDueAt IS NOT NULL ORDER BY id LIMIT 1").pluck().get() as number;
      db.prepare("UPDATE Complaint SET nextDueAt = '2030-01-01T00:00:00.000+00:00' WHERE id = ?").run(complaintId);
      return complaintId;
    });
    const target = await createDatabase("skewed");
    const result = await copy(target, skewed);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Nothing was copied (rolled back)");
    expect(result.stderr).toContain(`Complaint.nextDueAt: PostgreSQL's trigger computed other values than the stored ones:\n    id=${id}: stored 2030-01-01T00:00:00.000Z`);
    expect(await onServer("skewed", async (c) => (await c.query(`SELECT (SELECT COUNT(*) FROM "Unit")::int AS units, (SELECT COUNT(*) FROM "Complaint")::int AS complaints`)).rows[0])).toEqual({
      units: 0,
      complaints: 0,
    });
  }, 60_000);
});
