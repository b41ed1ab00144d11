// Pieces shared by the benchmarks (scripts/bench*.js): steps that print their time, a free port,
// a production server and a bare node:http server that are always stopped, autocannon summaries.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The server log's lines that need a look: anything but the JSON lines at info level or below
 * (one per request, the start-up line, domain events; app/lib/log.server.ts).
 */
export function logProblemsIn(text) {
  return text.split("\n").filter((line) => {
    if (!line.trim()) return false;
    try {
      return !["info", "debug", "trace"].includes(JSON.parse(line).level);
    } catch {
      return true;
    }
  });
}

/**
 * The environment every benchmark's server and steps run with: production, its own SQLite file,
 * a fixed secret (so a run neither reads nor creates data/session-secret), and no call to Prisma's
 * version-check server. `extra` adds or overrides (SEED_MODE, TRUST_PROXY, …).
 */
export function benchEnv(dbFile, extra = {}) {
  return {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: `file:${dbFile}`,
    SESSION_SECRET: "bench-only-secret-0123456789-abcdefghijkl",
    CHECKPOINT_DISABLE: "1",
    ...extra,
  };
}

/** Runs a command as a labelled step with the benchmark's environment; throws when it fails. */
export function stepper(env) {
  return function step(label, cmd, args) {
    process.stdout.write(`• ${label}… `);
    const started = Date.now();
    const r = spawnSync(cmd, args, { env, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${label} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    const seconds = (Date.now() - started) / 1000;
    console.log(`done in ${seconds.toFixed(1)} s`);
    return { seconds, stdout: r.stdout };
  };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Servers the benchmarks start as child processes; all of them are stopped on Ctrl-C.
const children = new Set();
let signalsHandled = false;
function handleSignals() {
  if (signalsHandled) return;
  signalsHandled = true;
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => Promise.all([...children].map((stop) => stop())).then(() => process.exit(130)));
  }
}

/** A server in its own process, up once `readyPath` answers 2xx; stopped on success, error and Ctrl-C. */
function childServer(args, env, logFile, readyPath) {
  let server = null;
  let stopping = false;
  function stop() {
    stopping = true;
    if (!server || server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const force = setTimeout(() => server.kill("SIGKILL"), 5000);
      server.once("exit", () => (clearTimeout(force), resolve()));
      server.kill("SIGTERM");
    });
  }
  children.add(stop);
  handleSignals();

  async function start(port, pollMs = 150) {
    const log = fs.openSync(logFile, "w");
    server = spawn(process.execPath, args, { env: { ...env, HOST: "127.0.0.1", PORT: String(port) }, stdio: ["ignore", log, log] });
    server.once("exit", (code, signal) => {
      if (!stopping) console.error(`\n!! A server exited during the benchmark (code ${code}, signal ${signal}); see ${logFile}`);
    });
    const url = `http://127.0.0.1:${port}`;
    for (const deadline = Date.now() + 30_000; ; await sleep(pollMs)) {
      try {
        if ((await fetch(`${url}${readyPath}`)).ok) return url;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the server did not start (see ${logFile})`);
    }
  }
  return { start, stop };
}

/** The production server as `npm start` runs it: the compiled build (scripts/build-server.js). */
export const SERVER_ARGS = ["--enable-source-maps", "build/app-server.js"];

/** Starts the production server on the benchmark's database; it is stopped on success, error and Ctrl-C. */
export function serverControl(env, serverLog, args = SERVER_ARGS) {
  const { start, stop } = childServer(args, env, serverLog, "/healthz");
  return { startServer: start, stopServer: stop };
}

// The yardstick for the app's request rates: node:http answering a small fixed page (200,
// keep-alive, as Node keeps connections open by default), with nothing else in the process.
const BARE_SERVER = `
const http = require("node:http");
const body = Buffer.from('<!doctype html><html lang="en"><meta charset="utf-8"><title>bare</title><p>A fixed page from node:http.</p></html>');
http.createServer((req, res) => {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": body.length });
  res.end(body);
}).listen(Number(process.env.PORT), process.env.HOST);
`;

/** A bare node:http server in its own process (like the app's), to measure with the same load. */
export function bareServerControl(logFile) {
  const { start, stop } = childServer(["-e", BARE_SERVER], { PATH: process.env.PATH }, logFile, "/");
  return { startBare: start, stopBare: stop };
}

export const summarize = (r) => ({
  rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, duration: r.duration, non2xx: r.non2xx, errors: r.errors,
  statuses: Object.fromEntries(Object.entries(r.statusCodeStats).map(([s, v]) => [s, v.count])),
});
