// A retention pass (issue 15, PIPL; docs/decisions/0024, docs/operations.md "Personal data
// retention"): what is due under the settings at a moment, counted (dry run) or erased (apply),
// each kind in small batches under the write lock, with one audit event per kind that erased
// anything (counts and the complaints or periods concerned, never a contact). The daily job runs
// it once per region day, whichever process claims the day first; `npm run retention` runs it by hand.
import {
  dailyPassWindow,
  emptyCounts,
  type RetentionCounts,
  type RetentionCutoffs,
  retentionCutoffs,
  retentionDay,
  type RetentionKind,
  retentionKinds,
  type RetentionSettings,
} from "#app/domain/retention";
import { readCaseLink } from "#app/lib/case-link.server";
import { db, type Sql } from "#app/lib/db.server";
import { type Env, getEnv } from "#app/lib/env.server";
import { logFor } from "#app/lib/log.server";
import { removePhotos } from "#app/lib/photos.server";
import { recordAudit } from "#app/models/audit.server";
import {
  claimDailyPass,
  clearDueComplaintNetworks,
  clearResponseNetworks,
  countDue,
  deleteDueApiCalls,
  deleteDueRecentDevices,
  deleteDueSessions,
  duePhotos,
  eraseContactByCitizen,
  eraseDueContacts,
  eraseDueNotifications,
  forgetPhotos,
  frozenPeriods,
} from "#app/models/retention.server";
import type { LinkRefusal } from "./citizen-case.server";

const log = logFor("retention");

/** Rows per write transaction: a few milliseconds of the write lock each. */
export const RETENTION_BATCH = 500;
/** Complaints per photo batch (at most 3 photos each; the files go before the rows). */
const PHOTO_BATCH = 50;

export function retentionSettings(env: Pick<Env, "RETENTION_CONTACT_MONTHS" | "RETENTION_PHOTO_MONTHS" | "RETENTION_NETWORK_MONTHS" | "RETENTION_API_CALL_DAYS" | "RETENTION_NOTIFICATION_DAYS"> = getEnv()): RetentionSettings {
  return {
    contactMonths: env.RETENTION_CONTACT_MONTHS,
    photoMonths: env.RETENTION_PHOTO_MONTHS,
    networkMonths: env.RETENTION_NETWORK_MONTHS,
    apiCallDays: env.RETENTION_API_CALL_DAYS,
    notificationDays: env.RETENTION_NOTIFICATION_DAYS,
  };
}

export interface RetentionReport {
  apply: boolean;
  counts: RetentionCounts;
  cutoffs: RetentionCutoffs;
  /** False when a stop request ended an applying pass early (the rest is due next time). */
  complete: boolean;
  ms: number;
}

export interface PassOptions {
  apply: boolean;
  now?: Date;
  settings?: RetentionSettings;
  /** daily (the job) or command (npm run retention): recorded with the audit events. */
  trigger?: "daily" | "command";
  /** Asked between batches: true stops an applying pass there (shutdown). */
  stopping?: () => boolean;
  batch?: number;
}

const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs `step` (one batch under the write lock) until it reports no more, or the pass is asked to stop. */
async function inBatches(step: () => Promise<number>, stopping: () => boolean): Promise<boolean> {
  for (;;) {
    if (stopping()) return false;
    if ((await step()) === 0) return true;
    await yieldToOthers();
  }
}

