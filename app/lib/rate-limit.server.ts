// Slows down guessing: complaint access codes (/track), staff passwords (sign-in and password
// change) and API tokens. On SQLite (one server process, docs/decisions/0005) the counts are in
// memory and a restart forgets them; on PostgreSQL they are rows of the RateLimit table, shared by
// every app server (docs/decisions/0026 §2.7). Counts are kept per network (networkKey): an IPv4
// address, or the /64 an IPv6 address belongs to (one subscriber's line gets a whole /64, so
// counting single IPv6 addresses would give one attacker 2^64 fresh counters), as a keyed hash that
// is never stored.
import net from "node:net";
import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterAbstract, type RateLimiterRes } from "rate-limiter-flexible";
import { ACCESS_CODE_ALPHABET, ACCESS_CODE_LENGTH } from "#app/domain/complaint-form";
import { db, type Database } from "./db.server";
import type { PostgresDatabase } from "./db/postgres.server";
import { getEnv } from "./env.server";
import { clientAddress } from "./http.server";
import { hashAddress } from "./signing.server";

const WINDOW_S = 15 * 60;

export interface LimiterOptions {
  /** Names the limiter; its keys are stored as `keyPrefix:key`. */
  keyPrefix: string;
  points: number;
  /** The window, in seconds. */
  duration: number;
}

/** Whether a limiter of this process already deletes the RateLimit table's expired rows. */
let clearingExpired = false;

/**
 * The limiter for the database the app runs on. SQLite: in memory, as the single process counts.
 * PostgreSQL: RateLimiterPostgres on the app's pool (the RateLimit table, made by the migration:
 * tableCreated), one atomic upsert per count, so every app server draws on one budget. When the
 * database fails, a RateLimiterMemory with the same options answers instead (insuranceLimiter): no
 * 500, and the process still limits on its own. One limiter per process (the first made) also
 * deletes the rows that expired over an hour ago, every 5 minutes (the library's
 * clearExpiredByTimeout: the statement covers the whole table, so one suffices).
 */
export function makeLimiter(options: LimiterOptions, database?: Database): RateLimiterAbstract {
  // db() only on PostgreSQL: memory limiters need no connection.
  database ??= getEnv().DATABASE_KIND === "postgres" ? db() : undefined;
  if (database?.kind !== "postgres") return new RateLimiterMemory(options);
  const clearExpiredByTimeout = !clearingExpired;
  clearingExpired = true;
  return new RateLimiterPostgres({
    ...options,
    storeClient: (database as PostgresDatabase).pool,
    storeType: "pool",
    tableName: "RateLimit",
    tableCreated: true,
    clearExpiredByTimeout,
    insuranceLimiter: new RateLimiterMemory(options),
  });
}

/**
 * A limiter made on first use (so importing this module opens no database, and the configuration
 * is read once it is set), then the same one for the process.
 */
function limiter(options: LimiterOptions): Pick<RateLimiterAbstract, "get" | "consume" | "delete"> {
  let made: RateLimiterAbstract | undefined;
  const current = () => (made ??= makeLimiter(options));
  return {
    get: (key, opts) => current().get(key, opts),
    consume: (key, points, opts) => current().consume(key, points, opts),
    delete: (key, opts) => current().delete(key, opts),
  };
}

