// /readyz's problems and /metrics's scrape-time figures (app/services/operations.server.ts), on a
// real database: a migration not applied, a write refused (SQLite's write lock held elsewhere, a
// read-only PostgreSQL database), complaints by status and overdue, notifications pending and failed.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseComplaint } from "#app/domain/complaint-form";
import { renderSql } from "#app/lib/db/postgres.server";
import { freshTestDatabase, testDatabaseKind } from "./support/test-db";

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
    // PostgreSQL's SQLSTATEs: a standby or read-only database, a full disk, a server not listening.
    expect(readinessProblems({ shipped, applied: shipped, writeError: Object.assign(new Error("cannot execute txid_current() in a read-only transaction"), { code: "25006" }) })).toEqual([
      "database not writable (read-only)",
    ]);
    expect(readinessProblems({ shipped, applied: shipped, writeError: Object.assign(new Error("could not extend file"), { code: "53100" }) })).toEqual(["database not writable (disk full)"]);
    expect(readinessProblems({ shipped, applied: shipped, writeError: Object.assign(new Error("connect ECONNREFUSED 10.0.0.5:5432"), { code: "ECONNREFUSED" }) })).toEqual([
      "database not writable (cannot be opened)",
    ]);
    // Never an error's message (it may carry a path) nor a code it does not know.
    expect(readinessProblems({ shipped, applied: shipped, writeError: Object.assign(new Error("/srv/data/app.db: no"), { code: "/srv/data" }) })).toEqual([
      "database not writable",
    ]);
  });
});

