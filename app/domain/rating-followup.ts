// A complaint that follows a dissatisfied rating ("tell us what went wrong", issue 12): which
// response it may cite, and the office's figure of how many dissatisfied ratings led to one.

/** The query parameter and form field that carry the signed rating reference. */
export const RATING_REFERENCE_FIELD = "rating";
/** How long the thanks page's link to the complaint form stays valid. */
export const RATING_REFERENCE_DAYS = 7;

/** The signed part of a reference: the response's id, the unit's code and the last valid moment (ms). */
export function ratingReferenceValue(responseId: number, unitCode: string, until: number): string {
  return `${responseId}|${unitCode}|${until}`;
}

/** The response and unit a reference's (authentic) value names, or null when malformed or expired. */
export function parseRatingReferenceValue(value: string | null, now: number): { responseId: number; unitCode: string } | null {
  if (!value) return null;
  const parts = value.split("|");
  if (parts.length !== 3) return null;
  const [id, unitCode, until] = parts as [string, string, string];
  const responseId = Number(id);
  if (!/^\d+$/.test(id) || !Number.isSafeInteger(responseId) || responseId <= 0 || !unitCode || !(Number(until) > now)) return null;
  return { responseId, unitCode };
}

/** What the complaint side may know of a stored response: never its answers. */
export interface RatedResponse {
  id: number;
  unitId: number;
  dissatisfied: boolean;
}

/**
 * Whether a complaint against `unitId` may cite this response: it exists, it rated that same unit,
 * and it was a dissatisfied rating (the only kind the thanks page offers a complaint for). A
 * complaint against another unit, or a reference to a response that is not there, is filed
 * without the link, never refused.
 */
export function mayCite(response: RatedResponse | null | undefined, unitId: number): response is RatedResponse {
  return Boolean(response && response.unitId === unitId && response.dissatisfied);
}

export interface FollowupCounts {
  /** Dissatisfied ratings of the unit stored in the period (flagged and excluded ones included). */
  dissatisfied: number;
  /** Of those, how many are cited by at least one complaint (a response cited twice counts once). */
  followed: number;
}

/** The share of dissatisfied ratings followed by a complaint (0–1), or null without any. */
export function followupShare(c: FollowupCounts): number | null {
  return c.dissatisfied > 0 ? Math.min(1, c.followed / c.dissatisfied) : null;
}

/** Counts summed over units (the office's total row). */
export function sumFollowups(rows: readonly FollowupCounts[]): FollowupCounts {
  return rows.reduce((a, r) => ({ dissatisfied: a.dissatisfied + r.dissatisfied, followed: a.followed + r.followed }), { dissatisfied: 0, followed: 0 });
}
