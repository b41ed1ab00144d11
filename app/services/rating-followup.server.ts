// "Tell us what went wrong": after a dissatisfied rating the thanks page links to a complaint
// form tied to that rating's unit and response by a signed reference (the response's id, never
// its answers), valid for RATING_REFERENCE_DAYS. The complaint form checks it when drawn and again
// when posted; the office sees per unit how many dissatisfied ratings led to a complaint.
import { data } from "react-router";
import { type FollowUpValues, parseFollowUpCall } from "#app/domain/follow-up-form";
import { type Actor, canActOnCase } from "#app/domain/permissions";
import {
  countFollowUps,
  type FollowUpCounts,
  type FollowupCounts,
  mayCite,
  parseRatingReferenceValue,
  RATING_REFERENCE_DAYS,
  RATING_REFERENCE_FIELD,
  ratingReferenceValue,
} from "#app/domain/rating-followup";
import { sign, unsign } from "#app/lib/signing.server";
import { cachedScores } from "#app/lib/score-cache.server";
import {
  dissatisfiedFollowups,
  findRatedResponse,
  periodFollowUps,
  recordFollowUpCall,
  type UnitFollowUpRow,
} from "#app/models/rating-followup.server";
import { loadCaseFor } from "./case-actions.server";

export { RATING_REFERENCE_FIELD };
/** Longer values are never references (and unsign refuses them anyway). */
export const RATING_REFERENCE_MAX = 512;

export function ratingReference(responseId: number, unitCode: string, now = Date.now(), secret?: string): string {
  return sign("rating-followup", ratingReferenceValue(responseId, unitCode, now + RATING_REFERENCE_DAYS * 86_400_000), secret);
}

/** The response and unit a reference names, or null when it is forged, malformed or expired. */
export function readRatingReference(
  token: string | null | undefined,
  now = Date.now(),
  secret?: string,
): { responseId: number; unitCode: string } | null {
  return parseRatingReferenceValue(unsign("rating-followup", token, secret), now);
}

/** The complaint form for this unit, tied to this rating. */
export function complaintLinkAfterRating(responseId: number, unitCode: string): string {
  return `/complaints/new?${new URLSearchParams({ unit: unitCode, [RATING_REFERENCE_FIELD]: ratingReference(responseId, unitCode) })}`;
}

/** The posted (or linked) reference as a string the checks can take, or null. */
export function ratingReferenceOf(raw: unknown): string | null {
  return typeof raw === "string" && raw !== "" && raw.length <= RATING_REFERENCE_MAX ? raw : null;
}

/**
 * The rating a complaint against `unit` may cite: the reference is authentic and unexpired, names
 * this unit, and its response is a stored dissatisfied rating of this unit. Null otherwise (the
 * complaint is then filed without the link). fileComplaint checks the response once more inside
 * its transaction.
 */
export async function citedRating(
  token: string | null,
  unit: { id: number; code: string },
  now = Date.now(),
): Promise<{ responseId: number; ratedAt: Date } | null> {
  const ref = readRatingReference(token, now);
  if (!ref || ref.unitCode !== unit.code) return null;
  const response = await findRatedResponse(ref.responseId);
  return mayCite(response, unit.id) ? { responseId: response.id, ratedAt: response.submittedAt } : null;
}

/**
 * Per unit id, the period's dissatisfied ratings and how many a complaint followed (live: kept
 * while no response or complaint was written, like the score figures).
 */
/** Without `withIntegrity` (a unit's own staff), integrity complaints do not count as following a rating. */
export function followupsByUnit(periodId: number, unitId?: number, withIntegrity = true): Promise<Map<number, FollowupCounts>> {
  return cachedScores(`followups|${periodId}|${unitId ?? ""}|${withIntegrity}`, async () => new Map((await dissatisfiedFollowups(periodId, unitId, withIntegrity)).map((r) => [r.unitId, { dissatisfied: r.dissatisfied, followed: r.followed }])));
}

// ---------------------------------------------------------------------------------------------
// 差评回访 (issue 13): handling staff record their call-backs on the case page; the office sees,
// per unit, how many follow-ups were done on time, late, are overdue or still due.

/**
 * Per rated unit id, the period's follow-ups by state; integrity complaints only with
 * `withIntegrity` (the office: a unit's own staff never learn how many there are). The rows are kept like the other figures
 * (a recorded call moves ScoreVersion through the complaint's update); the state is read against
 * `now` on every call, so a follow-up turns overdue when its deadline passes.
 */
export async function followUpsByUnit(
  periodId: number,
  opts: { unitId?: number; withIntegrity: boolean },
  now = new Date(),
): Promise<Map<number, FollowUpCounts>> {
  const rows = await cachedScores(`followUpCalls|${periodId}|${opts.unitId ?? ""}`, () => periodFollowUps(periodId, opts.unitId));
  const byUnit = new Map<number, UnitFollowUpRow[]>();
  for (const r of rows) if (opts.withIntegrity || r.type !== "integrity") byUnit.set(r.unitId, [...(byUnit.get(r.unitId) ?? []), r]);
  return new Map([...byUnit].map(([id, list]) => [id, countFollowUps(list, now)]));
}

export type CallBackResult = { ok: true } | { ok: false; errors: Record<string, string>; values: FollowUpValues };

/**
 * Records one call-back attempt on a case: 404 for a case the actor may not see, 403 for one they
 * may not handle, 409 when the case owes no follow-up (it followed no dissatisfied rating), and
 * per-field errors with the typed values for a refused form.
 */
export async function recordCallBack(actor: Actor, reference: string, form: { get(name: string): unknown }, now = new Date()): Promise<CallBackResult> {
  const { c, index } = await loadCaseFor(actor, reference);
  if (!canActOnCase(actor, c, "follow_up", index.ancestorsOf)) throw data({ reason: "forbidden" }, { status: 403 });
  const parsed = parseFollowUpCall(form, { filedAt: c.submittedAt, now });
  if (!parsed.ok) return parsed;
  if (!c.followUpDueAt) throw data({ reason: "conflict" }, { status: 409 });
  await recordFollowUpCall(c.id, actor.userId, parsed.data, now);
  return { ok: true };
}
