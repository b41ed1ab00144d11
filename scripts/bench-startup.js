#!/usr/bin/env node
// `npm run bench:startup` (issue 15): how long the production server takes from its process
// starting to its first answer on /healthz, run from the compiled build/app-server.js (what
// `npm start` runs) and, for comparison, from server/index.ts through the tsx transpiler (what it
// ran before). Builds the app (BENCH_BUILD=0: use build/), migrates a fresh database with the
// region's structure, then starts each way BENCH_STARTS times (default 7) and prints the median
// and the slowest, with the process's memory once up.
import path from "node:path";
import fs from "node:fs";
import { benchEnv, freePort, serverControl, stepper } from "./bench-lib.js";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
const STARTS = Number(process.env.BENCH_STARTS ?? 7);
const dir = path.join(root, "tmp/bench-startup");
const dbFile = path.join(dir, "bench.db");
const bin = (name) => path.join(root, "node_modules/.bin", name);

const ways = [
  { label: "compiled (node build/app-server.js)", args: ["build/app-server.js"] },
  { label: "transpiled at start (tsx server/index.ts)", args: ["--import", "tsx", "server/index.ts"] },
];

async function main() {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const env = benchEnv(dbFile, { SEED_MODE: "structure", NOTIFY_DISPATCHER: "off", LOG_LEVEL: "warn" });
  const step = stepper(env);
  if (process.env.BENCH_BUILD === "0") console.log("• Using the existing build/ (BENCH_BUILD=0)");
  else step("Building the production app", "npm", ["run", "build"]);
  step("Creating tmp/bench-startup/bench.db (prisma migrate deploy)", bin("prisma"), ["migrate", "deploy"]);
  step("Seeding the region's structure", bin("tsx"), ["prisma/seed.ts"]);
  const results = [];
  for (const way of ways) {
    const times = [];
    for (let i = 0; i < STARTS; i++) {
      const { startServer, stopServer } = serverControl(env, path.join(dir, "server.log"), way.args);
      const started = performance.now();
      await startServer(await freePort(), 10);
      times.push(performance.now() - started);
      await stopServer();
    }
    times.sort((a, b) => a - b);
    results.push({ way: way.label, median: times[Math.floor(times.length / 2)], slowest: times.at(-1) });
  }
  console.log(`\nStart-up to the first /healthz answer (${STARTS} starts each, this machine):`);
  for (const r of results) console.log(`  ${r.way.padEnd(44)} median ${Math.round(r.median)} ms, slowest ${Math.round(r.slowest)} ms`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
