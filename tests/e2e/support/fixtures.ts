import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";
import { kioskPayload } from "../../../app/domain/kiosk";
import { sign } from "../../../app/lib/signing.server";
import { openTestDb, testDatabaseKind, type TestDb } from "./db";
import { TEST_MAIL_FROM } from "./mail";
import { e2eDir, projectRoot, TEST_SECRET, templateDb } from "./paths";
import { testServerDatabase } from "./pg-cluster";

interface WorkerServer {
  url: string;
  /** The server's DATABASE_URL: its SQLite file, or its own database on the run's PostgreSQL cluster. */
  databaseUrl: string;
  /** The SQLite file (SQLite only: empty on PostgreSQL). */
  dbFile: string;
  uploadDir: string;
}

/** Which database the test servers run on: the project "pg" sets `database: "postgres"` (playwright.config.ts). */
export interface DatabaseOption {
  database: "sqlite" | "postgres";
}

// Statuses the app answers on purpose (validation 400, refused 403, 404, repeat 409, closed 410,
// too large 413, slowed down 429): Chromium logs them as console errors for pages and form
// fetches; tests assert them. A failing script, style sheet or image is never excused.
const EXPECTED_STATUS_LOG = /Failed to load resource: the server responded with a status of (400|403|404|409|410|413|429)/;
const isAsset = (url: string) => /\/assets\/|\.(js|css|png|svg|ico|woff2?)(\?|$)/.test(url);

/**
 * A production server on its own copy of the template database and its own upload folder, on a
 * free port. Each worker gets one (the `server` fixture); a test that needs other settings (e.g.
 * TRUST_PROXY=1 to act from several networks) starts its own with `env`. It sends e-mail to the
 * run's SMTP sink (global-setup.ts, mail.ts) unless `mail: false`. On PostgreSQL (the project
 * "pg") its database is a copy of the run's template database on the run's cluster (pg-cluster.ts).
 */
export async function startServer(
  name: string,
  env: Record<string, string> = {},
  { mail = true, reuse = false }: { mail?: boolean; reuse?: boolean } = {},
): Promise<
  WorkerServer & { stop: () => void; crash: () => Promise<void>; terminate: () => Promise<number | null>; output: () => string }
