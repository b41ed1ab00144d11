// The notification outbox's rows (issue 13; docs/decisions/0016). Rows are written by the code of
// the event that causes them, in its own transaction (`notificationRows` for a Prisma
// transaction); the dispatcher claims due rows with a lease, sends them, and marks them.
//
// The claim is one UPDATE ... WHERE id IN (SELECT ... LIMIT n) RETURNING on SQLite, whose single
// writer makes it atomic: two dispatchers never hold the same row, and a dispatcher that dies
// holding rows loses them to the next claim once the lease has passed. On PostgreSQL (issue 16)
// the inner SELECT ends in `FOR UPDATE SKIP LOCKED` (dialect().skipLocked), so dispatchers in
// several processes skip each other's rows instead of waiting for them.
import { randomUUID } from "node:crypto";
import { backoffMs, earliestSend, MAX_ATTEMPTS, newMessageId, normalizeContact, NOTIFICATION_STATUSES, type NotificationKind, type NotificationStatus } from "#app/domain/notifications";
import { keyedHash } from "#app/lib/signing.server";
import { db, dbDateTime, type Sql } from "#app/lib/db.server";
import { dialect } from "#app/lib/db/dialect.server";
import { getEnv } from "#app/lib/env.server";
import { writeAudit } from "./audit.server";

export interface NewNotification {
  kind: NotificationKind;
  channel: "email" | "sms";
  recipient: string;
  lang: string;
  complaintId?: number | null;
  subject?: string | null;
  body: string;
  template?: { kind: string; params: Record<string, string> } | null;
}

/** The domain in message ids: the platform's public host when configured. */
function messageDomain(): string {
  const origin = getEnv().PUBLIC_ORIGIN;
  return origin ? new URL(origin).hostname : "civic-satisfaction.local";
}

/** Rows for `tx.notification.createMany` in the event's own transaction. */
export function notificationRows(list: readonly NewNotification[], now: Date) {
  return list.map((n) => ({
    messageId: newMessageId(randomUUID(), messageDomain()),
    kind: n.kind,
    channel: n.channel,
    recipient: n.recipient,
    lang: n.lang,
    complaintId: n.complaintId ?? null,
    subject: n.subject ?? null,
    body: n.body,
    template: n.template ?? undefined,
    dueAt: earliestSend(n.channel, now),
  }));
}

export interface ClaimedNotification {
  id: number;
  messageId: string;
  kind: string;
  channel: "email" | "sms";
  recipient: string;
  lang: string;
  subject: string | null;
  body: string;
  template: { kind: string; params: Record<string, string> } | null;
  /** Including this one. */
  attempts: number;
}

/** Claims up to `limit` due rows for `owner` until `now + leaseMs`, in the write transaction `tx`. */
export async function claimDue(tx: Sql, owner: string, now: Date, leaseMs: number, limit: number): Promise<ClaimedNotification[]> {
  const at = dbDateTime(now);
  // A message written about a complaint whose contact details were deleted since (by the citizen
  // or by retention): a staff step read the complaint just before the deletion and wrote it just
  // after. The deletion removes waiting messages; these go the same way, never to the contact.
  await tx.run(
    `DELETE FROM Notification WHERE id IN (
       SELECT n.id FROM Notification n JOIN Complaint c ON c.id = n.complaintId
       WHERE n.status = 'pending' AND n.dueAt <= ? AND c.contactRemovedAt IS NOT NULL)`,
    at,
  );
  const rows = await tx.all<Omit<ClaimedNotification, "template"> & { template: string | null }>(
    `UPDATE Notification SET leaseOwner = ?, leaseUntil = ?, attempts = attempts + 1
     WHERE id IN (
       SELECT id FROM Notification
       WHERE status = 'pending' AND dueAt <= ? AND (leaseUntil IS NULL OR leaseUntil <= ?)
       ORDER BY dueAt, id LIMIT ? ${dialect().skipLocked})
     RETURNING id, messageId, kind, channel, recipient, lang, subject, body, template, attempts`,
    owner,
    dbDateTime(new Date(now.getTime() + leaseMs)),
    at,
    at,
    limit,
  );
  return rows
    .map((r) => ({ ...r, template: r.template ? (JSON.parse(r.template) as ClaimedNotification["template"]) : null }))
    .sort((a, b) => a.id - b.id);
}

/** Sent: kept with the provider's id. Only the claim's owner may mark it (a lapsed claim was taken over). In the write transaction `tx`. */
export async function markSent(tx: Sql, id: number, owner: string, providerId: string | null, now: Date): Promise<boolean> {
  const { changes } = await tx.run(
    `UPDATE Notification SET status = 'sent', sentAt = ?, providerId = ?, leaseUntil = NULL, leaseOwner = NULL, lastError = NULL WHERE id = ? AND leaseOwner = ?`,
    dbDateTime(now),
    providerId,
    id,
    owner,
  );
  return changes === 1;
}

/**
 * Not sent. `retry`: due again after the back-off, until MAX_ATTEMPTS; otherwise (or after the
 * last attempt) failed, visible to administrators. `skipped`: its channel is not configured.
 */