/** The network an address belongs to, for counting: IPv4 as is, IPv6 by its /64. */
export function networkOf(address: string | null): string | null {
  if (!address) return null;
  const bare = address.replace(/%.*$/, "");
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(bare);
  if (mapped) return mapped[1]!;
  if (net.isIPv4(bare)) return bare;
  if (!net.isIPv6(bare)) return bare;
  const [head = "", tail = ""] = bare.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = bare.includes("::") ? (tail ? tail.split(":") : []) : [];
  // An embedded IPv4 tail counts as two groups; only the first four groups matter here.
  const missing = 8 - left.length - right.length - (right.at(-1)?.includes(".") ? 1 : 0);
  const groups = [...left, ...Array.from({ length: Math.max(0, missing) }, () => "0"), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

/**
 * The keyed, daily hash of a request's network (never the address), or null without an address.
 * Stored on survey responses for the network-burst check and the anomalies page's clusters
 * (docs/decisions/0010): hashing the whole IPv6 address would let one phone, which has a /64 of
 * its own, send each response from a fresh address and never be counted as one network.
 */
export function networkHash(request: Request): string | null {
  return hashAddress(networkOf(clientAddress(request)));
}

/** The key a request's network is counted under (a keyed, daily hash; never the address). */
export function networkKey(request: Request): string {
  return networkHash(request) ?? "unknown";
}

function waitSeconds(res: RateLimiterRes | null, points: number): number {
  return res && res.consumedPoints >= points ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 0;
}

// /track: a wrong code counts against the network it came from, and only there. There is no
// count per reference: references are sequential (TS-2026-000123), so anyone could send five
// wrong codes for a neighbour's reference and lock the citizen out of their own complaint.
// Without it, guessing stays hopeless: the access code has ACCESS_CODE_LENGTH (8) characters from
// ACCESS_CODE_ALPHABET (32), 32^8 = 2^40 ≈ 1.1 × 10^12 codes (TRACK_CODE_SPACE). At 10 wrong
// codes per network per 15 minutes, even 10,000 networks make 400,000 guesses an hour and need
// about 1.4 million hours (over 150 years) for an even chance at one given complaint, and as long
// to hit any complaint at all (every guess has the same 1-in-10^12 chance). A per-reference ceiling
// generous enough not to lock a citizen out would have to be far above what one network may try,
// so it would stop nothing the network limit does not: there is none.
export const TRACK_FAILURES_PER_NETWORK = 10;
export const TRACK_CODE_SPACE = ACCESS_CODE_ALPHABET.length ** ACCESS_CODE_LENGTH;

const trackByNetwork = limiter({ keyPrefix: "track-net", points: TRACK_FAILURES_PER_NETWORK, duration: WINDOW_S });

/** Seconds before this network may try another code, or 0. */
export async function trackingBlockedFor(networkKey: string): Promise<number> {
  return waitSeconds(await trackByNetwork.get(networkKey), TRACK_FAILURES_PER_NETWORK);
}

export async function recordTrackingFailure(networkKey: string): Promise<void> {
  // consume() rejects once the limit is passed; the count is what matters here.
  await trackByNetwork.consume(networkKey).catch(() => null);
}

// Staff sign-in: 5 wrong passwords for one account from one network, or 20 from one network, in
// 15 minutes lock further attempts for the rest of the window.
const LOGIN_PER_ACCOUNT = 5;
const LOGIN_PER_NETWORK = 20;
const loginByAccount = limiter({ keyPrefix: "login-acct", points: LOGIN_PER_ACCOUNT, duration: WINDOW_S });
const loginByNetwork = limiter({ keyPrefix: "login-net", points: LOGIN_PER_NETWORK, duration: WINDOW_S });

export async function loginBlockedFor(networkKey: string, username: string): Promise<number> {
  const [a, u] = await Promise.all([loginByNetwork.get(networkKey), loginByAccount.get(`${username}|${networkKey}`)]);
  return Math.max(waitSeconds(a, LOGIN_PER_NETWORK), waitSeconds(u, LOGIN_PER_ACCOUNT));
}

export async function recordLoginFailure(networkKey: string, username: string): Promise<void> {
  await Promise.all([
    loginByNetwork.consume(networkKey).catch(() => null),
    loginByAccount.consume(`${username}|${networkKey}`).catch(() => null),
  ]);
}

export async function clearLoginFailures(networkKey: string, username: string): Promise<void> {
  await loginByAccount.delete(`${username}|${networkKey}`);
}

// Password change (/staff/password): the same pattern for a wrong current password. Whoever tries
// already holds the account's session (a computer left signed in), so the count is per account
// from any network, and per network as for sign-in.
const PASSWORD_PER_ACCOUNT = 5;
const passwordByAccount = limiter({ keyPrefix: "pw-acct", points: PASSWORD_PER_ACCOUNT, duration: WINDOW_S });
const passwordByNetwork = limiter({ keyPrefix: "pw-net", points: LOGIN_PER_NETWORK, duration: WINDOW_S });

export async function passwordChangeBlockedFor(networkKey: string, userId: number): Promise<number> {
  const [a, u] = await Promise.all([passwordByNetwork.get(networkKey), passwordByAccount.get(String(userId))]);
  return Math.max(waitSeconds(a, LOGIN_PER_NETWORK), waitSeconds(u, PASSWORD_PER_ACCOUNT));
}

export async function recordPasswordChangeFailure(networkKey: string, userId: number): Promise<void> {
  await Promise.all([passwordByNetwork.consume(networkKey).catch(() => null), passwordByAccount.consume(String(userId)).catch(() => null)]);
}

export async function clearPasswordChangeFailures(userId: number): Promise<void> {
  await passwordByAccount.delete(String(userId));
}

// API calls refused for their token (missing, wrong, revoked): 30 per minute per network are
// answered 401 and logged one by one; past that the network gets 429 until the minute is over,
// with one log row for the first 429 and none for the rest, so a flood of bogus tokens cannot
// grow the call log without bound. Calls with a valid token are never counted here.
export const API_REFUSED_PER_MINUTE = 30;
const apiRefusedByNetwork = limiter({ keyPrefix: "api-refused", points: API_REFUSED_PER_MINUTE, duration: 60 });

export type ApiRefusal = { limited: false } | { limited: true; retryAfter: number; log: boolean };

/** Counts one refused API call from a network: whether it is over the limit, and whether to log it. */
export async function recordApiRefusal(networkKey: string): Promise<ApiRefusal> {
  const res = await apiRefusedByNetwork.consume(networkKey).catch((r: RateLimiterRes) => r);
  if (res.consumedPoints <= API_REFUSED_PER_MINUTE) return { limited: false };
  return { limited: true, retryAfter: Math.max(1, Math.ceil(res.msBeforeNext / 1000)), log: res.consumedPoints === API_REFUSED_PER_MINUTE + 1 };
}

// "I lost my code" (/track/lost): every request may write a message to the contact it names, so
// it is limited per network (someone trying many contacts) and per contact (someone flooding one
// person with messages), counted whether or not the contact filed anything, so that the limit
// tells nothing either. The outbox's own limit (5 an hour per recipient) comes on top.
export const LOST_CODE_PER_NETWORK = 5;
export const LOST_CODE_PER_CONTACT = 3;
const LOST_CODE_WINDOW_S = 60 * 60;
const lostByNetwork = limiter({ keyPrefix: "lost-net", points: LOST_CODE_PER_NETWORK, duration: LOST_CODE_WINDOW_S });
const lostByContact = limiter({ keyPrefix: "lost-contact", points: LOST_CODE_PER_CONTACT, duration: LOST_CODE_WINDOW_S });

/**
 * Counts one request for links from this network for this contact (its keyed hash): 0 when it may
 * go on, else the seconds until it may. A refused request is not counted again.
 */
export async function lostCodeRequest(networkKey: string, contactKey: string): Promise<number> {
  const [n, c] = await Promise.all([lostByNetwork.get(networkKey), lostByContact.get(contactKey)]);
  const wait = Math.max(waitSeconds(n, LOST_CODE_PER_NETWORK), waitSeconds(c, LOST_CODE_PER_CONTACT));
  if (wait > 0) return wait;
  await Promise.all([lostByNetwork.consume(networkKey).catch(() => null), lostByContact.consume(contactKey).catch(() => null)]);
  return 0;
}
