// The anonymous device id: a random value in a first-party cookie. It identifies a browser for
// the repeat rule and nothing else; it is not linked to any personal data.
import { keyedHash, randomId } from "./signing.server";
import { getEnv } from "./env.server";

export const DEVICE_COOKIE = "did";
const DEVICE_ID = /^[A-Za-z0-9_-]{16,64}$/;

export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null; // a malformed cookie counts as none
      }
    }
  }
  return null;
}

export function readDeviceId(request: Request): string | null {
  const id = readCookie(request, DEVICE_COOKIE);
  return id && DEVICE_ID.test(id) ? id : null;
}

export function newDeviceId(): string {
  return randomId(16);
}

export function deviceCookie(id: string): string {
  const env = getEnv();
  const secure = env.NODE_ENV === "production" && env.INSECURE_COOKIES !== "1";
  return `${DEVICE_COOKIE}=${id}; Path=/; Max-Age=${60 * 60 * 24 * 400}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/**
 * What is stored for the repeat rule: a keyed hash of the device id for this survey and unit, so
 * stored responses of one phone cannot be linked across units or surveys.
 */
export function deviceKey(deviceId: string, surveyId: number, unitId: number): string {
  return keyedHash("device", `${deviceId}|${surveyId}|${unitId}`).slice(0, 32);
}

/**
 * The device's key for the cross-unit hopping rule: one per survey (not per unit), so it can link
 * one browser's responses to different units. It is kept only in the short-lived RecentDevice log
 * (app/domain/stuffing.ts HOP_LOG_HOURS), never on the response.
 */
export function hopKey(deviceId: string, surveyId: number): string {
  return keyedHash("device", `${deviceId}|${surveyId}|units`).slice(0, 32);
}
