#!/usr/bin/env node
// `npm run bench:lighthouse`: Lighthouse's default mobile profile (performance category only) on
// the citizen's survey page, in Chinese and in Uyghur. Builds the production app, serves it on a
// fresh seeded SQLite database under tmp/bench-lighthouse/ (as `npm run bench` does), and runs the
// Lighthouse CLI RUNS times per language with Debian's Chromium, taking turns between the
// languages. Prints the median of each figure and exits 1 when a floor is missed (issue 12).
//   LIGHTHOUSE_RUNS (default 3)  runs per language (Lighthouse's figures vary from run to run)
//   BENCH_BUILD=0                use the existing build/ instead of building first
//   CHROME_PATH                  the Chromium to drive; else scripts/ensure-chromium.sh picks it
//                                (CHROMIUM_PATH, then /usr/bin/chromium), as the e2e tests do
// Nothing goes to the internet: Lighthouse's error reporting is off, Chromium resolves no name but
// 127.0.0.1, and the page's own requests are listed (any to another origin is shown).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchEnv, freePort, serverControl, stepper } from "./bench-lib.js";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const FLOOR_SCORE = 0.98;
const FLOOR_LCP_MS = 1500;
const PAGE = "/s/satisfaction-2026?unit=C01";
// The page's language comes from ?lng= (then the cookie, then Accept-Language, which would be
// Chromium's English here), so Chinese is asked for explicitly too.
const LANGUAGES = [
  { code: "zh-Hans", label: "zh" },
  { code: "ug", label: "ug" },
];
// The resolver rule keeps Chromium's own background requests (sign-in, updates: accounts.google.com,
// update.googleapis.com, clients2.google.com, seen with strace) off the network: they fail in
// Chromium, without a DNS query. The page is on 127.0.0.1, which the rule leaves alone.
const CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'";
const benchDir = path.join(root, "tmp/bench-lighthouse");
const dbFile = path.join(benchDir, "bench.db");
const serverLog = path.join(benchDir, "server.log");
const bin = (name) => path.join(root, "node_modules/.bin", name);
// CHECKPOINT_DISABLE: the Prisma CLI's version check (checkpoint.prisma.io) stays off.
const env = benchEnv(dbFile, { SEED_MODE: "demo" });
const step = stepper(env);
const { startServer, stopServer } = serverControl(env, serverLog);

function chromePath() {
  if (process.env.CHROME_PATH) return process.env.CHROME_PATH;
  const r = spawnSync("bash", [path.join(root, "scripts/ensure-chromium.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (r.status !== 0) throw new Error("scripts/ensure-chromium.sh found no Chromium");
  return r.stdout.trim().split("\n").at(-1);
}

/** One Lighthouse run (a fresh Chromium profile each time); resolves to its report (LHR). */
function lighthouse(url, reportFile, chrome) {
  const args = [
    url, "--only-categories=performance", "--output=json", `--output-path=${reportFile}`, "--quiet",
    "--no-enable-error-reporting", `--chrome-flags=${CHROME_FLAGS}`,
  ];
  return new Promise((resolve, reject) => {
    let stderr = "";
    const child = spawn(bin("lighthouse"), args, { env: { ...process.env, CHROME_PATH: chrome }, stdio: ["ignore", "ignore", "pipe"] });
    child.stderr.on("data", (d) => (stderr += d));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`lighthouse exited with ${code}:\n${stderr.slice(-2000)}`));
      const lhr = JSON.parse(fs.readFileSync(reportFile, "utf8"));
      if (lhr.runtimeError) return reject(new Error(`lighthouse: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`));
      resolve(lhr);
    });
  });
}

function figures(lhr, origin) {
  const audit = (id) => lhr.audits[id]?.numericValue ?? NaN;
  const requests = lhr.audits["network-requests"]?.details?.items ?? [];
  const sum = (items) => items.reduce((s, r) => s + (r.transferSize ?? 0), 0);
  return {
    score: lhr.categories.performance.score,
    lcpMs: audit("largest-contentful-paint"),
    fcpMs: audit("first-contentful-paint"),
    tbtMs: audit("total-blocking-time"),
    cls: audit("cumulative-layout-shift"),
    speedIndexMs: audit("speed-index"),
    transferBytes: sum(requests),
    jsBytes: sum(requests.filter((r) => r.resourceType === "Script")),
    requests: requests.length,
    otherOrigins: requests.map((r) => r.url).filter((u) => !u.startsWith(origin) && !u.startsWith("data:")),
    benchmarkIndex: lhr.environment?.benchmarkIndex ?? null,
    warnings: lhr.runWarnings ?? [],
  };
}

