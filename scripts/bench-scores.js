// `npm run bench:scores`: the satisfaction component at scale. Generates BENCH_RESPONSES
// (default 1,000,000) survey responses over BENCH_UNITS (200) units plus complaints (a script, not
// committed data), builds the score tallies from the raw rows, then measures:
//   - the audit recomputation from the raw responses (floor: 15 s),
//   - GET /api/v1/periods/:id/scores with a bearer token (floor: p50 100 ms),
//   - GET /staff/scores, the office's dashboard (floor: p50 500 ms).
// Exit code 1 when a floor is missed. BENCH_SECONDS (10) per measured run; BENCH_CONNECTIONS (4):
// the evaluation office and its systems are few clients, so latency is what is measured.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { benchEnv, freePort, logProblemsIn, serverControl, stepper, summarize } from "./bench-lib.js";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const RESPONSES = Number(process.env.BENCH_RESPONSES ?? 1_000_000);
const UNITS = Number(process.env.BENCH_UNITS ?? 200);
const COMPLAINTS = Number(process.env.BENCH_COMPLAINTS ?? 40_000);
const FLOORS = { apiP50: 100, dashboardP50: 500, auditSeconds: 15 };
const benchDir = path.join(root, "tmp/bench-scores");
const dbFile = path.join(benchDir, "scores.db");
const serverLog = path.join(benchDir, "server.log");
const bin = (name) => path.join(root, "node_modules/.bin", name);
const env = benchEnv(dbFile, { SEED_MODE: "structure" });
const step = stepper(env);
const { startServer, stopServer } = serverControl(env, serverLog);
process.env.SESSION_SECRET = env.SESSION_SECRET;
const { hashPassword } = await import("../app/lib/password.server.ts");
const { prng } = await import("../app/lib/prng.ts");

const iso = (ms) => new Date(ms).toISOString().replace("Z", "+00:00");

