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

/** An address on the platform, absolute when the public origin is configured. */
function platformUrl(path: string): string {
  return `${getEnv().PUBLIC_ORIGIN ?? ""}${path}`;
}

/** Why the e-mail came, and the link that stops all further ones to this address. */
function emailFooter(t: ReturnType<typeof tIn>, email: string): string {
  const url = platformUrl(`/notify/stop?t=${encodeURIComponent(stopToken(email))}`);
  return `${t("notify.emailFooter")}\n${t("notify.stopLink", { url })}`;
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
  const vars = { reference: c.reference, unit: c.unitName, url: platformUrl(`/track?ref=${encodeURIComponent(c.reference)}`) };
  const out: NewNotification[] = [];
  if (c.email) {
    out.push({
      kind: "complaint_received",
      channel: "email",
      recipient: c.email,
      lang: c.lang,
      complaintId: c.complaintId,
      subject: t("notify.complaintReceived.subject", vars),
      body: `${t("notify.complaintReceived.body", vars)}\n\n${emailFooter(t, c.email)}`,
    });
  }
  if (c.phone) {
    out.push({
      kind: "complaint_received",
      channel: "sms",
      recipient: c.phone,
      lang: c.lang,
      complaintId: c.complaintId,
      body: `${t("notify.complaintReceived.sms", vars)} ${t("notify.smsOptOut")}`,
      template: { kind: "complaint_received", params: { reference: c.reference } },
    });
  }
  return out;
}

/** A step in the handling that the citizen is told of (the part of the kind after "complaint_"). */
export type CaseStep = "accepted" | "transferred" | "extended" | "replied" | "rejected" | "closed" | "reopened";

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
export function caseUpdate(c: CaseForMessages, step: CaseStep, detail: { unitNames?: unknown; dueAt?: Date } = {}): NewNotification[] {
  if (c.anonymous || (!c.contactEmail && !c.contactPhone)) return [];
  const t = tIn(c.lang);
  const what = t(`notify.case.${step}`, {
    unit: detail.unitNames ? pickText(detail.unitNames, c.lang, defaultLanguage) : "",
    date: detail.dueAt ? formatDate(detail.dueAt, c.lang) : "",
  });
  const vars = { reference: c.reference, what, url: platformUrl(`/track?ref=${encodeURIComponent(c.reference)}`) };
  const kind = `complaint_${step}` as NotificationKind;
  const out: NewNotification[] = [];
  if (c.contactEmail) {
    out.push({
      kind,
      channel: "email",
      recipient: c.contactEmail,
      lang: c.lang,
      complaintId: c.id,
      subject: t("notify.case.subject", vars),
      body: `${t("notify.case.body", vars)}${step === "replied" ? `\n\n${t("notify.case.rateInvite", vars)}` : ""}\n\n${emailFooter(t, c.contactEmail)}`,
    });
  }
  if (c.contactPhone) {
    out.push({
      kind,
      channel: "sms",
      recipient: c.contactPhone,
      lang: c.lang,
      complaintId: c.id,
      body: `${t("notify.case.sms", vars)} ${t("notify.smsOptOut")}`,
      template: { kind, params: { reference: c.reference } },
    });
  }
  return out;
}
