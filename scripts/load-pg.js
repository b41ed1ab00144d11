#!/usr/bin/env node
// `npm run test:load-pg` (and `npm test`): the load test of ADR 0026 §2.10. Two production app
// servers on two ports share one throwaway PostgreSQL database and one SMTP sink; for LOAD_SECONDS
// both take at once: survey submissions from new phones, a phone answering one unit through both
// servers (the second must be refused by the repeat rule), a form resent to the other server (one
// row, the same answer), complaint filings with an e-mail contact, the unit's staff accepting and
// answering each complaint from both servers at the same moment (one wins), and a service-hall
// tablet whose link the office revokes halfway. Then the database, the Maildir and the answers are
// compared; every check prints PASS or FAIL with its numbers, and any FAIL exits 1.
//   LOAD_SECONDS (default 30)     length of the load
//   LOAD_CONNECTIONS (default 12) concurrent survey citizens (a repeat or resend pair sends two at once)
// Needs the production build (`npm run build`; npm test builds first) and PostgreSQL's server
// programs (scripts/ensure-postgres.sh). Runs under tsx: it signs start tokens, device keys and
// kiosk links with the app's own functions and the secret it gives the servers.
import { spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort, logProblemsIn, serverControl, sleep } from "./bench-lib.js";
import { startCluster } from "./pg-cluster.js";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 12);
const COMPLAINT_WORKERS = 2;
const SLUG = "satisfaction-2026";
const PAGE = `/s/${SLUG}`;
const SURVEY_UNITS = ["C01", "C02", "C04", "C05", "C06", ...Array.from({ length: 13 }, (_, i) => `D${String(i + 1).padStart(2, "0")}`)];
const KIOSK_UNIT = "C03";
// Complaints go to these units; each has two staff accounts, one signed in on each server.
const CASE_UNITS = ["C02", "D03", "D07", "D11"];
const PASSWORD = "load test pass phrase 2026";
/** The tablet link must be refused by both servers this soon after the office revoked it (ADR 0026 §2.10). */
const KIOSK_REFUSAL_MS = 1000;
const workDir = path.join(root, "tmp/load-pg");
const bin = (name) => path.join(root, "node_modules/.bin", name);

if (!fs.existsSync(path.join(root, "build/app-server.js"))) {
  console.error("No production build (build/app-server.js): run `npm run build` first (npm test does).");
  process.exit(1);
}

// The servers' secret, also used here to make what a phone or a tablet would carry.
process.env.SESSION_SECRET = "load-test-only-secret-0123456789-abcdefgh";
const { startToken } = await import("../app/lib/start-token.server.ts");
const { sign, randomId } = await import("../app/lib/signing.server.ts");
const { hashPassword } = await import("../app/lib/password.server.ts");
const { kioskPayload } = await import("../app/domain/kiosk.ts");
const { startSmtpSink, readMaildir } = await import("../tests/e2e/support/mail.ts");

// ---- HTTP with a tally per server and status, and latencies per kind --------------------------
const byPort = new Map(); // port label -> { status -> count }
const latencies = new Map(); // kind -> ms[]
let unanswered = 0;
/** One request; never throws: `status` is null when it got no answer (refused connection, timeout). */
async function send(server, kind, pathAndQuery, { method = "GET", body, headers = {} } = {}) {
  const sentAt = Date.now();
  let status = null;
  let res = null;
  try {
    res = await fetch(`${server.url}${pathAndQuery}`, {
      method,
      body,
      headers: body ? { "content-type": "application/x-www-form-urlencoded", ...headers } : headers,
      redirect: "manual",
      signal: AbortSignal.timeout(30_000),
    });
    status = res.status;
    await res.arrayBuffer();
  } catch (err) {
    res = null;
    if (unanswered++ < 10) console.log(`  (${method} ${server.label}${pathAndQuery.slice(0, 60)}: ${err.cause?.message ?? err.message})`);
  }
  const answeredAt = Date.now();
  const tally = byPort.get(server.label) ?? {};
  tally[status ?? "no answer"] = (tally[status ?? "no answer"] ?? 0) + 1;
  byPort.set(server.label, tally);
  if (status !== null) {
    if (!latencies.has(kind)) latencies.set(kind, []);
    latencies.get(kind).push(answeredAt - sentAt);
  }
  return { status, headers: res?.headers ?? new Headers(), sentAt, answeredAt };
}

