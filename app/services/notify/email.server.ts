// E-mail over SMTP with nodemailer (issue 13): configured by SMTP_URL and MAIL_FROM. The
// notification's stable id is the message's Message-ID, so a resend after a crash carries the
// same one. A plain-text part, and an HTML alternative made from the same text (email-html.ts).
import nodemailer from "nodemailer";
import type { Channel, OutgoingMessage, SendResult } from "./channel";
import { emailHtml } from "./email-html";

export function createEmailChannel(smtpUrl: string, from: string): Channel {
  // Pooled: a few connections kept open and reused, instead of one connection per message.
  const url = new URL(smtpUrl);
  if (!url.searchParams.has("pool")) url.searchParams.set("pool", "true");
  const transport = nodemailer.createTransport(url.toString());
  return {
    name: "email",
    async send(m: OutgoingMessage): Promise<SendResult> {
      try {
        const subject = m.subject ?? "";
        const html = emailHtml({ subject, text: m.text, lang: m.lang });
        const info = await transport.sendMail({ from, to: m.to, subject, text: m.text, html, messageId: m.messageId });
        return { ok: true, providerId: info.messageId ?? m.messageId };
      } catch (error) {
        const e = error as { responseCode?: number; message?: string };
        // 5xx from the server: the address or the message is refused for good; anything else (no
        // connection, 4xx "try later") is tried again.
        const permanent = typeof e.responseCode === "number" && e.responseCode >= 500;
        return { ok: false, retry: !permanent, error: `${e.responseCode ?? ""} ${e.message ?? String(error)}`.trim() };
      }
    },
  };
}
