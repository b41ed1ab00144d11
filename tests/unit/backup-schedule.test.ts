// Scheduled backups: names sort by time, only the schedule's own files are pruned, a backup is
// due once per interval, the lock lets one process in and takes over only a stale one, and two
// processes checking at once write one archive between them.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { verifyArchive } from "#app/services/backup/archive.server";
import { acquireLock, lockIsStale } from "#app/services/backup/lock.server";
import { backupDue, backupsToPrune, latestScheduled, manualName, preMigrationName, scheduledName, scheduledTime } from "#app/services/backup/names.server";
import { scheduledRound } from "#app/services/backup/schedule.server";
import { getEnv } from "#app/lib/env.server";
import { backupFixture } from "./support/backup-fixture";

const HOUR = 3600_000;
const at = (iso: string) => new Date(iso);
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-schedule-"));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("backup names and pruning", () => {
  it("names archives by UTC time to the second, so they sort by time", () => {
    expect(scheduledName(at("2026-12-01T03:04:05.678Z"))).toBe("scheduled-20261201T030405Z.tar.gz");
    expect(manualName(at("2026-12-01T03:04:05Z"))).toBe("manual-20261201T030405Z.tar.gz");
    expect(preMigrationName(at("2026-12-01T03:04:05Z"), "20261202090000_retention")).toBe("pre-migration-20261201T030405Z-before-20261202090000_retention.tar.gz");
    expect(scheduledTime("scheduled-20261201T030405Z.tar.gz")).toEqual(at("2026-12-01T03:04:05Z"));
    expect(scheduledTime("manual-20261201T030405Z.tar.gz")).toBeNull();
    expect(scheduledTime("scheduled-20261301T030405Z.tar.gz")).toBeNull();
    const names = ["scheduled-20261130T030000Z.tar.gz", "scheduled-20261201T030000Z.tar.gz", "manual-20261202T000000Z.tar.gz"];
    expect(latestScheduled(names)).toEqual(at("2026-12-01T03:00:00Z"));
    expect(latestScheduled(["notes.txt"])).toBeNull();
  });

  it("prunes only scheduled archives beyond the newest KEEP, never manual, pre-migration or foreign files", () => {
    const names = [
      "scheduled-20261128T030000Z.tar.gz",
      "scheduled-20261201T030000Z.tar.gz",
      "manual-20261101T000000Z.tar.gz",
      "scheduled-20261130T030000Z.tar.gz",
      "pre-migration-20261001T000000Z-before-x.tar.gz",
      "scheduled-20261129T030000Z.tar.gz",
      "scheduled-20261129T030000Z.tar.gz.keep",
      "README.txt",
      ".backup.lock",
    ];
    expect(backupsToPrune(names, 2)).toEqual(["scheduled-20261129T030000Z.tar.gz", "scheduled-20261128T030000Z.tar.gz"]);
    expect(backupsToPrune(names, 14)).toEqual([]);
    expect(backupsToPrune(names, 0)).toHaveLength(3); // the newest is always kept
  });

  it("is due once the interval has passed (less the check's period), and at once with none yet", () => {
    expect(backupDue(null, at("2026-12-01T00:00:00Z"), 24 * HOUR)).toBe(true);
    expect(backupDue(at("2026-11-30T03:00:00Z"), at("2026-12-01T02:59:59Z"), 24 * HOUR)).toBe(false);
    expect(backupDue(at("2026-11-30T03:00:00Z"), at("2026-12-01T03:00:00Z"), 24 * HOUR)).toBe(true);
    expect(backupDue(at("2026-11-30T03:00:00Z"), at("2026-12-01T02:56:00Z"), 24 * HOUR, 5 * 60_000)).toBe(true);
  });

  it("reads the schedule's settings with their defaults and refuses wrong ones", () => {
    const base = { SESSION_SECRET: "s".repeat(40) };
    const env = getEnv(base);
    expect([env.BACKUP_DIR, env.BACKUP_INTERVAL_HOURS, env.BACKUP_KEEP]).toEqual([undefined, 24, 14]);
    expect(getEnv({ ...base, BACKUP_DIR: "/srv/backups", BACKUP_INTERVAL_HOURS: "6", BACKUP_KEEP: "28" })).toMatchObject({ BACKUP_DIR: "/srv/backups", BACKUP_INTERVAL_HOURS: 6, BACKUP_KEEP: 28 });
    expect(() => getEnv({ ...base, BACKUP_KEEP: "0" })).toThrowError(/BACKUP_KEEP/);
    expect(() => getEnv({ ...base, BACKUP_INTERVAL_HOURS: "never" })).toThrowError(/BACKUP_INTERVAL_HOURS/);
  });
});

