// Retention's data access (issue 15; docs/decisions/0024): counting what is due, erasing it in small
// batches on the writer, the daily pass's claim, and the citizen's own erasure of their contact
// details. The rules (which records, from which moment) are app/domain/retention.ts; each query
// here asks the same. Every batch function runs inside a write transaction (its `tx`) and touches
// at most `limit` rows, so a first pass over years of data never holds the write lock for long:
// submissions go in between batches.
//
// Nothing here writes to Response beyond ipHash and deviceId, nor to Answer, ResponseFlag,
// ScoreTally, ItemTally, ScoreSnapshot(Row) or the complaint's status, dates and rating: the
// figures are computed from those alone.
import { endedStatuses, type RetentionCounts, type RetentionCutoffs } from "#app/domain/retention";
import { normalizeContact } from "#app/domain/notifications";
import { db, dbDateTime, sqlIdList, type Sql } from "#app/lib/db.server";
import { writeAudit } from "./audit.server";
import { carriesContact } from "./case-links.server";

const ENDED = `(${endedStatuses.map((s) => `'${s}'`).join(", ")})`;
const HAS_CONTACT = `(contactName IS NOT NULL OR contactPhone IS NOT NULL OR contactEmail IS NOT NULL OR contactEmailKey IS NOT NULL OR contactPhoneKey IS NOT NULL)`;
const HAS_NETWORK = `(ipHash IS NOT NULL OR deviceId IS NOT NULL)`;
const NOTIFICATION_OVER = `status <> 'pending' AND recipient <> '' AND COALESCE(sentAt, createdAt) <= ?`;

const iso = dbDateTime;

/** The ids of the periods closed (frozen) at or before the cutoff, with their codes (committed state). */
export function frozenPeriods(closedBy: Date): Promise<{ id: number; code: string }[]> {
  return db().read.all<{ id: number; code: string }>(
    `SELECT id, code FROM EvaluationPeriod WHERE status = 'closed' AND closedAt IS NOT NULL AND closedAt <= ? ORDER BY id`,
    iso(closedBy),
  );
}

/** How many records of each kind are due now (the dry run; the apply pass erases exactly these). */
export async function countDue(cut: RetentionCutoffs): Promise<RetentionCounts> {
  const one = async (sql: string, ...args: (string | number)[]) => Number(await db().read.value(sql, ...args));
  const periods = (await frozenPeriods(cut.periodsClosedBy)).map((p) => p.id);
  return {
    contacts: await one(`SELECT COUNT(*) FROM Complaint WHERE status IN ${ENDED} AND closedAt <= ? AND ${HAS_CONTACT}`, iso(cut.contactsClosedBy)),
    photos: await one(
      `SELECT COUNT(*) FROM ComplaintPhoto p JOIN Complaint c ON c.id = p.complaintId WHERE c.status IN ${ENDED} AND c.closedAt <= ?`,
      iso(cut.photosClosedBy),
    ),
    complaint_networks: await one(`SELECT COUNT(*) FROM Complaint WHERE status IN ${ENDED} AND closedAt <= ? AND ${HAS_NETWORK}`, iso(cut.complaintNetworksClosedBy)),
    response_networks: periods.length ? await one(`SELECT COUNT(*) FROM Response WHERE periodId IN ${sqlIdList(periods)} AND ${HAS_NETWORK}`) : 0,
    notification_recipients: await one(`SELECT COUNT(*) FROM Notification WHERE ${NOTIFICATION_OVER}`, iso(cut.notificationsBy)),
    api_calls: await one(`SELECT COUNT(*) FROM ApiCall WHERE at <= ?`, iso(cut.apiCallsBy)),
    sessions: await one(`SELECT COUNT(*) FROM Session WHERE expiresAt <= ?`, iso(cut.sessionsExpiredBy)),
    recent_devices: await one(`SELECT COUNT(*) FROM RecentDevice WHERE at <= ?`, iso(cut.recentDevicesBy)),
  };
}

interface ComplaintRef {
  id: number;
  reference: string;
}

async function complaintEvent(tx: Sql, complaintId: number, at: Date, actorKind: "citizen" | "system", action: string) {
  await tx.run(`INSERT INTO ComplaintEvent (complaintId, at, actorKind, action, visibility) VALUES (?, ?, ?, ?, 'public')`, complaintId, iso(at), actorKind, action);
}

/**
 * The complaint's notifications to the contacts it carries: the waiting ones are deleted (they
 * must not go out any more), the others lose the address, the text and any error (which may quote
 * the address). Returns how many of each.
 */
