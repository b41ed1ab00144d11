// Staff notices (issue 13): the accounts that may receive them (with their addresses, language and
// choices per kind), the in-app list and its unread count, the choices, and the rows the sweep and
// the daily digest read and write. Writes of the sweep run on the SQLite writer inside
// withWriteLock; `ON CONFLICT DO NOTHING` is understood by SQLite and PostgreSQL alike.
import type { Actor, Role, RoleGrant } from "#app/domain/permissions";
import { type DeliveryMode, deliveryModes, type StaffNoticeKind } from "#app/domain/staff-notices";
import { maskContact } from "#app/domain/notifications";
import { getDb, getWriter, sqliteDateTime } from "#app/lib/db.server";
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
 * a role granted a moment ago is told of the next case): two plain reads on the writer's
 * connection, well under a millisecond for a few hundred accounts.
 */
export async function staffDirectory(): Promise<Map<number, StaffRecipient>> {
  const db = getWriter();
  const rows = db
    .prepare(
      `SELECT u.id, u.lang, u.email, u.phone, g.role, g.unitId, g.includeSubunits FROM StaffUser u LEFT JOIN RoleGrant g ON g.userId = u.id WHERE u.active = 1 ORDER BY u.id`,
    )
    .all() as { id: number; lang: string; email: string | null; phone: string | null; role: string | null; unitId: number | null; includeSubunits: number | null }[];
  const out = new Map<number, StaffRecipient>();
  for (const r of rows) {
    let u = out.get(r.id);
    if (!u) out.set(r.id, (u = { userId: r.id, lang: r.lang, email: r.email, phone: r.phone, grants: [], prefs: new Map() }));
    if (r.role) (u.grants as RoleGrant[]).push({ role: r.role as Role, unitId: r.unitId, includeSubunits: r.includeSubunits === 1 });
  }
  for (const p of db.prepare(`SELECT userId, kind, mode FROM StaffNoticePref`).all() as { userId: number; kind: string; mode: string }[]) {
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

/**
 * The sweep's write for one alert, in one transaction on the writer: the alert (a case and a
 * deadline) unless it was raised before, then each notice that is new with its messages, and the
 * messages that go with no notice (to a citizen). Run twice, or by two processes, it writes once.
 * Returns whether anything was written.
 */
export function raiseAlert(alert: { complaintId: number; kind: string; dueAt: Date } | null, items: readonly { notice: StaffNoticeRow | null; messages: readonly OutboxRow[] }[], now: Date): boolean {
  const db = getWriter();
  return db.transaction(() => {
    if (alert) {
      const fresh = db
        .prepare(`INSERT INTO CaseAlert (complaintId, kind, dueAt, createdAt) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`)
        .run(alert.complaintId, alert.kind, sqliteDateTime(alert.dueAt), sqliteDateTime(now)).changes;
      if (fresh === 0) return false;
    }
    let wrote = alert !== null;
    const insertNotice = db.prepare(
      `INSERT INTO StaffNotice (userId, kind, complaintId, params, dedupeKey, delivery, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    for (const { notice: n, messages } of items) {
      if (n && insertNotice.run(n.userId, n.kind, n.complaintId, JSON.stringify(n.params), n.dedupeKey, n.delivery, sqliteDateTime(n.createdAt)).changes === 0) continue;
      insertOutboxRows(messages, now);
      wrote = true;
    }
    return wrote;
  })();
}

/** Outbox rows (notificationRows) written on the writer, inside the caller's transaction. */
export function insertOutboxRows(rows: readonly OutboxRow[], now: Date) {
  if (rows.length === 0) return;
  const insert = getWriter().prepare(
    `INSERT INTO Notification (messageId, kind, channel, recipient, lang, complaintId, subject, body, template, dueAt, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const r of rows) {
    insert.run(r.messageId, r.kind, r.channel, r.recipient, r.lang, r.complaintId, r.subject, r.body, r.template ? JSON.stringify(r.template) : null, sqliteDateTime(r.dueAt), sqliteDateTime(now));
  }
}

/** Which dedupe keys among these exist already (a sweep asks before rendering messages). */
export function existingNoticeKeys(keys: readonly string[]): Set<string> {
  if (keys.length === 0) return new Set();
  const stmt = getWriter().prepare(`SELECT dedupeKey FROM StaffNotice WHERE dedupeKey = ?`).pluck();
  return new Set(keys.filter((k) => stmt.get(k) !== undefined));
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
export function casesDueBetween(kind: string, deadline: "nextDueAt" | "replyDueAt" | "followUpDueAt", from: Date, to: Date, limit = 500): AlertCase[] {
  // Open: a deadline of the handling still open, or (for the call-back) not yet made.
  const open = deadline === "followUpDueAt" ? "c.followUpDoneAt IS NULL" : "c.nextDueAt IS NOT NULL";
  return (
    getWriter()
      .prepare(
        `SELECT c.id, c.reference, c.unitId, c.subjectUnitId, c.type, c.${deadline} AS due FROM Complaint c
         WHERE c.${deadline} >= ? AND c.${deadline} <= ? AND ${open}
           AND NOT EXISTS (SELECT 1 FROM CaseAlert a WHERE a.complaintId = c.id AND a.kind = ? AND a.dueAt = c.${deadline})
         ORDER BY c.${deadline} LIMIT ?`,
      )
      .all(sqliteDateTime(from), sqliteDateTime(to), kind, limit) as RawCase[]
  ).map(asCase);
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
export function unratedReplies(since: Date, limit = 500): InvitationCase[] {
  const rows = getWriter()
    .prepare(
      `SELECT c.id, c.reference, c.lang, c.anonymous, c.contactEmail, c.contactPhone, c.unitId, c.repliedAt, c.replyDueAt FROM Complaint c
       WHERE c.status IN ('replied', 'closed') AND c.handlingGrade IS NULL AND c.repliedAt >= ? AND c.anonymous = 0
         AND (c.contactEmail IS NOT NULL OR c.contactPhone IS NOT NULL)
         AND NOT EXISTS (SELECT 1 FROM CaseAlert a WHERE a.complaintId = c.id AND a.kind = 'rate_invite' AND a.dueAt = c.repliedAt)
       ORDER BY c.repliedAt LIMIT ?`,
    )
    .all(sqliteDateTime(since), limit) as (Omit<InvitationCase, "anonymous" | "repliedAt" | "replyDueAt"> & { anonymous: number; repliedAt: string; replyDueAt: string })[];
  return rows.map((r) => ({ ...r, anonymous: r.anonymous === 1, repliedAt: new Date(r.repliedAt), replyDueAt: new Date(r.replyDueAt) }));
}

/** Open cases past their nearest deadline, counted per handling unit (the office's summary). */
export function overdueByUnit(now: Date): { unitId: number; n: number }[] {
  return getWriter()
    .prepare(`SELECT unitId, COUNT(*) AS n FROM Complaint WHERE nextDueAt < ? GROUP BY unitId ORDER BY n DESC, unitId`)
    .all(sqliteDateTime(now)) as { unitId: number; n: number }[];
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
export function digestAccounts(before: Date, limit = 1000): number[] {
  return getWriter()
    .prepare(`SELECT DISTINCT userId FROM StaffNotice WHERE delivery = 'digest' AND digestedAt IS NULL AND createdAt < ? LIMIT ?`)
    .pluck()
    .all(sqliteDateTime(before), limit) as number[];
}

/**
 * One account's digest, in one transaction on the writer: takes (marks) every notice of the
 * account waiting for a digest and written before `before`, and writes the messages `render`
 * makes of exactly those. Another process taking them first leaves nothing here to send twice.
 */
export function takeDigest(userId: number, before: Date, now: Date, render: (notices: DigestNotice[]) => OutboxRow[]): number {
  const db = getWriter();
  return db.transaction(() => {
    const taken = (
      db
        .prepare(
          `UPDATE StaffNotice SET digestedAt = ? WHERE userId = ? AND delivery = 'digest' AND digestedAt IS NULL AND createdAt < ?
           RETURNING id, userId, kind, complaintId, params, createdAt`,
        )
        .all(sqliteDateTime(now), userId, sqliteDateTime(before)) as { id: number; userId: number; kind: string; complaintId: number | null; params: string; createdAt: string }[]
    )
      .map((r) => ({ ...r, params: JSON.parse(r.params) as Record<string, unknown>, createdAt: new Date(r.createdAt) }))
      .sort((x, y) => x.id - y.id);
    if (taken.length > 0) insertOutboxRows(render(taken), now);
    return taken.length;
  })();
}

// ---------------------------------------------------------------------------------------------
// The account's own list and choices.

export const NOTICES_PAGE_SIZE = 30;

/** Unread notices of an account (the staff menu's badge). */
export function unreadCount(userId: number): number {
  return getWriter().prepare(`SELECT COUNT(*) FROM StaffNotice WHERE userId = ? AND readAt IS NULL`).pluck().get(userId) as number;
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
