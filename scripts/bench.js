#!/usr/bin/env node
// `npm run bench`: builds the production app, serves it on a fresh seeded SQLite database and
// measures what matters for a citizen: the survey page (GET), accepted submissions (POST), and
// how much the page makes a phone download. Floors are checked; exit code 1 when one is missed.
//   BENCH_SECONDS (default 10)  length of each measured run
//   BENCH_CONNECTIONS (32)      concurrent connections of the load generator
//   WEB_CONCURRENCY             passed through to the server (see server/index.ts)
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import autocannon from "autocannon";
import Database from "better-sqlite3";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const FLOOR_SUBMISSIONS_PER_S = 500;
const FLOOR_JS_GZ_KB = 130; // KB = 1024 bytes
const SLUG = "satisfaction-2026";
const UNITS = [..."123456"].map((n) => `C0${n}`).concat(Array.from({ length: 13 }, (_, i) => `D${String(i + 1).padStart(2, "0")}`));
const benchDir = path.join(root, "tmp/bench");
const dbFile = path.join(benchDir, "bench.db");
const bin = (name) => path.join(root, "node_modules/.bin", name);
// Fixed, so that the run does not create data/session-secret and is reproducible.
const env = { ...process.env, NODE_ENV: "production", DATABASE_URL: `file:${dbFile}`, SESSION_SECRET: "bench-secret-0123456789-abcdefghijklmnop" };

function step(label, cmd, args) {
  process.stdout.write(`• ${label}… `);
  const started = Date.now();
  const r = spawnSync(cmd, args, { env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${label} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// ---- server lifecycle: the server is always stopped, also on error and Ctrl-C ---------------
let server = null;
function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => server.kill("SIGKILL"), 5000);
    server.once("exit", () => (clearTimeout(force), resolve()));
    server.kill("SIGTERM");
  });
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => stopServer().then(() => process.exit(130)));
}

async function startServer(port) {
  const log = fs.openSync(path.join(benchDir, "server.log"), "w");
  server = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    env: { ...env, HOST: "127.0.0.1", PORT: String(port) },
    stdio: ["ignore", log, log],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return url;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || server.exitCode !== null) throw new Error("the server did not start (see tmp/bench/server.log)");
    await new Promise((r) => setTimeout(r, 150));
  }
}

const run = (opts) => autocannon({ connections: CONNECTIONS, duration: SECONDS, ...opts });
const summarize = (r) => ({ rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total, statuses: Object.fromEntries(Object.entries(r.statusCodeStats).map(([s, v]) => [s, v.count])), errors: r.errors, timeouts: r.timeouts });

// ---- POST: every request is a new device (unique `did` cookie), so the repeat rule accepts it --
function submissionRequests(path0, started, answered) {
  let n = 0;
  return [{
    method: "POST",
    setupRequest(req, context) {
      const i = n++;
      context.did = randomBytes(16).toString("base64url"); // 22 chars of [A-Za-z0-9_-]
      const grade = (k) => String(((i + k) % 5) + 1);
      const body = new URLSearchParams({
        started, website: "", q_efficiency: grade(0), q_attitude: grade(1), q_transparency: grade(2),
        q_integrity: grade(3), q_overall: grade(4), q_guidance: grade(2), q_visits: "one", q_comment: `bench ${i}`,
      }).toString();
      answered.set(context.did, null); // sent, not answered yet
      return { ...req, path: `${path0}?unit=${UNITS[i % UNITS.length]}`, body, headers: { ...req.headers, "content-type": "application/x-www-form-urlencoded", cookie: `did=${context.did}` } };
    },
    onResponse(status, _body, context) {
      answered.set(context.did, status);
    },
  }];
}

