#!/usr/bin/env node
// `npm run demo:reset -- --yes`: throw the demo away and start afresh. Deletes the SQLite
// database (with its WAL files) and the uploaded complaint photos, then migrates and seeds the
// demo region again, as the first `npm start` did. Stop the server first. The session secret in
// data/session-secret is kept, so printed tablet links stay signed by the same key.
// Without --yes it only says what it would delete: on a real deployment this erases everything.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
const bin = (name) => path.join(root, "node_modules/.bin", name);

const url = process.env.DATABASE_URL ?? "file:./data/app.db";
if (!url.startsWith("file:")) {
  console.error(`DATABASE_URL must be an SQLite file URL, not ${url}`);
  process.exit(2);
}
const dbFile = path.resolve(root, url.replace(/^file:/, "").replace(/\?.*$/, ""));
const uploads = path.resolve(root, process.env.UPLOAD_DIR ?? "./data/uploads");
const targets = [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, `${dbFile}-journal`, uploads];

if (!process.argv.includes("--yes")) {
  console.log("This deletes every response, complaint, account and photo of this installation:");
  for (const t of targets) {
    const shown = path.relative(root, t);
    if (fs.existsSync(t)) console.log(`  ${shown.startsWith("..") ? t : shown}`);
  }
  console.log("and seeds the demo region again. Stop the server, then run: npm run demo:reset -- --yes");
  process.exit(1);
}

for (const t of targets) fs.rmSync(t, { recursive: true, force: true });
for (const [cmd, args] of [
  [bin("prisma"), ["migrate", "deploy"]],
  [bin("tsx"), ["scripts/data-tasks.ts"]],
  [bin("tsx"), ["prisma/seed.ts"]],
]) {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: process.env });
  if (r.status !== 0) {
    console.error(`\n${path.basename(cmd)} ${args.join(" ")} failed (exit ${r.status}).`);
    process.exit(r.status ?? 1);
  }
}
console.log("The demo data is as new. Start the app with npm start.");
