import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startSmtpSink } from "./mail";
import { e2eDir, projectRoot, templateDb } from "./paths";

// One migrated and seeded template database; each worker copies it (fixtures.ts). One real SMTP
// server for the whole run (mail.ts), stopped by the returned teardown; the workers learn its port
// and Maildir from the environment.
export default async function globalSetup() {
  if (!fs.existsSync(path.join(projectRoot, "build/server/index.js"))) {
    throw new Error("No production build: run `npx react-router build` first (npm test does).");
  }
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
  return sink.stop;
}