const median = (values) => {
  const v = [...values].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

async function main() {
  const chrome = chromePath();
  const version = spawnSync(chrome, ["--version"], { encoding: "utf8" }).stdout.trim();
  const lhVersion = JSON.parse(fs.readFileSync(path.join(root, "node_modules/lighthouse/package.json"), "utf8")).version;
  console.log(`Lighthouse ${lhVersion}, default mobile profile (simulated throttling), performance only; ${RUNS} runs per language`);
  console.log(`Chromium: ${chrome} (${version}), flags ${CHROME_FLAGS}`);
  console.log(`Load average at the start: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} (${os.availableParallelism()} CPU cores)\n`);
  if (process.env.BENCH_BUILD === "0") console.log("• Using the existing build/ (BENCH_BUILD=0)");
  else step("Building the production app", "npm", ["run", "build"]);
  fs.mkdirSync(benchDir, { recursive: true });
  for (const f of fs.readdirSync(benchDir)) fs.rmSync(path.join(benchDir, f), { recursive: true, force: true });
  step("Creating tmp/bench-lighthouse/bench.db (prisma migrate deploy)", bin("prisma"), ["migrate", "deploy"]);
  step("Seeding the demo region and its demo responses", bin("tsx"), ["prisma/seed.ts"]);
  const origin = await startServer(await freePort());
  console.log(`• Server up at ${origin} (log: tmp/bench-lighthouse/server.log)`);

  // The page answers 200 in the language asked for (not the unit chooser, not another language).
  for (const lang of LANGUAGES) {
    const res = await fetch(`${origin}${PAGE}&lng=${lang.code}`);
    const html = await res.text();
    if (res.status !== 200 || !html.includes(`lang="${lang.code}"`)) throw new Error(`${PAGE}&lng=${lang.code}: HTTP ${res.status}, not a page in ${lang.code}`);
  }

  const runs = Object.fromEntries(LANGUAGES.map((l) => [l.label, []]));
  for (let i = 1; i <= RUNS; i++) {
    for (const lang of LANGUAGES) {
      const url = `${origin}${PAGE}&lng=${lang.code}`;
      const report = path.join(benchDir, `${lang.label}-${i}.report.json`);
      process.stdout.write(`• Lighthouse ${lang.label} run ${i}/${RUNS}… `);
      const started = Date.now();
      const f = figures(await lighthouse(url, report, chrome), origin);
      runs[lang.label].push(f);
      console.log(`score ${Math.round(f.score * 100)}, LCP ${Math.round(f.lcpMs)} ms (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
  }
  await stopServer();

  const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
  const ms = (v) => `${Math.round(v)} ms`;
  const results = {};
  const checks = [];
  console.log(`\nResults (median of ${RUNS} runs; range in brackets)`);
  for (const lang of LANGUAGES) {
    const list = runs[lang.label];
    const m = (key) => median(list.map((f) => f[key]));
    const range = (key, fmt) => `[${fmt(Math.min(...list.map((f) => f[key])))}–${fmt(Math.max(...list.map((f) => f[key])))}]`;
    const r = {
      url: `${PAGE}&lng=${lang.code}`, score: m("score"), lcpMs: m("lcpMs"), fcpMs: m("fcpMs"), tbtMs: m("tbtMs"), cls: m("cls"),
      speedIndexMs: m("speedIndexMs"), transferBytes: m("transferBytes"), jsBytes: m("jsBytes"), requests: m("requests"),
      benchmarkIndex: m("benchmarkIndex"), otherOrigins: [...new Set(list.flatMap((f) => f.otherOrigins))],
      warnings: [...new Set(list.flatMap((f) => f.warnings))], runs: list.map(({ warnings, otherOrigins, ...f }) => f),
    };
    results[lang.label] = r;
    console.log(`  ${lang.label} (${r.url})`);
    for (const [label, value] of [
      ["performance score", `${Math.round(r.score * 100)} ${range("score", (v) => Math.round(v * 100))}`],
      ["largest contentful paint", `${ms(r.lcpMs)} ${range("lcpMs", ms)}`],
      ["first contentful paint", `${ms(r.fcpMs)} ${range("fcpMs", ms)}`],
      ["total blocking time", `${ms(r.tbtMs)} ${range("tbtMs", ms)}`],
      ["cumulative layout shift", `${r.cls.toFixed(3)} ${range("cls", (v) => v.toFixed(3))}`],
      ["speed index", `${ms(r.speedIndexMs)} ${range("speedIndexMs", ms)}`],
      ["transferred: all / JavaScript", `${kb(r.transferBytes)} / ${kb(r.jsBytes)} (${r.requests} requests)`],
      ["requests to other origins", r.otherOrigins.length ? r.otherOrigins.join(" ") : "none"],
      ["Lighthouse's CPU benchmark index", Math.round(r.benchmarkIndex)],
      ...r.warnings.map((w) => ["warning", w]),
    ]) console.log(`    ${label.padEnd(34)} ${value}`);
    checks.push(
      { name: `${lang.label}: performance >= ${FLOOR_SCORE}`, value: r.score.toFixed(2), pass: r.score >= FLOOR_SCORE },
      { name: `${lang.label}: LCP <= ${FLOOR_LCP_MS / 1000} s`, value: `${(r.lcpMs / 1000).toFixed(2)} s`, pass: r.lcpMs <= FLOOR_LCP_MS },
    );
  }
  console.log("\nFloors (on the medians)");
  for (const c of checks) console.log(`  ${c.pass ? "PASS" : "FAIL"}  ${c.name.padEnd(30)} ${c.value}`);
  console.log(`\nReports: tmp/bench-lighthouse/*.report.json. Load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);

  fs.mkdirSync("bench-results", { recursive: true });
  const out = { date: new Date().toISOString(), lighthouse: lhVersion, chromium: version, chromeFlags: CHROME_FLAGS, runsPerLanguage: RUNS, loadavg: os.loadavg(), results, checks };
  fs.writeFileSync("bench-results/lighthouse-latest.json", JSON.stringify(out, null, 2) + "\n");
  console.log("Figures written to bench-results/lighthouse-latest.json");
  return checks.every((c) => c.pass) ? 0 : 1;
}

main()
  .then(async (code) => (await stopServer(), process.exit(code)))
  .catch(async (err) => {
    console.error(`\nLighthouse benchmark failed: ${err.stack ?? err}`);
    await stopServer();
    process.exit(1);
  });
