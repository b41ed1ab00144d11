// After step 1 is stored: thanks, the optional detail (step 2) through the single-use ticket in
// the address, and after a dissatisfied rating "tell us what went wrong" (a complaint tied to this
// unit and this rating). A lean page, like the survey page (docs/decisions/0015).
import { randomUUID } from "node:crypto";
import { data, redirect } from "react-router";
import { useT } from "#app/i18n/context";
import type { Route } from "./+types/survey-thanks";
import type { PageHandle } from "#app/components/PageFrame";
import { StatusPage } from "#app/components/StatusPage";
import { SUBMISSION_ID_FIELD, SurveyForm } from "#app/components/SurveyForm";
import { visibleQuestionKeys } from "#app/domain/conditions";
import { pickText } from "#app/domain/localized";
import { stepOf } from "#app/domain/questions";
import { readSubmittedValues } from "#app/domain/survey-form";
import { answersAsValues, hasDetailStep, parseStep, questionsOfStep } from "#app/domain/survey-steps";
import { getLocale } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { readDetailToken } from "#app/lib/detail-token.server";
import { readForm } from "#app/lib/http.server";
import { addDetail, storedRating } from "#app/models/response.server";
import { localizeSurvey, resolveSurveyContext, type SurveyContext } from "#app/services/citizen-survey.server";
import { complaintLinkAfterRating } from "#app/services/rating-followup.server";

export const handle: PageHandle = { page: "survey", lean: true };

/** The ticket to this response's detail step, in the address and in the step-2 form. */
const TICKET = "r";

export function meta({ data }: Route.MetaArgs) {
  // No timed redirect on kiosks: WCAG 2.2.1 forbids it; staff or the next citizen press "Next person".
  return data ? [{ title: data.title }] : [];
}

/** The response the ticket names, when it is this survey's and unit's. */
async function ratingOf(ctx: Extract<SurveyContext, { step: "answer" }>, ticket: string | null) {
  const id = readDetailToken(ticket, ctx.survey.slug, ctx.unit.code);
  const rating = id === null ? null : await storedRating(id);
  return rating && rating.surveyId === ctx.survey.id && rating.unitId === ctx.unit.id ? rating : null;
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const lng = getLocale(context);
  const ctx = await resolveSurveyContext(request, params.slug);
  const title = pickText(ctx.survey.titles, lng, defaultLanguage);
  if (ctx.step !== "answer") return { title, unitName: null, next: null, complaintUrl: null, detail: null };
  const next =
    ctx.channel === "kiosk"
      ? `/s/${ctx.survey.slug}?${new URLSearchParams({ unit: ctx.unit.code, kiosk: ctx.kioskToken ?? "" })}`
      : null;
  const ticket = new URL(request.url).searchParams.get(TICKET);
  const rating = await ratingOf(ctx, ticket);
  const questions = ctx.survey.version.questions;
  // Step 2 is offered once, for the version the response answered.
  const detailOpen = rating && !rating.detailAdded && rating.surveyVersionId === ctx.survey.version.id && hasDetailStep(questions);
  let detail = null;
  if (detailOpen) {
    const given = answersAsValues(rating.answers);
    const visible = visibleQuestionKeys(questions, given);
    const stepOfKey = new Map(questions.map((q) => [q.key, stepOf(q)]));
    // A detail question whose condition reads a step-1 answer is decided already: left out when it does not hold.
    const omit = questionsOfStep(questions, 2)
      .filter((q) => q.condition && stepOfKey.get(q.condition.question) === 1 && !visible.has(q.key))
      .map((q) => q.key);
    detail = {
      survey: localizeSurvey(ctx.survey, lng),
      given,
      omit,
      ticket: ticket!,
      submissionId: randomUUID(),
      draftKey: `${ctx.survey.slug}|${ctx.survey.version.id}|${ctx.unit.code}|2`,
    };
  }
  return {
    title,
    unitName: pickText(ctx.unit.names, lng, defaultLanguage),
    next,
    complaintUrl: rating?.dissatisfied ? complaintLinkAfterRating(rating.id, ctx.unit.code) : null,
    detail,
  };
}

export async function action({ request, params }: Route.ActionArgs) {
  const ctx = await resolveSurveyContext(request, params.slug);
  if (ctx.step !== "answer") throw data({ reason: "unknown_unit" }, { status: 400 });
  const form = await readForm(request);
  const ticket = String(form.get(TICKET) ?? "");
  const rating = await ratingOf(ctx, ticket);
  // An expired or foreign ticket: the rating itself is safe; there is nothing to add it to.
  if (!rating) throw data({ reason: "gone" }, { status: 410 });
  const questions = ctx.survey.version.questions;
  const values = readSubmittedValues(form, questionsOfStep(questions, 2));
  const parsed = parseStep(values, questions, 2, answersAsValues(rating.answers));
  if (!parsed.ok) {
    return data({ errors: parsed.errors, values: parsed.values, submissionId: String(form.get(SUBMISSION_ID_FIELD) ?? "") }, { status: 400 });
  }
  const result = await addDetail({ survey: ctx.survey, responseId: rating.id, unitId: ctx.unit.id, answers: parsed.answers });
  if (!result.ok) throw data({ reason: result.reason === "used" ? "detail_used" : "gone" }, { status: result.reason === "used" ? 409 : 410 });
  const thanks = new URLSearchParams({ unit: ctx.unit.code, [TICKET]: ticket });
  if (ctx.kioskToken) thanks.set("kiosk", ctx.kioskToken);
  return redirect(`/s/${ctx.survey.slug}/thanks?${thanks}`, { status: 303 });
}

export default function Thanks({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const { detail, complaintUrl } = loaderData;
  const saved = loaderData.unitName ? t("thanks.bodyUnit", { unit: loaderData.unitName }) : t("thanks.body");
  const followUp = complaintUrl ? (
    <section className="notice complaint-offer" aria-labelledby="complaint-offer-title">
      <h2 id="complaint-offer-title">{t("thanks.complaint.title")}</h2>
      <p>{t("thanks.complaint.body")}</p>
      <p>
        <a className="button" href={complaintUrl}>
          {t("thanks.complaint.action")}
        </a>
      </p>
    </section>
  ) : null;
  const nextStep = loaderData.next ? (
    <p>
      <a className="button primary" href={loaderData.next}>
        {t("thanks.nextCitizen")}
      </a>
    </p>
  ) : (
    <p>
      <a className="button" href="/">
        {t("nav.rateAnother")}
      </a>
    </p>
  );
  if (detail) {
    return (
      <>
        <section className="panel thanks saved" aria-labelledby="thanks-title">
          <h1 id="thanks-title">{t("thanks.savedTitle")}</h1>
          <p>{saved}</p>
        </section>
        {followUp}
        <SurveyForm
          survey={detail.survey}
          step={2}
          steps={2}
          unitName={loaderData.unitName ?? ""}
          hidden={{ [TICKET]: detail.ticket, [SUBMISSION_ID_FIELD]: actionData?.submissionId || detail.submissionId }}
          given={detail.given}
          omit={detail.omit}
          draftKey={detail.draftKey}
          serverErrors={actionData?.errors ?? null}
          serverValues={actionData?.values ?? null}
          headingLevel={2}
        />
        {nextStep}
      </>
    );
  }
  return (
    <>
      <section className="panel thanks" aria-labelledby="thanks-title">
        <h1 id="thanks-title">{t("thanks.title")}</h1>
        <p>{saved}</p>
        {followUp ? null : nextStep}
      </section>
      {followUp ? (
        <>
          {followUp}
          {nextStep}
        </>
      ) : null}
    </>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
