// The citizen's survey flow, shared by the survey page's loader and action: which survey, which
// unit, which channel, and whether it can be answered now.
import { data } from "react-router";
import { pickText } from "#app/domain/localized";
import { isGradeKind, stepOf } from "#app/domain/questions";
import { questionsOfStep } from "#app/domain/survey-steps";
import { availabilityStatus, surveyAppliesTo, surveyAvailability } from "#app/domain/survey-availability";
import { defaultLanguage } from "#app/i18n/languages";
import { pageUrl } from "#app/lib/page-url";
import { db } from "#app/lib/db.server";
import { unsign } from "#app/lib/signing.server";
import type { Channel } from "#app/models/response.server";
import { isKioskLinkActive } from "#app/models/kiosk-link.server";
import { type AnswerableSurvey, getSurveyBySlug, type SurveyRecord } from "#app/models/survey.server";
import { findUnitByCode, listUnits, type UnitRecord } from "#app/models/unit.server";
import { checkRatingCode, hashRatingCode } from "#app/models/rating-code.server";
import { isWellFormedRatingCode, normalizeRatingCode, type RatingCodeRefusal } from "#app/domain/rating-codes";
import { RATING_CODE_FIELD } from "#app/domain/survey-form";

export type SurveyContext =
  | { step: "chooseUnit"; survey: AnswerableSurvey; unknownCode: string | null; inactiveUnit: UnitRecord | null }
  | { step: "answer"; survey: AnswerableSurvey; unit: UnitRecord; channel: Channel; kioskId: string | null; kioskToken: string | null };

/** Loads the survey for a citizen request, or throws the translated status page. */
export async function resolveSurvey(slug: string, now = new Date()): Promise<AnswerableSurvey> {
  const survey = await getSurveyBySlug(slug);
  if (!survey) throw data({ reason: "unknown" }, { status: 404 });
  const availability = surveyAvailability(survey, now);
  if (availability !== "open") {
    throw data({ reason: availability }, { status: availabilityStatus(availability) });
  }
  if (!survey.version) throw data({ reason: "unknown" }, { status: 404 });
  return survey as AnswerableSurvey;
}

export async function resolveSurveyContext(request: Request, slug: string, now = new Date()): Promise<SurveyContext> {
  const survey = await resolveSurvey(slug, now);
  const url = new URL(request.url);
  const code = url.searchParams.get("unit")?.trim() || null;
  const unit = code ? await findUnitByCode(code) : null;
  if (!unit || !surveyAppliesTo(survey, unit)) {
    // A deactivated unit takes no new responses: the citizen is told so and picks another.
    const inactiveUnit = unit && !unit.active ? unit : null;
    return { step: "chooseUnit", survey, unknownCode: inactiveUnit ? null : code, inactiveUnit };
  }
  const kioskToken = url.searchParams.get("kiosk");
  if (kioskToken) {
    const payload = survey.kioskEnabled ? unsign("kiosk", kioskToken) : null;
    const [pSlug, pUnit, kioskId] = payload?.split("|") ?? [];
    // A valid signature is not enough: the office can revoke a tablet's link (KioskLink).
    if (!payload || pSlug !== survey.slug || pUnit !== unit.code || !kioskId || !(await isKioskLinkActive(survey.id, unit.id, kioskId))) {
      throw data({ reason: "bad_kiosk" }, { status: 403 });
    }
    return { step: "answer", survey, unit, channel: "kiosk", kioskId, kioskToken };
  }
  const channel: Channel = url.searchParams.get("ch") === "qr" ? "qr" : "link";
  return { step: "answer", survey, unit, channel, kioskId: null, kioskToken: null };
}

export type RatingCodeState =
  | { state: "verified"; code: string }
  | { state: "refused"; reason: RatingCodeRefusal; withoutCodeUrl: string };

