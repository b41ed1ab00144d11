// Pieces shared by the benchmarks (scripts/bench.js, scripts/bench-scores.js): steps that print
// their time, a free port, a production server that is always stopped, autocannon summaries.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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

/** Starts the production server on the benchmark's database; it is stopped on success, error and Ctrl-C. */
export function serverControl(env, serverLog) {
  let server = null;
  let stopping = false;
  function stopServer() {
    stopping = true;
    if (!server || server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const force = setTimeout(() => server.kill("SIGKILL"), 5000);
      server.once("exit", () => (clearTimeout(force), resolve()));
      server.kill("SIGTERM");
    });
  }
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stopServer().then(() => process.exit(130)));

  async function startServer(port) {
    const log = fs.openSync(serverLog, "w");
    server = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], { env: { ...env, HOST: "127.0.0.1", PORT: String(port) }, stdio: ["ignore", log, log] });
    server.once("exit", (code, signal) => {
      if (!stopping) console.error(`\n!! The server exited during the benchmark (code ${code}, signal ${signal}); see ${serverLog}`);
    });
    const url = `http://127.0.0.1:${port}`;
    for (const deadline = Date.now() + 30_000; ; await sleep(150)) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) return url;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the server did not start (see ${serverLog})`);
    }
  }
  return { startServer, stopServer };
}

export const summarize = (r) => ({
  rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, duration: r.duration, non2xx: r.non2xx, errors: r.errors,
  statuses: Object.fromEntries(Object.entries(r.statusCodeStats).map(([s, v]) => [s, v.count])),
});
