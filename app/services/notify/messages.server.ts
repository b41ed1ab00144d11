// What each notification says, in its recipient's language (issue 13). E-mail gets a subject and
// a plain-text body; SMS gets a short text and the parameters of the provider's pre-approved
// template for that kind and language. Every message says how to stop receiving them.
import { tIn } from "#app/i18n/i18next.server";
import { getEnv } from "#app/lib/env.server";
import type { NotificationKind } from "#app/domain/notifications";
import { pickText } from "#app/domain/localized";
import { formatDate } from "#app/i18n/format";
import { defaultLanguage } from "#app/i18n/languages";
import { contactHash, type NewNotification } from "#app/models/notification.server";
import { sign } from "#app/lib/signing.server";
import { caseLinkExpiry, caseLinkToken, caseListExpiry, caseListToken, CASE_LINK_DAYS, CASE_LIST_HOURS } from "#app/lib/case-link.server";
import { codePointLength, textCapacity } from "./sms/length";
import { userText } from "./email-html";

/** An address on the platform, absolute when the public origin is configured. */
function platformUrl(path: string): string {
  return `${getEnv().PUBLIC_ORIGIN ?? ""}${path}`;
}

/** Why the e-mail came, and the link that stops all further ones to this address. */
function emailFooter(t: ReturnType<typeof tIn>, email: string): string {
  const url = platformUrl(`/notify/stop?t=${encodeURIComponent(stopToken(email))}`);
  return `${t("notify.emailFooter")}\n${t("notify.stopLink", { url })}`;
}

/**
 * The link that opens complaint `complaintId` for the contact it is sent to, without the access
 * code, for CASE_LINK_DAYS from when the message is written (docs/decisions/0016 "Citizens' links").
 */
export function caseLink(complaintId: number, contact: string, now = new Date()): { url: string; token: string } {
  const token = caseLinkToken(complaintId, contactHash(contact), caseLinkExpiry(now));
  return { url: platformUrl(`/track/open?t=${token}`), token };
}

/** An SMS has room for this many billed messages (with the provider's 【signature】, about 10 characters). */
const SMS_SEGMENTS = 3;
const SIGNATURE_ROOM = 12;

/**
 * An SMS: the prose, then the link and the opt-out keyword whole. The prose is shortened (ending
 * with "…") when all of it would not fit SMS_SEGMENTS billed messages (sms/length.ts).
 */
export function smsWithLink(prose: string, url: string, optOut: string): string {
  const tail = ` ${url} ${optOut}`;
  const room = textCapacity(SMS_SEGMENTS) - SIGNATURE_ROOM - codePointLength(tail);
  const text = codePointLength(prose) <= room ? prose : `${Array.from(prose).slice(0, Math.max(0, room - 1)).join("").trimEnd()}…`;
  return `${text}${tail}`;
}

/** The signed token of the opt-out link: the contact's keyed hash, never the contact. */
export function stopToken(contact: string): string {
  return sign("notify-stop", contactHash(contact));
}

export interface ComplaintContact {
  complaintId: number;
  reference: string;
  unitName: string;
  lang: string;
  email: string | null;
  phone: string | null;
}

/** "Complaint received": to each contact the citizen left (none for an anonymous complaint). */
export function complaintReceived(c: ComplaintContact): NewNotification[] {
  const t = tIn(c.lang);
  const vars = { reference: c.reference, unit: c.unitName };
  const out: NewNotification[] = [];
  if (c.email) {
    const link = caseLink(c.complaintId, c.email);
    out.push({
      kind: "complaint_received",
      channel: "email",
      recipient: c.email,
      lang: c.lang,
      complaintId: c.complaintId,
      subject: t("notify.complaintReceived.subject", vars),
      body: `${t("notify.complaintReceived.body", { ...vars, url: link.url })}\n\n${t("notify.linkNote", { days: CASE_LINK_DAYS })}\n\n${emailFooter(t, c.email)}`,
    });
  }
  if (c.phone) {
    const link = caseLink(c.complaintId, c.phone);
    out.push({
      kind: "complaint_received",
      channel: "sms",
      recipient: c.phone,
      lang: c.lang,
      complaintId: c.complaintId,
      body: smsWithLink(t("notify.complaintReceived.sms", vars), link.url, t("notify.smsOptOut")),
      template: { kind: "complaint_received", params: { reference: c.reference, token: link.token } },
    });
  }
  return out;
}

