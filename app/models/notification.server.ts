// The notification outbox's rows (issue 13; docs/decisions/0016). Rows are written by the code of
// the event that causes them, in its own transaction (`notificationRows` for a Prisma
// transaction); the dispatcher claims due rows with a lease, sends them, and marks them.
//
// The claim is one UPDATE ... WHERE id IN (SELECT ... LIMIT n) RETURNING on SQLite, whose single
// writer makes it atomic: two dispatchers never hold the same row, and a dispatcher that dies
// holding rows loses them to the next claim once the lease has passed. On PostgreSQL (issue 16)
// the inner SELECT becomes `... FOR UPDATE SKIP LOCKED`, so dispatchers in several processes skip
// each other's rows instead of waiting for them.
import { randomUUID } from "node:crypto";
import { backoffMs, earliestSend, MAX_ATTEMPTS, newMessageId, normalizeContact, NOTIFICATION_STATUSES, type NotificationKind, type NotificationStatus } from "#app/domain/notifications";
import { keyedHash } from "#app/lib/signing.server";
import { getWriter, sqliteDateTime } from "#app/lib/db.server";
import { getEnv } from "#app/lib/env.server";
import { writeAuditLegacy } from "./audit.server";

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

/** Claims up to `limit` due rows for `owner` until `now + leaseMs`. Runs on the writer (inside withWriteLock). */
export function claimDue(owner: string, now: Date, leaseMs: number, limit: number): ClaimedNotification[] {
  const at = sqliteDateTime(now);
  // A message written about a complaint whose contact details were deleted since (by the citizen
  // or by retention): a staff step read the complaint just before the deletion and wrote it just
  // after. The deletion removes waiting messages; these go the same way, never to the contact.
  getWriter()
    .prepare(
      `DELETE FROM Notification WHERE id IN (
         SELECT n.id FROM Notification n JOIN Complaint c ON c.id = n.complaintId
         WHERE n.status = 'pending' AND n.dueAt <= ? AND c.contactRemovedAt IS NOT NULL)`,
    )
    .run(at);
  const rows = getWriter()
    .prepare(
      `UPDATE Notification SET leaseOwner = ?, leaseUntil = ?, attempts = attempts + 1
       WHERE id IN (
         SELECT id FROM Notification
         WHERE status = 'pending' AND dueAt <= ? AND (leaseUntil IS NULL OR leaseUntil <= ?)
         ORDER BY dueAt, id LIMIT ?)
       RETURNING id, messageId, kind, channel, recipient, lang, subject, body, template, attempts`,
    )
    .all(owner, sqliteDateTime(new Date(now.getTime() + leaseMs)), at, at, limit) as (Omit<ClaimedNotification, "template"> & { template: string | null })[];
  return rows
    .map((r) => ({ ...r, template: r.template ? (JSON.parse(r.template) as ClaimedNotification["template"]) : null }))
    .sort((a, b) => a.id - b.id);
}

/** Sent: kept with the provider's id. Only the claim's owner may mark it (a lapsed claim was taken over). */
export function markSent(id: number, owner: string, providerId: string | null, now: Date): boolean {
  return (
    getWriter()
      .prepare(`UPDATE Notification SET status = 'sent', sentAt = ?, providerId = ?, leaseUntil = NULL, leaseOwner = NULL, lastError = NULL WHERE id = ? AND leaseOwner = ?`)
      .run(sqliteDateTime(now), providerId, id, owner).changes === 1
  );
}

/**
 * Not sent. `retry`: due again after the back-off, until MAX_ATTEMPTS; otherwise (or after the
 * last attempt) failed, visible to administrators. `skipped`: its channel is not configured.
 */
export function markUnsent(id: number, owner: string, outcome: { retry: boolean; error: string; skipped?: boolean }, now: Date): boolean {
  const db = getWriter();
  const row = db.prepare(`SELECT attempts FROM Notification WHERE id = ? AND leaseOwner = ?`).get(id, owner) as { attempts: number } | undefined;
  if (!row) return false;
  const again = outcome.retry && !outcome.skipped && row.attempts < MAX_ATTEMPTS;
  const status = outcome.skipped ? "skipped" : again ? "pending" : "failed";
  const dueAt = again ? sqliteDateTime(new Date(now.getTime() + backoffMs(row.attempts))) : null;
  db.prepare(
    `UPDATE Notification SET status = ?, lastError = ?, leaseUntil = NULL, leaseOwner = NULL, dueAt = COALESCE(?, dueAt) WHERE id = ? AND leaseOwner = ?`,
  ).run(status, outcome.error.slice(0, 500), dueAt, id, owner);
  return true;
}

