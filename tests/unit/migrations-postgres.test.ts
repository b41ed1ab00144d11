// The PostgreSQL side of ADR 0026, stage 1: prisma/postgres/migrations, prisma/postgres/schema.prisma
// and the schema-engine bridge on PostgreSQL agree. Starts a throwaway PostgreSQL cluster
// (scripts/pg-cluster.js) and runs the real Prisma CLI against it. PostgreSQL must be installed
// (`npm test` runs scripts/ensure-postgres.sh first): without it these tests fail, never skip.
// Also the migration's rows and triggers (ADR 0026 §2.5): the ScoreVersion shards and their bumps,
// and Complaint.nextDueAt, compared with what the SQLite triggers store for the same rows.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseStatuses, nextDueAt } from "#app/domain/case-flow";
import { startCluster, type PgCluster } from "../../scripts/pg-cluster.js";
import { freshTestDatabase } from "./support/test-db";

const root = path.resolve(import.meta.dirname, "../..");
const prismaCli = path.join(root, "node_modules/prisma/build/index.js");
const schemaPath = path.join(root, "prisma/postgres/schema.prisma");
const CLI_TIMEOUT_MS = 60_000;

let cluster: PgCluster | undefined;
let workDir: string;

/** Runs `prisma <args>` from the project root with DATABASE_URL pointing at the test cluster. */
function prisma(args: string[]): Promise<{ code: number | null; output: string }> {
  if (!cluster) throw new Error("no PostgreSQL cluster");
  const url = cluster.url;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCli, ...args], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: url,
        SHADOW_DATABASE_URL: "",
        NO_COLOR: "1",
        CHECKPOINT_DISABLE: "1", // no update check / telemetry: the network is closed
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: CLI_TIMEOUT_MS,
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

async function query<Row>(sql: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: cluster?.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Row[];
  } finally {
    await client.end();
  }
}