/** A step in the handling that the citizen is told of (the part of the kind after "complaint_"). */
export type CaseStep = "accepted" | "transferred" | "extended" | "replied" | "rejected" | "closed" | "reopened"
  // Not a step: the one invitation to rate a reply still unrated after a few working days (the sweep).
  | "rate_invite";

/** What a complaint row offers the messages about it. */
export interface CaseForMessages {
  id: number;
  reference: string;
  lang: string;
  anonymous: boolean;
  contactEmail: string | null;
  contactPhone: string | null;
}

/**
 * A step in the handling of a complaint, to each contact its citizen left (none for an anonymous
 * complaint), in the language they filed in. `detail`: the unit it went to (its names), or the new
 * reply deadline.
 */
export function caseUpdate(c: CaseForMessages, step: CaseStep, detail: { unitNames?: unknown; dueAt?: Date; reply?: string | null } = {}): NewNotification[] {
  if (c.anonymous || (!c.contactEmail && !c.contactPhone)) return [];
  const t = tIn(c.lang);
  const what = t(`notify.case.${step}`, {
    unit: detail.unitNames ? pickText(detail.unitNames, c.lang, defaultLanguage) : "",
    date: detail.dueAt ? formatDate(detail.dueAt, c.lang) : "",
  });
  const vars = { reference: c.reference, what };
  const kind = `complaint_${step}` as NotificationKind;
  const out: NewNotification[] = [];
  if (c.contactEmail) {
    const link = caseLink(c.id, c.contactEmail);
    out.push({
      kind,
      channel: "email",
      recipient: c.contactEmail,
      lang: c.lang,
      complaintId: c.id,
      subject: t("notify.case.subject", vars),
      body: [
        t("notify.case.body", { ...vars, url: link.url }),
        // The unit's answer, as it wrote it: isolated, so that its own direction holds (email-html.ts).
        ...(step === "replied" && detail.reply ? [userText(detail.reply)] : []),
        ...(step === "replied" || step === "rate_invite" ? [t("notify.case.rateInvite", vars)] : []),
        t("notify.linkNote", { days: CASE_LINK_DAYS }),
        emailFooter(t, c.contactEmail),
      ].join("\n\n"),
    });
  }
  if (c.contactPhone) {
    const link = caseLink(c.id, c.contactPhone);
    out.push({
      kind,
      channel: "sms",
      recipient: c.contactPhone,
      lang: c.lang,
      complaintId: c.id,
      body: smsWithLink(t("notify.case.sms", vars), link.url, t("notify.smsOptOut")),
      template: { kind, params: { reference: c.reference, token: link.token } },
    });
  }
  return out;
}

/**
 * "I lost my code": ONE message to the contact that asked, in the language of the page, with one
 * link to the list of the complaints filed with it (docs/decisions/0016 "Citizens' links"). Only
 * called when there are such complaints; the page says the same either way.
 */
export function complaintLinks(contact: string, lang: string, now = new Date()): NewNotification {
  const t = tIn(lang);
  const token = caseListToken(contactHash(contact), caseListExpiry(now));
  const url = platformUrl(`/track/mine?t=${token}`);
  if (contact.includes("@")) {
    return {
      kind: "complaint_links",
      channel: "email",
      recipient: contact,
      lang,
      subject: t("notify.links.subject"),
      body: [t("notify.links.body", { url }), t("notify.links.note", { hours: CASE_LIST_HOURS }), emailFooter(t, contact)].join("\n\n"),
    };
  }
  return {
    kind: "complaint_links",
    channel: "sms",
    recipient: contact,
    lang,
    body: smsWithLink(t("notify.links.sms"), url, t("notify.smsOptOut")),
    template: { kind: "complaint_links", params: { token } },
  };
}