describe("on a real database", () => {
  const { dir, dbFile } = freshTestDatabase("metrics-readiness");
  const postgres = testDatabaseKind === "postgres";
  // Scheduled backups on: the newest archive in the folder is the last success.
  const backupDir = path.join(dir, "backups");
  process.env.BACKUP_DIR = backupDir;
  // The migrations shipped for this database (PostgreSQL has its own folder).
  const shipped = fs
    .readdirSync(path.resolve(import.meta.dirname, postgres ? "../../prisma/postgres/migrations" : "../../prisma/migrations"))
    .filter((d) => /^\d+_/.test(d))
    .sort();
  // Another process's connection to the test's database: the SQLite file, or a PostgreSQL session.
  let raw: Database.Database;
  let client: pg.Client;
  /** Runs a statement (portable text, ? placeholders) on that other connection. */
  async function other(sql: string, ...params: (string | number)[]): Promise<void> {
    if (postgres) await client.query(renderSql(sql), params);
    else raw.prepare(sql).run(...params);
  }
  let clock = Date.now();
  // Each check asked a second later than the one before (answers within a second are shared).
  const readyNow = async () => (await import("#app/services/operations.server")).readiness((clock += 1000));

  beforeAll(async () => {
    if (postgres) {
      client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      // `prisma migrate deploy` migrated the template this database was copied from.
    } else {
      raw = new Database(dbFile);
      raw.pragma("busy_timeout = 0");
      // As `prisma migrate deploy` leaves it: every shipped migration finished.
      raw.exec(`CREATE TABLE "_prisma_migrations" (id TEXT PRIMARY KEY NOT NULL, checksum TEXT NOT NULL, finished_at DATETIME, migration_name TEXT NOT NULL,
        logs TEXT, rolled_back_at DATETIME, started_at DATETIME NOT NULL DEFAULT current_timestamp, applied_steps_count INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
      const add = raw.prepare(`INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count) VALUES (?, 'x', current_timestamp, ?, 1)`);
      for (const m of shipped) add.run(m, m);
    }
    const { getDb } = await import("#app/lib/db.server");
    const { seedStructure } = await import("../../prisma/seed-lib");
    await seedStructure(await getDb());
  });
  afterAll(async () => {
    if (postgres) await client.end();
    else raw.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is ready when every shipped migration is applied and the database takes a write", async () => {
    if (postgres) {
      // The probe's transaction takes an id of its own (a real write, refused by a read-only
      // server), though it changes no row: ids move by more than this session's own two.
      const xid = async () => Number((await client.query("SELECT txid_current() AS x")).rows[0].x);
      const before = await xid();
      expect(await readyNow()).toEqual([]);
      expect(await xid()).toBeGreaterThan(before + 1);
    } else {
      const before = raw.pragma("user_version", { simple: true });
      expect(await readyNow()).toEqual([]);
      // The write changed nothing anyone sees.
      expect(raw.pragma("user_version", { simple: true })).toBe(before);
    }
  });

  it("names the migration that is missing, failed or rolled back", async () => {
    const last = shipped.at(-1)!;
    await other(`UPDATE _prisma_migrations SET rolled_back_at = current_timestamp WHERE migration_name = ?`, last);
    expect(await readyNow()).toEqual([`migrations not applied: ${last}`]);
    await other(`UPDATE _prisma_migrations SET rolled_back_at = NULL, finished_at = NULL WHERE migration_name = ?`, last);
    expect(await readyNow()).toEqual([`migrations not applied: ${last}`]);
    await other(`DELETE FROM _prisma_migrations WHERE migration_name = ?`, last);
    expect(await readyNow()).toEqual([`migrations not applied: ${last}`]);
    await other(`INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count) VALUES (?, 'x', current_timestamp, ?, 1)`, last, last);
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

  it("is not ready while the database refuses writes: SQLite's write lock held elsewhere past the busy timeout, a read-only PostgreSQL", async () => {
    if (postgres) {
      // PostgreSQL has no database-wide write lock (the probe waits for no row); what refuses the
      // write is a read-only server or database, as a standby is. Sessions opened from now on are
      // read-only; the open ones (the app's pools) are ended so that the app reconnects.
      const { db } = await import("#app/lib/db.server");
      const pool = (db() as import("#app/lib/db/postgres.server").PostgresDatabase).pool;
      const name = (await client.query("SELECT current_database() AS name")).rows[0].name as string;
      const reconnectAll = async () => {
        await client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        for (let i = 0; i < 200; i++) {
          const left = Number((await client.query("SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")).rows[0].n);
          if (left === 0 && pool.totalCount === 0) return;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        throw new Error("the app's connections were not ended");
      };
      await client.query(`ALTER DATABASE ${name} SET default_transaction_read_only = on`);
      await reconnectAll();
      try {
        expect(await readyNow()).toEqual(["database not writable (read-only)"]);
      } finally {
        await client.query(`ALTER DATABASE ${name} RESET default_transaction_read_only`);
        await reconnectAll();
      }
    } else {
      raw.exec("BEGIN IMMEDIATE");
      try {
        expect(await readyNow()).toEqual(["database not writable (locked by another writer)"]);
      } finally {
        raw.exec("ROLLBACK");
      }
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
    const notify = (...values: string[]) =>
      other(
        `INSERT INTO Notification (messageId, kind, channel, recipient, lang, body, status, dueAt, createdAt) VALUES (?, 'complaint_received', 'email', 'someone@example.org', 'en', 'x', ?, ?, ?)`,
        ...values,
      );
    const now = new Date();
    await notify("m1", "pending", iso(new Date(now.getTime() - 300_000)), iso(now));
    await notify("m2", "pending", iso(new Date(now.getTime() + 3_600_000)), iso(now));
    await notify("m3", "failed", iso(now), iso(now));
    await notify("m4", "sent", iso(now), iso(now));

    const serverSize = async () => Number((await client.query("SELECT pg_database_size(current_database()) AS n")).rows[0].n);
    const sizeBefore = postgres ? await serverSize() : 0;
    const text = await scrapeMetrics(now);
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}"]/g, "\\$&")} (\\S+)$`, "m").exec(text)?.[1]);
    expect(value(`civic_complaints{status="submitted"}`)).toBe(3);
    expect(value(`civic_complaints{status="closed"}`)).toBe(0);
    expect(value("civic_complaints_overdue")).toBe(1);
    expect(value(`civic_notifications{status="pending"}`)).toBe(2);
    expect(value(`civic_notifications{status="failed"}`)).toBe(1);
    expect(value("civic_notifications_oldest_due_seconds")).toBeCloseTo(300, 0);
    if (postgres) {
      // The database as the server counts it (the server may add a page meanwhile); its write-ahead
      // log belongs to the whole server.
      expect(value("civic_database_size_bytes")).toBeGreaterThanOrEqual(sizeBefore);
      expect(value("civic_database_size_bytes")).toBeLessThanOrEqual(await serverSize());
      expect(sizeBefore).toBeGreaterThan(0);
      expect(value("civic_database_wal_size_bytes")).toBe(0);
    } else {
      expect(value("civic_database_size_bytes")).toBe(fs.statSync(dbFile).size);
      expect(value("civic_database_wal_size_bytes")).toBeGreaterThan(0);
    }
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
