// Staff notices (issue 13): the accounts that may receive them (with their addresses, language and
// choices per kind), the in-app list and its unread count, the choices, and the rows the sweep and
// the daily digest read and write. Writes of the sweep take the caller's write transaction
// (db().write); `ON CONFLICT DO NOTHING` is understood by SQLite and PostgreSQL alike.
import type { Actor, Role, RoleGrant } from "#app/domain/permissions";
import { type DeliveryMode, deliveryModes, type StaffNoticeKind } from "#app/domain/staff-notices";
import { maskContact } from "#app/domain/notifications";
import { db, dbDateTime, getDb, type Sql } from "#app/lib/db.server";
import { recordAudit } from "./audit.server";
import type { notificationRows } from "./notification.server";

export interface StaffRecipient extends Actor {
  lang: string;
  email: string | null;
  phone: string | null;
  prefs: Map<string, DeliveryMode>;
}

/**
 * Active accounts with their roles and choices, read fresh for each event (an account created or
 * a role granted a moment ago is told of the next case): two plain reads of committed state, well
 * under a millisecond for a few hundred accounts.
 */
export async function staffDirectory(): Promise<Map<number, StaffRecipient>> {
  const rows = await db().read.all<{ id: number; lang: string; email: string | null; phone: string | null; role: string | null; unitId: number | null; includeSubunits: number | null }>(
    `SELECT u.id, u.lang, u.email, u.phone, g.role, g.unitId, g.includeSubunits FROM StaffUser u LEFT JOIN RoleGrant g ON g.userId = u.id WHERE u.active = TRUE ORDER BY u.id`,
  );
  const out = new Map<number, StaffRecipient>();
  for (const r of rows) {
    let u = out.get(r.id);
    if (!u) out.set(r.id, (u = { userId: r.id, lang: r.lang, email: r.email, phone: r.phone, grants: [], prefs: new Map() }));
    if (r.role) (u.grants as RoleGrant[]).push({ role: r.role as Role, unitId: r.unitId, includeSubunits: r.includeSubunits === 1 });
  }
  for (const p of await db().read.all<{ userId: number; kind: string; mode: string }>(`SELECT userId, kind, mode FROM StaffNoticePref`)) {
    if ((deliveryModes as readonly string[]).includes(p.mode)) out.get(p.userId)?.prefs.set(p.kind, p.mode as DeliveryMode);
  }
  return out;
}

/** A notice as written: by Prisma's createMany in an event's transaction, or by the sweep. */
export interface StaffNoticeRow {
  userId: number;
  kind: StaffNoticeKind;
  complaintId: number | null;
  params: Record<string, unknown>;
  dedupeKey: string;
  delivery: DeliveryMode;
  createdAt: Date;
}

type OutboxRow = ReturnType<typeof notificationRows>[number];

const INSERT_NOTICE = `INSERT INTO StaffNotice (userId, kind, complaintId, params, dedupeKey, delivery, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`;
const INSERT_OUTBOX = `INSERT INTO Notification (messageId, kind, channel, recipient, lang, complaintId, subject, body, template, dueAt, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * The sweep's write for one alert, in the write transaction `tx` (one per alert): the alert (a
 * case and a deadline) unless it was raised before, then each notice that is new with its
 * messages, and the messages that go with no notice (to a citizen). Run twice, or by two
 * processes, it writes once. Returns whether anything was written.
 */
export async function raiseAlert(
  tx: Sql,
  alert: { complaintId: number; kind: string; dueAt: Date } | null,
  items: readonly { notice: StaffNoticeRow | null; messages: readonly OutboxRow[] }[],
  now: Date,
): Promise<boolean> {
  if (alert) {
    const { changes: fresh } = await tx.run(
      `INSERT INTO CaseAlert (complaintId, kind, dueAt, createdAt) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      alert.complaintId,
      alert.kind,
      dbDateTime(alert.dueAt),
      dbDateTime(now),
    );
    if (fresh === 0) return false;
  }
  let wrote = alert !== null;
  for (const { notice: n, messages } of items) {
    if (n && (await tx.run(INSERT_NOTICE, n.userId, n.kind, n.complaintId, JSON.stringify(n.params), n.dedupeKey, n.delivery, dbDateTime(n.createdAt))).changes === 0) continue;
    await insertOutboxRows(tx, messages, now);
    wrote = true;
  }
  return wrote;
}

