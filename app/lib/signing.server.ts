// Signed tokens for values the server hands to a browser and must get back unchanged:
// kiosk links, the time a form was served, kiosk visit ids, device ids. A token is
// "<value>.<signature>" where the signature is an HMAC over a purpose and the value, so a
// token made for one purpose is useless for another.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { getEnv } from "./env.server";

type Purpose = "kiosk" | "started" | "visit" | "device" | "ip" | "complaint-code" | "filed" | "fingerprint" | "rating-code" | "comment-order" | "detail" | "submission" | "rating-followup" | "contact" | "notify-stop" | "case-link" | "case-list" | "appeal";

function mac(purpose: Purpose, value: string, secret: string): string {
  return createHmac("sha256", secret).update(`${purpose}:${value}`).digest("base64url");
}

export function sign(purpose: Purpose, value: string, secret = getEnv().SESSION_SECRET): string {
  return `${value}.${mac(purpose, value, secret).slice(0, 32)}`;
}

/** Returns the value when the token is authentic, otherwise null. */
export function unsign(
  purpose: Purpose,
  token: string | null | undefined,
  secret = getEnv().SESSION_SECRET,
): string | null {
  if (!token || token.length > 512) return null;
  const dot = token.lastIndexOf(".");
  if (dot <= 0) return null;
  const value = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(purpose, value, secret).slice(0, 32));
  return given.length === expected.length && timingSafeEqual(given, expected) ? value : null;
}

export function randomId(bytes = 16): string {
  return randomBytes(bytes).toString("base64url");
}

/** A keyed hash (HMAC) of a secret value such as a complaint's access code. */
export function keyedHash(purpose: Purpose, value: string, secret = getEnv().SESSION_SECRET): string {
  return mac(purpose, value, secret);
}

/** The key that orders comments within a day for unit readers (app/domain/comment-order.ts). */
export function commentOrderKey(secret = getEnv().SESSION_SECRET): string {
  return mac("comment-order", "key", secret);
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// The address hash is keyed with a random salt that lives only in memory and is replaced every
// day: hashes can be compared within a day (bursts from one network), but nobody, not even with
// the database and the secret file, can turn them back into addresses. Several app processes on
// one database agree on one salt a day (app/lib/address-salt.server.ts): the one made first.
export interface AddressSalt {
  day: string;
  salt: Buffer;
  /** When it was made (ms): of two salts for a day, the older one is kept by every process. */
  madeAt: number;
}
let daily: AddressSalt | undefined;
let onMade: ((salt: AddressSalt) => void) | undefined;

function dailySalt(now: Date): Buffer {
  const day = now.toISOString().slice(0, 10);
  if (!daily || daily.day !== day) {
    daily = { day, salt: randomBytes(32), madeAt: Date.now() };
    onMade?.(daily);
  }
  return daily.salt;
}

/** This process's salt for today (made now when there is none yet). */
export function currentAddressSalt(now = new Date()): AddressSalt {
  dailySalt(now);
  return daily!;
}

/**
 * Another process's salt: kept when it is for today and older than this process's (ties: the
 * smaller bytes), so every process ends with the same one. True when it was kept.
 */
export function adoptAddressSalt(other: AddressSalt, now = new Date()): boolean {
  if (other.day !== now.toISOString().slice(0, 10) || other.salt.length !== 32) return false;
  if (daily && daily.day === other.day) {
    const older = other.madeAt < daily.madeAt || (other.madeAt === daily.madeAt && Buffer.compare(other.salt, daily.salt) < 0);
    if (!older) return false;
  }
  daily = { ...other };
  return true;
}

/** Called with each salt this process makes (to tell the other processes). */
export function onAddressSaltMade(listener: (salt: AddressSalt) => void) {
  onMade = listener;
}

/** A keyed hash of the client address: comparable within a day, never reversible, never stored raw. */
export function hashAddress(address: string | null, now = new Date()): string | null {
  if (!address) return null;
  return createHmac("sha256", dailySalt(now)).update(address).digest("base64url").slice(0, 22);
}
