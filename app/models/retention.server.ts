// Retention's data access (issue 15; docs/decisions/0024): counting what is due, erasing it in small
// batches on the writer, the daily pass's claim, and the citizen's own erasure of their contact
// details. The rules (which records, from which moment) are app/domain/retention.ts; each query
// here asks the same. Every batch function runs inside withWriteLock and touches at most `limit`
// rows, so a first pass over years of data never holds the write lock for long: submissions go
// in between batches.
//
// Nothing here writes to Response beyond ipHash and deviceId, nor to Answer, ResponseFlag,
// ScoreTally, ItemTally, ScoreSnapshot(Row) or the complaint's status, dates and rating: the
// figures are computed from those alone.
import { endedStatuses, type RetentionCounts, type RetentionCutoffs } from "#app/domain/retention";
import { normalizeContact } from "#app/domain/notifications";
import { getWriter, sqliteDateTime } from "#app/lib/db.server";
import { writeAuditLegacy } from "./audit.server";
import { carriesContact } from "./case-links.server";

const ENDED = `(${endedStatuses.map((s) => `'${s}'`).join(", ")})`;
const HAS_CONTACT = `(contactName IS NOT NULL OR contactPhone IS NOT NULL OR contactEmail IS NOT NULL OR contactEmailKey IS NOT NULL OR contactPhoneKey IS NOT NULL)`;
const HAS_NETWORK = `(ipHash IS NOT NULL OR deviceId IS NOT NULL)`;
const NOTIFICATION_OVER = `status <> 'pending' AND recipient <> '' AND COALESCE(sentAt, createdAt) <= ?`;

const iso = sqliteDateTime;

/** The ids of the periods closed (frozen) at or before the cutoff, with their codes. */
export function frozenPeriods(closedBy: Date): { id: number; code: string }[] {
  return getWriter()
    .prepare(`SELECT id, code FROM EvaluationPeriod WHERE status = 'closed' AND closedAt IS NOT NULL AND closedAt <= ? ORDER BY id`)
    .all(iso(closedBy)) as { id: number; code: string }[];
}

/** How many records of each kind are due now (the dry run; the apply pass erases exactly these). */
export function countDue(cut: RetentionCutoffs): RetentionCounts {
  const db = getWriter();
  const one = (sql: string, ...args: unknown[]) => Number(db.prepare(sql).pluck().get(...args));
  const periods = frozenPeriods(cut.periodsClosedBy).map((p) => p.id);
  return {
    contacts: one(`SELECT COUNT(*) FROM Complaint WHERE status IN ${ENDED} AND closedAt <= ? AND ${HAS_CONTACT}`, iso(cut.contactsClosedBy)),
    photos: one(
      `SELECT COUNT(*) FROM ComplaintPhoto p JOIN Complaint c ON c.id = p.complaintId WHERE c.status IN ${ENDED} AND c.closedAt <= ?`,
      iso(cut.photosClosedBy),
    ),
    complaint_networks: one(`SELECT COUNT(*) FROM Complaint WHERE status IN ${ENDED} AND closedAt <= ? AND ${HAS_NETWORK}`, iso(cut.complaintNetworksClosedBy)),
    response_networks: periods.length
      ? one(`SELECT COUNT(*) FROM Response WHERE periodId IN (${periods.join(",")}) AND ${HAS_NETWORK}`)
      : 0,
    notification_recipients: one(`SELECT COUNT(*) FROM Notification WHERE ${NOTIFICATION_OVER}`, iso(cut.notificationsBy)),
    api_calls: one(`SELECT COUNT(*) FROM ApiCall WHERE at <= ?`, iso(cut.apiCallsBy)),
    sessions: one(`SELECT COUNT(*) FROM Session WHERE expiresAt <= ?`, iso(cut.sessionsExpiredBy)),
    recent_devices: one(`SELECT COUNT(*) FROM RecentDevice WHERE at <= ?`, iso(cut.recentDevicesBy)),
  };
}

interface ComplaintRef {
  id: number;
  reference: string;
}

function complaintEvent(complaintId: number, at: Date, actorKind: "citizen" | "system", action: string) {
  getWriter()
    .prepare(`INSERT INTO ComplaintEvent (complaintId, at, actorKind, action, visibility) VALUES (?, ?, ?, ?, 'public')`)
    .run(complaintId, iso(at), actorKind, action);
}

/**
 * The complaint's notifications to the contacts it carries: the waiting ones are deleted (they
 * must not go out any more), the others lose the address, the text and any error (which may quote
 * the address). Returns how many of each.
 */