/** Runs fn with one client (one session: its bumps all go to the same shard of a family). */
async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: cluster?.url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function modelNames(): Promise<string[]> {
  const schema = await readFile(schemaPath, "utf8");
  return [...schema.matchAll(/^model (\w+) \{/gm)].map((match) => match[1] ?? "");
}

describe("prisma migrations on PostgreSQL", { timeout: CLI_TIMEOUT_MS }, () => {
  let deploy: { code: number | null; output: string };

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), "migrations-pg-test-"));
    // Throws (failing every test below with the reason) when PostgreSQL cannot be started.
    cluster = await startCluster({ database: "civic_migrations" });
    deploy = await prisma(["migrate", "deploy"]);
  }, CLI_TIMEOUT_MS);

  afterAll(async () => {
    cluster?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it("migrate deploy creates every table of the schema in a fresh database", async () => {
    expect(deploy.output).toContain("migrations have been successfully applied");
    expect(deploy.code).toBe(0);

    const tables = (
      await query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
    ).map((row) => row.table_name);
    const models = await modelNames();
    expect(models.length).toBeGreaterThan(0);
    expect(tables).toEqual(expect.arrayContaining([...models, "_prisma_migrations"]));

    const unfinished = await query(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NULL OR rolled_back_at IS NOT NULL",
    );
    expect(unfinished).toEqual([]);
  });

  it("the rows the SQLite migrations insert are there: the data-task markers and 64 ScoreVersion shards at 0", async () => {
    const tasks = await query<{ name: string }>(`SELECT "name" FROM "DataTask" ORDER BY "name"`);
    expect(tasks.map((row) => row.name)).toEqual(["exclude_stuffing_flags", "rebuild_tallies"]);
    const shards = await query<{ id: number; version: number }>(`SELECT "id", "version" FROM "ScoreVersion" ORDER BY "id"`);
    const ids = [...Array.from({ length: 32 }, (_, i) => 1 + i), ...Array.from({ length: 32 }, (_, i) => 101 + i)];
    expect(shards).toEqual(ids.map((id) => ({ id, version: 0 })));
  });

  it("every score input's write moves its own session's shard of the right family, once per statement", async () => {
    await withClient(async (client) => {
      const versions = async () =>
        new Map(
          (await client.query<{ id: number; version: number }>(`SELECT "id", "version" FROM "ScoreVersion"`)).rows.map(
            (row) => [row.id, row.version] as const,
          ),
        );
      const pid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid ?? -1;
      const recordsShard = 1 + (pid % 32);
      const responsesShard = 101 + (pid % 32);
      /** Runs sql and returns by how much each shard moved (only the shards that did). */
      const moved = async (sql: string) => {
        const before = await versions();
        await client.query(sql);
        const after = await versions();
        return Object.fromEntries([...after].filter(([id, v]) => v !== before.get(id)).map(([id, v]) => [id, v - (before.get(id) ?? 0)]));
      };
      const records = { [recordsShard]: 1 };
      const responses = { [responsesShard]: 1 };
      const none = {};
      const now = `'2026-03-01 00:00:00'`;
      const steps: [string, Record<number, number>][] = [
        // Two rows, one statement: one bump.
        [`INSERT INTO "Unit" ("code", "kind", "names", "updatedAt") VALUES ('BUMP-1', 'department', '{}', ${now}), ('BUMP-2', 'department', '{}', ${now})`, records],
        [`UPDATE "Unit" SET "sortOrder" = 1 WHERE "code" LIKE 'BUMP-%'`, records],
        [`INSERT INTO "EvaluationPeriod" ("code", "names", "startsOn", "endsOn", "updatedAt") VALUES ('BUMP', '{}', ${now}, ${now}, ${now})`, records],
        [`UPDATE "EvaluationPeriod" SET "status" = 'open' WHERE "code" = 'BUMP'`, records],
        [`INSERT INTO "Survey" ("slug", "periodId", "titles", "updatedAt") SELECT 'bump', "id", '{}', ${now} FROM "EvaluationPeriod" WHERE "code" = 'BUMP'`, none],
        [`INSERT INTO "SurveyVersion" ("surveyId", "version") SELECT "id", 1 FROM "Survey" WHERE "slug" = 'bump'`, none],
        [`INSERT INTO "Question" ("surveyVersionId", "key", "kind", "position", "texts") SELECT v."id", 'q1', 'grade', 1, '{}' FROM "SurveyVersion" v JOIN "Survey" s ON s."id" = v."surveyId" WHERE s."slug" = 'bump'`, records],
        [
          `INSERT INTO "Response" ("surveyId", "surveyVersionId", "periodId", "unitId", "lang", "channel")
           SELECT s."id", v."id", s."periodId", u."id", 'en', 'link' FROM "Survey" s JOIN "SurveyVersion" v ON v."surveyId" = s."id" JOIN "Unit" u ON u."code" = 'BUMP-1' WHERE s."slug" = 'bump'`,
          responses,
        ],
        [`INSERT INTO "ResponseFlag" ("responseId", "flag") SELECT MAX("id"), 'network_burst' FROM "Response"`, responses],
        [`DELETE FROM "ResponseFlag" WHERE "flag" = 'network_burst'`, records],
        [`INSERT INTO "ScoreTally" ("periodId", "unitId", "month", "flags", "k") VALUES (1, 1, '2026-03', '', 5)`, none],
        [`DELETE FROM "ScoreTally"`, records],
        [`INSERT INTO "ItemTally" ("periodId", "unitId", "flags", "counts") VALUES (1, 1, '', '{}')`, none],
        [`DELETE FROM "ItemTally"`, records],
        [
          `INSERT INTO "ScoreSnapshot" ("periodId", "kind", "label", "methodVersion", "params", "exclusions")
           SELECT "id", 'final', 'bump', '2026.2', '{}', '{}' FROM "EvaluationPeriod" WHERE "code" = 'BUMP'`,
          records,
        ],
        [
          `INSERT INTO "Complaint" ("reference", "accessCodeHash", "unitId", "subjectUnitId", "type", "description", "lang", "consentAt", "acceptDueAt", "replyDueAt", "updatedAt")
           SELECT 'BUMP-1', 'x', "id", "id", 'other', 'd', 'en', ${now}, ${now}, ${now}, ${now} FROM "Unit" WHERE "code" = 'BUMP-1'`,
          records,
        ],
        [`UPDATE "Complaint" SET "status" = 'accepted' WHERE "reference" = 'BUMP-1'`, records],
      ];
      for (const [sql, expected] of steps) expect(await moved(sql), sql).toEqual(expected);

      // Modulo 10^9: a shard wraps to 0 instead of overflowing its INTEGER.
      await client.query(`UPDATE "ScoreVersion" SET "version" = 999999999 WHERE "id" = $1`, [recordsShard]);
      await client.query(`SELECT score_version_bump('records')`);
      expect((await versions()).get(recordsShard)).toBe(0);
      await expect(client.query(`SELECT score_version_bump('record')`)).rejects.toThrow(/unknown family/);
    });
  });

  it("Complaint.nextDueAt: after inserts and updates, the same value as the SQLite triggers store for the same rows", async () => {
    const { dir, dbFile } = freshTestDatabase("migrations-pg-next-due");
    const lite = new Database(dbFile);
    try {
      const accept = "2026-03-02T10:00:00.000";
      const reply = "2026-03-09T10:00:00.000";
      const later = "2026-03-12T10:00:00.000";
      // SQLite: as Prisma stores dates there; PostgreSQL: timestamp(3) without time zone, in UTC.
      const liteDate = (d: string) => `${d}+00:00`;
      lite.prepare(`INSERT INTO Unit (code, names, kind, createdAt, updatedAt) VALUES ('DUE', '{}', 'department', ?, ?)`).run(liteDate(accept), liteDate(accept));
      const liteUnit = (lite.prepare(`SELECT id FROM Unit WHERE code = 'DUE'`).get() as { id: number }).id;

      await withClient(async (client) => {
        await client.query(`INSERT INTO "Unit" ("code", "kind", "names", "updatedAt") VALUES ('DUE', 'department', '{}', $1)`, [accept]);
        const pgUnit = (await client.query<{ id: number }>(`SELECT "id" FROM "Unit" WHERE "code" = 'DUE'`)).rows[0]?.id;

        // Every status with either deadline first; one row also arrives with a wrong nextDueAt.
        const rows = caseStatuses.flatMap((status) => [accept, later].map((acceptDueAt) => ({ status, acceptDueAt, replyDueAt: reply })));
        for (const [i, row] of rows.entries()) {
          const wrongDue = i === 0 ? later : null;
          lite
            .prepare(
              `INSERT INTO Complaint (reference, accessCodeHash, unitId, subjectUnitId, type, status, description, lang, consentAt, submittedAt, acceptDueAt, replyDueAt, nextDueAt, createdAt, updatedAt)
               VALUES (?, 'x', ?, ?, 'other', ?, 'd', 'en', ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(`DUE-${i}`, liteUnit, liteUnit, row.status, liteDate(accept), liteDate(accept), liteDate(row.acceptDueAt), liteDate(row.replyDueAt), wrongDue && liteDate(wrongDue), liteDate(accept), liteDate(accept));
          await client.query(
            `INSERT INTO "Complaint" ("reference", "accessCodeHash", "unitId", "subjectUnitId", "type", "status", "description", "lang", "consentAt", "acceptDueAt", "replyDueAt", "nextDueAt", "updatedAt")
             VALUES ($1, 'x', $2, $2, 'other', $3, 'd', 'en', $4, $5, $6, $7, $4)`,
            [`DUE-${i}`, pgUnit, row.status, accept, row.acceptDueAt, row.replyDueAt, wrongDue],
          );
        }

        const fromLite = () =>
          (lite.prepare(`SELECT reference, nextDueAt FROM Complaint WHERE reference LIKE 'DUE-%' ORDER BY id`).all() as { reference: string; nextDueAt: string | null }[]).map(
            (row) => [row.reference, row.nextDueAt === null ? null : new Date(row.nextDueAt).toISOString()],
          );
        const fromPg = async () =>
          (
            await client.query<{ reference: string; due: string | null }>(
              `SELECT "reference", to_char("nextDueAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "due" FROM "Complaint" WHERE "reference" LIKE 'DUE-%' ORDER BY "id"`,
            )
          ).rows.map((row) => [row.reference, row.due]);

        const inserted = fromLite();
        expect(await fromPg()).toEqual(inserted);
        // The rule, so that agreeing on nothing cannot pass: both deadlines, and null, occur.
        expect(inserted.map(([, due]) => due)).toEqual(
          rows.map((row) => nextDueAt({ status: row.status, acceptDueAt: new Date(`${row.acceptDueAt}Z`), replyDueAt: new Date(`${row.replyDueAt}Z`) })?.toISOString() ?? null),
        );
        expect(new Set(inserted.map(([, due]) => due))).toEqual(new Set([`${accept}Z`, `${reply}Z`, null]));

        // The same updates on both, each to every row: a change of status (each to the next one),
        // a later reply deadline, a direct write of nextDueAt, an unrelated column.
        const next = (quote: (name: string) => string) =>
          `CASE ${quote("status")} ${caseStatuses.map((status, i) => `WHEN '${status}' THEN '${caseStatuses[(i + 1) % caseStatuses.length]}'`).join(" ")} END`;
        const updates: [string, string][] = [
          [`UPDATE Complaint SET status = ${next((name) => name)} WHERE reference LIKE 'DUE-%'`, `UPDATE "Complaint" SET "status" = ${next((name) => `"${name}"`)} WHERE "reference" LIKE 'DUE-%'`],
          [`UPDATE Complaint SET replyDueAt = '${liteDate(later)}' WHERE reference LIKE 'DUE-%'`, `UPDATE "Complaint" SET "replyDueAt" = '${later}' WHERE "reference" LIKE 'DUE-%'`],
          [`UPDATE Complaint SET nextDueAt = NULL WHERE reference LIKE 'DUE-%'`, `UPDATE "Complaint" SET "nextDueAt" = NULL WHERE "reference" LIKE 'DUE-%'`],
          [`UPDATE Complaint SET description = 'changed' WHERE reference LIKE 'DUE-%'`, `UPDATE "Complaint" SET "description" = 'changed' WHERE "reference" LIKE 'DUE-%'`],
        ];
        for (const [liteSql, pgSql] of updates) {
          lite.prepare(liteSql).run();
          await client.query(pgSql);
          const expected = fromLite();
          expect(await fromPg(), pgSql).toEqual(expected);
          expect(expected.some(([, due]) => due !== null), pgSql).toBe(true);
        }
      });
    } finally {
      lite.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("migrate status reports the database up to date", async () => {
    const status = await prisma(["migrate", "status"]);
    expect(status.output).toContain("Database schema is up to date!");
    expect(status.code).toBe(0);
  });

  it("migrate diff finds no drift between the migrated database and the schema", async () => {
    const diff = await prisma(["migrate", "diff", "--from-config-datasource", "--to-schema", schemaPath, "--exit-code"]);
    expect(diff.output).toContain("No difference detected.");
    expect(diff.code).toBe(0);
  });

  it("migrate diff finds no difference between the migrations directory and the schema, and drops its shadow database", async () => {
    // Replays the migrations on a scratch database the bridge creates: catches a schema change
    // without a PostgreSQL migration.
    const diff = await prisma([
      "migrate",
      "diff",
      "--from-migrations",
      path.join(root, "prisma/postgres/migrations"),
      "--to-schema",
      schemaPath,
      "--exit-code",
    ]);
    expect(diff.output).toContain("No difference detected.");
    expect(diff.code).toBe(0);
    const databases = (await query<{ datname: string }>("SELECT datname FROM pg_database")).map((row) => row.datname);
    expect(databases.filter((name) => name.includes("shadow"))).toEqual([]);
  });

  it("migrate diff does report a model that the database lacks", async () => {
    const changedSchema = path.join(workDir, "schema.prisma");
    const schema = await readFile(schemaPath, "utf8");
    await writeFile(changedSchema, `${schema}\nmodel DriftCanary {\n  id Int @id\n}\n`);

    const diff = await prisma(["migrate", "diff", "--from-config-datasource", "--to-schema", changedSchema, "--exit-code"]);
    expect(diff.output).toContain("DriftCanary");
    expect(diff.code).toBe(2);
  });
});