export const NOTIFICATIONS_PAGE_SIZE = 50;

/** One page of the outbox in a status, newest first, with the count of each status. */
export function listNotifications(status: NotificationStatus, page: number) {
  const db = getWriter();
  const counts = Object.fromEntries(NOTIFICATION_STATUSES.map((s) => [s, 0])) as Record<NotificationStatus, number>;
  for (const r of db.prepare(`SELECT status, COUNT(*) AS n FROM Notification GROUP BY status`).all() as { status: NotificationStatus; n: number }[]) counts[r.status] = r.n;
  const rows = db
    .prepare(
      `SELECT n.id, n.kind, n.channel, n.recipient, n.lang, n.status, n.attempts, n.lastError, n.createdAt, n.dueAt, n.sentAt, c.reference
       FROM Notification n LEFT JOIN Complaint c ON c.id = n.complaintId
       WHERE n.status = ? ORDER BY n.id DESC LIMIT ? OFFSET ?`,
    )
    .all(status, NOTIFICATIONS_PAGE_SIZE + 1, (page - 1) * NOTIFICATIONS_PAGE_SIZE) as {
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
  }[];
  return { counts, rows: rows.slice(0, NOTIFICATIONS_PAGE_SIZE), more: rows.length > NOTIFICATIONS_PAGE_SIZE };
}

/**
 * An administrator sends a failed or skipped notification again: due now, with a fresh count of
 * attempts and the same message id; audited. False when it is not failed or skipped (any more), or
 * when retention (or the citizen) erased its address and text (docs/decisions/0024).
 */
export function retryNotification(id: number, actorId: number, now: Date): boolean {
  const changed = getWriter()
    .prepare(`UPDATE Notification SET status = 'pending', attempts = 0, dueAt = ?, leaseUntil = NULL, leaseOwner = NULL WHERE id = ? AND status IN ('failed', 'skipped') AND recipient <> ''`)
    .run(sqliteDateTime(now), id).changes;
  if (changed !== 1) return false;
  writeAuditLegacy({ actorId, action: "notification.retry", targetType: "notification", targetId: id, at: now });
  return true;
}

/** The keyed hash a contact's opt-out is kept under (never the contact itself). */
export function contactHash(contact: string): string {
  return keyedHash("contact", normalizeContact(contact)).slice(0, 32);
}

/** Whether this contact asked for no more notifications. */
export function isOptedOut(contact: string): boolean {
  return getWriter().prepare(`SELECT 1 FROM NotificationOptOut WHERE contactHash = ?`).get(contactHash(contact)) !== undefined;
}

/** Records an opt-out (again: no change). Runs on the writer (inside withWriteLock). */
export function optOut(hash: string, now: Date) {
  getWriter().prepare(`INSERT OR IGNORE INTO NotificationOptOut (contactHash, createdAt) VALUES (?, ?)`).run(hash, sqliteDateTime(now));
}

/** When messages went to this recipient in the hour before `now` (the rate limit's input). */
export function recentSends(recipient: string, now: Date): Date[] {
  return (
    getWriter()
      .prepare(`SELECT sentAt FROM Notification WHERE recipient = ? AND sentAt > ? AND status = 'sent'`)
      .pluck()
      .all(recipient, sqliteDateTime(new Date(now.getTime() - 3_600_000))) as string[]
  ).map((s) => new Date(s));
}

/** Held back by the rate limit: due again at `until`, the claim's attempt not counted. */
export function postpone(id: number, owner: string, until: Date): boolean {
  return (
    getWriter()
      .prepare(`UPDATE Notification SET dueAt = ?, attempts = attempts - 1, leaseUntil = NULL, leaseOwner = NULL WHERE id = ? AND leaseOwner = ?`)
      .run(sqliteDateTime(until), id, owner).changes === 1
  );
}

/** Whether any row is due (a read, without the write lock: the idle dispatcher asks it often). */
export function hasDue(now: Date): boolean {
  const at = sqliteDateTime(now);
  return (
    getWriter()
      .prepare(`SELECT 1 FROM Notification WHERE status = 'pending' AND dueAt <= ? AND (leaseUntil IS NULL OR leaseUntil <= ?) LIMIT 1`)
      .get(at, at) !== undefined
  );
}