/** Outbox rows (notificationRows) written inside the caller's write transaction `tx`. */
export async function insertOutboxRows(tx: Sql, rows: readonly OutboxRow[], now: Date): Promise<void> {
  for (const r of rows) {
    await tx.run(INSERT_OUTBOX, r.messageId, r.kind, r.channel, r.recipient, r.lang, r.complaintId, r.subject, r.body, r.template ? JSON.stringify(r.template) : null, dbDateTime(r.dueAt), dbDateTime(now));
  }
}

/** Which dedupe keys among these exist already (a sweep asks before rendering messages). */
export async function existingNoticeKeys(keys: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const k of keys) if ((await db().read.value(`SELECT dedupeKey FROM StaffNotice WHERE dedupeKey = ?`, k)) !== undefined) found.add(k);
  return found;
}

// ---------------------------------------------------------------------------------------------
// The sweep's reads.

export interface AlertCase {
  id: number;
  reference: string;
  unitId: number;
  subjectUnitId: number;
  type: string;
  due: Date;
}

type RawCase = Omit<AlertCase, "due"> & { due: string };
const asCase = (r: RawCase): AlertCase => ({ ...r, due: new Date(r.due) });

/**
 * Cases whose `deadline` lies in [from, to], still open, with no alert of this kind yet: the
 * nearest deadline for overdue alerts, the reply deadline for due-soon ones, the call-back's.
 */
export async function casesDueBetween(kind: string, deadline: "nextDueAt" | "replyDueAt" | "followUpDueAt", from: Date, to: Date, limit = 500): Promise<AlertCase[]> {
  // Open: a deadline of the handling still open, or (for the call-back) not yet made.
  const open = deadline === "followUpDueAt" ? "c.followUpDoneAt IS NULL" : "c.nextDueAt IS NOT NULL";
  const rows = await db().read.all<RawCase>(
    `SELECT c.id, c.reference, c.unitId, c.subjectUnitId, c.type, c.${deadline} AS due FROM Complaint c
     WHERE c.${deadline} >= ? AND c.${deadline} <= ? AND ${open}
       AND NOT EXISTS (SELECT 1 FROM CaseAlert a WHERE a.complaintId = c.id AND a.kind = ? AND a.dueAt = c.${deadline})
     ORDER BY c.${deadline} LIMIT ?`,
    dbDateTime(from),
    dbDateTime(to),
    kind,
    limit,
  );
  return rows.map(asCase);
}

export interface InvitationCase {
  id: number;
  reference: string;
  lang: string;
  anonymous: boolean;
  contactEmail: string | null;
  contactPhone: string | null;
  unitId: number;
  repliedAt: Date;
  replyDueAt: Date;
}

/** Replied cases still unrated, with a contact, replied since `since`, not yet invited to rate. */
export async function unratedReplies(since: Date, limit = 500): Promise<InvitationCase[]> {
  const rows = await db().read.all<Omit<InvitationCase, "anonymous" | "repliedAt" | "replyDueAt"> & { anonymous: number; repliedAt: string; replyDueAt: string }>(
    `SELECT c.id, c.reference, c.lang, c.anonymous, c.contactEmail, c.contactPhone, c.unitId, c.repliedAt, c.replyDueAt FROM Complaint c
     WHERE c.status IN ('replied', 'closed') AND c.handlingGrade IS NULL AND c.repliedAt >= ? AND c.anonymous = FALSE
       AND (c.contactEmail IS NOT NULL OR c.contactPhone IS NOT NULL)
       AND NOT EXISTS (SELECT 1 FROM CaseAlert a WHERE a.complaintId = c.id AND a.kind = 'rate_invite' AND a.dueAt = c.repliedAt)
     ORDER BY c.repliedAt LIMIT ?`,
    dbDateTime(since),
    limit,
  );
  return rows.map((r) => ({ ...r, anonymous: r.anonymous === 1, repliedAt: new Date(r.repliedAt), replyDueAt: new Date(r.replyDueAt) }));
}

/** Open cases past their nearest deadline, counted per handling unit (the office's summary). */
export function overdueByUnit(now: Date): Promise<{ unitId: number; n: number }[]> {
  return db().read.all(`SELECT unitId, COUNT(*) AS n FROM Complaint WHERE nextDueAt < ? GROUP BY unitId ORDER BY n DESC, unitId`, dbDateTime(now));
}

export interface DigestNotice {
  id: number;
  userId: number;
  kind: string;
  complaintId: number | null;
  params: Record<string, unknown>;
  createdAt: Date;
}