/** Units up to UNITS, responses and complaints, with plain inserts in large transactions. */
function generate() {
  const db = new Database(dbFile);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const now = iso(Date.now());
  const region = db.prepare(`SELECT id FROM Unit WHERE kind = 'region'`).get();
  const have = (db.prepare(`SELECT COUNT(*) AS n FROM Unit WHERE kind <> 'region'`).get()).n;
  const addUnit = db.prepare(`INSERT INTO Unit (code, kind, parentId, names, sortOrder, active, createdAt, updatedAt) VALUES (?, ?, ?, ?, 100, 1, ?, ?)`);
  db.transaction(() => {
    for (let i = have; i < UNITS; i++) {
      const kind = i % 3 === 0 ? "county" : "department";
      const code = `${kind === "county" ? "B" : "E"}${String(i).padStart(3, "0")}`;
      addUnit.run(code, kind, region.id, JSON.stringify({ "zh-Hans": `测试单位${i}`, ug: `سىناق ئورنى ${i}`, en: `Test unit ${i}` }), now, now);
    }
  })();
  const units = (db.prepare(`SELECT id FROM Unit WHERE kind <> 'region'`).all()).map((u) => u.id);
  const survey = db.prepare(`SELECT s.id, s.periodId, v.id AS versionId FROM Survey s JOIN SurveyVersion v ON v.surveyId = s.id AND v.version = s.currentVersion`).get();
  const questions = db.prepare(`SELECT id, kind, allowNa FROM Question WHERE surveyVersionId = ? ORDER BY position`).all(survey.versionId);
  const graded = questions.filter((q) => q.kind === "grade_core" || q.kind === "grade_diagnostic");
  const single = questions.find((q) => q.kind === "single");
  const insResponse = db.prepare(
    `INSERT INTO Response (id, surveyId, surveyVersionId, periodId, unitId, lang, channel, startedAt, submittedAt, deviceId) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insAnswer = db.prepare(`INSERT INTO Answer (responseId, questionId, grade, notApplicable, choice) VALUES (?, ?, ?, ?, ?)`);
  const insFlag = db.prepare(`INSERT INTO ResponseFlag (responseId, flag, createdAt) VALUES (?, ?, ?)`);
  const rand = prng(99);
  const level = new Map(units.map((u, i) => [u, 3.1 + ((i * 7) % 13) / 9]));
  const start = Date.parse("2026-01-01T00:00:00+08:00");
  const span = Date.parse("2026-11-28T00:00:00+08:00") - start;
  const langs = ["zh-Hans", "zh-Hans", "ug", "en"];
  const channels = ["qr", "link", "kiosk"];
  const first = ((db.prepare(`SELECT COALESCE(MAX(id), 0) AS m FROM Response`).get()).m ?? 0) + 1;
  const BATCH = 50_000;
  for (let b = 0; b < RESPONSES; b += BATCH) {
    db.transaction(() => {
      for (let i = b; i < Math.min(RESPONSES, b + BATCH); i++) {
        const id = first + i;
        const unit = units[Math.floor(rand() * units.length)];
        const at = start + Math.floor(rand() * span);
        insResponse.run(id, survey.id, survey.versionId, survey.periodId, unit, langs[i % 4], channels[i % 3], iso(at - 90_000), iso(at), `b${i}`);
        const base = level.get(unit);
        for (const q of graded) {
          if (q.allowNa && rand() < 0.05) insAnswer.run(id, q.id, null, 1, null);
          else insAnswer.run(id, q.id, Math.max(1, Math.min(5, Math.round(base + (rand() - 0.5) * 2.6))), 0, null);
        }
        if (single && rand() < 0.7) insAnswer.run(id, single.id, null, 0, "one");
        const f = rand();
        if (f < 0.02) insFlag.run(id, "too_fast", iso(at));
        else if (f < 0.025) insFlag.run(id, "honeypot", iso(at));
      }
    })();
    process.stdout.write(`\r• Generating responses… ${Math.min(RESPONSES, b + BATCH).toLocaleString("en")}`);
  }
  console.log("");
  const types = ["inaction", "slow_action", "misconduct", "attitude", "other"];
  const insComplaint = db.prepare(`INSERT INTO Complaint (reference, accessCodeHash, unitId, subjectUnitId, type, status, description, lang, anonymous, consentAt, submittedAt, acceptDueAt, replyDueAt, repliedAt, handlingGrade, ratedAt, createdAt, updatedAt)
    VALUES (?, 'x', ?, ?, ?, ?, 'Generated for the benchmark.', 'zh-Hans', 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (let i = 0; i < COMPLAINTS; i++) {
      const unit = units[i % units.length];
      const at = start + Math.floor(rand() * (span - 10 * 86_400_000));
      const due = at + 7 * 86_400_000;
      const replied = rand() < 0.9 ? at + Math.floor(rand() * 9 * 86_400_000) : null;
      const grade = replied && rand() < 0.6 ? 1 + Math.floor(rand() * 5) : null;
      insComplaint.run(`TS-2026-${String(i + 1).padStart(7, "0")}`, unit, unit, types[i % 5], replied ? "replied" : "accepted", iso(at), iso(at), iso(at + 86_400_000), iso(due),
        replied ? iso(replied) : null, grade, grade ? iso(replied + 3_600_000) : null, iso(at), iso(at));
    }
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  return { units: units.length, periodId: survey.periodId };
}

async function main() {
  console.log(`Scores benchmark: ${RESPONSES.toLocaleString("en")} responses over ${UNITS} units, ${COMPLAINTS.toLocaleString("en")} complaints; ${SECONDS} s per run, ${CONNECTIONS} connections.`);
  console.log(`(${os.availableParallelism()} CPU cores, shared by autocannon and the server.)\n`);
  step("Building the production app", "npm", ["run", "build"]);
  // BENCH_REUSE=1 measures again on the database of the previous run (saves generating it).
  const reuse = process.env.BENCH_REUSE === "1" && fs.existsSync(dbFile);
  let units = UNITS;
  let generateSeconds = 0;
  let rebuild = { seconds: 0 };
  if (!reuse) {
    fs.mkdirSync(benchDir, { recursive: true });
    for (const f of fs.readdirSync(benchDir)) fs.rmSync(path.join(benchDir, f), { recursive: true, force: true });
    step("Creating tmp/bench-scores/scores.db (prisma migrate deploy)", bin("prisma"), ["migrate", "deploy"]);
    step("Seeding the region's structure", bin("tsx"), ["prisma/seed.ts"]);
    const t0 = Date.now();
    units = generate().units;
    generateSeconds = (Date.now() - t0) / 1000;
    console.log(`  generated in ${generateSeconds.toFixed(1)} s`);
    rebuild = step("Building the tallies from the raw rows (scores:audit --rebuild)", bin("tsx"), ["scripts/scores-audit.ts", "--period", "2026", "--rebuild"]);
  } else {
    console.log("• Reusing tmp/bench-scores/scores.db (BENCH_REUSE=1)");
    const db = new Database(dbFile);
    db.prepare(`DELETE FROM ApiCall`).run();
    db.prepare(`DELETE FROM ApiToken`).run();
    db.prepare(`DELETE FROM RoleGrant WHERE userId IN (SELECT id FROM StaffUser WHERE username = 'bench.office')`).run();
    db.prepare(`DELETE FROM Session`).run();
    db.prepare(`DELETE FROM StaffUser WHERE username = 'bench.office'`).run();
    db.close();
  }
  const audit = step("Audit recomputation (scores:audit)", bin("tsx"), ["scripts/scores-audit.ts", "--period", "2026"]);
  const auditMs = Number(/\((\d+) ms\)/.exec(audit.stdout)?.[1] ?? NaN);
  const auditEqual = audit.stdout.includes("equal the recomputation");
  console.log(`  ${audit.stdout.trim()}`);

  // An API token and an office account, made the way the app makes them (hashes only stored).
  const db = new Database(dbFile);
  const token = `cst_${randomBytes(30).toString("base64url")}`;
  const now = iso(Date.now());
  db.prepare(`INSERT INTO ApiToken (name, tokenHash, prefix, createdAt) VALUES ('bench', ?, ?, ?)`).run(createHash("sha256").update(token).digest("hex"), token.slice(0, 10), now);
  const password = "benchmark pass phrase";
  const user = db.prepare(`INSERT INTO StaffUser (username, displayName, passwordHash, mustChangePassword, active, createdAt, updatedAt) VALUES ('bench.office', 'bench', ?, 0, 1, ?, ?)`).run(await hashPassword(password), now, now);
  db.prepare(`INSERT INTO RoleGrant (userId, role, unitId, includeSubunits, createdAt) VALUES (?, 'office', NULL, 0, ?)`).run(user.lastInsertRowid, now);
  const periodId = (db.prepare(`SELECT id FROM EvaluationPeriod WHERE code = '2026'`).get()).id;
  db.close();

  const url = await startServer(await freePort());
  console.log(`• Server up at ${url} (log: tmp/bench-scores/server.log)`);
  const login = await fetch(`${url}/staff/login`, { method: "POST", redirect: "manual", body: new URLSearchParams({ username: "bench.office", password }) });
  const cookie = login.headers.get("set-cookie")?.split(";")[0];
  if (login.status !== 303 || !cookie) throw new Error(`sign-in failed: HTTP ${login.status}`);
  const apiPath = `/api/v1/periods/${periodId}/scores`;
  const sample = await fetch(`${url}${apiPath}`, { headers: { authorization: `Bearer ${token}` } });
  const body = await sample.json();
  const counted = body.rows.reduce((s, r) => s + r.n, 0);
  const dashboardHtml = await (await fetch(`${url}/staff/scores`, { headers: { cookie } })).text();
  const dashboardAllHtml = await (await fetch(`${url}/staff/scores?kind=all`, { headers: { cookie } })).text();

  const load = (opts) => new Promise((resolve, reject) => autocannon({ connections: CONNECTIONS, duration: SECONDS, ...opts }, (err, res) => (err ? reject(err) : resolve(res))));
  console.log(`• GET ${apiPath} (bearer token) for ${SECONDS} s…`);
  const api = summarize(await load({ url: `${url}${apiPath}`, headers: { authorization: `Bearer ${token}`, "accept-encoding": "gzip" } }));
  console.log(`• GET ${apiPath}?format=csv for ${SECONDS} s…`);
  const csv = summarize(await load({ url: `${url}${apiPath}?format=csv`, headers: { authorization: `Bearer ${token}` } }));
  console.log(`• GET /staff/scores (the office's dashboard) for ${SECONDS} s…`);
  const dashboard = summarize(await load({ url: `${url}/staff/scores`, headers: { cookie, "accept-encoding": "gzip" } }));
  console.log(`• GET /staff/scores?kind=all (every unit in one table and chart) for ${SECONDS} s…`);
  const dashboardAll = summarize(await load({ url: `${url}/staff/scores?kind=all`, headers: { cookie, "accept-encoding": "gzip" } }));
  await stopServer();
  const logProblems = logProblemsIn(fs.readFileSync(serverLog, "utf8"));

  const checks = [
    { name: `scores API p50 <= ${FLOORS.apiP50} ms`, value: `${api.p50} ms`, pass: (api.statuses["200"] ?? 0) > 0 && api.p50 <= FLOORS.apiP50 && api.non2xx === 0 },
    { name: `dashboard p50 <= ${FLOORS.dashboardP50} ms`, value: `${dashboard.p50} ms`, pass: (dashboard.statuses["200"] ?? 0) > 0 && dashboard.p50 <= FLOORS.dashboardP50 && dashboard.non2xx === 0 },
    { name: `audit recomputation <= ${FLOORS.auditSeconds} s`, value: `${(auditMs / 1000).toFixed(1)} s`, pass: auditMs <= FLOORS.auditSeconds * 1000 },
    { name: "audit: live figures equal the recomputation", value: auditEqual ? "yes" : "NO", pass: auditEqual },
    { name: "API counts every generated response once", value: `${body.responses.toLocaleString("en")} (counted ${counted.toLocaleString("en")})`, pass: body.responses === RESPONSES },
  ];
  console.log("\nResults");
  for (const [label, value] of [
    ["Units / responses / complaints", `${units} / ${RESPONSES.toLocaleString("en")} / ${COMPLAINTS.toLocaleString("en")}`],
    ["Generating the rows (plain inserts)", `${generateSeconds.toFixed(1)} s`],
    ["Building the tallies from raw rows (command)", `${rebuild.seconds.toFixed(1)} s`],
    ["Audit recomputation (compute / whole command)", `${(auditMs / 1000).toFixed(1)} s / ${audit.seconds.toFixed(1)} s`],
    ["Scores API JSON: req/s", api.rps],
    ["Scores API JSON: latency p50 / p99", `${api.p50} ms / ${api.p99} ms (non-2xx ${api.non2xx})`],
    ["Scores API CSV: latency p50 / p99", `${csv.p50} ms / ${csv.p99} ms (non-2xx ${csv.non2xx})`],
    ["Dashboard: req/s", dashboard.rps],
    ["Dashboard: latency p50 / p99", `${dashboard.p50} ms / ${dashboard.p99} ms (non-2xx ${dashboard.non2xx})`],
    ["Dashboard, all units in one view: latency p50 / p99", `${dashboardAll.p50} ms / ${dashboardAll.p99} ms (non-2xx ${dashboardAll.non2xx})`],
    ["Dashboard HTML size (default / all units)", `${(dashboardHtml.length / 1024).toFixed(0)} KB / ${(dashboardAllHtml.length / 1024).toFixed(0)} KB uncompressed`],
    ["Server log: warnings, errors and lines not in the log format", `${logProblems.length}${logProblems.length ? ` (first: ${logProblems[0].slice(0, 80)})` : ""}`],
  ]) console.log(`  ${String(label).padEnd(48)} ${value}`);
  console.log("\nFloors");
  for (const c of checks) console.log(`  ${c.pass ? "PASS" : "FAIL"}  ${c.name.padEnd(44)} ${c.value}`);
  fs.mkdirSync("bench-results", { recursive: true });
  fs.writeFileSync(
    "bench-results/scores.json",
    JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.availableParallelism(), seconds: SECONDS, connections: CONNECTIONS, responses: RESPONSES, units, complaints: COMPLAINTS, generateSeconds, rebuildSeconds: rebuild.seconds, auditMs, auditCommandSeconds: audit.seconds, api, csv, dashboard, dashboardAll, checks }, null, 2) + "\n",
  );
  console.log("Figures written to bench-results/scores.json");
  return checks.every((c) => c.pass) ? 0 : 1;
}

main()
  .then(async (code) => (await stopServer(), process.exit(code)))
  .catch(async (err) => {
    console.error(`\nBenchmark failed: ${err.stack ?? err}`);
    await stopServer();
    process.exit(1);
  });
