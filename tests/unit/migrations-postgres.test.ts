// The PostgreSQL side of ADR 0026, stage 1: prisma/postgres/migrations, prisma/postgres/schema.prisma
// and the schema-engine bridge on PostgreSQL agree. Starts a throwaway PostgreSQL cluster
// (scripts/pg-cluster.js) and runs the real Prisma CLI against it. PostgreSQL must be installed
// (`npm test` runs scripts/ensure-postgres.sh first): without it these tests fail, never skip.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCluster, type PgCluster } from "../../scripts/pg-cluster.js";

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