const percentile = (values, p) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

// ---- Citizens' survey posts --------------------------------------------------------------------
let addressCounter = 0;
/** A phone's form as the page drew it a minute ago (start token, a submission id, its answers). */
function surveyForm(unit, variant, did = randomBytes(16).toString("base64url")) {
  const n = addressCounter++;
  return {
    did,
    unit,
    submissionId: randomUUID(),
    address: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
    started: startToken(did, SLUG, unit, Date.now() - 60_000),
    variant,
  };
}

function surveyBody(form, extra = {}) {
  const grade = (k) => String(((form.variant + k) % 5) + 1);
  return new URLSearchParams({
    started: form.started, submissionId: form.submissionId, website: "", q_efficiency: grade(0), q_attitude: grade(1), q_transparency: grade(2),
    q_integrity: grade(3), q_overall: grade(4), q_guidance: grade(2), q_visits: "one", q_comment: `load ${form.variant}`, ...extra,
  }).toString();
}

/** The response id the thanks page's ticket names (`r=<id>|slug|unit|until.<signature>`). */
function responseIdOf(location) {
  const r = location ? new URL(location, "http://x").searchParams.get("r") : null;
  return r ? Number(r.split("|")[0]) : null;
}

const posts = []; // every survey post: { group, kind, submissionId, server, status, responseId, sentAt }
async function postSurvey(server, form, kind, group, query = `?unit=${form.unit}`, extra = {}) {
  const r = await send(server, kind === "kiosk" ? "kiosk post" : "survey post", `${PAGE}${query}`, {
    method: "POST",
    body: surveyBody(form, extra),
    headers: { cookie: `did=${form.did}`, "x-forwarded-for": form.address },
  });
  const post = { group, kind, submissionId: form.submissionId, server: server.label, status: r.status, responseId: r.status === 303 ? responseIdOf(r.headers.get("location")) : null, sentAt: r.sentAt };
  posts.push(post);
  return post;
}

let groupCounter = 0;
const pick = (list) => list[Math.floor(Math.random() * list.length)];
/** One citizen after another until the time is up: new phones, repeat pairs and resend pairs. */
async function citizen(servers, until) {
  for (let turn = 0; Date.now() < until; turn++) {
    const group = groupCounter++;
    const draw = Math.random();
    const unit = pick(SURVEY_UNITS);
    // Half the pairs go to both servers at the same moment, half one after the other.
    const together = Math.random() < 0.5;
    const [first, second] = Math.random() < 0.5 ? servers : [servers[1], servers[0]];
    if (draw < 0.2) {
      // The same phone and unit through both servers, two forms: only one may be stored.
      const a = surveyForm(unit, group);
      const b = { ...a, submissionId: randomUUID(), variant: group + 1 };
      if (together) await Promise.all([postSurvey(first, a, "repeat", group), postSurvey(second, b, "repeat", group)]);
      else {
        await postSurvey(first, a, "repeat", group);
        await postSurvey(second, b, "repeat", group);
      }
    } else if (draw < 0.25) {
      // The same form sent again to the other server (a lost answer, the offline outbox).
      const a = surveyForm(unit, group);
      if (together) await Promise.all([postSurvey(first, a, "resend", group), postSurvey(second, a, "resend", group)]);
      else {
        await postSurvey(first, a, "resend", group);
        await postSurvey(second, a, "resend", group);
      }
    } else {
      await postSurvey(servers[turn % 2], surveyForm(unit, group), "new", group);
    }
  }
}

// ---- The service-hall tablet --------------------------------------------------------------------
const kioskTries = []; // { server, status, sentAt, method }
async function tablet(servers, link, until) {
  const did = randomBytes(16).toString("base64url");
  for (let i = 0; Date.now() < until; i++) {
    const form = { ...surveyForm(KIOSK_UNIT, i, did), address: "192.168.7.20" };
    const post = await postSurvey(servers[i % 2], form, "kiosk", groupCounter++, link, { visit: sign("visit", randomId(12)) });
    kioskTries.push({ server: post.server, status: post.status, sentAt: post.sentAt, method: "POST" });
    await sleep(20);
  }
}

/** After the revocation: both servers' tablet page, every 100 ms for 3 s. */
async function probeKiosk(servers, link) {
  for (const end = Date.now() + 3000; Date.now() < end; await sleep(100)) {
    await Promise.all(servers.map(async (s) => {
      const r = await send(s, "kiosk page", `${PAGE}${link}`, { headers: { cookie: "did=kioskprobe0000000000000" } });
      kioskTries.push({ server: s.label, status: r.status, sentAt: r.sentAt, method: "GET" });
    }));
  }
}

