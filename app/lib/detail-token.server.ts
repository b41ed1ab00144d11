// The single-use ticket to the rating's optional step 2: which response it adds to, for which
// survey and unit, until when. Signed, so a citizen cannot point it at another response; used
// once (Response.detailAt, app/models/response.server.ts addDetail).
import { sign, unsign } from "./signing.server";

export const DETAIL_TOKEN_HOURS = 24;

export function detailToken(responseId: number, slug: string, unitCode: string, now = Date.now()): string {
  return sign("detail", `${responseId}|${slug}|${unitCode}|${now + DETAIL_TOKEN_HOURS * 3_600_000}`);
}

/** The response id the ticket names for this survey and unit, or null (forged, other page, expired). */
export function readDetailToken(token: string | null | undefined, slug: string, unitCode: string, now = Date.now()): number | null {
  const value = unsign("detail", token);
  if (!value) return null;
  const [id, s, u, until] = value.split("|");
  const responseId = Number(id);
  if (s !== slug || u !== unitCode || !Number.isSafeInteger(responseId) || responseId <= 0 || !(Number(until) > now)) return null;
  return responseId;
}
