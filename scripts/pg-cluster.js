#!/usr/bin/env node
// Throwaway PostgreSQL clusters for tests, the load test and the bench (ADR 0026, stage 1).
//
//   import { startCluster } from "./pg-cluster.js";
//   const cluster = await startCluster({ database: "civic" });  // cluster.url: postgresql://postgres@127.0.0.1:PORT/civic
//   ...
//   cluster.stop();                                              // also done on exit, SIGINT and SIGTERM
//
//   node scripts/pg-cluster.js start DIR [--database NAME] [--durable]   prints the URL; the cluster outlives the command
//   node scripts/pg-cluster.js stop DIR                                  stops it and deletes DIR
//
// A cluster is a temporary folder holding the data directory, the server log and the Unix socket.
// initdb refuses to run as root, so as root the folder is given to the `postgres` user and the
// server programs run through runuser. Trust authentication on 127.0.0.1 only; a free port; C
// locale (text sorts by bytes, as in SQLite). Unless `durable`, fsync, synchronous_commit and
// full_page_writes are off: functional tests need no crash safety, and it halves the start time.
// The server programs come from PG_BIN, else /usr/lib/postgresql/15/bin, else the newest
// /usr/lib/postgresql/*/bin (scripts/ensure-postgres.sh installs them).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { isMainThread } from "node:worker_threads";

const PG_CTL_TIMEOUT_S = 30;
const STATE_FILE = "cluster.json";

/** The folder holding initdb, pg_ctl and psql; throws naming the installer when there is none. */
export function findPgBin() {
  const explicit = process.env.PG_BIN;
  if (explicit) {
    if (!fs.existsSync(path.join(explicit, "initdb"))) throw new Error(`PG_BIN=${explicit} has no initdb`);
    return explicit;
  }
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root) : [];
  const candidates = [
    "15",
    ...versions.filter((v) => v !== "15").sort((a, b) => Number(b) - Number(a)),
  ].map((v) => path.join(root, v, "bin"));
  const found = candidates.find((bin) => fs.existsSync(path.join(bin, "initdb")));
  if (!found) {
    throw new Error(
      "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run `bash scripts/ensure-postgres.sh`, which `npm test` does first",
    );
  }
  return found;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

function postgresIds() {
  const line = fs
    .readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("postgres:"));
  if (!line) throw new Error("running as root, but there is no `postgres` user to run the server as (install Debian's postgresql package)");
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

function runuserPath() {
  const found = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].find((p) => fs.existsSync(p));
  if (!found) throw new Error("running as root, but runuser is missing (util-linux)");
  return found;
}

