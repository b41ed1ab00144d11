// Personal data kept only as long as needed (issue 15, PIPL; docs/decisions/0024): which records
// are due for erasure at a moment, given the retention settings. Plain rules, the same ones the
// data layer's SQL asks (app/models/retention.server.ts), tested on their own.
//
// What is erased, and what never is: a complainant's contact details and photos, the network
// hashes and device ids kept with responses and complaints, the API call log, expired staff
// sessions, the addresses of sent notifications and the stuffing rule's device log. Responses,
// answers, flags, tallies, snapshots, complaints' texts, statuses, deadlines and ratings stay: the
// figures are computed from those alone, so erasing never changes a number.
import { HOP_LOG_HOURS } from "./stuffing";
import { REGION_UTC_OFFSET_MINUTES } from "./working-days";

export interface RetentionSettings {
  /** Months after a complaint is closed or rejected before its contact details are erased. */
  contactMonths: number;
  /** Months after a complaint is closed or rejected before its photos are deleted. */
  photoMonths: number;
  /** Months after a period is frozen (or a complaint closed) before network hashes and device ids are cleared. */
  networkMonths: number;
  /** Days the API call log is kept. */
  apiCallDays: number;
  /** Days after a notification was sent, failed or skipped before its address and text are erased. */
  notificationDays: number;
}

/** The defaults the environment gives (app/lib/env.server.ts), stated in docs/operations.md. */
export const RETENTION_DEFAULTS: RetentionSettings = { contactMonths: 24, photoMonths: 24, networkMonths: 12, apiCallDays: 180, notificationDays: 30 };

/** An expired staff session is deleted this long after it expired (a late request still meets "expired", not "unknown"). */
export const SESSION_GRACE_HOURS = 24;

/** The kinds of personal data a retention pass erases, in the order it runs them. */
export const retentionKinds = [
  "contacts",
  "photos",
  "complaint_networks",
  "response_networks",
  "notification_recipients",
  "api_calls",
  "sessions",
  "recent_devices",
] as const;
export type RetentionKind = (typeof retentionKinds)[number];

/** Statuses after which a complaint is over: closed by the unit (or by the citizen's rating), or rejected. */
export const endedStatuses = ["closed", "rejected"] as const;

