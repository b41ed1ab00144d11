// Global setup of the vitest project "pg" (vitest.config.ts): one throwaway PostgreSQL cluster for
// the run (scripts/pg-cluster.js), a template database `civic_tpl` migrated with the real Prisma CLI
// (prisma/postgres/migrations), and TEST_PG_SERVER for freshTestDatabase, which copies the
// template for each test file. Stopped when the run ends.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { startCluster } from "../../../scripts/pg-cluster.js";

export default async function setup() {
  const cluster = await startCluster({ database: "civic_tpl" });
  const root = path.resolve(import.meta.dirname, "../../..");
  try {
    execFileSync(process.execPath, [path.join(root, "node_modules/prisma/build/index.js"), "migrate", "deploy"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: cluster.url, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    cluster.stop();
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`Migrating the PostgreSQL test template failed:\n${e.stdout?.toString() ?? ""}${e.stderr?.toString() ?? ""}`);
  }
  process.env.TEST_PG_SERVER = cluster.url.replace(/\/[^/]*$/, "");
  process.env.PG_BIN = cluster.bin;
  return () => cluster.stop();
}