// ---- page weight: every file the survey page makes a browser fetch on first load -------------
const gz = (buf) => zlib.gzipSync(buf, { level: 9 }).length;
async function pageWeight(pageUrl) {
  const html = await (await fetch(pageUrl)).text();
  const js = new Set();
  const css = new Set();
  const add = (set, ref, base = pageUrl) => set.add(new URL(ref, base).href);
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const attr = (name) => tag.match(new RegExp(`\\b${name}="([^"]*)"`))?.[1];
    if (tag.startsWith("<script") && attr("src")) add(js, attr("src"));
    if (attr("rel") === "modulepreload") add(js, attr("href"));
    if (attr("rel") === "stylesheet") add(css, attr("href"));
  }
  // Inline module scripts (React Router's hydration bootstrap) import the entry and route modules.
  for (const [, body] of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) {
    for (const m of body.matchAll(/import\s*\(\s*["']([^"']+\.js)["']\s*\)|(?:from|import)\s*["']([^"']+\.js)["']/g)) add(js, m[1] ?? m[2]);
  }
  // Static imports inside fetched modules load too, even if nothing preloaded them. Dynamic
  // import() inside a module is lazy (loaded on navigation), so it is not followed.
  const files = [];
  const queue = [...js];
  const seen = new Set(queue);
  while (queue.length) {
    const url = queue.shift();
    const text = await (await fetch(url)).text();
    files.push({ kind: "js", url, gz: gz(text) });
    for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*["']([^"']+\.js)["']/g)) {
      const dep = new URL(m[1], url).href;
      if (!seen.has(dep)) (seen.add(dep), queue.push(dep), js.add(dep));
    }
  }
  for (const url of css) files.push({ kind: "css", url, gz: gz(await (await fetch(url)).text()) });
  const total = (kind) => files.filter((f) => f.kind === kind).reduce((s, f) => s + f.gz, 0);
  return { htmlGz: gz(html), cssGz: total("css"), jsGz: total("js"), files: files.map((f) => ({ ...f, url: new URL(f.url).pathname })) };
}

const countRows = (db) => db.prepare("SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS maxId FROM Response").get();

