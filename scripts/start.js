#!/usr/bin/env node
// `npm start`: build when the build is missing or older than the sources, apply migrations and
// the data tasks they leave, seed the demo region into an empty database, then serve the
// production build on PORT.
import { spawnSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
process.env.NODE_ENV = "production";
const bin = (name) => path.join(root, "node_modules/.bin", name);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: process.env });
  if (r.status !== 0) {
    console.error(`\n${path.basename(cmd)} ${args.join(" ")} failed (exit ${r.status}).`);
    process.exit(r.status ?? 1);
  }
}

function newestMtime(p) {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

// The app (React Router's build) and the HTTP server compiled to JavaScript (build/app-server.js):
// production runs no TypeScript transpiler.
const builtAt = Math.min(
  ...["build/server/index.js", "build/app-server.js"].map((f) => fs.statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 0),
);
const sourcesAt = Math.max(
  ...["app", "server", "locales", "public", "package-lock.json", "vite.config.ts", "react-router.config.ts", "scripts/build-server.js"].map(newestMtime),
);
if (sourcesAt > builtAt) {
  console.log("Building the app…");
  run(bin("react-router"), ["build"]);
  run(process.execPath, ["scripts/build-server.js"]);
}

// ---- Backup before migrating (issue 15: docs/operations.md "Upgrades") ----
// When the database holds data and a folder of prisma/migrations is not applied to it yet,
// scripts/backup.ts takes a backup first (to BACKUP_DIR, else data/backups/, named for the
// migration); if that backup fails, start-up stops here and nothing is migrated.
{
  const databaseUrl = process.env.DATABASE_URL ?? "file:./data/app.db";
  // On PostgreSQL the server's own backups (pg_dump, point-in-time recovery) cover upgrades:
  // docs/operations.md "SQLite or PostgreSQL".
  const databaseFile = !databaseUrl.startsWith("file:") ? "" : path.resolve(root, databaseUrl.replace(/^file:/, "").replace(/\?.*$/, ""));
  if (databaseFile && fs.existsSync(databaseFile)) run(bin("tsx"), ["scripts/backup.ts", "before-migrate"]);
}
// ---- end of the backup before migrating ----

// Several app servers may start at once against one PostgreSQL database: one at a time migrates,
// runs the data tasks and seeds; the next finds nothing left to do.
await withStartupLock(() => {
  run(bin("prisma"), ["migrate", "deploy"]);
  run(bin("tsx"), ["scripts/data-tasks.ts"]);
  run(bin("tsx"), ["prisma/seed.ts", "--if-empty"]);
});

async function withStartupLock(steps) {
  const url = process.env.DATABASE_URL ?? "";
  if (!/^postgres(ql)?:\/\//.test(url)) return steps();
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtextextended('civic-startup', 0))");
    steps();
  } finally {
    await client.end(); // ending the session lets go of the lock
  }
}

// The server stops gracefully on SIGTERM or SIGINT (server/index.ts): pass the signal on and
// exit with its code once it has finished what was in flight.
const server = spawn(process.execPath, ["--enable-source-maps", "build/app-server.js"], { stdio: "inherit", env: process.env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => {
  if (code !== null) process.exit(code);
  // Killed by a signal (the kernel's OOM killer, a crash in a native module): end by the same
  // signal, so systemd sees an unclean end and Restart=on-failure starts the server again
  // (exiting 0 here would read as a clean stop, and nothing would take submissions).
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
  setTimeout(() => process.exit(128 + (os.constants.signals[signal] ?? 0)), 1000);
});
