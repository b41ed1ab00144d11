// A complaint that follows a dissatisfied rating ("tell us what went wrong", issue 12): which
// response it may cite, and the office's figure of how many dissatisfied ratings led to one.
import { dueAfterWorkingDays, type HolidayCalendar } from "./working-days";

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

// ---------------------------------------------------------------------------------------------
// 差评回访 (issue 13): a complaint that followed a dissatisfied rating is owed a call-back to the
// citizen within the rating period's followUpDays working days after filing. Staff record each
// attempt; the follow-up is done at the first attempt that reached the citizen (docs/decisions/0017).

export const followUpMethods = ["phone", "visit", "message", "other"] as const;
export type FollowUpMethod = (typeof followUpMethods)[number];
export const followUpOutcomes = ["reached_resolved", "reached_dissatisfied", "not_reached"] as const;
export type FollowUpOutcome = (typeof followUpOutcomes)[number];

/** An outcome that reached the citizen ends the follow-up, whether or not they are now satisfied. */
export function reachedCitizen(outcome: string): boolean {
  return outcome === "reached_resolved" || outcome === "reached_dissatisfied";
}

/** When the follow-up of a complaint filed at `filedAt` is due, given the period's followUpDays. */
export function followUpDue(filedAt: Date, followUpDays: number, calendar: HolidayCalendar): Date {
  return dueAfterWorkingDays(filedAt, followUpDays, calendar);
}

/**
 * When the follow-up was done: the call time of the earliest recorded attempt that reached the
 * citizen (attempts may be recorded out of order), or null while none did.
 */
export function followUpDoneAt(calls: readonly { calledAt: Date; outcome: string }[]): Date | null {
  let done: Date | null = null;
  for (const c of calls) if (reachedCitizen(c.outcome) && (done === null || c.calledAt < done)) done = c.calledAt;
  return done;
}

export const followUpStates = ["due", "overdue", "done_on_time", "done_late"] as const;
export type FollowUpState = (typeof followUpStates)[number];

/** The state of a follow-up, or null for a complaint that owes none (it followed no rating). */
export function followUpState(f: { dueAt: Date | null; doneAt: Date | null }, now: Date): FollowUpState | null {
  if (!f.dueAt) return null;
  if (f.doneAt) return f.doneAt.getTime() <= f.dueAt.getTime() ? "done_on_time" : "done_late";
  return now.getTime() <= f.dueAt.getTime() ? "due" : "overdue";
}

/** A follow-up still owed ("due" or "overdue"), or null when done or not owed (the queue marks these). */
export function openFollowUp(f: { dueAt: Date | null; doneAt: Date | null }, now: Date): "due" | "overdue" | null {
  const state = followUpState(f, now);
  return state === "due" || state === "overdue" ? state : null;
}

/** An attempt cannot be dated in the future (a few minutes of clock difference allowed) nor before the complaint. */
export const CALL_CLOCK_SKEW_MS = 5 * 60_000;
export function plausibleCallTime(calledAt: Date, filedAt: Date, now: Date): boolean {
  return calledAt.getTime() >= filedAt.getTime() - 60_000 && calledAt.getTime() <= now.getTime() + CALL_CLOCK_SKEW_MS;
}

export type FollowUpCounts = Record<FollowUpState, number>;

export function emptyFollowUpCounts(): FollowUpCounts {
  return { due: 0, overdue: 0, done_on_time: 0, done_late: 0 };
}

/** Follow-ups per state, from each complaint's deadline and done time. */
export function countFollowUps(rows: Iterable<{ dueAt: Date | null; doneAt: Date | null }>, now: Date): FollowUpCounts {
  const counts = emptyFollowUpCounts();
  for (const r of rows) {
    const state = followUpState(r, now);
    if (state) counts[state] += 1;
  }
  return counts;
}

export function sumFollowUpCounts(rows: readonly FollowUpCounts[]): FollowUpCounts {
  const total = emptyFollowUpCounts();
  for (const r of rows) for (const s of followUpStates) total[s] += r[s];
  return total;
}
