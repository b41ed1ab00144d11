// The PostgreSQL run of the end-to-end tests (the Playwright project "pg", ADR 0026 §2.10): one
// throwaway cluster for the run (scripts/pg-cluster.js), started by the project "pg-setup" before
// any pg test and stopped by "pg-teardown" (and by the global teardown, should the run be cut
// short). A template database is migrated and seeded like the SQLite template; each test server
// gets its own copy (CREATE DATABASE … TEMPLATE). The workers find the cluster in a state file.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { startCluster, stopCluster } from "../../../scripts/pg-cluster.js";
import { e2eDir, projectRoot, TEST_SECRET } from "./paths";

const TEMPLATE = "civic_tpl";
const stateFile = () => path.join(e2eDir, "pg-cluster.json");

interface ClusterState {
  /** The cluster's folder (scripts/pg-cluster.js). */
  dir: string;
  /** postgresql://postgres@127.0.0.1:PORT (no database). */
  server: string;
}

function readState(): ClusterState | undefined {
  try {
    return JSON.parse(fs.readFileSync(stateFile(), "utf8")) as ClusterState;
  } catch {
    return undefined;
  }
}

function runTool(program: string, args: string[], env: NodeJS.ProcessEnv, what: string) {
  try {
    execFileSync(path.join(projectRoot, "node_modules/.bin", program), args, { cwd: projectRoot, env, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`${what} failed on the PostgreSQL test template:\n${e.stdout?.toString() ?? ""}${e.stderr?.toString() ?? ""}`);
  }
}

/** Starts the run's cluster with its migrated and seeded template (the project "pg-setup"). */
export async function startTestCluster(): Promise<void> {
  stopTestCluster(); // one left by an earlier run that was cut short
  // Outlives this worker process: the tests of the project "pg" run in other workers.
  const cluster = await startCluster({ database: TEMPLATE, stopOnExit: false });
  try {
    const env = {
      ...process.env,
      DATABASE_URL: cluster.url,
      SEED_MODE: "structure",
      SESSION_SECRET: TEST_SECRET,
      CHECKPOINT_DISABLE: "1",
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    };
    runTool("prisma", ["migrate", "deploy"], env, "prisma migrate deploy");
    runTool("tsx", ["prisma/seed.ts"], env, "The seed (prisma/seed.ts)");
  } catch (error) {
    cluster.stop();
    throw error;
  }
  fs.mkdirSync(e2eDir, { recursive: true });
  const state: ClusterState = { dir: cluster.dir, server: cluster.url.replace(/\/[^/]*$/, "") };
  fs.writeFileSync(stateFile(), JSON.stringify(state));
}

/** Stops the run's cluster, if one is running, and deletes its folder. */
export function stopTestCluster(): void {
  const state = readState();
  if (!state) return;
  if (fs.existsSync(state.dir)) stopCluster(state.dir);
  fs.rmSync(stateFile(), { force: true });
}

/**
 * The URL of test server `name`'s own database: a fresh copy of the template, or with `reuse` the
 * one a server of that name left behind.
 */
export async function testServerDatabase(name: string, { reuse = false } = {}): Promise<string> {
  const state = readState();
  if (!state) throw new Error("No PostgreSQL test cluster: the project pg-setup starts it (playwright.config.ts)");
  const database = `e2e_${name.toLowerCase().replace(/[^a-z0-9_]/g, "_")}`.slice(0, 63);
  if (!reuse) {
    const admin = new pg.Client({ connectionString: `${state.server}/postgres` });
    await admin.connect();
    try {
      // FORCE: a server of that name stopped a moment ago may still hold a connection.
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${database}" TEMPLATE ${TEMPLATE}`);
    } finally {
      await admin.end();
    }
  }
  return `${state.server}/${database}`;
}
