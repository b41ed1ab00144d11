// Single-use rating codes as the staff pages use them: which units and surveys an account may
// issue codes for, the guards of the issuing and batch pages, and the slips with their QR codes.
import { data } from "react-router";
import { parseId } from "#app/domain/ids";
import { pickText } from "#app/domain/localized";
import { type Actor, canIssueRatingCodes, ratingCodeUnits } from "#app/domain/permissions";
import { batchState, formatRatingCode, ratingCodeUrl } from "#app/domain/rating-codes";
import { surveyAppliesTo, surveyAvailability } from "#app/domain/survey-availability";
import { defaultLanguage } from "#app/i18n/languages";
import { type QrDrawing, qrDrawing } from "#app/lib/qr.server";
import { getRatingCodeBatch, type RatingCodeBatchRecord } from "#app/models/rating-code.server";
import { type AnswerableSurvey, getSurveyBySlug, openSurveysForUnit } from "#app/models/survey.server";
import { listUnits, unitIndex, type UnitRecord } from "#app/models/unit.server";

/** The signed-in account's units for rating codes (null: every unit); 403 when it has none. */
export async function requireCodeUnits(actor: Actor): Promise<number[] | null> {
  const index = await unitIndex();
  const ids = ratingCodeUnits(actor, index.descendantsOf);
  if (ids !== null && ids.length === 0) throw data({ reason: "forbidden" }, { status: 403 });
  return ids;
}

/** The active units an account may issue codes for, in tree order. */
export async function issuableUnits(unitIds: number[] | null): Promise<UnitRecord[]> {
  const units = await listUnits({ activeOnly: true });
  return unitIds === null ? units.filter((u) => u.kind !== "region") : units.filter((u) => unitIds.includes(u.id));
}

/** Surveys a unit's codes can be issued for: open (published, within its dates) and applying to the unit. */
export async function codeSurveysFor(unit: UnitRecord, lng: string) {
  const surveys = await openSurveysForUnit(unit);
  return surveys.map((s) => ({ slug: s.slug, title: pickText(s.titles, lng, defaultLanguage) }));
}

/**
 * 403 when the form names an existing unit the account may not issue codes for: checked before
 * anything else in the form, so a refusal does not depend on the other fields.
 */
export async function requireUnitAllowed(actor: Actor, unitCode: string): Promise<void> {
  const index = await unitIndex();
  const unit = [...index.byId.values()].find((u) => u.code === unitCode);
  if (unit && !canIssueRatingCodes(actor, unit.id, index.ancestorsOf)) throw data({ reason: "forbidden" }, { status: 403 });
}

export type IssueTarget = { ok: true; unit: UnitRecord; survey: AnswerableSurvey } | { ok: false; field: "unit" | "survey"; error: string };

/**
 * The unit and survey of an issuing form: a unit the account may issue for (403 otherwise) and an
 * open survey that applies to it.
 */
export async function issueTarget(actor: Actor, unitCode: string, slug: string, now = new Date()): Promise<IssueTarget> {
  const units = await listUnits({ activeOnly: true });
  const unit = units.find((u) => u.code === unitCode);
  if (!unit) return { ok: false, field: "unit", error: "codes.errors.unit" };
  const index = await unitIndex();
  if (!canIssueRatingCodes(actor, unit.id, index.ancestorsOf)) throw data({ reason: "forbidden" }, { status: 403 });
  const survey = await getSurveyBySlug(slug);
  if (!survey || !survey.version || surveyAvailability(survey, now) !== "open" || !surveyAppliesTo(survey, unit)) {
    return { ok: false, field: "survey", error: "codes.errors.survey" };
  }
  return { ok: true, unit, survey: survey as AnswerableSurvey };
}

/** A batch the account may see and revoke; 404 otherwise (another unit's batch is not revealed). */
export async function requireBatch(actor: Actor, param: string | undefined): Promise<RatingCodeBatchRecord> {
  const id = parseId(param);
  const batch = id ? await getRatingCodeBatch(id) : null;
  if (!batch) throw data({ reason: "unknown_page" }, { status: 404 });
  const index = await unitIndex();
  if (!canIssueRatingCodes(actor, batch.unit.id, index.ancestorsOf)) throw data({ reason: "unknown_page" }, { status: 404 });
  return batch;
}

/** A batch's counts: issued, used, still usable, and unused but expired (or revoked). */
export function batchCounts(batch: Pick<RatingCodeBatchRecord, "size" | "used" | "expiresAt" | "revokedAt">, now = new Date()) {
  const state = batchState(batch, now);
  const unused = batch.size - batch.used;
  return {
    state,
    issued: batch.size,
    used: batch.used,
    unused: state === "active" ? unused : 0,
    expired: state === "expired" ? unused : 0,
    revoked: state === "revoked" ? unused : 0,
  };
}

export interface Slip {
  /** Grouped for reading: `K7QM-2XWD-H9`. */
  code: string;
  url: string;
  /** The link without its scheme, as printed under the QR code. */
  display: string;
  qr: QrDrawing;
}

/** The slips of freshly issued codes: each QR code holds the unit's survey link with its code. */
export function slipsFor(origin: string, slug: string, unitCode: string, codes: readonly string[]): Slip[] {
  return codes.map((code) => {
    const url = ratingCodeUrl(origin, slug, unitCode, code);
    return { code: formatRatingCode(code), url, display: url.replace(/^https?:\/\//, ""), qr: qrDrawing(url) };
  });
}
