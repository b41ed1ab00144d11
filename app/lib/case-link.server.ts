// Citizens' links (issue 13; docs/decisions/0016): signed tokens that open a complaint, or the list
// of a contact's complaints, without the access code. A token names the complaint (or nothing, for
// the list), the keyed hash of the contact it was sent to (contactHash, never the contact), and
// when it stops working. The caller checks that the complaint still carries that contact: a token
// for a contact the complaint no longer has opens nothing.
import { sign, unsign } from "./signing.server";

const DAY = 86_400_000;
/** A link in a message about a complaint works this long after the message was written. */
export const CASE_LINK_DAYS = 30;
/** The list a citizen asked for on "I lost my code" works this long (they can ask again). */
export const CASE_LIST_HOURS = 72;

const HASH = /^[A-Za-z0-9_-]{32}$/;

export type LinkProblem = "bad" | "expired";

export function caseLinkExpiry(now: Date): Date {
  return new Date(now.getTime() + CASE_LINK_DAYS * DAY);
}

export function caseListExpiry(now: Date): Date {
  return new Date(now.getTime() + CASE_LIST_HOURS * 3_600_000);
}

// The expiry travels in seconds, base 36: short links matter in an SMS.
const encodeTime = (d: Date) => Math.floor(d.getTime() / 1000).toString(36);
const decodeTime = (s: string | undefined) => (s && /^[0-9a-z]{1,10}$/.test(s) ? parseInt(s, 36) * 1000 : NaN);

/** The token of a link that opens complaint `complaintId` for the contact whose hash is `hash`, until `expires`. */
export function caseLinkToken(complaintId: number, hash: string, expires: Date, secret?: string): string {
  return sign("case-link", `${complaintId}.${hash}.${encodeTime(expires)}`, secret);
}

export function readCaseLink(token: string | null | undefined, now: Date): { complaintId: number; hash: string; expires: Date } | { problem: LinkProblem } {
  const value = unsign("case-link", token);
  if (!value) return { problem: "bad" };
  const [id, hash, until, ...rest] = value.split(".");
  const complaintId = Number(id);
  const expires = decodeTime(until);
  if (rest.length || !Number.isSafeInteger(complaintId) || complaintId <= 0 || !hash || !HASH.test(hash) || Number.isNaN(expires)) return { problem: "bad" };
  if (expires <= now.getTime()) return { problem: "expired" };
  return { complaintId, hash, expires: new Date(expires) };
}

/** The token of a link to the list of the complaints filed with the contact whose hash is `hash`. */
export function caseListToken(hash: string, expires: Date, secret?: string): string {
  return sign("case-list", `${hash}.${encodeTime(expires)}`, secret);
}

export function readCaseList(token: string | null | undefined, now: Date): { hash: string; expires: Date } | { problem: LinkProblem } {
  const value = unsign("case-list", token);
  if (!value) return { problem: "bad" };
  const [hash, until, ...rest] = value.split(".");
  const expires = decodeTime(until);
  if (rest.length || !hash || !HASH.test(hash) || Number.isNaN(expires)) return { problem: "bad" };
  if (expires <= now.getTime()) return { problem: "expired" };
  return { hash, expires: new Date(expires) };
}