async function main() {
  console.log(`Benchmark: ${SECONDS} s per run, ${CONNECTIONS} connections, WEB_CONCURRENCY=${process.env.WEB_CONCURRENCY ?? "(unset)"}`);
  console.log(`Note: the load generator and the server share this machine's ${os.availableParallelism()} CPU cores; autocannon's own CPU use lowers the figures.\n`);
  step("Building the production app", bin("react-router"), ["build"]);
  fs.mkdirSync(benchDir, { recursive: true });
  for (const f of fs.readdirSync(benchDir)) fs.rmSync(path.join(benchDir, f), { recursive: true, force: true });
  step("Creating tmp/bench/bench.db (prisma migrate deploy)", bin("prisma"), ["migrate", "deploy"]);
  step("Seeding the demo region and 4000 demo responses", bin("tsx"), ["prisma/seed.ts"]);
  const url = await startServer(await freePort());
  console.log(`• Server up at ${url} (log: tmp/bench/server.log)\n`);

  const pagePath = `/s/${SLUG}`;
  // Taken before the GET run, so by the POST run the token is older than the survey's minimum
  // answering time and submissions are not flagged too_fast.
  const firstPage = await (await fetch(`${url}${pagePath}?unit=C01`)).text();
  const started = firstPage.match(/name="started" value="([^"]+)"/)?.[1];
  if (!started) throw new Error("no `started` token in the survey page");

  console.log(`• GET ${pagePath}?unit=C01 for ${SECONDS} s (with Accept-Encoding: gzip, like a browser)…`);
  const get = summarize(await run({ url: `${url}${pagePath}?unit=C01`, headers: { "accept-encoding": "gzip" } }));

  console.log(`• POST ${pagePath}?unit=… (unique device per request) for ${SECONDS} s…`);
  const db = new Database(dbFile, { readonly: true });
  db.pragma("busy_timeout = 5000");
  const before = countRows(db);
  const answered = new Map(); // did -> HTTP status, or null when the run stopped before the answer
  const postRaw = await run({ url: `${url}${pagePath}`, requests: submissionRequests(pagePath, started, answered) });
  const post = summarize(postRaw);
  // Requests in flight when autocannon stopped may still be committed: wait until the count settles.
  let after = countRows(db);
  for (let stable = 0; stable < 3; ) {
    await new Promise((r) => setTimeout(r, 200));
    const now = countRows(db);
    stable = now.n === after.n ? stable + 1 : 0;
    after = now;
  }
  const accepted = [...answered.values()].filter((s) => s === 303).length;
  const other = [...answered.values()].filter((s) => s !== null && s !== 303).length;
  const inFlight = [...answered.values()].filter((s) => s === null).length;
  const newRows = db.prepare("SELECT deviceId FROM Response WHERE id > ?").all(before.maxId).map((r) => answered.get(r.deviceId));
  const flagged = db.prepare("SELECT flag, COUNT(*) AS n FROM ResponseFlag WHERE responseId > ? GROUP BY flag").all(before.maxId);
  db.close();
  const honesty = {
    rowsAdded: after.n - before.n,
    answered303: accepted,
    answeredOther: other,
    rowsFor303: newRows.filter((s) => s === 303).length,
    rowsForRefused: newRows.filter((s) => s !== undefined && s !== null && s !== 303).length,
    rowsForCutOff: newRows.filter((s) => s === null).length, // the client hung up; the server finished
    rowsUnknown: newRows.filter((s) => s === undefined).length,
    cutOffRequests: inFlight,
    flags: Object.fromEntries(flagged.map((f) => [f.flag, f.n])),
  };
  // Honest means: every 303 was stored exactly once, nothing refused was stored, nothing else appeared.
  honesty.ok = honesty.rowsFor303 === accepted && honesty.rowsForRefused === 0 && honesty.rowsUnknown === 0 && honesty.rowsAdded === accepted + honesty.rowsForCutOff;
  const submissionsPerS = Math.round(accepted / postRaw.duration);

  console.log("• Page weight of the survey page…\n");
  const weight = await pageWeight(`${url}${pagePath}?unit=C01`);
  await stopServer();

  const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
  const ms = (v) => `${v} ms`;
  const checks = [
    { name: `accepted submissions/s >= ${FLOOR_SUBMISSIONS_PER_S}`, value: `${submissionsPerS}/s`, pass: submissionsPerS >= FLOOR_SUBMISSIONS_PER_S },
    { name: `survey page JS gz <= ${FLOOR_JS_GZ_KB} KB`, value: kb(weight.jsGz), pass: weight.jsGz <= FLOOR_JS_GZ_KB * 1024 },
    { name: "rows added match 303 answers", value: honesty.ok ? "yes" : "NO", pass: honesty.ok },
  ];
  const table = (rows) => rows.forEach(([a, b]) => console.log(`  ${a.padEnd(44)} ${b}`));
  console.log("Survey page files (gzip -9 each; 1 KB = 1024 bytes):");
  for (const f of weight.files) console.log(`  ${f.kind.padEnd(4)} ${kb(f.gz).padStart(9)}  ${f.url}`);
  console.log("\nResults");
  table([
    ["GET survey page: requests/s", `${get.rps}`],
    ["GET survey page: latency p50 / p99", `${ms(get.p50)} / ${ms(get.p99)}`],
    ["GET survey page: non-2xx, errors", `${get.total - (get.statuses[200] ?? 0)}, ${get.errors}`],
    ["POST submission: requests/s (all answers)", `${post.rps}`],
    ["POST submission: latency p50 / p99", `${ms(post.p50)} / ${ms(post.p99)}`],
    ["POST submission: 303 / other answers", `${accepted} / ${other} ${other ? JSON.stringify(post.statuses) : ""}`],
    ["POST: rows added (303s + cut-off at stop)", `${honesty.rowsAdded} = ${honesty.rowsFor303} + ${honesty.rowsForCutOff} (of ${inFlight} cut off)`],
    ["POST: quality flags on new rows", JSON.stringify(honesty.flags)],
    ["Page weight gz: HTML / CSS / JS", `${kb(weight.htmlGz)} / ${kb(weight.cssGz)} / ${kb(weight.jsGz)}`],
  ]);
  console.log("\nFloors");
  for (const c of checks) console.log(`  ${c.pass ? "PASS" : "FAIL"}  ${c.name.padEnd(38)} ${c.value}`);
  console.log(`\n(${os.availableParallelism()} CPU cores shared by autocannon and the server.)`);

  fs.mkdirSync("bench-results", { recursive: true });
  const results = { date: new Date().toISOString(), node: process.version, cpus: os.availableParallelism(), seconds: SECONDS, connections: CONNECTIONS, webConcurrency: process.env.WEB_CONCURRENCY ?? null, get, post: { ...post, submissionsPerS }, honesty, weight, checks };
  fs.writeFileSync("bench-results/latest.json", JSON.stringify(results, null, 2) + "\n");
  console.log("Figures written to bench-results/latest.json");
  return checks.every((c) => c.pass) ? 0 : 1;
}

main()
  .then(async (code) => (await stopServer(), process.exit(code)))
  .catch(async (err) => {
    console.error(`\nBenchmark failed: ${err.stack ?? err}${err.cause ? `\nCause: ${err.cause.stack ?? err.cause}` : ""}`);
    await stopServer();
    process.exit(1);
  });