/**
 * The single-use rating code a citizen's link carries (`c=`, 一次一评), checked read-only: valid
 * (the page carries it in the form and the answer is verified) or refused (the page says why and
 * links to the same survey and unit without it). Null without a code, and on tablet links, which
 * have their own one-response-per-visit guard.
 */
export async function ratingCodeState(request: Request, ctx: Extract<SurveyContext, { step: "answer" }>, now = new Date()): Promise<RatingCodeState | null> {
  if (ctx.channel === "kiosk") return null;
  const url = new URL(request.url);
  const raw = url.searchParams.get("c");
  if (!raw?.trim()) return null;
  const code = normalizeRatingCode(raw);
  const check = isWellFormedRatingCode(code)
    ? await checkRatingCode(db().read, hashRatingCode(code), ctx.survey.id, ctx.unit.id, now)
    : ({ ok: false, reason: "unknown" } as const);
  if (check.ok) return { state: "verified", code };
  url.searchParams.delete("c");
  // The page's own URL, also when a data request (/s/slug.data?…&_routes=…) asked.
  return { state: "refused", reason: check.reason, withoutCodeUrl: pageUrl(url) };
}

/** The rating code a submitted form carries (the page's hidden field), as the write path wants it. */
export function submittedRatingCodeHash(form: { get(name: string): unknown }, ctx: Extract<SurveyContext, { step: "answer" }>): string | null {
  if (ctx.channel === "kiosk") return null;
  const raw = form.get(RATING_CODE_FIELD);
  if (typeof raw !== "string" || !raw.trim()) return null;
  // A malformed code can match nothing: its hash is still passed, so the write path refuses it
  // ("unknown") instead of silently storing an unverified answer the citizen believes verified.
  return hashRatingCode(raw);
}

/** Units this survey can be answered for, for the unit chooser. */
export async function applicableUnits(survey: SurveyRecord): Promise<UnitRecord[]> {
  const units = await listUnits({ activeOnly: true });
  return units.filter((u) => surveyAppliesTo(survey, u));
}

/** The survey as shown in one language: only what the page needs. */
export function localizeSurvey(survey: Pick<AnswerableSurvey, "slug" | "titles" | "intros" | "version">, lng: string) {
  const pick = (texts: unknown) => pickText(texts, lng, defaultLanguage);
  const questions = survey.version.questions;
  // Questions are numbered within their step, as each step's page shows them.
  const numberOf = new Map<string, number>();
  for (const step of [1, 2] as const) questionsOfStep(questions, step).forEach((q, i) => numberOf.set(q.key, i + 1));
  return {
    slug: survey.slug,
    title: pick(survey.titles),
    intro: survey.intros ? pick(survey.intros) : "",
    questions: questions.map((q) => {
      const subject = q.condition ? questions.find((s) => s.key === q.condition!.question) : undefined;
      return {
        key: q.key,
        kind: q.kind,
        step: stepOf(q),
        required: q.required,
        allowNa: q.allowNa,
        maxLength: q.maxLength,
        options: q.options,
        text: pick(q.texts),
        help: q.helps ? pick(q.helps) : "",
        optionLabels: isGradeKind(q.kind)
          ? {}
          : Object.fromEntries(q.options.map((o) => [o, pick(q.optionLabels[o])])),
        condition: q.condition,
        // Stated next to the question when scripts do not run (and so cannot hide it). A condition
        // on the other step's answer is decided by the server (the thanks page leaves the question
        // out when it does not hold), so it is not stated.
        conditionNote:
          q.condition && subject && stepOf(subject) === stepOf(q)
            ? {
                number: numberOf.get(subject.key) ?? 0,
                op: q.condition.op,
                grade: isGradeKind(subject.kind) ? q.condition.value : null,
                label: isGradeKind(subject.kind) ? null : pick(subject.optionLabels[q.condition.value]),
              }
            : null,
      };
    }),
  };
}

export type LocalizedSurvey = ReturnType<typeof localizeSurvey>;
