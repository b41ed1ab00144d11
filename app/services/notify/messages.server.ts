// What each notification says, in its recipient's language (issue 13). E-mail gets a subject and
// a plain-text body; SMS gets a short text and the parameters of the provider's pre-approved
// template for that kind and language. Every message says how to stop receiving them.
import { tIn } from "#app/i18n/i18next.server";
import { getEnv } from "#app/lib/env.server";
import type { NewNotification } from "#app/models/notification.server";

/** An address on the platform, absolute when the public origin is configured. */
function platformUrl(path: string): string {
  return `${getEnv().PUBLIC_ORIGIN ?? ""}${path}`;
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
      body: `${t("notify.complaintReceived.body", vars)}\n\n${t("notify.emailFooter")}`,
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
