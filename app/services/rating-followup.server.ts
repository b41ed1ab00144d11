// "Tell us what went wrong": after a dissatisfied rating the thanks page links to a complaint
// form tied to that rating's unit and response by a signed reference (the response's id, never
// its answers). The reference is valid for REFERENCE_DAYS.
import { sign, unsign } from "#app/lib/signing.server";

export const RATING_REFERENCE_FIELD = "rating";
const REFERENCE_DAYS = 7;

export function ratingReference(responseId: number, unitCode: string, now = Date.now()): string {
  return sign("rating-followup", `${responseId}|${unitCode}|${now + REFERENCE_DAYS * 86_400_000}`);
}

/** The response and unit a reference names, or null when it is forged or expired. */
export function readRatingReference(token: string | null | undefined, now = Date.now()): { responseId: number; unitCode: string } | null {
  const value = unsign("rating-followup", token);
  if (!value) return null;
  const [id, unitCode, until] = value.split("|");
  const responseId = Number(id);
  if (!Number.isSafeInteger(responseId) || responseId <= 0 || !unitCode || !(Number(until) > now)) return null;
  return { responseId, unitCode };
}

/** The complaint form for this unit, tied to this rating. */
export function complaintLinkAfterRating(responseId: number, unitCode: string): string {
  return `/complaints/new?${new URLSearchParams({ unit: unitCode, [RATING_REFERENCE_FIELD]: ratingReference(responseId, unitCode) })}`;
}
