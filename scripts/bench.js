#!/usr/bin/env node
// `npm run bench`: builds the production app, serves it on a fresh seeded SQLite database and
// measures what matters for a citizen: the survey page (GET), accepted submissions (POST), and
// how much the page makes a phone download. A bare node:http server is measured in the same run
// with the same load, and the page's rates are given as ratios to it (the machine's own speed and
// its other load then cancel out, mostly). Exit code 1 when a floor is missed.
//   BENCH_SECONDS (default 10)  length of each measured run
//   BENCH_CONNECTIONS (32)      concurrent connections of the load generator
//   WEB_CONCURRENCY             passed through to the server unchanged
//   BENCH_COMPLAINTS (100000)   complaints in the database while the staff queue is measured
//   --postgres                  also accepted submissions on PostgreSQL 15 with 1 and 2 app processes
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { benchEnv, bareServerControl, freePort, logProblemsIn, serverControl, sleep, stepper, summarize } from "./bench-lib.js";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const POSTGRES = process.argv.includes("--postgres");
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const FLOOR_SUBMISSIONS_PER_S = 500;
const FLOOR_JS_GZ_KB = 30; // 1 KB = 1024 bytes (issue 12; was 130)
const FLOOR_GET_RATIO = 0.05; // survey page GET rate / bare node:http rate (issue 12)
const PAGE = "/s/satisfaction-2026";
const UNITS = ["C01", "C02", "C03", "C04", "C05", "C06", ...Array.from({ length: 13 }, (_, i) => `D${String(i + 1).padStart(2, "0")}`)];
const benchDir = path.join(root, "tmp/bench");
const dbFile = path.join(benchDir, "bench.db");
const serverLog = path.join(benchDir, "server.log");
const bin = (name) => path.join(root, "node_modules/.bin", name);
// A fixed secret, so the run neither reads nor creates data/session-secret.
// TRUST_PROXY: each simulated citizen comes from its own address (X-Forwarded-For), as on a real
// network; from one address the burst check (docs/decisions/0010) would rightly flag them all.
const env = benchEnv(dbFile, { SEED_MODE: "demo", TRUST_PROXY: "1" });

// The benchmark plays citizens who opened the form a minute earlier on their own phones: it mints
// each request's start token and computes the stored device key with the app's own functions
// (run under tsx), with the secret it gave the server.
process.env.SESSION_SECRET = env.SESSION_SECRET;
const { startToken } = await import("../app/lib/start-token.server.ts");
const { deviceKey } = await import("../app/lib/device.server.ts");
const { hashPassword } = await import("../app/lib/password.server.ts");
const COMPLAINTS_IN_DB = Number(process.env.BENCH_COMPLAINTS ?? 100_000);
const QUEUE_CONNECTIONS = 8;
const step = stepper(env);
const { startServer, stopServer } = serverControl(env, serverLog);
const { startBare, stopBare } = bareServerControl(path.join(benchDir, "bare-server.log"));

// GET with retries: right after a load run the server may still be finishing cut-off requests.
async function download(url) {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
      return Buffer.from(await res.arrayBuffer());
    } catch (err) {
      if (attempt === 3) throw err;
      console.log(`  (GET ${url} failed: ${err.cause?.message ?? err.message}; retrying)`);
      await sleep(500);
    }
  }
}

const load = (opts) => autocannon({ connections: CONNECTIONS, duration: SECONDS, ...opts });

// ---- POST: each request is a new device (unique `did` cookie), so the repeat rule accepts it ---
/** The benchmark's reads of the stored responses, on SQLite (the file) or PostgreSQL (a pg client). */
function sqliteReader(file) {
  const db = new Database(file, { readonly: true });
  db.pragma("busy_timeout = 5000");
  return {
    all: async (sql, ...params) => db.prepare(sql).all(...params),
    close: async () => db.close(),
  };
}

async function postgresReader(url) {
  // The app's own driver: the same statement texts as on SQLite, rendered for PostgreSQL.
  const { openPostgres } = await import("../app/lib/db/postgres.server.ts");
  const database = openPostgres(url, { poolSize: 2 });
  return { all: (sql, ...params) => database.read.all(sql, ...params), close: () => database.close() };
}