> {
  const postgres = testDatabaseKind() === "postgres";
  const dbFile = postgres ? "" : path.join(e2eDir, `${name}.db`);
  const uploadDir = path.join(e2eDir, `uploads-${name}`);
  // `reuse`: a restart on the database and uploads the server of that name left behind.
  if (!reuse) {
    if (!postgres) {
      for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(dbFile + suffix, { force: true });
      fs.copyFileSync(templateDb, dbFile);
    }
    fs.rmSync(uploadDir, { recursive: true, force: true });
  }
  const databaseUrl = postgres ? await testServerDatabase(name, { reuse }) : `file:${dbFile}`;
  const smtpPort = process.env.E2E_SMTP_PORT;
  if (mail && !smtpPort) throw new Error("E2E_SMTP_PORT is not set: the SMTP sink is started by tests/e2e/support/global-setup.ts");
  const { SMTP_URL: _smtp, MAIL_FROM: _from, ...inherited } = process.env;
  const child: ChildProcess = spawn(process.execPath, ["--enable-source-maps", "build/app-server.js"], {
    cwd: projectRoot,
    env: {
      ...inherited,
      ...(mail ? { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, MAIL_FROM: TEST_MAIL_FROM } : {}),
      NODE_ENV: "production",
      PORT: "0", // a free port, reported on stdout: runs side by side cannot collide
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: TEST_SECRET,
      UPLOAD_DIR: uploadDir,
      // The notification sweep (deadlines, invitations, digests) every second, not every minute.
      NOTIFY_SWEEP_SECONDS: "1",
      // No daily retention pass: its audit rows would land in the middle of tests that count rows
      // (tests/e2e/retention.spec.ts runs the pass itself, with the command).
      RETENTION_JOB: "off",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const deadline = Date.now() + 30_000;
  let url = "";
  for (;;) {
    const port = /Listening on http:\/\/[^:]+:(\d+)/.exec(output)?.[1];
    if (port) {
      url = `http://127.0.0.1:${port}`;
      try {
        if ((await fetch(`${url}/healthz`)).ok) break;
      } catch {
        // not ready yet
      }
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill();
      throw new Error(`Test server did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    databaseUrl,
    dbFile,
    uploadDir,
    stop: () => child.kill("SIGTERM"),
    // A graceful stop (server/shutdown.ts): resolves with the exit code once the process is gone.
    terminate: () =>
      new Promise<number | null>((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
        child.kill("SIGTERM");
      }),
    // What the server wrote on stdout and stderr so far (its JSON log lines).
    output: () => output,
    // Killed at once, without a chance to finish anything (a crash, a power cut).
    crash: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
}

export const test = base.extend<
  { consoleErrors: string[]; kioskUrl: (unit: string, kioskId?: string) => string; axe: (page: Page, opts?: { rules?: string[] }) => Promise<void> },
  DatabaseOption & { databaseEnv: void; server: WorkerServer; db: TestDb }
>({
  database: ["sqlite", { option: true, scope: "worker" }],
  // Before any server of the worker starts, the fixture's or a test's own (startServer).
  databaseEnv: [
    async ({ database }, use) => {
      process.env.TEST_DATABASE = database;
      await use();
    },
    { scope: "worker", auto: true },
  ],
  server: [
    async ({}, use, workerInfo) => {
      const server = await startServer(`worker-${workerInfo.parallelIndex}`);
      await use(server);
      server.stop();
    },
    { scope: "worker", timeout: 60_000 },
  ],
  db: [
    async ({ server }, use) => {
      const db = openTestDb(server.databaseUrl);
      await use(db);
      db.close();
    },
    { scope: "worker" },
  ],
  baseURL: async ({ server }, use) => {
    await use(server.url);
  },
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on("console", (msg) => {
      if (msg.type() !== "error") return;
      const expected = EXPECTED_STATUS_LOG.test(msg.text()) && !isAsset(msg.location().url);
      if (!expected) errors.push(`${msg.text()} (${msg.location().url})`);
    });
    page.on("pageerror", (err) => errors.push(`${err.message} (${page.url()})`));
    await use(errors);
    expect(errors, "console errors on the page").toEqual([]);
  },
  kioskUrl: async ({ db }, use) => {
    await use((unit, kioskId = `hall-1-${unit}`) => {
      // A kiosk link works only while its KioskLink row exists and is not revoked: store it first.
      const ids = db
        .prepare(`SELECT s.id AS surveyId, u.id AS unitId FROM Survey s, Unit u WHERE s.slug = 'satisfaction-2026' AND u.code = ?`)
        .get(unit) as { surveyId: number; unitId: number };
      db.prepare(`INSERT INTO KioskLink (surveyId, unitId, kioskId, label, createdAt) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`).run(
        ids.surveyId,
        ids.unitId,
        kioskId,
        `Test ${kioskId}`,
        new Date().toISOString().replace("Z", "+00:00"),
      );
      const row = db.prepare(`SELECT unitId FROM KioskLink WHERE kioskId = ? AND revokedAt IS NULL`).get(kioskId) as { unitId: number } | undefined;
      if (row?.unitId !== ids.unitId) throw new Error(`kiosk id ${kioskId} is revoked or belongs to another unit`);
      const token = sign("kiosk", kioskPayload("satisfaction-2026", unit, kioskId), TEST_SECRET);
      return `/s/satisfaction-2026?${new URLSearchParams({ unit, kiosk: token })}`;
    });
  },
  axe: async ({}, use) => {
    // `rules` turns on rules axe keeps off by default (experimental ones, e.g.
    // label-content-name-mismatch: a control's name must contain its visible text, WCAG 2.5.3).
    await use(async (page, opts = {}) => {
      const extra = Object.fromEntries((opts.rules ?? []).map((r) => [r, { enabled: true }]));
      const results = await new AxeBuilder({ page }).options({ rules: extra }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
      const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(
        serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
        `axe violations on ${page.url()}`,
      ).toEqual([]);
    });
  },
});

export { expect };

/**
 * Waits until the page is interactive: React has hydrated it (root.tsx sets the marker), or, on
 * the rating's lean pages, their own script has set them up (app/enhance/survey.ts).
 */
export async function hydrated(page: Page) {
  await page.waitForSelector("html[data-hydrated=true], html[data-enhanced=true]");
}

export function countResponses(db: TestDb, unitCode?: string): number {
  const row = unitCode
    ? db.prepare(`SELECT COUNT(*) AS n FROM Response r JOIN Unit u ON u.id = r.unitId WHERE u.code = ?`).get(unitCode)
    : db.prepare(`SELECT COUNT(*) AS n FROM Response`).get();
  return (row as { n: number }).n;
}
