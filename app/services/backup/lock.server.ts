// One scheduled backup at a time across every app process that shares BACKUP_DIR (issue 16: several
// app servers on one database): a lock file created with O_EXCL, touched while its backup runs.
// It is stale, and may be taken over, when its process is gone (same machine) or when it has not
// been touched for `staleMs` (a process on another machine, or one that hung). The worst case of
// two processes taking over one stale lock at once is one extra backup, never a torn one: each
// backup writes its own temporary file and renames it into place.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";

export interface LockInfo {
  pid: number;
  host: string;
  /** When it was taken (ISO). */
  at: string;
  token: string;
}

export interface LockOptions {
  staleMs: number;
  now?: () => number;
  host?: string;
  pid?: number;
  /** Whether a process of this machine still runs (default: signal 0). */
  isAlive?: (pid: number) => boolean;
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function parseLock(text: string): LockInfo | null {
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    return typeof v.pid === "number" && typeof v.host === "string" && typeof v.token === "string" ? (v as LockInfo) : null;
  } catch {
    return null;
  }
}

/**
 * Whether a lock found on disk may be taken over. `info` is null when its content cannot be read
 * (it may be being written this instant): then only its age counts.
 */
export function lockIsStale(
  info: LockInfo | null,
  touchedAtMs: number,
  nowMs: number,
  self: { host: string; isAlive: (pid: number) => boolean },
  staleMs: number,
): boolean {
  if (nowMs - touchedAtMs > staleMs) return true;
  return info !== null && info.host === self.host && !self.isAlive(info.pid);
}

export interface HeldLock {
  info: LockInfo;
  /** Marks the lock as still in use (call more often than staleMs). */
  touch(): void;
  /** Removes the lock, if it is still this one. */
  release(): void;
}

function tryCreate(file: string, info: LockInfo): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    fs.writeSync(fd, JSON.stringify(info));
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/** Takes the lock, or returns null when another live holder has it. */
export function acquireLock(file: string, opts: LockOptions): HeldLock | null {
  const now = opts.now ?? Date.now;
  const self = { host: opts.host ?? os.hostname(), isAlive: opts.isAlive ?? processIsAlive };
  const info: LockInfo = { pid: opts.pid ?? process.pid, host: self.host, at: new Date(now()).toISOString(), token: randomBytes(8).toString("hex") };
  const held: HeldLock = {
    info,
    touch() {
      const t = new Date(now());
      try {
        fs.utimesSync(file, t, t);
      } catch {
        // Gone (taken over as stale): the backup still finishes; the next round decides anew.
      }
    },
    release() {
      try {
        if (parseLock(fs.readFileSync(file, "utf8"))?.token === info.token) fs.unlinkSync(file);
      } catch {
        // Already gone.
      }
    },
  };
  if (tryCreate(file, info)) return held;

  let text: string;
  let touchedAt: number;
  try {
    text = fs.readFileSync(file, "utf8");
    touchedAt = fs.statSync(file).mtimeMs;
  } catch {
    // Released meanwhile: one more try.
    return tryCreate(file, info) ? held : null;
  }
  if (!lockIsStale(parseLock(text), touchedAt, now(), self, opts.staleMs)) return null;
  // Move the stale lock aside (atomic), and put it back if what moved was not what was judged
  // stale (its holder replaced it in between).
  const aside = `${file}.stale-${info.token}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return null;
  }
  try {
    if (fs.readFileSync(aside, "utf8") !== text) {
      try {
        fs.linkSync(aside, file);
      } catch {
        // Someone else holds a new lock already.
      }
      return null;
    }
  } finally {
    fs.rmSync(aside, { force: true });
  }
  return tryCreate(file, info) ? held : null;
}