/** Accounts with notices waiting for a digest, written before `before`. */
export function digestAccounts(before: Date, limit = 1000): Promise<number[]> {
  return db().read.pluck(`SELECT DISTINCT userId FROM StaffNotice WHERE delivery = 'digest' AND digestedAt IS NULL AND createdAt < ? LIMIT ?`, dbDateTime(before), limit);
}

/**
 * One account's digest, in the write transaction `tx`: takes (marks) every notice of the account
 * waiting for a digest and written before `before`, and writes the messages `render` (synchronous)
 * makes of exactly those. Another process taking them first leaves nothing here to send twice.
 */
export async function takeDigest(tx: Sql, userId: number, before: Date, now: Date, render: (notices: DigestNotice[]) => OutboxRow[]): Promise<number> {
  const rows = await tx.all<{ id: number; userId: number; kind: string; complaintId: number | null; params: string; createdAt: string }>(
    `UPDATE StaffNotice SET digestedAt = ? WHERE userId = ? AND delivery = 'digest' AND digestedAt IS NULL AND createdAt < ?
     RETURNING id, userId, kind, complaintId, params, createdAt`,
    dbDateTime(now),
    userId,
    dbDateTime(before),
  );
  const taken = rows
    .map((r) => ({ ...r, params: JSON.parse(r.params) as Record<string, unknown>, createdAt: new Date(r.createdAt) }))
    .sort((x, y) => x.id - y.id);
  if (taken.length > 0) await insertOutboxRows(tx, render(taken), now);
  return taken.length;
}

// ---------------------------------------------------------------------------------------------
// The account's own list and choices.

export const NOTICES_PAGE_SIZE = 30;

/** Unread notices of an account (the staff menu's badge). */
export async function unreadCount(userId: number): Promise<number> {
  return (await db().read.value<number>(`SELECT COUNT(*) FROM StaffNotice WHERE userId = ? AND readAt IS NULL`, userId)) ?? 0;
}

export async function listNotices(userId: number, page: number) {
  const db = await getDb();
  const rows = await db.staffNotice.findMany({
    where: { userId },
    orderBy: { id: "desc" },
    skip: (page - 1) * NOTICES_PAGE_SIZE,
    take: NOTICES_PAGE_SIZE + 1,
    select: { id: true, kind: true, params: true, createdAt: true, readAt: true, delivery: true },
  });
  return { rows: rows.slice(0, NOTICES_PAGE_SIZE), more: rows.length > NOTICES_PAGE_SIZE };
}

/** Marks one notice (or all, or those about one case) of this account read. */
export async function markRead(userId: number, which: { id: number } | { all: true } | { complaintId: number }, now: Date): Promise<number> {
  const db = await getDb();
  const where = "id" in which ? { id: which.id } : "complaintId" in which ? { complaintId: which.complaintId } : {};
  const r = await db.staffNotice.updateMany({ where: { userId, readAt: null, ...where }, data: { readAt: now } });
  return r.count;
}

export async function noticeSettings(userId: number) {
  const db = await getDb();
  const [user, prefs] = await Promise.all([
    db.staffUser.findUniqueOrThrow({ where: { id: userId }, select: { email: true, phone: true, lang: true } }),
    db.staffNoticePref.findMany({ where: { userId } }),
  ]);
  return { ...user, prefs: new Map(prefs.map((p) => [p.kind, p.mode as DeliveryMode])) };
}

/**
 * Saves an account's own settings. A changed address or number is audited (masked): notices carry
 * case references and unit names, so where they go is on record.
 */
export async function saveNoticeSettings(userId: number, s: { email: string | null; phone: string | null; lang: string; prefs: ReadonlyMap<StaffNoticeKind, DeliveryMode> }, now = new Date()) {
  const db = await getDb();
  const before = await db.staffUser.findUniqueOrThrow({ where: { id: userId }, select: { email: true, phone: true } });
  if (before.email !== s.email || before.phone !== s.phone) {
    const mask = (v: string | null) => (v ? maskContact(v) : null);
    await recordAudit({
      actorId: userId,
      action: "account.notify_contact",
      targetType: "staff_user",
      targetId: userId,
      at: now,
      data: { email: [mask(before.email), mask(s.email)], phone: [mask(before.phone), mask(s.phone)] },
    });
  }
  await db.$transaction([
    db.staffUser.update({ where: { id: userId }, data: { email: s.email, phone: s.phone, lang: s.lang } }),
    db.staffNoticePref.deleteMany({ where: { userId } }),
    db.staffNoticePref.createMany({ data: [...s.prefs].map(([kind, mode]) => ({ userId, kind, mode })) }),
  ]);
}