// ---- Complaints and staff -----------------------------------------------------------------------
/** The `filed` cookie's "reference|code" (React Router's signed cookie: base64 JSON, then a signature). */
function filedReference(headers) {
  const cookie = headers.getSetCookie().find((c) => c.startsWith("filed="));
  if (!cookie) return null;
  const value = decodeURIComponent(cookie.slice("filed=".length).split(";")[0]);
  try {
    return String(JSON.parse(Buffer.from(value.slice(0, value.lastIndexOf(".")), "base64").toString("utf8"))).split("|")[0];
  } catch {
    return null;
  }
}

const filings = []; // { server, status, reference, email, unit }
const caseQueues = new Map(CASE_UNITS.map((u) => [u, []]));
let filingCounter = 0;
async function complainant(servers, until) {
  const types = ["inaction", "slow_action", "misconduct", "attitude", "other"];
  for (let i = 0; Date.now() < until; i++) {
    const n = filingCounter++;
    const unit = CASE_UNITS[n % CASE_UNITS.length];
    const email = `load-${n}@example.test`;
    const server = servers[n % 2];
    const r = await send(server, "complaint filing", "/complaints/new", {
      method: "POST",
      body: new URLSearchParams({
        unit, type: types[n % types.length], anonymous: "no", contactEmail: email, consent: "yes",
        description: `Load test complaint ${n}: the counter kept us waiting for an hour.`,
      }).toString(),
      headers: { "x-forwarded-for": `172.16.${(n >> 8) & 255}.${n & 255}` },
    });
    const reference = r.status === 303 ? filedReference(r.headers) : null;
    filings.push({ server: server.label, status: r.status, reference, email, unit });
    if (reference) caseQueues.get(unit).push(reference);
  }
}

const caseActions = []; // { reference, intent, statuses: [a, b] }
/** A unit's two staff members, one on each server, press the same button at the same moment. */
async function unitStaff(servers, unit, sessions, until) {
  for (let i = 0; Date.now() < until; i++) {
    const reference = caseQueues.get(unit).shift();
    if (!reference) {
      await sleep(50);
      continue;
    }
    // Each session is used on both servers in turn: a session made by one server works on the other.
    const pairs = i % 2 === 0 ? [[servers[0], sessions[0]], [servers[1], sessions[1]]] : [[servers[1], sessions[0]], [servers[0], sessions[1]]];
    for (const [intent, note] of [["accept", ""], ["reply", `Load test answer to ${reference}: we are sorry, it is fixed.`]]) {
      const answers = await Promise.all(pairs.map(([server, cookie]) =>
        send(server, `case ${intent}`, `/staff/cases/${reference}`, { method: "POST", body: new URLSearchParams({ intent, note }).toString(), headers: { cookie } }),
      ));
      caseActions.push({ reference, intent, statuses: answers.map((a) => a.status) });
    }
  }
}

async function signIn(server, username) {
  const r = await fetch(`${server.url}/staff/login`, { method: "POST", redirect: "manual", body: new URLSearchParams({ username, password: PASSWORD }) });
  const cookie = r.headers.getSetCookie().map((c) => c.split(";")[0]).filter((c) => c.startsWith("sid=")).join("; ");
  if (r.status !== 303 || !cookie) throw new Error(`sign-in of ${username} on ${server.label} failed: HTTP ${r.status}`);
  return cookie;
}