export async function markUnsent(tx: Sql, id: number, owner: string, outcome: { retry: boolean; error: string; skipped?: boolean }, now: Date): Promise<boolean> {
  const attempts = await tx.value<number>(`SELECT attempts FROM Notification WHERE id = ? AND leaseOwner = ?`, id, owner);
  if (attempts === undefined) return false;
  const again = outcome.retry && !outcome.skipped && attempts < MAX_ATTEMPTS;
  const status = outcome.skipped ? "skipped" : again ? "pending" : "failed";
  const dueAt = again ? dbDateTime(new Date(now.getTime() + backoffMs(attempts))) : null;
  await tx.run(
    `UPDATE Notification SET status = ?, lastError = ?, leaseUntil = NULL, leaseOwner = NULL, dueAt = COALESCE(?, dueAt) WHERE id = ? AND leaseOwner = ?`,
    status,
    outcome.error.slice(0, 500),
    dueAt,
    id,
    owner,
  );
  return true;
}

export const NOTIFICATIONS_PAGE_SIZE = 50;

/** One page of the outbox in a status, newest first, with the count of each status. */
export async function listNotifications(status: NotificationStatus, page: number) {
  const counts = Object.fromEntries(NOTIFICATION_STATUSES.map((s) => [s, 0])) as Record<NotificationStatus, number>;
  for (const r of await db().read.all<{ status: NotificationStatus; n: number }>(`SELECT status, COUNT(*) AS n FROM Notification GROUP BY status`)) counts[r.status] = r.n;
  const rows = await db().read.all<{
    id: number;
    kind: string;
    channel: string;
    recipient: string;
    lang: string;
    status: string;
    attempts: number;
    lastError: string | null;
    createdAt: string;
    dueAt: string;
    sentAt: string | null;
    reference: string | null;
  }>(
    `SELECT n.id, n.kind, n.channel, n.recipient, n.lang, n.status, n.attempts, n.lastError, n.createdAt, n.dueAt, n.sentAt, c.reference
     FROM Notification n LEFT JOIN Complaint c ON c.id = n.complaintId
     WHERE n.status = ? ORDER BY n.id DESC LIMIT ? OFFSET ?`,
    status,
    NOTIFICATIONS_PAGE_SIZE + 1,
    (page - 1) * NOTIFICATIONS_PAGE_SIZE,
  );
  return { counts, rows: rows.slice(0, NOTIFICATIONS_PAGE_SIZE), more: rows.length > NOTIFICATIONS_PAGE_SIZE };
}

/**
 * An administrator sends a failed or skipped notification again: due now, with a fresh count of
 * attempts and the same message id; audited, in one transaction. False when it is not failed or
 * skipped (any more), or when retention (or the citizen) erased its address and text
 * (docs/decisions/0024).
 */
export function retryNotification(id: number, actorId: number, now: Date): Promise<boolean> {
  return db().write(async (tx) => {
    const { changes } = await tx.run(
      `UPDATE Notification SET status = 'pending', attempts = 0, dueAt = ?, leaseUntil = NULL, leaseOwner = NULL WHERE id = ? AND status IN ('failed', 'skipped') AND recipient <> ''`,
      dbDateTime(now),
      id,
    );
    if (changes !== 1) return false;
    await writeAudit(tx, { actorId, action: "notification.retry", targetType: "notification", targetId: id, at: now });
    return true;
  });
}

/** The keyed hash a contact's opt-out is kept under (never the contact itself). */
export function contactHash(contact: string): string {
  return keyedHash("contact", normalizeContact(contact)).slice(0, 32);
}

/** Whether this contact asked for no more notifications. */
export async function isOptedOut(contact: string): Promise<boolean> {
  return (await db().read.value(`SELECT 1 FROM NotificationOptOut WHERE contactHash = ?`, contactHash(contact))) !== undefined;
}

/** Records an opt-out (again: no change), in its own transaction. */
export async function optOut(hash: string, now: Date): Promise<void> {
  await db().write((tx) => tx.run(`INSERT INTO NotificationOptOut (contactHash, createdAt) VALUES (?, ?) ON CONFLICT DO NOTHING`, hash, dbDateTime(now)));
}

/** When messages went to this recipient in the hour before `now` (the rate limit's input). */
export async function recentSends(recipient: string, now: Date): Promise<Date[]> {
  const sent = await db().read.pluck<string>(
    `SELECT sentAt FROM Notification WHERE recipient = ? AND sentAt > ? AND status = 'sent'`,
    recipient,
    dbDateTime(new Date(now.getTime() - 3_600_000)),
  );
  return sent.map((s) => new Date(s));
}

/** Held back by the rate limit: due again at `until`, the claim's attempt not counted. In the write transaction `tx`. */
export async function postpone(tx: Sql, id: number, owner: string, until: Date): Promise<boolean> {
  const { changes } = await tx.run(
    `UPDATE Notification SET dueAt = ?, attempts = attempts - 1, leaseUntil = NULL, leaseOwner = NULL WHERE id = ? AND leaseOwner = ?`,
    dbDateTime(until),
    id,
    owner,
  );
  return changes === 1;
}

/** Whether any row is due (a read, outside any write: the idle dispatcher asks it often). */
export async function hasDue(now: Date): Promise<boolean> {
  const at = dbDateTime(now);
  return (
    (await db().read.value(`SELECT 1 FROM Notification WHERE status = 'pending' AND dueAt <= ? AND (leaseUntil IS NULL OR leaseUntil <= ?) LIMIT 1`, at, at)) !== undefined
  );
}