describe("the backup lock", () => {
  const self = { host: "app-1", isAlive: (pid: number) => pid === 100 };
  it("is stale when untouched too long, or when its process on this machine is gone", () => {
    const info = { pid: 100, host: "app-1", at: "", token: "t" };
    expect(lockIsStale(info, 0, 60_000, self, 600_000)).toBe(false);
    expect(lockIsStale(info, 0, 600_001, self, 600_000)).toBe(true);
    expect(lockIsStale({ ...info, pid: 200 }, 0, 1000, self, 600_000)).toBe(true);
    // Another machine's process cannot be asked: only the age counts.
    expect(lockIsStale({ ...info, pid: 200, host: "app-2" }, 0, 1000, self, 600_000)).toBe(false);
    // Unreadable (being written this instant): only the age counts.
    expect(lockIsStale(null, 0, 1000, self, 600_000)).toBe(false);
  });

  it("lets one holder in, refuses the others, and is free again once released", () => {
    const file = path.join(tempDir(), ".backup.lock");
    const first = acquireLock(file, { staleMs: 600_000 });
    expect(first).not.toBeNull();
    expect(acquireLock(file, { staleMs: 600_000 })).toBeNull();
    first!.release();
    expect(fs.existsSync(file)).toBe(false);
    const second = acquireLock(file, { staleMs: 600_000 });
    expect(second).not.toBeNull();
    // A holder whose lock was taken over does not remove its successor's.
    first!.release();
    expect(fs.existsSync(file)).toBe(true);
    second!.release();
  });

  it("is taken over from a dead process of this machine, and from any holder silent past the stale age", () => {
    const file = path.join(tempDir(), ".backup.lock");
    fs.writeFileSync(file, JSON.stringify({ pid: 999_999_999, host: os.hostname(), at: "2026-01-01T00:00:00Z", token: "dead" }));
    const taken = acquireLock(file, { staleMs: 600_000 });
    expect(taken).not.toBeNull();
    expect(JSON.parse(fs.readFileSync(file, "utf8")).token).toBe(taken!.info.token);
    taken!.release();

    fs.writeFileSync(file, JSON.stringify({ pid: 1, host: "another-machine", at: "2026-01-01T00:00:00Z", token: "far" }));
    const now = Date.now();
    expect(acquireLock(file, { staleMs: 600_000, now: () => now })).toBeNull();
    const later = acquireLock(file, { staleMs: 600_000, now: () => now + 600_001 });
    expect(later).not.toBeNull();
    expect(fs.readdirSync(path.dirname(file))).toEqual([".backup.lock"]);
  });
});

describe("a scheduled round", () => {
  it("takes one backup when due, none when not, prunes beyond KEEP, and two processes at once write one archive", async () => {
    const fx = backupFixture("backup-round", { photos: 2 });
    cleanups.push(fx.cleanup);
    const dir = path.join(fx.dir, "backups");
    let clock = at("2026-12-01T03:00:00Z");
    const opts = { dir, intervalMs: 24 * HOUR, keep: 2, databaseFile: fx.dbFile, uploadDir: fx.uploadDir, now: () => clock };

    // Two app processes check at the same moment (as after a restart of both).
    const [a, b] = await Promise.all([scheduledRound(opts), scheduledRound(opts)]);
    expect([a.outcome, b.outcome].sort()).toEqual(["locked", "taken"]);
    expect(fs.readdirSync(dir)).toEqual(["scheduled-20261201T030000Z.tar.gz"]);
    expect((await verifyArchive(path.join(dir, "scheduled-20261201T030000Z.tar.gz"))).ok).toBe(true);

    clock = at("2026-12-02T02:00:00Z");
    expect((await scheduledRound(opts)).outcome).toBe("not-due");

    fs.writeFileSync(path.join(dir, "manual-20261101T000000Z.tar.gz"), "an operator's own");
    for (const day of ["02", "03", "04"]) {
      clock = at(`2026-12-${day}T03:00:00Z`);
      const r = await scheduledRound(opts);
      expect(r.outcome).toBe("taken");
    }
    expect(fs.readdirSync(dir).sort()).toEqual(["manual-20261101T000000Z.tar.gz", "scheduled-20261203T030000Z.tar.gz", "scheduled-20261204T030000Z.tar.gz"]);
  });

  it("fails with the reason when the database cannot be read, and leaves no partial archive", async () => {
    const dir = tempDir();
    await expect(
      scheduledRound({ dir, intervalMs: HOUR, keep: 2, databaseFile: path.join(dir, "missing.db"), uploadDir: dir }),
    ).rejects.toThrow(/no database at/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
