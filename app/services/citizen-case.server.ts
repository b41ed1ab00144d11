// The citizen's view of their complaint, however they reached it: with the reference and access
// code (/track), or with a signed link from a message (/track/open, /track/mine; docs/decisions/0016
// "Citizens' links"). Never contact details or internal notes.
import { pickText } from "#app/domain/localized";
import { normalizeContact } from "#app/domain/notifications";
import { trackPhotosPath } from "#app/domain/track-proof";
import { formatDate, formatDateTime } from "#app/i18n/format";
import { defaultLanguage } from "#app/i18n/languages";
import { caseLinkToken, type LinkProblem, readCaseLink, readCaseList } from "#app/lib/case-link.server";
import { getDb } from "#app/lib/db.server";
import { complaintsForContact, findComplaintForContact } from "#app/models/case-links.server";
import { canRate, type CitizenComplaint, recordCitizenVerdict } from "#app/models/complaint.server";
import { contactHash, notificationRows } from "#app/models/notification.server";
import { complaintLinks } from "./notify/messages.server";

/**
 * What the citizen may see of their complaint. `proof`: the hidden fields the rating form sends
 * back to show it is theirs (the reference and code, or the signed link).
 */
export function citizenView(c: CitizenComplaint, lng: string, proof: Record<string, string>) {
  return {
    reference: c.reference,
    proof,
    unitName: pickText(c.unit.names, lng, defaultLanguage),
    type: c.type,
    status: c.status,
    // What the citizen wrote, in the language it was written on; contact details stay out (the
    // code is a bearer secret: whoever holds it must not learn the citizen's phone number).
    description: c.description,
    when: c.occurredWhen,
    where: c.occurredWhere,
    lang: c.lang,
    anonymous: c.anonymous,
    // Whether contact details are kept (never the details): the link-opened page offers to delete them.
    hasContact: !c.anonymous && (c.contactEmail !== null || c.contactPhone !== null),
    contactRemovedAt: c.contactRemovedAt ? formatDate(c.contactRemovedAt, lng) : null,
    photosRemovedAt: c.photosRemovedAt ? formatDate(c.photosRemovedAt, lng) : null,
    photos: c.photos.map((p) => ({ id: p.id, src: `${trackPhotosPath(c.reference)}/${p.id}`, width: p.width, height: p.height })),
    submittedAt: formatDateTime(c.submittedAt, lng),
    replyDueAt: formatDateTime(c.replyDueAt, lng),
    reply: c.publicReply,
    rejectReason: c.rejectReason,
    grade: c.handlingGrade,
    canRate: canRate(c),
    events: c.events.map((e) => ({
      id: e.id,
      at: formatDateTime(e.at, lng),
      action: e.action,
      // Reasons for transfers stay internal; replies and rejections are for the citizen.
      note: e.action === "reply" || e.action === "reject" || e.action === "reopen" ? e.note : null,
      grade: e.action === "rate" ? e.note : null,
    })),
  };
}

export type CitizenView = ReturnType<typeof citizenView> & { verdictError: string | null };

/** Why a link opens nothing: forged or damaged, out of date, or no complaint (any more) for that contact. */
export type LinkRefusal = LinkProblem | "unknown";

export const LINK_REFUSAL_STATUS: Record<LinkRefusal, number> = { bad: 400, expired: 410, unknown: 404 };

/** The complaint a case link opens, or why it opens none. A read only: mail scanners follow links. */
export async function openCaseLink(token: string | null, now: Date): Promise<{ complaint: CitizenComplaint } | { refused: LinkRefusal }> {
  const link = readCaseLink(token, now);
  if ("problem" in link) return { refused: link.problem };
  const complaint = await findComplaintForContact(link.complaintId, link.hash);
  return complaint ? { complaint } : { refused: "unknown" };
}

/** The citizen's verdict on the handling, sent from a page a case link opened (the link is checked again). */
export async function verdictByLink(
  token: string,
  verdict: { grade: number } | { notResolved: true; note: string | null },
  now: Date,
): Promise<{ complaint: CitizenComplaint } | { refused: LinkRefusal }> {
  const opened = await openCaseLink(token, now);
  if ("refused" in opened) return opened;
  const link = readCaseLink(token, now) as { complaintId: number; hash: string };
  if (await recordCitizenVerdict(opened.complaint.id, verdict, now)) {
    const again = await findComplaintForContact(link.complaintId, link.hash);
    if (again) return { complaint: again };
  }
  return opened;
}

/** The complaints a list link shows, each with its own case link that lasts no longer than the list's. */
export interface ContactCase {
  reference: string;
  unitName: string;
  type: string;
  status: string;
  submittedAt: string;
  href: string;
}

export async function openCaseList(token: string | null, lng: string, now: Date): Promise<{ complaints: ContactCase[] } | { refused: LinkRefusal }> {
  const list = readCaseList(token, now);
  if ("problem" in list) return { refused: list.problem };
  const rows = await complaintsForContact(list.hash);
  return {
    complaints: rows.map((c) => ({
      reference: c.reference,
      unitName: pickText(c.unit.names, lng, defaultLanguage),
      type: c.type,
      status: c.status,
      submittedAt: formatDate(c.submittedAt, lng),
      href: `/track/open?t=${caseLinkToken(c.id, list.hash, list.expires)}`,
    })),
  };
}

/**
 * "I lost my code": when complaints were filed with this contact, ONE message to it, in `lang`,
 * with the link to their list. Says nothing about whether there were any (the page never does).
 */
export async function requestCaseLinks(contact: string, lang: string, now: Date): Promise<void> {
  const rows = await complaintsForContact(contactHash(contact), 1);
  const newest = rows[0];
  if (!newest) return;
  // To the address or number as the citizen gave it with their complaint (the same contact).
  const email = contact.includes("@");
  const stored = email ? newest.contactEmail : newest.contactPhone;
  const to = stored && normalizeContact(stored) === normalizeContact(contact) ? stored : contact;
  const db = await getDb();
  await db.notification.createMany({ data: notificationRows([complaintLinks(to, lang, now)], now) });
}
