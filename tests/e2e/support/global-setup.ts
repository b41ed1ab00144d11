import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startSmtpSink } from "./mail";
import { e2eDir, projectRoot, templateDb } from "./paths";
import { stopTestCluster } from "./pg-cluster";

// One migrated and seeded template database; each worker copies it (fixtures.ts). One real SMTP
// server for the whole run (mail.ts), stopped by the returned teardown; the workers learn its port
// and Maildir from the environment. The PostgreSQL cluster of the project "pg" is started by its
// setup project (pg-cluster.ts); the teardown here stops it too, should the run be cut short.
export default async function globalSetup() {
  if (!fs.existsSync(path.join(projectRoot, "build/server/index.js"))) {
    throw new Error("No production build: run `npx react-router build` first (npm test does).");
  }
  stopTestCluster(); // one an earlier run left behind
  fs.rmSync(e2eDir, { recursive: true, force: true });
  fs.mkdirSync(e2eDir, { recursive: true });
  const env = { ...process.env, DATABASE_URL: `file:${templateDb}`, SEED_MODE: "structure" };
  const bin = (name: string) => path.join(projectRoot, "node_modules/.bin", name);
  execFileSync(bin("prisma"), ["migrate", "deploy"], { cwd: projectRoot, env, stdio: "pipe" });
  execFileSync(bin("tsx"), ["prisma/seed.ts"], { cwd: projectRoot, env, stdio: "pipe" });
  // Fold the WAL into the file so a plain copy is complete.
  execFileSync(process.execPath, [
    "-e",
    `const D=require("better-sqlite3");const d=new D(${JSON.stringify(templateDb)});d.pragma("wal_checkpoint(TRUNCATE)");d.pragma("journal_mode=DELETE");d.close();`,
  ], { cwd: projectRoot });
  const dir = path.join(e2eDir, "maildir");
  const sink = await startSmtpSink(dir);
  process.env.E2E_SMTP_PORT = String(sink.port);
  process.env.E2E_MAILDIR = dir;
  return async () => {
    stopTestCluster();
    await sink.stop();
  };
}