/** Runs a server program, as `postgres` when we are root; throws with its output on failure. */
function run(bin, program, args, { cwd }) {
  const command = path.join(bin, program);
  const [file, argv] = isRoot() ? [runuserPath(), ["-u", "postgres", "--", command, ...args]] : [command, args];
  // PG* variables of the caller (PGDATA, PGPORT, PGHOST...) must not steer the throwaway cluster.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("PG")));
  const result = spawnSync(file, argv, { cwd, env: { ...env, LC_ALL: "C" }, encoding: "utf8" });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${program} ${args.join(" ")} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

function logTail(dir) {
  try {
    return fs.readFileSync(path.join(dir, "server.log"), "utf8").split("\n").slice(-20).join("\n");
  } catch {
    return "(no server log)";
  }
}

function stopAt(dir, bin) {
  const dataDir = path.join(dir, "data");
  if (fs.existsSync(path.join(dataDir, "postmaster.pid"))) {
    run(bin, "pg_ctl", ["stop", "-D", dataDir, "-m", "fast", "-w", "-t", String(PG_CTL_TIMEOUT_S)], { cwd: dir });
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

// Clusters started by this process with cleanup on exit; stopped synchronously on the way out.
const live = new Set();
let exitHooked = false;
function hookExit() {
  if (exitHooked) return;
  exitHooked = true;
  const stopAll = () => {
    for (const cluster of [...live]) {
      try {
        cluster.stop();
      } catch (e) {
        process.stderr.write(`pg-cluster: could not stop ${cluster.dir}: ${e.message}\n`);
      }
    }
  };
  process.on("exit", stopAll);
  if (!isMainThread) return; // signals reach only the main thread
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => {
      stopAll();
      process.kill(process.pid, signal); // default action now that our listener is gone
    });
  }
}

/**
 * Creates and starts a cluster with one database; resolves when it accepts TCP connections.
 * @param {{ dir?: string, database?: string, durable?: boolean, stopOnExit?: boolean }} [options]
 */
export async function startCluster({ dir, database = "civic", durable = false, stopOnExit = true } = {}) {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`database name ${JSON.stringify(database)}: use [a-z0-9_] only`);
  const startedAt = performance.now();
  const bin = findPgBin();
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    if (fs.readdirSync(dir).length > 0) throw new Error(`${dir} is not empty`);
    dir = path.resolve(dir);
  } else {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "civic-pg-"));
  }
  const dataDir = path.join(dir, "data");
  let started = false;
  try {
    if (isRoot()) {
      const { uid, gid } = postgresIds();
      fs.chownSync(dir, uid, gid);
    }
    fs.chmodSync(dir, 0o700);
    run(bin, "initdb", ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"], { cwd: dir });
    const settings = {
      listen_addresses: "'127.0.0.1'",
      unix_socket_directories: `'${dir}'`,
      logging_collector: "off",
      ...(durable ? {} : { fsync: "off", synchronous_commit: "off", full_page_writes: "off" }),
    };
    // A free port can be taken between our probe and the server's bind: try a few.
    let port;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const conf = Object.entries({ ...settings, port }).map(([k, v]) => `${k} = ${v}`).join("\n");
      // Appended (the file stays the server's): the last setting of a name wins.
      fs.appendFileSync(path.join(dataDir, "postgresql.conf"), `\n# scripts/pg-cluster.js\n${conf}\n`);
      try {
        run(bin, "pg_ctl", ["start", "-D", dataDir, "-l", path.join(dir, "server.log"), "-w", "-t", String(PG_CTL_TIMEOUT_S)], { cwd: dir });
        started = true;
        break;
      } catch (e) {
        if (attempt >= 3 || !/could not bind|already in use/i.test(logTail(dir))) throw e;
      }
    }
    // Over TCP, as the app connects: proves the listener, not only the socket pg_ctl waited on.
    run(bin, "psql", ["-X", "-q", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "postgres", "-c", `CREATE DATABASE "${database}"`], { cwd: dir });
    const cluster = {
      dir,
      dataDir,
      bin,
      port,
      database,
      url: `postgresql://postgres@127.0.0.1:${port}/${database}`,
      startMs: Math.round(performance.now() - startedAt),
      stopped: false,
      /** Stops the server (fast shutdown) and deletes the folder; synchronous, so safe in exit hooks. */
      stop() {
        if (cluster.stopped) return;
        cluster.stopped = true;
        live.delete(cluster);
        stopAt(dir, bin);
      },
    };
    fs.writeFileSync(path.join(dir, STATE_FILE), JSON.stringify({ url: cluster.url, port, database, bin }, null, 2));
    if (stopOnExit) {
      hookExit();
      live.add(cluster);
    }
    return cluster;
  } catch (e) {
    const log = started || fs.existsSync(path.join(dir, "server.log")) ? `\nserver log:\n${logTail(dir)}` : "";
    try {
      stopAt(dir, bin);
    } catch {
      // the original error matters more
    }
    throw new Error(`could not start a PostgreSQL cluster with ${bin}: ${e.message}${log}`);
  }
}

/** Stops the cluster that `start DIR` left running and deletes DIR. */
export function stopCluster(dir) {
  const state = path.join(dir, STATE_FILE);
  const bin = fs.existsSync(state) ? JSON.parse(fs.readFileSync(state, "utf8")).bin : findPgBin();
  stopAt(path.resolve(dir), bin);
}

async function cli([command, dir, ...rest]) {
  if (!["start", "stop"].includes(command) || !dir) {
    console.error("usage: node scripts/pg-cluster.js start DIR [--database NAME] [--durable] | stop DIR");
    return 2;
  }
  if (command === "stop") {
    stopCluster(dir);
    return 0;
  }
  const at = rest.indexOf("--database");
  const database = at >= 0 ? rest[at + 1] : undefined;
  const cluster = await startCluster({ dir, database, durable: rest.includes("--durable"), stopOnExit: false });
  console.error(`pg-cluster: PostgreSQL (${cluster.bin}) ready on port ${cluster.port} in ${cluster.startMs} ms`);
  console.log(cluster.url);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  cli(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      console.error(`pg-cluster: ${e.message}`);
      process.exitCode = 1;
    },
  );
}