export function complaintEnded(status: string): boolean {
  return (endedStatuses as readonly string[]).includes(status);
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const OFFSET = REGION_UTC_OFFSET_MINUTES * 60_000;

/**
 * `months` calendar months before `now`, on the region's calendar (UTC+8), at the same time of
 * day. A day the earlier month lacks becomes its last day (31 March − 1 month = 28 or 29
 * February), so a record is always kept at least the full months the setting says.
 */
export function monthsBefore(now: Date, months: number): Date {
  const local = new Date(now.getTime() + OFFSET);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const shifted = Date.UTC(
    year,
    month,
    Math.min(local.getUTCDate(), lastDay),
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
    local.getUTCMilliseconds(),
  );
  return new Date(shifted - OFFSET);
}

/** The moments at or before which each kind's anchor time makes a record due. */
export interface RetentionCutoffs {
  /** Complaints closed or rejected at or before this lose their contact details. */
  contactsClosedBy: Date;
  photosClosedBy: Date;
  /** Complaints closed or rejected at or before this lose their network hash and device id. */
  complaintNetworksClosedBy: Date;
  /** Responses of periods closed (frozen) at or before this lose theirs. */
  periodsClosedBy: Date;
  /** Notifications sent (or, never sent, created) at or before this lose their address and text. */
  notificationsBy: Date;
  /** API calls made at or before this are deleted. */
  apiCallsBy: Date;
  /** Sessions that expired at or before this are deleted. */
  sessionsExpiredBy: Date;
  /** Rows of the device log (RecentDevice) written at or before this are deleted. */
  recentDevicesBy: Date;
}

export function retentionCutoffs(now: Date, s: RetentionSettings): RetentionCutoffs {
  return {
    contactsClosedBy: monthsBefore(now, s.contactMonths),
    photosClosedBy: monthsBefore(now, s.photoMonths),
    complaintNetworksClosedBy: monthsBefore(now, s.networkMonths),
    periodsClosedBy: monthsBefore(now, s.networkMonths),
    notificationsBy: new Date(now.getTime() - s.notificationDays * DAY),
    apiCallsBy: new Date(now.getTime() - s.apiCallDays * DAY),
    sessionsExpiredBy: new Date(now.getTime() - SESSION_GRACE_HOURS * HOUR),
    recentDevicesBy: new Date(now.getTime() - HOP_LOG_HOURS * HOUR),
  };
}

const atOrBefore = (at: Date | null, cutoff: Date) => at !== null && at.getTime() <= cutoff.getTime();

/** A complaint as the rules read it. An open case (any status but closed or rejected) is never due. */
export interface RetainedComplaint {
  status: string;
  closedAt: Date | null;
  contactName: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  contactEmailKey: string | null;
  contactPhoneKey: string | null;
  ipHash: string | null;
  deviceId: string | null;
  /** How many photos it still has. */
  photos: number;
}

function ended(c: Pick<RetainedComplaint, "status" | "closedAt">, cutoff: Date): boolean {
  return complaintEnded(c.status) && atOrBefore(c.closedAt, cutoff);
}

export function contactsDue(c: RetainedComplaint, cut: RetentionCutoffs): boolean {
  const any = c.contactName ?? c.contactPhone ?? c.contactEmail ?? c.contactEmailKey ?? c.contactPhoneKey;
  return any !== null && ended(c, cut.contactsClosedBy);
}

export function photosDue(c: RetainedComplaint, cut: RetentionCutoffs): boolean {
  return c.photos > 0 && ended(c, cut.photosClosedBy);
}

export function complaintNetworkDue(c: RetainedComplaint, cut: RetentionCutoffs): boolean {
  return (c.ipHash !== null || c.deviceId !== null) && ended(c, cut.complaintNetworksClosedBy);
}

/** Whether the responses of a period lose their network hashes and device ids: only once it is closed (frozen), never while open or a draft. */
export function periodNetworksDue(p: { status: string; closedAt: Date | null }, cut: RetentionCutoffs): boolean {
  return p.status === "closed" && atOrBefore(p.closedAt, cut.periodsClosedBy);
}

/**
 * A notification's address and text are erased once it is over (sent, failed or skipped) and the
 * days have passed since it was sent (or written, when it never was). A waiting one keeps them: it
 * still has to go.
 */
export function notificationDue(n: { status: string; recipient: string; sentAt: Date | null; createdAt: Date }, cut: RetentionCutoffs): boolean {
  return n.status !== "pending" && n.recipient !== "" && atOrBefore(n.sentAt ?? n.createdAt, cut.notificationsBy);
}

export function apiCallDue(call: { at: Date }, cut: RetentionCutoffs): boolean {
  return atOrBefore(call.at, cut.apiCallsBy);
}

export function sessionDue(s: { expiresAt: Date }, cut: RetentionCutoffs): boolean {
  return atOrBefore(s.expiresAt, cut.sessionsExpiredBy);
}

/** What a pass found (dry run) or erased (apply), per kind. */
export type RetentionCounts = Record<RetentionKind, number>;

export function emptyCounts(): RetentionCounts {
  return Object.fromEntries(retentionKinds.map((k) => [k, 0])) as RetentionCounts;
}

/** The region's calendar day of a moment (YYYY-MM-DD): the daily pass runs once per such day. */
export function retentionDay(now: Date): string {
  return new Date(now.getTime() + OFFSET).toISOString().slice(0, 10);
}

/** The daily pass starts at this hour of the region's day, or at the first check after it. */
export const RETENTION_HOUR = 3;

/** Whether the daily pass may run at `now`: from RETENTION_HOUR on, region time (a quiet hour first; later that day, when the server was down then). */
export function dailyPassWindow(now: Date): boolean {
  return new Date(now.getTime() + OFFSET).getUTCHours() >= RETENTION_HOUR;
}
