// The `log` SMS adapter, the default: nothing leaves the machine. Each message is "sent" at once
// and kept in memory (the last N, newest last) so a developer or a test can see what would have gone
// out; the dispatcher's Notification rows remain the durable record of every message.
import type { Channel, OutgoingMessage } from "../channel";
import { smsSegments } from "./length";

export interface LoggedSms {
  messageId: string;
  to: string;
  lang: string;
  text: string;
  template: OutgoingMessage["template"] | null;
  /** Billed messages a provider would have counted, with the signature when one is configured. */
  segments: number;
  at: Date;
}

const DEFAULT_KEEP = 200;
let kept: LoggedSms[] = [];

/** The messages logged so far (copies; oldest first). */
export function loggedSms(): LoggedSms[] {
  return kept.map((m) => ({ ...m }));
}

export function clearLoggedSms(): void {
  kept = [];
}

export function createLogChannel(options: { keep?: number; signName?: string; now?: () => Date } = {}): Channel & {
  provider: "log";
} {
  const { keep = DEFAULT_KEEP, signName, now = () => new Date() } = options;
  return {
    name: "sms",
    provider: "log",
    async send(message) {
      kept.push({
        messageId: message.messageId,
        to: message.to,
        lang: message.lang,
        text: message.text,
        template: message.template ?? null,
        segments: smsSegments(message.text, signName),
        at: now(),
      });
      if (kept.length > keep) kept = kept.slice(-keep);
      return { ok: true, providerId: `log:${message.messageId}` };
    },
  };
}