// ---- Set-up --------------------------------------------------------------------------------------
function step(label, cmd, args, env) {
  process.stdout.write(`• ${label}… `);
  const started = Date.now();
  const r = spawnSync(cmd, args, { env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${label} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return r.stdout;
}

async function createAccounts(client) {
  const hash = await hashPassword(PASSWORD);
  const accounts = [["load.office", "office", null], ...CASE_UNITS.flatMap((u) => [[`load.${u.toLowerCase()}.a`, "unit_staff", u], [`load.${u.toLowerCase()}.b`, "unit_head", u]])];
  for (const [username, role, unit] of accounts) {
    const { rows } = await client.query(
      `INSERT INTO "StaffUser" (username, "displayName", "passwordHash", "mustChangePassword", active, "createdAt", "updatedAt") VALUES ($1, $1, $2, false, true, now(), now()) RETURNING id`,
      [username, hash],
    );
    await client.query(
      `INSERT INTO "RoleGrant" ("userId", role, "unitId", "includeSubunits", "createdAt") VALUES ($1, $2, (SELECT id FROM "Unit" WHERE code = $3), false, now())`,
      [rows[0].id, role, unit],
    );
  }
}

// ---- Run -----------------------------------------------------------------------------------------
const checks = [];
const check = (name, pass, value) => checks.push({ name, pass, value });
const stops = []; // what set-up started, stopped in reverse order

/** Cluster, schema, seed, accounts, SMTP sink, the two servers, staff sessions and the tablet link. */
async function setUp() {
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  process.stdout.write("• Starting a throwaway PostgreSQL cluster… ");
  const cluster = await startCluster({ database: "civic_load" });
  stops.push(async () => cluster.stop());
  console.log(`ready on port ${cluster.port} in ${(cluster.startMs / 1000).toFixed(1)} s`);
  const maildir = path.join(workDir, "maildir");
  const sink = await startSmtpSink(maildir);
  stops.push(() => sink.stop());
  const ports = [await freePort(), await freePort()];
  const env = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: cluster.url,
    SESSION_SECRET: process.env.SESSION_SECRET,
    CHECKPOINT_DISABLE: "1",
    SEED_MODE: "structure",
    // Each citizen comes from its own address (X-Forwarded-For), as on a real network.
    TRUST_PROXY: "1",
    RETENTION_JOB: "off",
    NOTIFY_SWEEP_SECONDS: "1",
    SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    MAIL_FROM: "Load test <noreply@load.example.test>",
    PUBLIC_ORIGIN: `http://127.0.0.1:${ports[0]}`,
    UPLOAD_DIR: path.join(workDir, "uploads"),
  };
  step("prisma migrate deploy", bin("prisma"), ["migrate", "deploy"], env);
  step("Seeding units, the 2026 period and the survey (SEED_MODE=structure)", bin("tsx"), ["prisma/seed.ts"], env);
  const client = new pg.Client({ connectionString: cluster.url, options: "-c TimeZone=UTC" });
  await client.connect();
  stops.push(() => client.end());
  await createAccounts(client);
  const survey = (await client.query(`SELECT id, "repeatWindowHours" FROM "Survey" WHERE slug = $1`, [SLUG])).rows[0];

  const servers = [];
  await Promise.all(ports.map(async (port, i) => {
    const label = i === 0 ? "A" : "B";
    const log = path.join(workDir, `server-${label}.log`);
    const control = serverControl(env, log);
    stops.push(() => control.stopServer());
    servers[i] = { label, url: await control.startServer(port), log };
  }));
  console.log(`• Servers up: A ${servers[0].url}, B ${servers[1].url} (logs: tmp/load-pg/server-{A,B}.log)`);
  // The seed's survey belongs to its 2026 period: outside it every post would be refused.
  const page = await fetch(`${servers[0].url}${PAGE}?unit=C01`);
  await page.arrayBuffer();
  if (page.status !== 200) throw new Error(`${PAGE} answers HTTP ${page.status}: the seeded survey is not open today`);

  // Each unit's two accounts sign in on different servers; the office on A makes the tablet's link.
  const office = await signIn(servers[0], "load.office");
  const sessions = new Map();
  for (const u of CASE_UNITS) sessions.set(u, [await signIn(servers[0], `load.${u.toLowerCase()}.a`), await signIn(servers[1], `load.${u.toLowerCase()}.b`)]);
  const created = await send(servers[0], "office", `/staff/surveys/${SLUG}/distribution`, {
    method: "POST", body: new URLSearchParams({ intent: "create", unit: KIOSK_UNIT, label: "Load test hall tablet" }).toString(), headers: { cookie: office },
  });
  const kiosk = (await client.query(`SELECT id, "kioskId" FROM "KioskLink" ORDER BY id DESC LIMIT 1`)).rows[0];
  if (created.status !== 200 || !kiosk) throw new Error(`the office could not make a tablet link (HTTP ${created.status})`);
  const kioskLink = `?${new URLSearchParams({ unit: KIOSK_UNIT, kiosk: sign("kiosk", kioskPayload(SLUG, KIOSK_UNIT, kiosk.kioskId)) })}`;
  return { env, client, maildir, servers, survey, office, sessions, kiosk, kioskLink };
}

/** Every kind of traffic at once on both servers; the office revokes the tablet's link halfway. */
async function runLoad({ servers, office, sessions, kiosk, kioskLink }) {
  const loadStart = Date.now();
  const until = loadStart + SECONDS * 1000;
  const revoke = { status: null, sentAt: null, answeredAt: null };
  const revoker = (async () => {
    await sleep((SECONDS * 1000) / 2);
    const r = await send(servers[1], "office", `/staff/surveys/${SLUG}/distribution`, {
      method: "POST", body: new URLSearchParams({ intent: "revoke", id: String(kiosk.id), reason: "Tablet lost (load test)" }).toString(), headers: { cookie: office },
    });
    Object.assign(revoke, { status: r.status, sentAt: r.sentAt, answeredAt: r.answeredAt });
    await probeKiosk(servers, kioskLink);
  })();
  await Promise.all([
    ...Array.from({ length: CONNECTIONS }, () => citizen(servers, until)),
    ...Array.from({ length: COMPLAINT_WORKERS }, () => complainant(servers, until)),
    ...CASE_UNITS.map((u) => unitStaff(servers, u, sessions.get(u), until)),
    tablet(servers, kioskLink, until),
    revoker,
  ]);
  return { loadSeconds: (Date.now() - loadStart) / 1000, revoke };
}

/** Waits (at most a minute) until the servers' dispatchers have sent every due notification. */
async function drainOutbox(client) {
  const started = Date.now();
  const outbox = async () =>
    (await client.query(`SELECT COUNT(*) FILTER (WHERE status = 'pending' AND "dueAt" <= LOCALTIMESTAMP)::int AS due, COUNT(*) FILTER (WHERE status = 'pending')::int AS pending FROM "Notification"`)).rows[0];
  let box = await outbox();
  while (box.due > 0 && Date.now() - started < 60_000) {
    await sleep(250);
    box = await outbox();
  }
  // The sink writes a message to the Maildir before its 250 reply, so before the row is marked
  // sent; a short pause covers the rows claimed just before the count.
  await sleep(300);
  return { ...box, seconds: (Date.now() - started) / 1000 };
}

/** What the database, the Maildir and scores:audit say after the load. */
async function readOutcome({ client, env, maildir, survey }) {
  const q = async (sql, params) => (await client.query(sql, params)).rows;
  return {
    responses: await q(`SELECT id, "submissionId", channel FROM "Response"`),
    repeatsInWindow: Number((await q(
      `SELECT COUNT(*) FROM "Response" a JOIN "Response" b ON b."surveyId" = a."surveyId" AND b."unitId" = a."unitId" AND b."deviceId" = a."deviceId" AND b.id > a.id
       WHERE a.channel <> 'kiosk' AND b.channel <> 'kiosk' AND abs(extract(epoch FROM b."submittedAt" - a."submittedAt")) < $1 * 3600`,
      [survey.repeatWindowHours],
    ))[0].count),
    complaints: await q(`SELECT reference, status FROM "Complaint"`),
    events: await q(`SELECT c.reference, e.action, COUNT(*)::int AS n FROM "ComplaintEvent" e JOIN "Complaint" c ON c.id = e."complaintId" WHERE e.action IN ('accept', 'reply') GROUP BY 1, 2`),
    notifications: await q(`SELECT "messageId", kind, recipient, "complaintId", status FROM "Notification" WHERE channel = 'email'`),
    kioskNetworks: (await q(`SELECT COUNT(DISTINCT "ipHash")::int AS n FROM "Response" WHERE channel = 'kiosk'`))[0].n,
    mails: readMaildir(maildir),
    audit: spawnSync(bin("tsx"), ["scripts/scores-audit.ts"], { env, encoding: "utf8" }),
  };
}

/** The survey posts of one kind that went as pairs (repeat, resend). */
function pairsOf(kind) {
  const map = new Map();
  for (const p of posts) if (p.kind === kind) map.set(p.group, [...(map.get(p.group) ?? []), p]);
  return [...map.values()].filter((g) => g.length === 2);
}

function checkResponses({ responses, repeatsInWindow }, survey) {
  const accepted = new Set(posts.filter((p) => p.status === 303).map((p) => p.submissionId));
  const cutOff = new Set(posts.filter((p) => p.status === null).map((p) => p.submissionId).filter((id) => !accepted.has(id)));
  const sent = new Set(posts.map((p) => p.submissionId));
  const rowsBySubmission = new Map();
  for (const r of responses) rowsBySubmission.set(r.submissionId, (rowsBySubmission.get(r.submissionId) ?? 0) + 1);
  const rowsFor = (set) => [...set].filter((id) => rowsBySubmission.has(id)).length;
  const unknownRows = responses.filter((r) => !sent.has(r.submissionId)).length;
  const refusedWithRow = [...rowsBySubmission.keys()].filter((id) => sent.has(id) && !accepted.has(id) && !cutOff.has(id)).length;
  const doubled = [...rowsBySubmission.values()].filter((n) => n > 1).length;
  const rowsForCutOff = rowsFor(cutOff);
  check(
    "stored responses = accepted (303) answers",
    responses.length === accepted.size + rowsForCutOff && rowsFor(accepted) === accepted.size && unknownRows === 0 && refusedWithRow === 0 && doubled === 0,
    `${responses.length} rows = ${accepted.size} accepted + ${rowsForCutOff} of ${cutOff.size} cut off; refused with a row ${refusedWithRow}, unknown ${unknownRows}, stored twice ${doubled}`,
  );

  const answeredPairs = pairsOf("repeat").filter((g) => g.every((p) => p.status !== null));
  const bothStored = answeredPairs.filter((g) => g.every((p) => p.status === 303)).length;
  const oneEach = answeredPairs.filter((g) => g.map((p) => p.status).sort().join() === "303,409").length;
  check(
    "repeat rule across servers: one of each pair stored, the other refused (409)",
    bothStored === 0 && oneEach === answeredPairs.length && repeatsInWindow === 0,
    `${oneEach} of ${answeredPairs.length} pairs 303+409, both stored ${bothStored}; rows of one phone and unit within ${survey.repeatWindowHours} h: ${repeatsInWindow}`,
  );

  const resendPairs = pairsOf("resend").filter((g) => g.every((p) => p.status !== null));
  const sameAnswer = resendPairs.filter((g) => g.every((p) => p.status === 303) && g[0].responseId !== null && g[0].responseId === g[1].responseId).length;
  const storedOnce = resendPairs.filter((g) => rowsBySubmission.get(g[0].submissionId) === 1).length;
  check(
    "a form resent to the other server: the same answer, one row",
    sameAnswer === resendPairs.length && storedOnce === resendPairs.length,
    `${sameAnswer} of ${resendPairs.length} resends answered 303 with the first response's id; stored once ${storedOnce}`,
  );
  return accepted.size;
}

function checkComplaints({ complaints, events }) {
  const filed = filings.filter((f) => f.status === 303);
  const refs = complaints.map((c) => c.reference);
  const seqs = refs.map((r) => Number(r.split("-")[2])).sort((a, b) => a - b);
  const gapless = seqs.every((n, i) => n === i + 1) && new Set(refs.map((r) => r.split("-")[1])).size <= 1;
  const filingCutOff = filings.filter((f) => f.status === null).length;
  const stored = new Set(refs);
  check(
    "complaint references unique and gapless; one row per filing answered 303",
    stored.size === refs.length && gapless && new Set(filed.map((f) => f.reference)).size === filed.length &&
      filed.every((f) => stored.has(f.reference)) && refs.length >= filed.length && refs.length <= filed.length + filingCutOff,
    `${refs.length} complaints (${stored.size} references, ${seqs.length ? `${seqs[0]}…${seqs.at(-1)}` : "none"}) for ${filed.length} filings answered 303 (+${filingCutOff} cut off)`,
  );

  const pairOutcome = (intent) => {
    const done = caseActions.filter((a) => a.intent === intent && a.statuses.every((s) => s !== null));
    return { done: done.length, won: done.filter((a) => a.statuses.includes(200)).length, wonOnce: done.filter((a) => [...a.statuses].sort().join() === "200,409").length };
  };
  const accepts = pairOutcome("accept");
  const replies = pairOutcome("reply");
  const eventCount = (reference, action) => events.find((e) => e.reference === reference && e.action === action)?.n ?? 0;
  const actedTwice = events.filter((e) => e.n > 1).length;
  const replied = new Set(caseActions.filter((a) => a.intent === "reply" && a.statuses.includes(200)).map((a) => a.reference));
  const statusRight = complaints.filter((c) => replied.has(c.reference)).every((c) => c.status === "replied" && eventCount(c.reference, "accept") === 1 && eventCount(c.reference, "reply") === 1);
  check(
    "staff on both servers press the same button: one wins (200), one is refused (409)",
    accepts.wonOnce === accepts.done && replies.wonOnce === replies.done && actedTwice === 0 && statusRight,
    `accept ${accepts.wonOnce} of ${accepts.done}, reply ${replies.wonOnce} of ${replies.done}; cases with a step recorded twice ${actedTwice}`,
  );
  // What the complainants must have been sent: the receipt, the acceptance and the answer.
  return { filed: filed.length, citizenSteps: filed.length + accepts.won + replies.won };
}

function checkNotifications({ mails, notifications }, box, citizenSteps) {
  const idCounts = new Map();
  for (const m of mails) idCounts.set(m.messageId, (idCounts.get(m.messageId) ?? 0) + 1);
  const twice = [...idCounts.values()].filter((n) => n > 1).length;
  const perStep = new Map();
  for (const n of notifications) {
    const key = `${n.complaintId}|${n.kind}|${n.recipient}`;
    perStep.set(key, (perStep.get(key) ?? 0) + 1);
  }
  const stepsTwice = [...perStep.values()].filter((n) => n > 1).length;
  const sentRows = notifications.filter((n) => n.status === "sent");
  const toCitizens = mails.filter((m) => m.rcptTo.some((r) => r.startsWith("load-"))).length;
  check(
    "no notification sent twice (each Message-ID once in the Maildir)",
    box.due === 0 && twice === 0 && stepsTwice === 0 && mails.length === sentRows.length && new Set(sentRows.map((n) => n.messageId)).size === idCounts.size && toCitizens === citizenSteps,
    `${mails.length} messages, ${idCounts.size} Message-IDs, ${twice} twice; ${sentRows.length} rows sent, ${box.pending} pending (${box.due} due); to the complainants ${toCitizens} of ${citizenSteps} (filed + accepted + answered); a case step written twice ${stepsTwice}`,
  );
}

function checkKiosk(servers, revoke) {
  const kioskOk = revoke.answeredAt !== null && revoke.status === 200 && servers.every((s) => {
    const after = kioskTries.filter((k) => k.server === s.label && k.sentAt > revoke.answeredAt + KIOSK_REFUSAL_MS && k.status !== null);
    return after.length > 0 && after.every((k) => k.status === 403);
  });
  const lag = (label) => {
    const late = kioskTries.filter((k) => k.server === label && revoke.answeredAt !== null && k.sentAt >= revoke.answeredAt && (k.status === 200 || k.status === 303));
    return late.length ? `${Math.max(...late.map((k) => k.sentAt - revoke.answeredAt))} ms` : "none";
  };
  const before = kioskTries.filter((k) => k.method === "POST" && k.status !== null && revoke.sentAt !== null && k.sentAt < revoke.sentAt);
  const storedBefore = before.filter((k) => k.status === 303).length;
  check(
    `the tablet link works on both servers, and once revoked both refuse it within ${KIOSK_REFUSAL_MS} ms`,
    kioskOk && storedBefore > 0 && storedBefore === before.length,
    `before the revocation ${storedBefore} of ${before.length} tablet posts stored; revoke HTTP ${revoke.status}; still accepted after it: A ${lag("A")}, B ${lag("B")}`,
  );
}

function checkServers(servers) {
  const serverErrors = [...byPort.values()].flatMap((t) => Object.keys(t).filter((s) => s === "no answer" || Number(s) >= 500));
  check(
    "both servers answered every request, none with 5xx",
    serverErrors.length === 0 && servers.every((s) => byPort.has(s.label)),
    [...byPort.entries()].map(([label, t]) => `${label} ${JSON.stringify(t)}`).join(", "),
  );
  const logErrors = servers.flatMap((s) =>
    logProblemsIn(fs.readFileSync(s.log, "utf8"))
      .filter((l) => /"level":"(error|fatal)"/.test(l) || !l.startsWith("{"))
      .map((l) => `${s.label}: ${l.slice(0, 160)}`),
  );
  check("server logs: no errors", logErrors.length === 0, logErrors.length ? `${logErrors.length} (first: ${logErrors[0]})` : "0");
}

async function main() {
  const t0 = Date.now();
  console.log(`Load test on PostgreSQL: two app servers, ${SECONDS} s, ${CONNECTIONS} citizens, ${COMPLAINT_WORKERS} complainants, ${CASE_UNITS.length} units' staff pairs, one tablet`);
  console.log(`(${os.availableParallelism()} CPU cores shared by the servers, PostgreSQL, the SMTP sink and this client.)\n`);
  const ctx = await setUp();
  console.log(`• Load for ${SECONDS} s on both servers (set-up took ${((Date.now() - t0) / 1000).toFixed(1)} s)…`);
  const { loadSeconds, revoke } = await runLoad(ctx);
  process.stdout.write("• Waiting for the servers' dispatchers to send every due notification… ");
  const box = await drainOutbox(ctx.client);
  console.log(`${box.due === 0 ? "done" : "GAVE UP"} in ${box.seconds.toFixed(1)} s`);
  const outcome = await readOutcome(ctx);
  // Everything stopped before the checks: the servers' last log lines are then written.
  for (const stop of stops.splice(0).reverse()) await stop();

  const accepted = checkResponses(outcome, ctx.survey);
  const { filed, citizenSteps } = checkComplaints(outcome);
  const auditLines = (outcome.audit.stdout + outcome.audit.stderr).split("\n").filter((l) => l.trim() && !l.startsWith("{")); // not its JSON log lines
  check("scores:audit: live tallies = the recomputation", outcome.audit.status === 0 && /equal the recomputation/.test(outcome.audit.stdout), `exit ${outcome.audit.status}: ${auditLines.join("; ")}`);
  checkNotifications(outcome, box, citizenSteps);
  checkKiosk(ctx.servers, revoke);
  checkServers(ctx.servers);

  const rate = (n) => `${(n / loadSeconds).toFixed(1)}/s`;
  const lat = (kind) => {
    const l = latencies.get(kind) ?? [];
    return `p50 ${percentile(l, 50)} ms, p99 ${percentile(l, 99)} ms`;
  };
  const count = (kind) => posts.filter((p) => p.kind === kind).length;
  const networks = outcome.kioskNetworks;
  // One tablet, one address, both servers: the servers agree on the day's address salt
  // (app/lib/address-salt.server.ts), so a burst through both is one network, and so is a rate limit.
  check("one address through both servers: one network hash", networks === 1, `${networks} network hash${networks === 1 ? "" : "es"} stored for the tablet's one address`);
  console.log("\nResults");
  for (const [label, value] of [
    ["Load", `${loadSeconds.toFixed(1)} s; whole run ${((Date.now() - t0) / 1000).toFixed(1)} s`],
    ["Survey posts (all kinds)", `${posts.length} (${rate(posts.length)}), ${lat("survey post")}`],
    ["  accepted (303) submissions", `${accepted} (${rate(accepted)}); 303 answers by server ${ctx.servers.map((s) => `${s.label} ${posts.filter((p) => p.server === s.label && p.status === 303).length}`).join(", ")}`],
    ["  new phones / repeat pairs / resend pairs", `${count("new")} / ${pairsOf("repeat").length} / ${pairsOf("resend").length}`],
    ["Tablet posts", `${count("kiosk")}, ${lat("kiosk post")}; stored ${outcome.responses.filter((r) => r.channel === "kiosk").length}`],
    ["Complaint filings", `${filings.length} (${rate(filings.length)}), 303: ${filed}, ${lat("complaint filing")}`],
    ["Staff actions (pairs of posts)", `${caseActions.length} (${rate(caseActions.length * 2)} posts), accept ${lat("case accept")}, reply ${lat("case reply")}`],
    ["E-mails sent", `${outcome.mails.length}; outbox drained ${box.seconds.toFixed(1)} s after the load`],
  ]) console.log(`  ${label.padEnd(42)} ${value}`);
  console.log("\nChecks");
  for (const c of checks) console.log(`  ${c.pass ? "PASS" : "FAIL"}  ${c.name}\n          ${c.value}`);
  return checks.every((c) => c.pass) ? 0 : 1;
}

async function cleanUp() {
  for (const stop of stops.splice(0).reverse()) {
    try {
      await stop();
    } catch {
      // the run's own error matters more
    }
  }
}

main()
  .then(async (code) => (await cleanUp(), process.exit(code)))
  .catch(async (err) => {
    console.error(`\nLoad test failed: ${err.stack ?? err}`);
    await cleanUp();
    process.exit(1);
  });
