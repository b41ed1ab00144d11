// Signed tokens for values the server hands to a browser and must get back unchanged:
// kiosk links, the time a form was served, kiosk visit ids, device ids. A token is
// "<value>.<signature>" where the signature is an HMAC over a purpose and the value, so a
// token made for one purpose is useless for another.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { getEnv } from "./env.server";

type Purpose = "kiosk" | "started" | "visit" | "device" | "ip";

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

/** A keyed hash of the client address: lets us spot bursts from one network, never stores it. */
export function hashAddress(address: string | null, secret = getEnv().SESSION_SECRET): string | null {
  if (!address) return null;
  return mac("ip", address, secret).slice(0, 22);
}
