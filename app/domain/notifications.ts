// Rules of the notification outbox (issue 13), as plain functions: when a failed message is tried
// again, when an SMS may go out (quiet hours, region time), how a contact is shown to staff, and
// what a stable message id looks like.
import { staffNoticeKinds } from "./staff-notices";
import { REGION_UTC_OFFSET_MINUTES } from "./working-days";

export const notificationKinds = [
  "complaint_received",
  // A step in the handling of a complaint, to the citizen who left a contact (caseUpdate).
  "complaint_accepted",
  "complaint_transferred",
  "complaint_extended",
  "complaint_replied",
  "complaint_rejected",
  "complaint_closed",
  "complaint_reopened",
  // A reply still unrated after the period's ratingInviteDays working days: one invitation (the sweep).
  "complaint_rate_invite",
  // To staff accounts (app/domain/staff-notices.ts), and their daily digest.
  ...staffNoticeKinds,
  "staff_digest",
  // "I lost my code": one message with a link to the contact's complaints (complaintLinks).
  "complaint_links",
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** Where a notification stands: waiting (or being sent), sent, failed for good, skipped (channel not configured). */
export const NOTIFICATION_STATUSES = ["pending", "sent", "failed", "skipped"] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** Attempts before a message stays failed (visible to administrators, who may retry it). */
export const MAX_ATTEMPTS = 6;

/** Wait before attempt n+1 after n failed ones: 30 s doubling (30 s, 1, 2, 4, 8 min ...), at most 1 h. */
export function backoffMs(failedAttempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, failedAttempts - 1), 3_600_000);
}

export interface QuietHours {
  /** Hour of the day (region time) from which no SMS goes out. */
  from: number;
  /** Hour of the day (region time) at which SMS may go out again. */
  to: number;
}

/** Default: no SMS between 21:00 and 08:00 region time. */
export const DEFAULT_QUIET_HOURS: QuietHours = { from: 21, to: 8 };

const HOUR = 3_600_000;

/**
 * The earliest time a message may go out: e-mail at once; an SMS outside the quiet hours (one
 * written at 22:30 waits until 08:00 region time).
 */
export function earliestSend(channel: string, at: Date, quiet: QuietHours = DEFAULT_QUIET_HOURS): Date {
  if (channel !== "sms" || quiet.from === quiet.to) return at;
  const local = at.getTime() + REGION_UTC_OFFSET_MINUTES * 60_000;
  const dayStart = Math.floor(local / (24 * HOUR)) * 24 * HOUR;
  const hour = (local - dayStart) / HOUR;
  const inQuiet = quiet.from > quiet.to ? hour >= quiet.from || hour < quiet.to : hour >= quiet.from && hour < quiet.to;
  if (!inQuiet) return at;
  // The next `to` o'clock, region time.
  let next = dayStart + quiet.to * HOUR;
  if (next <= local) next += 24 * HOUR;
  return new Date(next - REGION_UTC_OFFSET_MINUTES * 60_000);
}

/**
 * One form per contact, so that an opt-out holds however the address or number is written:
 * e-mail addresses lowercased; phone numbers as digits, a mainland number without +86.
 */
export function normalizeContact(contact: string): string {
  const c = contact.trim();
  if (c.includes("@")) return c.toLowerCase();
  const digits = c.replace(/\D/g, "");
  return /^86\d{11}$/.test(digits) ? digits.slice(2) : digits;
}

/** At most this many messages to one recipient in an hour; more wait (a runaway loop, a busy case). */
export const RECIPIENT_LIMIT_PER_HOUR = 5;

/**
 * When the next message to a recipient may go, given when earlier ones were sent: null now, else
 * the moment the oldest of the last `limit` leaves the hour.
 */
export function rateLimitedUntil(sentAt: readonly Date[], now: Date, limit = RECIPIENT_LIMIT_PER_HOUR): Date | null {
  const recent = sentAt.filter((d) => now.getTime() - d.getTime() < HOUR).sort((a, b) => a.getTime() - b.getTime());
  if (recent.length < limit) return null;
  return new Date(recent[recent.length - limit]!.getTime() + HOUR);
}

/** A contact as staff lists show it: enough to tell two apart, not enough to use. */
export function maskContact(contact: string): string {
  const at = contact.indexOf("@");
  if (at > 0) {
    const name = contact.slice(0, at);
    return `${name.slice(0, 1)}${"•".repeat(Math.max(2, name.length - 1))}${contact.slice(at)}`;
  }
  const digits = contact.replace(/[^\d+]/g, "");
  if (digits.length <= 4) return "•".repeat(digits.length);
  return `${digits.slice(0, 3)}${"•".repeat(digits.length - 7 > 0 ? digits.length - 7 : 1)}${digits.slice(-4)}`;
}

/** A stable, globally unique message id in e-mail's form (<random@domain>); SMS providers get it too. */
export function newMessageId(random: string, domain: string): string {
  return `<${random}@${domain}>`;
}
