// Graceful stop on SIGTERM or SIGINT (systemd, Docker, Ctrl-C, a deploy): nothing a citizen was
// told was accepted is lost, and no request is cut off while the server still listens.
//  1. Every answer from now on says `Connection: close`, so kept-alive clients (a proxy, a phone)
//     stop reusing their connection; for DRAIN_MS the server still listens and serves.
//  2. The listener closes (new connections are refused, so a proxy tries another server); a
//     quarter second later, connections without a request in progress are closed; requests in
//     flight are finished, including submissions waiting in a group-commit batch (their answer
//     waits for the commit).
//  3. The background jobs finish their round (JOBS_WAIT_MS at most), queued writes are committed,
//     the database is closed (checkpointing the WAL), and the process exits 0.
// If that takes longer than SHUTDOWN_TIMEOUT_SECONDS, the remaining connections are cut and the
// process exits 1. A repeated signal changes nothing: under systemd and from a terminal the
// server may receive the same signal twice (directly and from `npm start`).
import type { Server } from "node:http";
import net from "node:net";
import type { Logger } from "pino";

export const DRAIN_MS = 500;
export const IDLE_GRACE_MS = 250;
export const JOBS_WAIT_MS = 5_000;

export interface ShutdownParts {
  server: Server;
  log: Logger;
  timeoutMs: number;
  /** Stops the background jobs; resolves when their rounds under way are done. */
  stopJobs: () => Promise<void>;
  /** Waits for queued writes and closes the database connections. */
  closeDatabases: () => Promise<void>;
  drainMs?: number;
  exit?: (code: number) => void;
}

export interface ShutdownState {
  /** True from the first signal: answers carry `Connection: close`. */
  closing: boolean;
}

export function installShutdown(parts: ShutdownParts): ShutdownState {
  const state: ShutdownState = { closing: false };
  const { server, log, timeoutMs, drainMs = DRAIN_MS, exit = (code) => process.exit(code) } = parts;
  async function stop(signal: string) {
    if (state.closing) return;
    state.closing = true;
    // Shared with the app's modules (the build is a separate module graph): /readyz answers 503
    // from now on, so a load balancer stops sending new work here.
    (globalThis as { __civicShuttingDown?: boolean }).__civicShuttingDown = true;
    const started = Date.now();
    log.info({ event: "shutdown_started", signal, timeoutMs }, "Shutting down: finishing requests in flight");
    const force = setTimeout(() => {
      log.error({ event: "shutdown_timeout", ms: Date.now() - started }, "Shutdown took too long: cutting the remaining connections");
      server.closeAllConnections();
      exit(1);
    }, timeoutMs);
    force.unref();
    try {
      await new Promise((r) => setTimeout(r, Math.min(drainMs, timeoutMs / 2)));
      // The listener only: http.Server's own close() would also cut every connection without a
      // request in progress at once, including one just accepted whose request is on its way.
      // Logged first, so its time is before any effect of the close (the kernel resets connections
      // still in its accept queue at once).
      log.info({ event: "listener_closed", ms: Date.now() - started }, "Stopped accepting connections");
      const closed = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
      // Requests already sent on open connections arrive within IDLE_GRACE_MS and are answered
      // (with `Connection: close`); then connections without a request in progress are closed.
      await new Promise((r) => setTimeout(r, IDLE_GRACE_MS));
      server.closeIdleConnections();
      const idle = setInterval(() => server.closeIdleConnections(), 100);
      await closed;
      clearInterval(idle);
      // A job's round may hang on a provider (an SMTP server that does not answer): wait a little,
      // then go on; an unsent message is sent again after its lease by the next process.
      await Promise.race([parts.stopJobs(), new Promise((r) => setTimeout(r, JOBS_WAIT_MS).unref())]);
      await parts.closeDatabases();
      clearTimeout(force);
      log.info({ event: "shutdown_done", ms: Date.now() - started }, "Stopped");
      exit(0);
    } catch (error) {
      log.error({ event: "shutdown_failed", err: error instanceof Error ? error.message : String(error) }, "Shutdown failed");
      exit(1);
    }
  }
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void stop(signal));
  return state;
}