function forgetNotificationsTo(complaintId: number, contacts: (string | null)[]): { cancelled: number; erased: number } {
  const db = getWriter();
  const wanted = new Set(contacts.filter((c): c is string => Boolean(c)).map(normalizeContact));
  if (!wanted.size) return { cancelled: 0, erased: 0 };
  const rows = db.prepare(`SELECT id, status, recipient FROM Notification WHERE complaintId = ? AND recipient <> ''`).all(complaintId) as {
    id: number;
    status: string;
    recipient: string;
  }[];
  let cancelled = 0;
  let erased = 0;
  for (const r of rows) {
    if (!wanted.has(normalizeContact(r.recipient))) continue;
    if (r.status === "pending") {
      // Even one a dispatcher holds right now: its mark finds no row, and nothing is sent again.
      cancelled += db.prepare(`DELETE FROM Notification WHERE id = ?`).run(r.id).changes;
    } else {
      erased += db.prepare(`UPDATE Notification SET recipient = '', body = '', template = NULL, lastError = NULL WHERE id = ?`).run(r.id).changes;
    }
  }
  return { cancelled, erased };
}

type ContactRow = ComplaintRef & { contactEmail: string | null; contactPhone: string | null };

function eraseContacts(rows: readonly ContactRow[], now: Date, by: "citizen" | "retention") {
  const db = getWriter();
  const update = db.prepare(
    `UPDATE Complaint SET contactName = NULL, contactPhone = NULL, contactEmail = NULL, contactEmailKey = NULL, contactPhoneKey = NULL,
       contactRemovedAt = ?, contactRemovedBy = ? WHERE id = ?`,
  );
  const total = { cancelled: 0, erased: 0 };
  for (const r of rows) {
    const n = forgetNotificationsTo(r.id, [r.contactEmail, r.contactPhone]);
    total.cancelled += n.cancelled;
    total.erased += n.erased;
    update.run(iso(now), by, r.id);
    complaintEvent(r.id, now, by === "citizen" ? "citizen" : "system", by === "citizen" ? "contact_removed" : "contact_retention");
  }
  return total;
}

/** Erases the contact details of up to `limit` complaints due; returns them (and the waiting messages cancelled). Inside withWriteLock. */
export function eraseDueContacts(cut: RetentionCutoffs, now: Date, limit: number): { complaints: ComplaintRef[]; cancelled: number } {
  const rows = getWriter()
    .prepare(`SELECT id, reference, contactEmail, contactPhone FROM Complaint WHERE status IN ${ENDED} AND closedAt <= ? AND ${HAS_CONTACT} ORDER BY id LIMIT ?`)
    .all(iso(cut.contactsClosedBy), limit) as ContactRow[];
  const { cancelled } = eraseContacts(rows, now, "retention");
  return { complaints: rows.map(({ id, reference }) => ({ id, reference })), cancelled };
}

/** Up to `limit` complaints whose photos are due, with their photos' stored names (a read). */
export function duePhotos(cut: RetentionCutoffs, limit: number): (ComplaintRef & { photos: { id: number; storedName: string }[] })[] {
  const db = getWriter();
  const complaints = db
    .prepare(
      `SELECT id, reference FROM Complaint WHERE status IN ${ENDED} AND closedAt <= ? AND EXISTS (SELECT 1 FROM ComplaintPhoto p WHERE p.complaintId = Complaint.id) ORDER BY id LIMIT ?`,
    )
    .all(iso(cut.photosClosedBy), limit) as ComplaintRef[];
  const photos = db.prepare(`SELECT id, storedName FROM ComplaintPhoto WHERE complaintId = ? ORDER BY id`);
  return complaints.map((c) => ({ ...c, photos: photos.all(c.id) as { id: number; storedName: string }[] }));
}

/**
 * After their files are gone: deletes these photo rows and marks their complaints (once each, with
 * an event). Returns how many rows went. Inside withWriteLock.
 */
export function forgetPhotos(complaints: readonly { id: number; photos: readonly { id: number }[] }[], now: Date): number {
  const db = getWriter();
  const remove = db.prepare(`DELETE FROM ComplaintPhoto WHERE id = ? AND complaintId = ?`);
  const mark = db.prepare(`UPDATE Complaint SET photosRemovedAt = ? WHERE id = ? AND photosRemovedAt IS NULL`);
  let removed = 0;
  for (const c of complaints) {
    for (const p of c.photos) removed += remove.run(p.id, c.id).changes;
    if (mark.run(iso(now), c.id).changes) complaintEvent(c.id, now, "system", "photos_retention");
  }
  return removed;
}

/** Clears the network hash and device id of up to `limit` complaints due; returns them. Inside withWriteLock. */
export function clearDueComplaintNetworks(cut: RetentionCutoffs, limit: number): ComplaintRef[] {
  return getWriter()
    .prepare(
      `UPDATE Complaint SET ipHash = NULL, deviceId = NULL WHERE id IN (
         SELECT id FROM Complaint WHERE status IN ${ENDED} AND closedAt <= ? AND ${HAS_NETWORK} ORDER BY id LIMIT ?)
       RETURNING id, reference`,
    )
    .all(iso(cut.complaintNetworksClosedBy), limit) as ComplaintRef[];
}

