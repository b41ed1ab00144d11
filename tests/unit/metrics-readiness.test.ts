// /readyz's problems and /metrics's scrape-time figures (app/services/operations.server.ts), on a
// real database: a migration not applied, a write lock held elsewhere, complaints by status and
// overdue, notifications pending and failed.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseComplaint } from "#app/domain/complaint-form";
import { freshTestDatabase } from "./support/test-db";

describe("readiness problems, as words", () => {
  it("name what keeps the platform from taking work", async () => {
    const { readinessProblems } = await import("#app/services/operations.server");
    const shipped = ["1_init", "2_more", "3_last"];
    expect(readinessProblems({ shipped, applied: shipped, writeError: undefined })).toEqual([]);
    expect(readinessProblems({ shipped, applied: ["1_init", "2_more", "0_older_than_the_folder_list"], writeError: undefined })).toEqual(["migrations not applied: 3_last"]);
    expect(readinessProblems({ shipped, applied: null, writeError: undefined })).toEqual(["no migrations applied"]);
    expect(readinessProblems({ shipped: null, applied: shipped, writeError: undefined })).toEqual(["migration list unreadable"]);
    expect(readinessProblems({ shipped, applied: shipped, writeError: Object.assign(new Error("attempt to write a readonly database"), { code: "SQLITE_READONLY" }) })).toEqual([
      "database not writable (read-only)",
    ]);
    expect(readinessProblems({ shipped, applied: shipped, writeError: Object.assign(new Error("disk I/O error"), { code: "SQLITE_IOERR_WRITE" }) })).toEqual([
      "database not writable (input/output error)",
    ]);
    // Never an error's message (it may carry a path) nor a code it does not know.
    expect(readinessProblems({ shipped, applied: shipped, writeError: Object.assign(new Error("/srv/data/app.db: no"), { code: "/srv/data" }) })).toEqual([
      "database not writable",
    ]);
  });
});

