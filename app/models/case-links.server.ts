// Complaints as a contact's links reach them (issue 13; docs/decisions/0016 "Citizens' links"): one
// complaint for a link that names it and a contact hash, and the complaints filed with a contact,
// found through Complaint.contactEmailKey / contactPhoneKey (the keyed hash of each normalised
// contact). Every answer is checked against the complaint's contact as it is now: a complaint that
// no longer carries the contact, or is anonymous, is never returned.
import { getDb } from "#app/lib/db.server";
import { contactHash } from "./notification.server";
import type { CitizenComplaint } from "./complaint.server";

/** The keys a complaint with these contacts is filed under (null for none). */
export function contactKeys(email: string | null | undefined, phone: string | null | undefined) {
  return { contactEmailKey: email ? contactHash(email) : null, contactPhoneKey: phone ? contactHash(phone) : null };
}

/** Whether the complaint, as it is now, was filed with the contact of this hash. */
export function carriesContact(c: { anonymous: boolean; contactEmail: string | null; contactPhone: string | null }, hash: string): boolean {
  if (c.anonymous) return false;
  return (c.contactEmail !== null && contactHash(c.contactEmail) === hash) || (c.contactPhone !== null && contactHash(c.contactPhone) === hash);
}

/** The complaint a link names, with what the citizen's page shows; null when unknown or no longer this contact's. */
export async function findComplaintForContact(id: number, hash: string): Promise<CitizenComplaint | null> {
  const db = await getDb();
  const complaint = await db.complaint.findUnique({
    where: { id },
    include: {
      unit: { select: { code: true, names: true } },
      events: { where: { visibility: "public" }, orderBy: [{ at: "asc" }, { id: "asc" }] },
      photos: { select: { id: true, width: true, height: true }, orderBy: { id: "asc" } },
    },
  });
  return complaint && carriesContact(complaint, hash) ? complaint : null;
}

let filled = false;

/**
 * Rows filed before the keys existed (migration 20261201090000_case_links) get theirs, once per
 * process: the hash needs the server's secret, which SQL does not have. New rows get them when filed.
 */
export async function fillContactKeys(): Promise<void> {
  if (filled) return;
  const db = await getDb();
  // By id, forward: a row whose contact yields no key (an empty string) is passed, not read again.
  for (let after = 0; ; ) {
    const rows = await db.complaint.findMany({
      where: { id: { gt: after }, OR: [{ contactEmail: { not: null }, contactEmailKey: null }, { contactPhone: { not: null }, contactPhoneKey: null }] },
      select: { id: true, contactEmail: true, contactPhone: true },
      orderBy: { id: "asc" },
      take: 500,
    });
    if (!rows.length) break;
    after = rows[rows.length - 1]!.id;
    await db.$transaction(rows.map((r) => db.complaint.update({ where: { id: r.id }, data: contactKeys(r.contactEmail, r.contactPhone) })));
  }
  filled = true;
}

export const CONTACT_LIST_LIMIT = 10;

/** The most recent complaints filed with the contact of this hash (at most `limit`), newest first. */
export async function complaintsForContact(hash: string, limit = CONTACT_LIST_LIMIT) {
  await fillContactKeys();
  const db = await getDb();
  const rows = await db.complaint.findMany({
    where: { anonymous: false, OR: [{ contactEmailKey: hash }, { contactPhoneKey: hash }] },
    select: {
      id: true,
      reference: true,
      status: true,
      type: true,
      submittedAt: true,
      anonymous: true,
      contactEmail: true,
      contactPhone: true,
      unit: { select: { names: true } },
    },
    orderBy: [{ submittedAt: "desc" }, { id: "desc" }],
    take: limit,
  });
  // The keys are a lookup; the contact as it is now decides.
  return rows.filter((r) => carriesContact(r, hash));
}