/** One pass at `now`: the counts of what is due (dry run), or of what was erased (apply). */
export async function retentionPass(opts: PassOptions): Promise<RetentionReport> {
  const started = performance.now();
  const now = opts.now ?? new Date();
  const cut = retentionCutoffs(now, opts.settings ?? retentionSettings());
  if (!opts.apply) {
    const counts = await countDue(cut);
    return { apply: false, counts, cutoffs: cut, complete: true, ms: performance.now() - started };
  }
  const stopping = opts.stopping ?? (() => false);
  const limit = opts.batch ?? RETENTION_BATCH;
  const day = retentionDay(now);
  const counts = emptyCounts();
  const audit = async (kind: RetentionKind, data: Record<string, unknown>) => {
    if (!counts[kind]) return;
    await recordAudit({ actorId: null, action: `retention.${kind}`, targetType: "retention", targetId: day, data: { trigger: opts.trigger ?? "command", count: counts[kind], ...data }, at: now });
  };
  let complete = true;
  const run = async (step: () => Promise<number>) => {
    if (complete) complete = await inBatches(step, stopping);
  };

  // Contact details of complaints closed long enough ago (and their waiting messages).
  const contactRefs: string[] = [];
  let cancelled = 0;
  await run(async () => {
    const done = await db().write((tx) => eraseDueContacts(tx, cut, now, limit));
    contactRefs.push(...done.complaints.map((c) => c.reference));
    cancelled += done.cancelled;
    counts.contacts += done.complaints.length;
    return done.complaints.length;
  });
  await audit("contacts", { references: contactRefs, notificationsCancelled: cancelled });

  // Photos: the files first, then the rows (a crash in between leaves rows whose files are gone,
  // which the next pass deletes; never a file nobody knows of).
  const photoRefs: string[] = [];
  await run(async () => {
    const due = await duePhotos(cut, Math.min(limit, PHOTO_BATCH));
    if (!due.length) return 0;
    await removePhotos(due.flatMap((c) => c.photos.map((p) => p.storedName)));
    counts.photos += await db().write((tx) => forgetPhotos(tx, due, now));
    photoRefs.push(...due.map((c) => c.reference));
    return due.length;
  });
  await audit("photos", { complaints: photoRefs.length, references: photoRefs });

  const networkRefs: string[] = [];
  await run(async () => {
    const done = await db().write((tx) => clearDueComplaintNetworks(tx, cut, limit));
    networkRefs.push(...done.map((c) => c.reference));
    counts.complaint_networks += done.length;
    return done.length;
  });
  await audit("complaint_networks", { references: networkRefs });

  // Responses of frozen periods, period by period, walking forward by id.
  const byPeriod: Record<string, number> = {};
  for (const period of await frozenPeriods(cut.periodsClosedBy)) {
    let after = 0;
    await run(async () => {
      const done = await db().write((tx) => clearResponseNetworks(tx, period.id, after, limit));
      if (done.lastId === null) return 0;
      after = done.lastId;
      if (done.cleared) byPeriod[period.code] = (byPeriod[period.code] ?? 0) + done.cleared;
      counts.response_networks += done.cleared;
      return done.cleared || 1;
    });
  }
  await audit("response_networks", { periods: byPeriod });

  const notificationIds: number[] = [];
  await run(async () => {
    const ids = await db().write((tx) => eraseDueNotifications(tx, cut, limit));
    notificationIds.push(...ids);
    counts.notification_recipients += ids.length;
    return ids.length;
  });
  await audit("notification_recipients", { ids: notificationIds });

  const deleting = async (kind: "api_calls" | "sessions" | "recent_devices", step: (tx: Sql, cut: RetentionCutoffs, limit: number) => Promise<number>, before: Date) => {
    await run(async () => {
      const n = await db().write((tx) => step(tx, cut, limit));
      counts[kind] += n;
      return n;
    });
    await audit(kind, { before: before.toISOString() });
  };
  await deleting("api_calls", deleteDueApiCalls, cut.apiCallsBy);
  await deleting("sessions", deleteDueSessions, cut.sessionsExpiredBy);
  await deleting("recent_devices", deleteDueRecentDevices, cut.recentDevicesBy);

  const report = { apply: true, counts, cutoffs: cut, complete, ms: performance.now() - started };
  log.info({ event: "retention.pass", trigger: opts.trigger ?? "command", counts, complete, ms: Math.round(report.ms) }, "retention pass");
  return report;
}

/** Every kind with its count, one per line (the command's output). */
export function formatCounts(counts: RetentionCounts): string {
  const width = Math.max(...retentionKinds.map((k) => k.length));
  return retentionKinds.map((k) => `${k.padEnd(width)}  ${counts[k]}`).join("\n");
}

/** How often the daily job looks at the clock. */
const CHECK_EVERY_MS = 15 * 60_000;
/** Its first look, a little after start-up (not in the way of the first requests). */
const FIRST_CHECK_MS = 60_000;

/**
 * One check of the daily job at `now`: from 03:00 region time, the first process to claim the day
 * runs its pass; any other (or a later check) finds the day taken. Returns the report when it ran.
 */
export async function dailyRetention(now: Date, opts: { stopping?: () => boolean; settings?: RetentionSettings } = {}): Promise<RetentionReport | null> {
  if (!dailyPassWindow(now)) return null;
  const day = retentionDay(now);
  if (!(await db().write((tx) => claimDailyPass(tx, day, now)))) return null;
  return retentionPass({ apply: true, now, trigger: "daily", ...opts });
}

/**
 * Starts the daily job unless RETENTION_JOB=off; returns the stop function, which waits for a pass
 * under way to reach the end of its batch (the rest is done by the next day's pass).
 */
export function startRetentionJob(): () => Promise<void> {
  if (getEnv().RETENTION_JOB === "off") return async () => {};
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const check = () => {
    // A check queued behind a pass may come after the stop: the database is closing then.
    if (stopped) return;
    running = dailyRetention(new Date(), { stopping: () => stopped }).catch((error: unknown) => log.error({ err: error }, "retention pass failed"));
  };
  const first = setTimeout(check, FIRST_CHECK_MS);
  const timer = setInterval(() => void running.then(check), CHECK_EVERY_MS);
  first.unref();
  timer.unref();
  return async () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}

export type CitizenErasure = { done: true; reference: string; cancelled: number } | { done: false };

/** The citizen's request through a case link (the link's complaint and contact hash, checked again by the caller's reading). */
export async function eraseContactForCitizen(complaintId: number, hash: string, now = new Date()): Promise<CitizenErasure> {
  const result = await db().write((tx) => eraseContactByCitizen(tx, complaintId, hash, now));
  if (!result) return { done: false };
  log.info({ event: "complaint.contact_removed", complaintId, cancelled: result.cancelled }, "contact details erased at the citizen's request");
  return { done: true, reference: result.reference, cancelled: result.cancelled };
}

/**
 * The citizen's request from the page a case link opened: the link is read again (signature,
 * expiry), and the complaint must still carry the contact it was sent to.
 */
export async function eraseContactByLink(token: string, now = new Date()): Promise<{ done: true; reference: string } | { refused: LinkRefusal }> {
  const link = readCaseLink(token, now);
  if ("problem" in link) return { refused: link.problem };
  const result = await eraseContactForCitizen(link.complaintId, link.hash, now);
  return result.done ? { done: true, reference: result.reference } : { refused: "unknown" };
}
