// Kiosk links of service-hall tablets (KioskLink). The link itself is signed (app/lib/kiosk-link.server.ts);
// the row makes it revocable: a kiosk id without a row, or with a revoked one, is refused.
import { randomBytes } from "node:crypto";
import { db, dbDateTime, getDb } from "#app/lib/db.server";
import { announceChange, sharedTtlCache } from "#app/lib/shared-cache.server";
import { KIOSK_ID_PATTERN } from "#app/domain/kiosk";
import { writeAudit } from "./audit.server";

type KioskRow = { surveyId: number; unitId: number; revoked: boolean } | null;

// Checked on every kiosk page view and submission. Creating and revoking here clear the cache at
// once; a link created by another process (npm run kiosk:link) has a new id, never looked up before.
const rows = sharedTtlCache("kiosk", 15_000, async (kioskId: string): Promise<KioskRow> => {
  const db = await getDb();
  const row = await db.kioskLink.findUnique({ where: { kioskId }, select: { surveyId: true, unitId: true, revokedAt: true } });
  return row ? { surveyId: row.surveyId, unitId: row.unitId, revoked: row.revokedAt !== null } : null;
});

/** After a link was created or revoked: every app process reads it afresh. */
export function clearKioskLinkCache(): Promise<void> {
  return announceChange("kiosk");
}

/** True when the kiosk id has a link for this survey and unit that is not revoked. */
export async function isKioskLinkActive(surveyId: number, unitId: number, kioskId: string): Promise<boolean> {
  if (!KIOSK_ID_PATTERN.test(kioskId)) return false;
  const row = await rows.get(kioskId);
  return row !== null && !row.revoked && row.surveyId === surveyId && row.unitId === unitId;
}

/** A new random kiosk id (16 url-safe characters; see KIOSK_ID_PATTERN). */
export function newKioskId(): string {
  return `k${randomBytes(11).toString("base64url")}`;
}

export interface NewKioskLink {
  surveyId: number;
  surveySlug: string;
  unitId: number;
  unitCode: string;
  label: string;
  actorId: number | null;
  /** Only the command line names its own ids; the office's page always gets a random one. */
  kioskId?: string;
}

/** Stores a kiosk link and its audit event together; returns the row id and the kiosk id. */
export async function createKioskLink(input: NewKioskLink, now = new Date()): Promise<{ id: number; kioskId: string }> {
  const kioskId = input.kioskId ?? newKioskId();
  if (!KIOSK_ID_PATTERN.test(kioskId)) throw new Error(`Invalid kiosk id: ${kioskId}`);
  const created = await db().write(async (tx) => {
    const id = await tx.insert(
      `INSERT INTO KioskLink (surveyId, unitId, kioskId, label, createdById, createdAt) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
      input.surveyId,
      input.unitId,
      kioskId,
      input.label,
      input.actorId,
      dbDateTime(now),
    );
    await writeAudit(tx, {
      actorId: input.actorId,
      action: "kiosk.create",
      targetType: "kiosk_link",
      targetId: id,
      note: input.label,
      data: { survey: input.surveySlug, unit: input.unitCode, kioskId },
      at: now,
    });
    return { id, kioskId };
  });
  await clearKioskLinkCache();
  return created;
}

/** Revokes a link of this survey with a reason (audited); false when there is no such link or it was revoked. */
export async function revokeKioskLink(
  input: { id: number; surveyId: number; reason: string; actorId: number | null },
  now = new Date(),
): Promise<{ label: string } | null> {
  const revoked = await db().write(async (tx) => {
    const row = await tx.get<{ label: string; kioskId: string }>(
      `SELECT label, kioskId FROM KioskLink WHERE id = ? AND surveyId = ? AND revokedAt IS NULL`,
      input.id,
      input.surveyId,
    );
    if (!row) return null;
    await tx.run(`UPDATE KioskLink SET revokedAt = ?, revokedById = ? WHERE id = ?`, dbDateTime(now), input.actorId, input.id);
    await writeAudit(tx, {
      actorId: input.actorId,
      action: "kiosk.revoke",
      targetType: "kiosk_link",
      targetId: input.id,
      note: input.reason,
      data: { kioskId: row.kioskId },
      at: now,
    });
    return { label: row.label };
  });
  await clearKioskLinkCache();
  return revoked;
}

export async function findKioskLink(kioskId: string) {
  const db = await getDb();
  return db.kioskLink.findUnique({ where: { kioskId } });
}

/** A survey's kiosk links, newest first. */
export async function listKioskLinks(surveyId: number) {
  const db = await getDb();
  return db.kioskLink.findMany({
    where: { surveyId },
    orderBy: { id: "desc" },
    select: { id: true, unitId: true, kioskId: true, label: true, createdAt: true, revokedAt: true },
  });
}
