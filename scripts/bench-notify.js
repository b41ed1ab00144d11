#!/usr/bin/env node
// `npm run bench:notify` (issue 13): how fast notifications leave, through a real SMTP server on
// this machine. Builds the app (BENCH_BUILD=0: use build/), migrates a fresh database with the
// region's structure, starts the SMTP sink the tests use (scripts/smtp-sink.py, Debian's
// python3-aiosmtpd) and the production server with SMTP_URL, files BENCH_NOTIFY complaints
// (default 300) with an e-mail address each, 16 at a time, then waits until every
// "complaint received" e-mail is marked sent and has arrived in the sink's Maildir. Prints the
// dispatch rate and the latency from the complaint's commit to the message's acceptance by the
// SMTP server (p50/p99). Exit code 1 when a message is missing.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import Database from "better-sqlite3";
import { benchEnv, freePort, serverControl, sleep, stepper } from "./bench-lib.js";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
const COUNT = Number(process.env.BENCH_NOTIFY ?? 300);
const CONCURRENCY = 16;
const dir = path.join(root, "tmp/bench-notify");
const dbFile = path.join(dir, "bench.db");
const maildir = path.join(dir, "maildir");
const bin = (name) => path.join(root, "node_modules/.bin", name);

async function startSink() {
  const sink = spawn("/usr/bin/python3", ["scripts/smtp-sink.py", "--exit-on-stdin-eof", maildir, "0"], { stdio: ["pipe", "pipe", "inherit"] });
  const line = await new Promise((resolve, reject) => {
    sink.once("exit", (code) => reject(new Error(`the SMTP sink exited (code ${code}); run: bash scripts/ensure-smtp.sh`)));
    readline.createInterface({ input: sink.stdout }).once("line", resolve);
  });
  const port = Number(/^ready (\d+)/.exec(line)?.[1]);
  if (!port) throw new Error(`the SMTP sink said: ${line}`);
  // Closing its input stops it (--exit-on-stdin-eof).
  return { port, stop: () => sink.stdin.end() };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main() {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const sink = await startSink();
  const env = benchEnv(dbFile, {
    SEED_MODE: "structure",
    TRUST_PROXY: "1",
    SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    MAIL_FROM: "Bench <bench@localhost>",
  });
  const step = stepper(env);
  const { startServer, stopServer } = serverControl(env, path.join(dir, "server.log"));
  try {
    if (process.env.BENCH_BUILD === "0") console.log("• Using the existing build/ (BENCH_BUILD=0)");
    else step("Building the production app", "npm", ["run", "build"]);
    step("Creating tmp/bench-notify/bench.db (prisma migrate deploy)", bin("prisma"), ["migrate", "deploy"]);
    step("Seeding the region's structure", bin("tsx"), ["prisma/seed.ts"]);
    const url = await startServer(await freePort());
    console.log(`• Server up at ${url}; SMTP sink on port ${sink.port}`);

    const started = Date.now();
    let next = 0;
    const refused = [];
    async function filer() {
      for (let i = next++; i < COUNT; i = next++) {
        const body = new URLSearchParams({
          unit: "D12", type: "slow_action", anonymous: "no", contactEmail: `bench.${i}@example.cn`, consent: "yes",
          description: `Benchmark complaint ${i}: the certificate took three weeks.`,
        });
        const res = await fetch(`${url}/complaints/new?lng=${["zh-Hans", "ug", "kk", "en"][i % 4]}`, {
          method: "POST", body, redirect: "manual",
          headers: { "content-type": "application/x-www-form-urlencoded", origin: url, "x-forwarded-for": `10.9.${i >> 8}.${i & 255}` },
        });
        if (res.status !== 303) refused.push(res.status);
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, filer));
    const filedIn = (Date.now() - started) / 1000;
    console.log(`• Filed ${COUNT - refused.length} complaints in ${filedIn.toFixed(1)} s${refused.length ? ` (${refused.length} refused: ${[...new Set(refused)]})` : ""}`);

    const db = new Database(dbFile, { readonly: true });
    db.pragma("busy_timeout = 5000");
    const sentCount = () => db.prepare(`SELECT COUNT(*) AS n FROM Notification WHERE status = 'sent'`).get().n;
    const arrived = () => fs.readdirSync(path.join(maildir, "new")).length + fs.readdirSync(path.join(maildir, "cur")).length;
    const expected = COUNT - refused.length;
    for (const deadline = Date.now() + 120_000; (sentCount() < expected || arrived() < expected) && Date.now() < deadline; ) await sleep(100);
    const rows = db.prepare(`SELECT createdAt, sentAt FROM Notification WHERE status = 'sent'`).all();
    const other = db.prepare(`SELECT status, COUNT(*) AS n FROM Notification WHERE status <> 'sent' GROUP BY status`).all();
    db.close();
    const latencies = rows.map((r) => new Date(r.sentAt).getTime() - new Date(r.createdAt).getTime()).sort((a, b) => a - b);
    const first = Math.min(...rows.map((r) => new Date(r.createdAt).getTime()));
    const last = Math.max(...rows.map((r) => new Date(r.sentAt).getTime()));
    console.log("\nResults");
    console.log(`  e-mails sent (rows) / arrived (Maildir)      ${rows.length} / ${arrived()} of ${expected}`);
    console.log(`  not sent, by status                          ${JSON.stringify(Object.fromEntries(other.map((o) => [o.status, o.n])))}`);
    console.log(`  dispatched per second (first event → last)   ${(rows.length / ((last - first) / 1000)).toFixed(1)}`);
    console.log(`  latency event → accepted by SMTP, p50 / p99  ${percentile(latencies, 50)} ms / ${percentile(latencies, 99)} ms (max ${latencies.at(-1)} ms)`);
    console.log("  (the dispatcher looks for due rows every 0.5 s when idle, and at once while a batch of 20 is full)");
    if (rows.length < expected || arrived() < expected) {
      console.log("\nFAIL  some notifications did not arrive");
      process.exitCode = 1;
    }
  } finally {
    await stopServer();
    sink.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
