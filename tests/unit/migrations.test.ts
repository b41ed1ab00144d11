// The committed migrations, the Prisma schema and the schema engine bridge
// (scripts/prisma-schema-engine) agree: runs the real Prisma CLI against a throw-away SQLite file.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const prismaCli = path.join(root, "node_modules/prisma/build/index.js");
const schemaPath = path.join(root, "prisma/schema.prisma");
const CLI_TIMEOUT_MS = 60_000;

let workDir: string;
let dbFile: string;

/** Runs `prisma <args>` from the project root with DATABASE_URL pointing at the test database. */
function prisma(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCli, ...args], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: `file:${dbFile}`,
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

async function modelNames(): Promise<string[]> {
  const schema = await readFile(schemaPath, "utf8");
  return [...schema.matchAll(/^model (\w+) \{/gm)].map((match) => match[1] ?? "");
}

describe("prisma migrations", { timeout: CLI_TIMEOUT_MS }, () => {
  let deploy: { code: number | null; output: string };

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), "migrations-test-"));
    dbFile = path.join(workDir, "test.db");
    deploy = await prisma(["migrate", "deploy"]);
  }, CLI_TIMEOUT_MS);

  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it("migrate deploy creates every table of the schema in a fresh database", async () => {
    expect(deploy.output).toContain("migrations have been successfully applied");
    expect(deploy.code).toBe(0);

    const db = new Database(dbFile, { readonly: true });
    try {
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all()
        .map((row) => (row as { name: string }).name);
      const models = await modelNames();
      expect(models.length).toBeGreaterThan(0);
      expect(tables).toEqual(expect.arrayContaining([...models, "_prisma_migrations"]));

      const unfinished = db
        .prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NULL OR rolled_back_at IS NOT NULL")
        .all();
      expect(unfinished).toEqual([]);
    } finally {
      db.close();
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

  it("migrate diff finds no difference between the migrations directory and the schema", async () => {
    // Replays the migrations on the shadow database: catches a schema change without a migration.
    const diff = await prisma([
      "migrate",
      "diff",
      "--from-migrations",
      path.join(root, "prisma/migrations"),
      "--to-schema",
      schemaPath,
      "--exit-code",
    ]);
    expect(diff.output).toContain("No difference detected.");
    expect(diff.code).toBe(0);
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