/**
 * Accepted submissions for SECONDS, the load split over `urls` (one app process each, on one
 * database): each request a new device, so the repeat rule accepts it; every 303 must have stored
 * exactly one row. Latency percentiles are the highest of the servers' (autocannon reports them
 * per run).
 */
async function measureSubmissions(urls, reader) {
  const surveyId = (await reader.all("SELECT id FROM Survey WHERE slug = ?", PAGE.split("/").at(-1)))[0].id;
  const unitIds = Object.fromEntries((await reader.all("SELECT code, id FROM Unit")).map((u) => [u.code, u.id]));
  const count = async () => {
    const r = (await reader.all("SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS maxId FROM Response"))[0];
    return { n: Number(r.n), maxId: Number(r.maxId) };
  };
  const before = await count();
  const answered = new Map(); // stored device key -> HTTP status; null while (or if never) answered
  const sentIds = new Map(); // stored device key -> the submissionId its request carried
  let n = 0;
  const runs = await Promise.all(
    urls.map((url) =>
      load({
        url: `${url}${PAGE}`,
        connections: Math.max(1, Math.round(CONNECTIONS / urls.length)),
        requests: [{
          method: "POST",
          setupRequest(req, context) {
            const i = n++;
            const did = randomBytes(16).toString("base64url"); // 22 chars of [A-Za-z0-9_-]
            const unit = UNITS[i % UNITS.length];
            context.key = deviceKey(did, surveyId, unitIds[unit]);
            answered.set(context.key, null);
            // What the form carries since issue 12: a random id per filled-in form, so a resend is
            // recognised (the server keeps it, unique per survey).
            const submissionId = randomUUID();
            sentIds.set(context.key, submissionId);
            const started = startToken(did, PAGE.split("/").at(-1), unit, Date.now() - 60_000);
            const grade = (k) => String(((i + k) % 5) + 1);
            const body = new URLSearchParams({
              started, submissionId, website: "", q_efficiency: grade(0), q_attitude: grade(1), q_transparency: grade(2), q_integrity: grade(3),
              q_overall: grade(4), q_guidance: grade(2), q_visits: "one", q_comment: `bench ${i}`,
            }).toString();
            const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
            const headers = { ...req.headers, "content-type": "application/x-www-form-urlencoded", cookie: `did=${did}`, "x-forwarded-for": address };
            return { ...req, path: `${PAGE}?unit=${unit}`, body, headers };
          },
          onResponse(status, _body, context) {
            answered.set(context.key, status);
          },
        }],
      }),
    ),
  );
  // autocannon stops on the clock and hangs up on requests in flight; the server may still commit
  // those. Wait until the row count settles, then account for every new row by its device id.
  let after = await count();
  for (let stable = 0; stable < 3; ) {
    await sleep(200);
    const now = await count();
    stable = now.n === after.n ? stable + 1 : 0;
    after = now;
  }
  const statuses = [...answered.values()];
  const newRows = await reader.all("SELECT deviceId, submissionId FROM Response WHERE id > ?", before.maxId);
  const rows = newRows.map((r) => answered.get(r.deviceId));
  const flags = await reader.all("SELECT flag, COUNT(*) AS n FROM ResponseFlag WHERE responseId > ? GROUP BY flag", before.maxId);
  const keptIds = newRows.filter((r) => r.submissionId !== null && r.submissionId === sentIds.get(r.deviceId)).length;
  const h = {
    rowsAdded: after.n - before.n,
    answered303: statuses.filter((s) => s === 303).length,
    answeredOther: statuses.filter((s) => s !== null && s !== 303).length,
    cutOff: statuses.filter((s) => s === null).length,
    rowsFor303: rows.filter((s) => s === 303).length,
    rowsForCutOff: rows.filter((s) => s === null).length,
    rowsForRefused: rows.filter((s) => s !== undefined && s !== null && s !== 303).length,
    rowsUnknown: rows.filter((s) => s === undefined).length,
    flags: Object.fromEntries(flags.map((f) => [f.flag, Number(f.n)])),
    rowsWithSentSubmissionId: keptIds,
  };
  // Honest: every 303 stored exactly once, nothing refused stored, no row from anywhere else.
  h.ok = h.rowsFor303 === h.answered303 && h.rowsForRefused === 0 && h.rowsUnknown === 0 && h.rowsAdded === h.answered303 + h.rowsForCutOff;
  const parts = runs.map(summarize);
  const duration = Math.max(...parts.map((p) => p.duration));
  const statusesAll = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.statuses)) statusesAll[k] = (statusesAll[k] ?? 0) + v;
  return {
    rps: parts.reduce((sum, p) => sum + p.rps, 0),
    p50: Math.max(...parts.map((p) => p.p50)),
    p99: Math.max(...parts.map((p) => p.p99)),
    duration,
    non2xx: parts.reduce((sum, p) => sum + p.non2xx, 0),
    errors: parts.reduce((sum, p) => sum + p.errors, 0),
    statuses: statusesAll,
    submissionsPerS: Math.round(h.answered303 / duration),
    honesty: h,
  };
}

