// Issue 13 (notifications): one interface for every way a message leaves the platform. A
// dispatcher (dispatcher.server.ts) claims due rows of the Notification outbox and hands each to
// the channel named by its row; the channel sends it (or records it, for the log channel) and
// says what the provider called it. Delivery is at least once: every message carries a stable id
// (`messageId`), which the channel passes to the provider (e-mail Message-ID, Aliyun OutId,
// Tencent SessionContext) so that a resend after a crash can be recognised.

export type ChannelName = "email" | "sms";

export interface OutgoingMessage {
  /** Stable for the life of the notification: the same on every attempt. */
  messageId: string;
  channel: ChannelName;
  /** An e-mail address or a phone number (digits, optional leading +). */
  to: string;
  /** The recipient's language (zh-Hans, ug, kk, en). */
  lang: string;
  /** E-mail only. */
  subject?: string;
  /** Plain text: the e-mail's text part, or the SMS text. */
  text: string;
  /** SMS only: the provider's pre-approved template and its parameters. */
  template?: { id: string; params: Record<string, string> };
}

export type SendResult =
  | { ok: true; providerId: string | null }
  /** retry: try again later (network, throttling, provider busy); never: the message cannot go (bad number). */
  | { ok: false; retry: boolean; error: string };

export interface Channel {
  readonly name: string;
  send(message: OutgoingMessage): Promise<SendResult>;
}