describe("on a real database", () => {
  const { dir, dbFile } = freshTestDatabase("metrics-readiness");
  // Scheduled backups on: the newest archive in the folder is the last success.
  const backupDir = path.join(dir, "backups");
  process.env.BACKUP_DIR = backupDir;
  const shipped = fs
    .readdirSync(path.resolve(import.meta.dirname, "../../prisma/migrations"))
    .filter((d) => /^\d+_/.test(d))
    .sort();
  let raw: Database.Database;
  let clock = Date.now();
  // Each check asked a second later than the one before (answers within a second are shared).
  const readyNow = async () => (await import("#app/services/operations.server")).readiness((clock += 1000));

  beforeAll(async () => {
    raw = new Database(dbFile);
    raw.pragma("busy_timeout = 0");
    // As `prisma migrate deploy` leaves it: every shipped migration finished.
    raw.exec(`CREATE TABLE "_prisma_migrations" (id TEXT PRIMARY KEY NOT NULL, checksum TEXT NOT NULL, finished_at DATETIME, migration_name TEXT NOT NULL,
      logs TEXT, rolled_back_at DATETIME, started_at DATETIME NOT NULL DEFAULT current_timestamp, applied_steps_count INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
    const add = raw.prepare(`INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count) VALUES (?, 'x', current_timestamp, ?, 1)`);
    for (const m of shipped) add.run(m, m);
    const { getDb } = await import("#app/lib/db.server");
    const { seedStructure } = await import("../../prisma/seed-lib");
    await seedStructure(await getDb());
  });
  afterAll(() => {
    raw.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is ready when every shipped migration is applied and the database takes a write", async () => {
    const before = raw.pragma("user_version", { simple: true });
    expect(await readyNow()).toEqual([]);
    // The write changed nothing anyone sees.
    expect(raw.pragma("user_version", { simple: true })).toBe(before);
  });

  it("names the migration that is missing, failed or rolled back", async () => {
    const last = shipped.at(-1)!;
    raw.prepare(`UPDATE _prisma_migrations SET rolled_back_at = current_timestamp WHERE migration_name = ?`).run(last);
    expect(await readyNow()).toEqual([`migrations not applied: ${last}`]);
    raw.prepare(`UPDATE _prisma_migrations SET rolled_back_at = NULL, finished_at = NULL WHERE migration_name = ?`).run(last);
    expect(await readyNow()).toEqual([`migrations not applied: ${last}`]);
    raw.prepare(`DELETE FROM _prisma_migrations WHERE migration_name = ?`).run(last);
    expect(await readyNow()).toEqual([`migrations not applied: ${last}`]);
    raw.prepare(`INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count) VALUES (?, 'x', current_timestamp, ?, 1)`).run(last, last);
    expect(await readyNow()).toEqual([]);
  });

  it("answers a flood of probes with one check a second", async () => {
    const { readiness } = await import("#app/services/operations.server");
    const at = (clock += 1000);
    const first = readiness(at);
    expect(readiness(at + 500)).toBe(first);
    const next = readiness((clock = at + 1000));
    expect(next).not.toBe(first);
    await Promise.all([first, next]);
  });

  it("is not ready while another process holds the write lock past the busy timeout", async () => {
    raw.exec("BEGIN IMMEDIATE");
    try {
      expect(await readyNow()).toEqual(["database not writable (locked by another writer)"]);
    } finally {
      raw.exec("ROLLBACK");
    }
    expect(await readyNow()).toEqual([]);
  }, 15_000);

  it("counts complaints by status and overdue, and the outbox's pending and failed messages, at scrape time", async () => {
    const { findUnitByCode } = await import("#app/models/unit.server");
    const { fileComplaint } = await import("#app/models/complaint.server");
    const { scrapeMetrics } = await import("#app/services/operations.server");
    const unit = (await findUnitByCode("D07"))!;
    const parsed = parseComplaint({ unit: "D07", type: "slow_action", description: "The permit took six weeks although the rules say ten days.", anonymous: "yes", consent: "yes" });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const file = (daysAgo: number) => fileComplaint({ input: parsed.data, unitId: unit.id, lang: "en", deviceId: null, ipHash: null, now: new Date(Date.now() - daysAgo * 86_400_000) });
    await file(40); // long past its acceptance deadline
    await file(0);
    await file(0);
    const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");
    const notify = raw.prepare(
      `INSERT INTO Notification (messageId, kind, channel, recipient, lang, body, status, dueAt, createdAt) VALUES (?, 'complaint_received', 'email', 'someone@example.org', 'en', 'x', ?, ?, ?)`,
    );
    const now = new Date();
    notify.run("m1", "pending", iso(new Date(now.getTime() - 300_000)), iso(now));
    notify.run("m2", "pending", iso(new Date(now.getTime() + 3_600_000)), iso(now));
    notify.run("m3", "failed", iso(now), iso(now));
    notify.run("m4", "sent", iso(now), iso(now));

    const text = await scrapeMetrics(now);
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}"]/g, "\\$&")} (\\S+)$`, "m").exec(text)?.[1]);
    expect(value(`civic_complaints{status="submitted"}`)).toBe(3);
    expect(value(`civic_complaints{status="closed"}`)).toBe(0);
    expect(value("civic_complaints_overdue")).toBe(1);
    expect(value(`civic_notifications{status="pending"}`)).toBe(2);
    expect(value(`civic_notifications{status="failed"}`)).toBe(1);
    expect(value("civic_notifications_oldest_due_seconds")).toBeCloseTo(300, 0);
    expect(value("civic_database_size_bytes")).toBe(fs.statSync(dbFile).size);
    expect(value("civic_database_wal_size_bytes")).toBeGreaterThan(0);
    expect(value("civic_backup_configured")).toBe(1);
    expect(value("civic_backup_last_success_timestamp_seconds")).toBe(0);
    fs.mkdirSync(backupDir);
    for (const name of ["scheduled-20261130T030000Z.tar.gz", "scheduled-20261201T030000Z.tar.gz", "notes.txt"]) fs.writeFileSync(path.join(backupDir, name), "");
    const after = await scrapeMetrics(now);
    expect(Number(/^civic_backup_last_success_timestamp_seconds (\S+)$/m.exec(after)?.[1])).toBe(Date.parse("2026-12-01T03:00:00Z") / 1000);
    // Default metrics: event-loop lag and memory, under the same prefix.
    expect(text).toMatch(/^civic_nodejs_eventloop_lag_seconds \S+$/m);
    expect(text).toMatch(/^civic_process_resident_memory_bytes \S+$/m);
    // Nothing of the complaints or the messages themselves.
    expect(text).not.toContain("someone@example.org");
    expect(text).not.toContain("six weeks");
  });
});