// ---- page weight: every file the survey page makes a browser fetch on first load -------------
// Scripts: <script src> (classic or module), <link rel=modulepreload>, <link rel=preload as=script>,
// the imports of inline module scripts (React Router's hydration bootstrap), and the static imports
// of every module among them. A module's dynamic import()s are lazy (later navigations), so they
// are not followed; a classic script (type absent) has no imports to follow.
const gz = (buf) => zlib.gzipSync(buf, { level: 9 }).length;
const MODULE_IMPORT = /(?:\bfrom|\bimport)\s*["']([^"']+\.js)["']/g;
async function pageWeight(pageUrl) {
  const html = (await download(pageUrl)).toString("utf8");
  const js = new Map(); // URL -> whether it is a module (whose static imports load too)
  const css = new Set();
  const addJs = (ref, isModule, base = pageUrl) => {
    const url = new URL(ref, base).href;
    js.set(url, js.get(url) || isModule);
  };
  for (const tag of html.match(/<(script|link)\b[^>]*>/gi) ?? []) {
    const attr = (name) => {
      const m = tag.match(new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, "i"));
      return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
    };
    const rel = attr("rel")?.toLowerCase().split(/\s+/) ?? [];
    if (/^<script/i.test(tag) && attr("src")) addJs(attr("src"), attr("type") === "module");
    if (rel.includes("modulepreload") && attr("href")) addJs(attr("href"), true);
    if (rel.includes("preload") && attr("as") === "script" && attr("href")) addJs(attr("href"), false);
    if (rel.includes("stylesheet") && attr("href")) css.add(new URL(attr("href"), pageUrl).href);
  }
  for (const [, open, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\ssrc\s*=/i.test(open)) continue;
    for (const m of body.matchAll(/import\s*\(\s*["']([^"']+\.js)["']\s*\)/g)) addJs(m[1], true);
    if (/\stype\s*=\s*["']?module/i.test(open)) for (const m of body.matchAll(MODULE_IMPORT)) addJs(m[1], true);
  }
  const files = [];
  for (const [url, isModule] of js) { // a Map iterates over what is added while iterating
    const body = await download(url);
    files.push({ kind: "js", url: new URL(url).pathname, gz: gz(body), module: isModule });
    if (isModule) for (const m of body.toString("utf8").matchAll(MODULE_IMPORT)) addJs(m[1], true, url);
  }
  for (const url of css) files.push({ kind: "css", url: new URL(url).pathname, gz: gz(await download(url)) });
  const total = (kind) => files.filter((f) => f.kind === kind).reduce((s, f) => s + f.gz, 0);
  return { htmlGz: gz(Buffer.from(html)), cssGz: total("css"), jsGz: total("js"), files };
}

// ---- Complaints: filing throughput, then the staff queue with COMPLAINTS_IN_DB complaints -------
async function measureComplaints(url) {
  const db = new Database(dbFile);
  // The fill below waits for the server to finish the filings still queued when the load stops
  // (over 5 s on a busy 2-core machine).
  db.pragma("busy_timeout = 60000");
  const count = () => db.prepare("SELECT COUNT(*) AS n FROM Complaint").get().n;
  const before = count();
  const types = ["inaction", "slow_action", "misconduct", "attitude", "other"];
  let n = 0;
  const filing = await load({
    url: `${url}/complaints/new`,
    requests: [{
      method: "POST",
      setupRequest(req) {
        const i = n++;
        const body = new URLSearchParams({
          unit: UNITS[i % UNITS.length], type: types[i % types.length], anonymous: "yes", consent: "yes",
          description: `Benchmark complaint ${i}: waited far too long at the counter.`,
        }).toString();
        return { ...req, body, headers: { ...req.headers, "content-type": "application/x-www-form-urlencoded" } };
      },
    }],
  });
  await sleep(500);
  const filed = summarize(filing);
  filed.added = count() - before;

  // Fill up to COMPLAINTS_IN_DB with plain inserts (a script, not committed data).
  process.stdout.write(`• Filling the database to ${COMPLAINTS_IN_DB.toLocaleString("en")} complaints… `);
  const t0 = Date.now();
  const units = db.prepare("SELECT id FROM Unit WHERE kind <> 'region'").all().map((u) => u.id);
  const statuses = ["submitted", "accepted", "in_progress", "replied", "closed", "transferred"];
  const iso = (ms) => new Date(ms).toISOString().replace("Z", "+00:00");
  const insert = db.prepare(`INSERT INTO Complaint (reference, accessCodeHash, unitId, subjectUnitId, type, status, description, lang, anonymous, consentAt, submittedAt, acceptDueAt, replyDueAt, createdAt, updatedAt)
    VALUES (?, 'x', ?, ?, ?, ?, ?, 'zh-Hans', 1, ?, ?, ?, ?, ?, ?)`);
  const start = Date.parse("2025-01-01T00:00:00Z");
  // BEGIN IMMEDIATE: a deferred transaction that reads first and then writes fails at once
  // ("database is locked", without waiting) when the server committed in between.
  db.transaction(() => {
    for (let i = count(); i < COMPLAINTS_IN_DB; i++) {
      const unit = units[i % units.length];
      const at = start + ((i * 7919) % (330 * 86_400)) * 1000;
      insert.run(`TS-2025-${String(i).padStart(7, "0")}`, unit, unit, types[i % types.length], statuses[i % statuses.length],
        "Generated for the benchmark.", iso(at), iso(at), iso(at + 2 * 86_400_000), iso(at + 8 * 86_400_000), iso(at), iso(at));
    }
  }).immediate();
  console.log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // A unit's staff member and the office sign in through the real login page.
  const password = "benchmark pass phrase";
  const hash = await hashPassword(password);
  const d12 = db.prepare("SELECT id FROM Unit WHERE code = 'D12'").get().id;
  const now = iso(Date.now());
  for (const [username, role, unitId] of [["bench.staff", "unit_staff", d12], ["bench.office", "office", null]]) {
    const user = db.prepare("INSERT INTO StaffUser (username, displayName, passwordHash, mustChangePassword, active, createdAt, updatedAt) VALUES (?, ?, ?, 0, 1, ?, ?)").run(username, username, hash, now, now);
    db.prepare("INSERT INTO RoleGrant (userId, role, unitId, includeSubunits, createdAt) VALUES (?, ?, ?, 0, ?)").run(user.lastInsertRowid, role, unitId, now);
  }
  const total = count();
  db.close();
  const signIn = async (username) => {
    const res = await fetch(`${url}/staff/login`, { method: "POST", redirect: "manual", body: new URLSearchParams({ username, password }) });
    const cookie = res.headers.get("set-cookie")?.split(";")[0];
    if (res.status !== 303 || !cookie) throw new Error(`benchmark sign-in of ${username} failed: HTTP ${res.status}`);
    return cookie;
  };
  const staffCookie = await signIn("bench.staff");
  const officeCookie = await signIn("bench.office");
  console.log(`• GET /staff (a unit's queue) with ${total.toLocaleString("en")} complaints, for ${SECONDS} s…`);
  // Staff are few: 8 concurrent users measure the page's latency rather than a queue of requests.
  const unitQueue = summarize(await load({ url: `${url}/staff`, connections: QUEUE_CONNECTIONS, headers: { cookie: staffCookie, "accept-encoding": "gzip" } }));
  console.log(`• GET /staff?overdue=1 (the office: every unit) for ${SECONDS} s…`);
  const officeQueue = summarize(await load({ url: `${url}/staff?overdue=1`, connections: QUEUE_CONNECTIONS, headers: { cookie: officeCookie, "accept-encoding": "gzip" } }));
  return { filed, total, unitQueue, officeQueue };
}

// ---- PostgreSQL mode (`npm run bench -- --postgres`, issue 16): accepted submissions with one and
// with two app processes on one PostgreSQL 15 (a throwaway cluster, fsync and synchronous_commit
// on, as in production), beside this run's SQLite figure.
async function benchPostgres() {
  const { startCluster } = await import("./pg-cluster.js");
  process.stdout.write("• PostgreSQL: a throwaway cluster (durable settings)… ");
  const cluster = await startCluster({ durable: true, database: "bench" });
  console.log(`ready in ${(cluster.startMs / 1000).toFixed(1)} s`);
  try {
    const pgEnv = { ...env, DATABASE_URL: cluster.url };
    const pgStep = stepper(pgEnv);
    pgStep("PostgreSQL: migrations", bin("prisma"), ["migrate", "deploy"]);
    pgStep("PostgreSQL: data tasks", bin("tsx"), ["scripts/data-tasks.ts"]);
    pgStep("PostgreSQL: seeding the demo region and 4000 demo responses", bin("tsx"), ["prisma/seed.ts"]);
    const reader = await postgresReader(cluster.url);
    const figures = {};
    for (const processes of [1, 2]) {
      const controls = Array.from({ length: processes }, (_, i) => serverControl(pgEnv, path.join(benchDir, `server-pg-${processes}-${i + 1}.log`)));
      const urls = [];
      for (const c of controls) urls.push(await c.startServer(await freePort()));
      console.log(`• PostgreSQL, ${processes} app process${processes > 1 ? "es" : ""}: POST ${PAGE}?unit=C01…D13 for ${SECONDS} s, ${CONNECTIONS} connections in all…`);
      figures[processes] = await measureSubmissions(urls, reader);
      for (const c of controls) await c.stopServer();
      figures[processes].logProblems = controls.map((_, i) => logProblemsIn(fs.readFileSync(path.join(benchDir, `server-pg-${processes}-${i + 1}.log`), "utf8")).length).reduce((a, b) => a + b, 0);
    }
    await reader.close();
    return figures;
  } finally {
    cluster.stop();
  }
}

async function main() {
  console.log(`Benchmark: ${SECONDS} s per run, ${CONNECTIONS} connections, WEB_CONCURRENCY=${process.env.WEB_CONCURRENCY ?? "(unset)"}`);
  console.log(`Note: autocannon and the server share this machine's ${os.availableParallelism()} CPU cores; the client's own CPU use lowers the figures.\n`);
  step("Building the production app", "npm", ["run", "build"]);
  fs.mkdirSync(benchDir, { recursive: true });
  for (const f of fs.readdirSync(benchDir)) fs.rmSync(path.join(benchDir, f), { recursive: true, force: true });
  step("Creating tmp/bench/bench.db (prisma migrate deploy)", bin("prisma"), ["migrate", "deploy"]);
  step("Seeding the demo region and 4000 demo responses", bin("tsx"), ["prisma/seed.ts"]);
  const url = await startServer(await freePort());
  console.log(`• Server up at ${url} (log: tmp/bench/server.log)`);
  const bareUrl = await startBare(await freePort());
  console.log(`• GET ${bareUrl}/ (bare node:http, a fixed ${(await download(`${bareUrl}/`)).length}-byte page) for ${SECONDS} s, the yardstick…`);
  const bare = summarize(await load({ url: `${bareUrl}/`, headers: { "accept-encoding": "gzip" } }));
  await stopBare();

  // Taken before the GET run, so that by the POST run the token is older than the survey's
  // minimum answering time and the submissions are not flagged too_fast.
  console.log(`• GET ${PAGE}?unit=C01 for ${SECONDS} s (Accept-Encoding: gzip, as browsers send)…`);
  const get = summarize(await load({ url: `${url}${PAGE}?unit=C01`, headers: { "accept-encoding": "gzip" } }));
  console.log(`• POST ${PAGE}?unit=C01…D13 for ${SECONDS} s, a new device per request…`);
  const sqlite = sqliteReader(dbFile);
  const post = await measureSubmissions([url], sqlite);
  await sqlite.close();
  console.log("• Page weight of the survey page…");
  const weight = await pageWeight(`${url}${PAGE}?unit=C01`);
  console.log(`• POST /complaints/new for ${SECONDS} s (no photos)…`);
  const complaints = await measureComplaints(url);
  console.log("");
  await stopServer();
  const logProblems = logProblemsIn(fs.readFileSync(serverLog, "utf8"));
  const postgres = POSTGRES ? await benchPostgres() : null;

  const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
  const h = post.honesty;
  const ratio = (rate) => (bare.rps > 0 ? rate / bare.rps : 0);
  const ratios = { get: ratio(get.rps), post: ratio(post.submissionsPerS) };
  const checks = [
    { name: `survey page GET / bare node:http >= ${FLOOR_GET_RATIO}`, value: `${ratios.get.toFixed(3)} (${get.rps} / ${bare.rps})`, pass: ratios.get >= FLOOR_GET_RATIO },
    { name: `accepted submissions/s >= ${FLOOR_SUBMISSIONS_PER_S}`, value: `${post.submissionsPerS}/s`, pass: post.submissionsPerS >= FLOOR_SUBMISSIONS_PER_S },
    { name: `survey page JS (gzip) <= ${FLOOR_JS_GZ_KB} KB`, value: kb(weight.jsGz), pass: weight.jsGz <= FLOOR_JS_GZ_KB * 1024 },
    { name: "stored rows match the 303 answers", value: h.ok ? "yes" : "NO", pass: h.ok },
    {
      name: "every filed complaint (303) was stored",
      value: `${complaints.filed.statuses["303"] ?? 0} ≤ ${complaints.filed.added}`,
      pass: (complaints.filed.statuses["303"] ?? 0) <= complaints.filed.added && complaints.filed.added <= (complaints.filed.statuses["303"] ?? 0) + CONNECTIONS,
    },
  ];
  console.log("Survey page files (each gzip -9; 1 KB = 1024 bytes):");
  for (const f of weight.files) console.log(`  ${f.kind.padEnd(4)} ${kb(f.gz).padStart(9)}  ${f.url}`);
  console.log("\nResults");
  for (const [label, value] of [
    ["GET bare node:http: requests/s", `${bare.rps} (p50 ${bare.p50} ms, p99 ${bare.p99} ms, non-2xx ${bare.non2xx}, errors ${bare.errors})`],
    ["GET survey page: requests/s", get.rps],
    ["GET survey page / bare node:http", ratios.get.toFixed(3)],
    ["GET survey page: latency p50 / p99", `${get.p50} ms / ${get.p99} ms`],
    ["GET survey page: non-2xx / socket errors", `${get.non2xx} / ${get.errors}`],
    ["POST submission: requests/s (all answers)", post.rps],
    ["POST submission: latency p50 / p99", `${post.p50} ms / ${post.p99} ms`],
    ["POST submission: accepted (303)/s", post.submissionsPerS],
    ["POST accepted/s / bare node:http", ratios.post.toFixed(3)],
    ["POST submission: 303 / other answers", `${h.answered303} / ${h.answeredOther} ${JSON.stringify(post.statuses)}`],
    ["POST: rows added = 303s + cut off at stop", `${h.rowsAdded} = ${h.rowsFor303} + ${h.rowsForCutOff} (${h.cutOff} requests cut off)`],
    ["POST: quality flags on the new rows", JSON.stringify(h.flags)],
    ["POST: new rows keeping their submissionId", h.rowsWithSentSubmissionId === null ? "(no submissionId column)" : `${h.rowsWithSentSubmissionId} of ${h.rowsAdded}`],
    ["Survey page HTML (gzip)", kb(weight.htmlGz)],
    ["Page weight (gzip): HTML / CSS / JS", `${kb(weight.htmlGz)} / ${kb(weight.cssGz)} / ${kb(weight.jsGz)} (${weight.files.filter((f) => f.kind === "js").length} JS files)`],
    ["Complaints filed: requests/s", `${complaints.filed.rps} (${JSON.stringify(complaints.filed.statuses)}, rows added ${complaints.filed.added})`],
    ["Complaints filed: latency p50 / p99", `${complaints.filed.p50} ms / ${complaints.filed.p99} ms`],
    [`Unit queue (${complaints.total} complaints, 8 users): req/s`, complaints.unitQueue.rps],
    ["Unit queue: latency p50 / p99", `${complaints.unitQueue.p50} ms / ${complaints.unitQueue.p99} ms (non-2xx ${complaints.unitQueue.non2xx})`],
    ["Office overdue queue: req/s", complaints.officeQueue.rps],
    ["Office overdue queue: latency p50 / p99", `${complaints.officeQueue.p50} ms / ${complaints.officeQueue.p99} ms (non-2xx ${complaints.officeQueue.non2xx})`],
    ["Server log: warnings, errors and lines not in the log format", `${logProblems.length}${logProblems.length ? ` (first: ${logProblems[0].slice(0, 80)})` : ""}`],
  ]) console.log(`  ${label.padEnd(44)} ${value}`);
  if (postgres) {
    console.log("\nSubmissions by database (accepted/s; latency p50 / p99; stored rows = 303s)");
    const line = (label, r) =>
      console.log(`  ${label.padEnd(44)} ${String(r.submissionsPerS).padStart(5)}/s  ${r.p50} ms / ${r.p99} ms  ${r.honesty.ok ? "yes" : "NO"}${r.logProblems ? `  (server log problems: ${r.logProblems})` : ""}`);
    line("SQLite, 1 app process (this run)", post);
    line("PostgreSQL 15, 1 app process", postgres[1]);
    line("PostgreSQL 15, 2 app processes", postgres[2]);
    for (const processes of [1, 2]) {
      checks.push({ name: `PostgreSQL (${processes}): stored rows match the 303 answers`, value: postgres[processes].honesty.ok ? "yes" : "NO", pass: postgres[processes].honesty.ok });
    }
  }
  console.log("\nFloors");
  for (const c of checks) console.log(`  ${c.pass ? "PASS" : "FAIL"}  ${c.name.padEnd(44)} ${c.value}`);
  console.log(`\n(${os.availableParallelism()} CPU cores shared by autocannon and the server.)`);

  fs.mkdirSync("bench-results", { recursive: true });
  const results = {
    date: new Date().toISOString(), node: process.version, cpus: os.availableParallelism(), seconds: SECONDS, connections: CONNECTIONS,
    webConcurrency: process.env.WEB_CONCURRENCY ?? null, bare, get, post, ratios, weight, complaints, serverLogProblems: logProblems.length, checks, postgres,
  };
  fs.writeFileSync("bench-results/latest.json", JSON.stringify(results, null, 2) + "\n");
  console.log("Figures written to bench-results/latest.json");
  return checks.every((c) => c.pass) ? 0 : 1;
}

main()
  .then(async (code) => (await stopServer(), await stopBare(), process.exit(code)))
  .catch(async (err) => {
    console.error(`\nBenchmark failed: ${err.stack ?? err}${err.cause ? `\nCause: ${err.cause.stack ?? err.cause}` : ""}`);
    await stopServer();
    await stopBare();
    process.exit(1);
  });