async function forgetNotificationsTo(tx: Sql, complaintId: number, contacts: (string | null)[]): Promise<{ cancelled: number; erased: number }> {
  const wanted = new Set(contacts.filter((c): c is string => Boolean(c)).map(normalizeContact));
  if (!wanted.size) return { cancelled: 0, erased: 0 };
  const rows = await tx.all<{ id: number; status: string; recipient: string }>(
    `SELECT id, status, recipient FROM Notification WHERE complaintId = ? AND recipient <> ''`,
    complaintId,
  );
  let cancelled = 0;
  let erased = 0;
  for (const r of rows) {
    if (!wanted.has(normalizeContact(r.recipient))) continue;
    if (r.status === "pending") {
      // Even one a dispatcher holds right now: its mark finds no row, and nothing is sent again.
      cancelled += (await tx.run(`DELETE FROM Notification WHERE id = ?`, r.id)).changes;
    } else {
      erased += (await tx.run(`UPDATE Notification SET recipient = '', body = '', template = NULL, lastError = NULL WHERE id = ?`, r.id)).changes;
    }
  }
  return { cancelled, erased };
}

type ContactRow = ComplaintRef & { contactEmail: string | null; contactPhone: string | null };

const ERASE_CONTACT = `UPDATE Complaint SET contactName = NULL, contactPhone = NULL, contactEmail = NULL, contactEmailKey = NULL, contactPhoneKey = NULL,
   contactRemovedAt = ?, contactRemovedBy = ? WHERE id = ?`;

async function eraseContacts(tx: Sql, rows: readonly ContactRow[], now: Date, by: "citizen" | "retention") {
  const total = { cancelled: 0, erased: 0 };
  for (const r of rows) {
    const n = await forgetNotificationsTo(tx, r.id, [r.contactEmail, r.contactPhone]);
    total.cancelled += n.cancelled;
    total.erased += n.erased;
    await tx.run(ERASE_CONTACT, iso(now), by, r.id);
    await complaintEvent(tx, r.id, now, by === "citizen" ? "citizen" : "system", by === "citizen" ? "contact_removed" : "contact_retention");
  }
  return total;
}

/** Erases the contact details of up to `limit` complaints due; returns them (and the waiting messages cancelled). In the write transaction `tx`. */
export async function eraseDueContacts(tx: Sql, cut: RetentionCutoffs, now: Date, limit: number): Promise<{ complaints: ComplaintRef[]; cancelled: number }> {
  const rows = await tx.all<ContactRow>(
    `SELECT id, reference, contactEmail, contactPhone FROM Complaint WHERE status IN ${ENDED} AND closedAt <= ? AND ${HAS_CONTACT} ORDER BY id LIMIT ?`,
    iso(cut.contactsClosedBy),
    limit,
  );
  const { cancelled } = await eraseContacts(tx, rows, now, "retention");
  return { complaints: rows.map(({ id, reference }) => ({ id, reference })), cancelled };
}

/** Up to `limit` complaints whose photos are due, with their photos' stored names (a read of committed state). */
export async function duePhotos(cut: RetentionCutoffs, limit: number): Promise<(ComplaintRef & { photos: { id: number; storedName: string }[] })[]> {
  const complaints = await db().read.all<ComplaintRef>(
    `SELECT id, reference FROM Complaint WHERE status IN ${ENDED} AND closedAt <= ? AND EXISTS (SELECT 1 FROM ComplaintPhoto p WHERE p.complaintId = Complaint.id) ORDER BY id LIMIT ?`,
    iso(cut.photosClosedBy),
    limit,
  );
  const due = [];
  for (const c of complaints) {
    const photos = await db().read.all<{ id: number; storedName: string }>(`SELECT id, storedName FROM ComplaintPhoto WHERE complaintId = ? ORDER BY id`, c.id);
    due.push({ ...c, photos });
  }
  return due;
}

/**
 * After their files are gone: deletes these photo rows and marks their complaints (once each, with
 * an event). Returns how many rows went. In the write transaction `tx`.
 */
export async function forgetPhotos(tx: Sql, complaints: readonly { id: number; photos: readonly { id: number }[] }[], now: Date): Promise<number> {
  let removed = 0;
  for (const c of complaints) {
    for (const p of c.photos) removed += (await tx.run(`DELETE FROM ComplaintPhoto WHERE id = ? AND complaintId = ?`, p.id, c.id)).changes;
    const marked = await tx.run(`UPDATE Complaint SET photosRemovedAt = ? WHERE id = ? AND photosRemovedAt IS NULL`, iso(now), c.id);
    if (marked.changes) await complaintEvent(tx, c.id, now, "system", "photos_retention");
  }
  return removed;
}

/** Clears the network hash and device id of up to `limit` complaints due; returns them. In the write transaction `tx`. */
export function clearDueComplaintNetworks(tx: Sql, cut: RetentionCutoffs, limit: number): Promise<ComplaintRef[]> {
  return tx.all<ComplaintRef>(
    `UPDATE Complaint SET ipHash = NULL, deviceId = NULL WHERE id IN (
       SELECT id FROM Complaint WHERE status IN ${ENDED} AND closedAt <= ? AND ${HAS_NETWORK} ORDER BY id LIMIT ?)
     RETURNING id, reference`,
    iso(cut.complaintNetworksClosedBy),
    limit,
  );
}