/**
 * Clears the network hash and device id of up to `limit` responses of one frozen period after id
 * `afterId` (walking forward by id, so no batch reads again what an earlier one cleared). Returns
 * how many changed and the last id looked at (null when the period is done). Inside withWriteLock.
 */
export function clearResponseNetworks(periodId: number, afterId: number, limit: number): { cleared: number; lastId: number | null } {
  const db = getWriter();
  const ids = db
    .prepare(`SELECT id FROM Response WHERE periodId = ? AND id > ? AND ${HAS_NETWORK} ORDER BY id LIMIT ?`)
    .pluck()
    .all(periodId, afterId, limit) as number[];
  if (!ids.length) return { cleared: 0, lastId: null };
  const cleared = db.prepare(`UPDATE Response SET ipHash = NULL, deviceId = NULL WHERE id IN (${ids.join(",")})`).run().changes;
  return { cleared, lastId: ids[ids.length - 1]! };
}

/** Erases the address, text and error of up to `limit` notifications that are over and due; returns their ids. Inside withWriteLock. */
export function eraseDueNotifications(cut: RetentionCutoffs, limit: number): number[] {
  return getWriter()
    .prepare(
      `UPDATE Notification SET recipient = '', body = '', template = NULL, lastError = NULL
       WHERE id IN (SELECT id FROM Notification WHERE ${NOTIFICATION_OVER} ORDER BY id LIMIT ?) RETURNING id`,
    )
    .pluck()
    .all(iso(cut.notificationsBy), limit) as number[];
}

/** Deletes up to `limit` API calls due; returns how many. Inside withWriteLock. */
export function deleteDueApiCalls(cut: RetentionCutoffs, limit: number): number {
  return getWriter().prepare(`DELETE FROM ApiCall WHERE id IN (SELECT id FROM ApiCall WHERE at <= ? ORDER BY at LIMIT ?)`).run(iso(cut.apiCallsBy), limit).changes;
}

/** Deletes up to `limit` expired sessions past their grace; returns how many. Inside withWriteLock. */
export function deleteDueSessions(cut: RetentionCutoffs, limit: number): number {
  return getWriter()
    .prepare(`DELETE FROM Session WHERE idHash IN (SELECT idHash FROM Session WHERE expiresAt <= ? LIMIT ?)`)
    .run(iso(cut.sessionsExpiredBy), limit).changes;
}

/** Deletes up to `limit` rows of the stuffing rule's device log past its day; returns how many. Inside withWriteLock. */
export function deleteDueRecentDevices(cut: RetentionCutoffs, limit: number): number {
  return getWriter()
    .prepare(`DELETE FROM RecentDevice WHERE id IN (SELECT id FROM RecentDevice WHERE at <= ? LIMIT ?)`)
    .run(iso(cut.recentDevicesBy), limit).changes;
}

export const DAILY_PASS_ACTION = "retention.run";

/**
 * Claims the daily pass of a region day: true for the first caller only, in this process or any
 * other on the same database (the check and the marker row are one write transaction, and SQLite
 * has one writer at a time). The marker is an audit event, so the trail shows each day's pass.
 * Inside withWriteLock.
 */
export function claimDailyPass(day: string, now: Date): boolean {
  const db = getWriter();
  const taken = db.prepare(`SELECT 1 FROM AuditEvent WHERE targetType = 'retention' AND targetId = ? AND action = ?`).get(day, DAILY_PASS_ACTION);
  if (taken) return false;
  writeAuditLegacy({ actorId: null, action: DAILY_PASS_ACTION, targetType: "retention", targetId: day, data: { trigger: "daily" }, at: now });
  return true;
}

/**
 * The citizen's request, through a case link: erases the contact details (and their keys) of the
 * complaint when it still carries the contact of `hash`, cancels its waiting messages to them,
 * erases the addresses of those already sent, and records it (the case's timeline, and the audit
 * trail without any contact). Null when the complaint does not (any more) carry that contact.
 * Inside withWriteLock.
 */
export function eraseContactByCitizen(complaintId: number, hash: string, now: Date): { reference: string; cancelled: number; erased: number } | null {
  const db = getWriter();
  const c = db.prepare(`SELECT id, reference, anonymous, contactEmail, contactPhone FROM Complaint WHERE id = ?`).get(complaintId) as
    | (ContactRow & { anonymous: number })
    | undefined;
  if (!c || !carriesContact({ anonymous: Boolean(c.anonymous), contactEmail: c.contactEmail, contactPhone: c.contactPhone }, hash)) return null;
  const { cancelled, erased } = eraseContacts([c], now, "citizen");
  writeAuditLegacy({
    actorId: null,
    action: "complaint.contact_removed",
    targetType: "complaint",
    targetId: c.id,
    data: { actor: "citizen", via: "case_link", reference: c.reference, notificationsCancelled: cancelled, notificationsErased: erased },
    at: now,
  });
  return { reference: c.reference, cancelled, erased };
}