/**
 * Clears the network hash and device id of up to `limit` responses of one frozen period after id
 * `afterId` (walking forward by id, so no batch reads again what an earlier one cleared). Returns
 * how many changed and the last id looked at (null when the period is done). In the write
 * transaction `tx`.
 */
export async function clearResponseNetworks(tx: Sql, periodId: number, afterId: number, limit: number): Promise<{ cleared: number; lastId: number | null }> {
  const ids = await tx.pluck<number>(`SELECT id FROM Response WHERE periodId = ? AND id > ? AND ${HAS_NETWORK} ORDER BY id LIMIT ?`, periodId, afterId, limit);
  if (!ids.length) return { cleared: 0, lastId: null };
  const cleared = (await tx.run(`UPDATE Response SET ipHash = NULL, deviceId = NULL WHERE id IN ${sqlIdList(ids)}`)).changes;
  return { cleared, lastId: ids[ids.length - 1]! };
}

/** Erases the address, text and error of up to `limit` notifications that are over and due; returns their ids. In the write transaction `tx`. */
export function eraseDueNotifications(tx: Sql, cut: RetentionCutoffs, limit: number): Promise<number[]> {
  return tx.pluck<number>(
    `UPDATE Notification SET recipient = '', body = '', template = NULL, lastError = NULL
     WHERE id IN (SELECT id FROM Notification WHERE ${NOTIFICATION_OVER} ORDER BY id LIMIT ?) RETURNING id`,
    iso(cut.notificationsBy),
    limit,
  );
}

/** Deletes up to `limit` API calls due; returns how many. In the write transaction `tx`. */
export async function deleteDueApiCalls(tx: Sql, cut: RetentionCutoffs, limit: number): Promise<number> {
  return (await tx.run(`DELETE FROM ApiCall WHERE id IN (SELECT id FROM ApiCall WHERE at <= ? ORDER BY at LIMIT ?)`, iso(cut.apiCallsBy), limit)).changes;
}

/** Deletes up to `limit` expired sessions past their grace; returns how many. In the write transaction `tx`. */
export async function deleteDueSessions(tx: Sql, cut: RetentionCutoffs, limit: number): Promise<number> {
  return (await tx.run(`DELETE FROM Session WHERE idHash IN (SELECT idHash FROM Session WHERE expiresAt <= ? LIMIT ?)`, iso(cut.sessionsExpiredBy), limit)).changes;
}

/** Deletes up to `limit` rows of the stuffing rule's device log past its day; returns how many. In the write transaction `tx`. */
export async function deleteDueRecentDevices(tx: Sql, cut: RetentionCutoffs, limit: number): Promise<number> {
  return (await tx.run(`DELETE FROM RecentDevice WHERE id IN (SELECT id FROM RecentDevice WHERE at <= ? LIMIT ?)`, iso(cut.recentDevicesBy), limit)).changes;
}

export const DAILY_PASS_ACTION = "retention.run";

/**
 * Claims the daily pass of a region day: true for the first caller only, in this process or any
 * other on the same database (the check and the marker row are one write transaction, `tx`: one
 * writer at a time on SQLite, serializable on PostgreSQL). The marker is an audit event, so the
 * trail shows each day's pass.
 */
export async function claimDailyPass(tx: Sql, day: string, now: Date): Promise<boolean> {
  const taken = await tx.get(`SELECT 1 FROM AuditEvent WHERE targetType = 'retention' AND targetId = ? AND action = ?`, day, DAILY_PASS_ACTION);
  if (taken) return false;
  await writeAudit(tx, { actorId: null, action: DAILY_PASS_ACTION, targetType: "retention", targetId: day, data: { trigger: "daily" }, at: now });
  return true;
}

/**
 * The citizen's request, through a case link: erases the contact details (and their keys) of the
 * complaint when it still carries the contact of `hash`, cancels its waiting messages to them,
 * erases the addresses of those already sent, and records it (the case's timeline, and the audit
 * trail without any contact). Null when the complaint does not (any more) carry that contact.
 * In the write transaction `tx`.
 */
export async function eraseContactByCitizen(tx: Sql, complaintId: number, hash: string, now: Date): Promise<{ reference: string; cancelled: number; erased: number } | null> {
  const c = await tx.get<ContactRow & { anonymous: number }>(`SELECT id, reference, anonymous, contactEmail, contactPhone FROM Complaint WHERE id = ?`, complaintId);
  if (!c || !carriesContact({ anonymous: Boolean(c.anonymous), contactEmail: c.contactEmail, contactPhone: c.contactPhone }, hash)) return null;
  const { cancelled, erased } = await eraseContacts(tx, [c], now, "citizen");
  await writeAudit(tx, {
    actorId: null,
    action: "complaint.contact_removed",
    targetType: "complaint",
    targetId: c.id,
    data: { actor: "citizen", via: "case_link", reference: c.reference, notificationsCancelled: cancelled, notificationsErased: erased },
    at: now,
  });
  return { reference: c.reference, cancelled, erased };
}
