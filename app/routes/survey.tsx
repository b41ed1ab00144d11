import { useT } from "#app/i18n/context";
import { data, redirect } from "react-router";
import type { Route } from "./+types/survey";
import type { PageHandle } from "#app/components/PageFrame";
import { HONEYPOT_FIELD, SUBMISSION_ID_FIELD, SurveyForm } from "#app/components/SurveyForm";
import { StatusPage } from "#app/components/StatusPage";
import { UnitChooser } from "#app/components/UnitChooser";
import { assessQuality, finishedAtFrom } from "#app/domain/quality";
import { parseStep, questionsOfStep } from "#app/domain/survey-steps";
import type { RatingCodeRefusal } from "#app/domain/rating-codes";
import { RATING_CODE_FIELD, readSubmittedValues } from "#app/domain/survey-form";
import { getLocale } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { pickText } from "#app/domain/localized";
import { deviceCookie, deviceKey, hopKey, newDeviceId, readDeviceId } from "#app/lib/device.server";
import { readForm } from "#app/lib/http.server";
import { networkHash } from "#app/lib/rate-limit.server";
import { randomId, sign, unsign } from "#app/lib/signing.server";
import { randomUUID } from "node:crypto";
import { readStartToken, startToken } from "#app/lib/start-token.server";
import { deviceNextAllowedAt, readSubmissionId, submitResponse } from "#app/models/response.server";
import { detailToken } from "#app/lib/detail-token.server";
import { surveyPageFor } from "#app/services/survey-page.server";
import { findUnitsByName } from "#app/models/unit.server";
import {
  applicableUnits,
  localizeSurvey,
  ratingCodeState,
  resolveSurveyContext,
  submittedRatingCodeHash,
} from "#app/services/citizen-survey.server";
import { formatDateTime } from "#app/i18n/format";


// A lean page: drawn whole on the server, without the framework's client runtime, with the
// survey pages' own small script (docs/decisions/0015).
export const handle: PageHandle = { page: "survey", lean: true };

export function meta({ data }: Route.MetaArgs) {
  // On an error the status page sets its own title.
  return data && "title" in data ? [{ title: data.title }] : [];
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const lng = getLocale(context);
  const ctx = await resolveSurveyContext(request, params.slug);
  const survey = localizeSurvey(ctx.survey, lng);
  if (ctx.step === "chooseUnit") {
    const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100).trim();
    const all = await applicableUnits(ctx.survey);
    const units = q ? findUnitsByName(all, q, lng, all.length) : all;
    return {
      step: "chooseUnit" as const,
      title: survey.title,
      slug: survey.slug,
      unknownCode: ctx.unknownCode,
      inactiveName: ctx.inactiveUnit ? pickText(ctx.inactiveUnit.names, lng, defaultLanguage) : null,
      units: units.map((u) => ({ code: u.code, kind: u.kind, name: pickText(u.names, lng, defaultLanguage) })),
    };
  }
  const page = surveyPageFor(ctx.survey, ctx.unit, lng);
  const unitName = page.unitName;
  const headers = new Headers();
  let deviceId = readDeviceId(request);
  if (!deviceId) {
    deviceId = newDeviceId();
    headers.append("Set-Cookie", deviceCookie(deviceId));
  }
  const answer = {
    survey: page.survey,
    unitName,
    unitCode: ctx.unit.code,
    steps: page.steps,
    draftKey: page.draftKey,
    started: startToken(deviceId, ctx.survey.slug, ctx.unit.code, Date.now()),
    // A new id each time the page is drawn: a resend of this form is recognised by it.
    submissionId: randomUUID(),
    visit: ctx.channel === "kiosk" ? sign("visit", randomId(12)) : null,
  };
  const code = await ratingCodeState(request, ctx);
  if (code?.state === "refused") {
    // The page also carries the form: a post whose code was used meanwhile is drawn again (without
    // scripts, with this loader) as the form with the answers kept.
    return data(
      { step: "code" as const, title: survey.title, reason: code.reason, withoutCodeUrl: code.withoutCodeUrl, answer },
      { status: 409, headers },
    );
  }
  // A valid single-use code is the one-time guard of a verified rating: the device rule yields to it.
  if (ctx.channel !== "kiosk" && !code) {
    const next = await deviceNextAllowedAt(ctx.survey, ctx.unit.id, deviceKey(deviceId, ctx.survey.id, ctx.unit.id));
    if (next) {
      return data(
        { step: "repeat" as const, title: survey.title, unitName, nextAllowedAt: formatDateTime(next, lng) },
        { headers },
      );
    }
  }
  // The common page (no rating code, not a tablet) is drawn once per survey, unit, language and
  // address, and reused with this request's own token and submission id (entry.server.tsx).
  const pageCache =
    !code && ctx.channel !== "kiosk"
      ? { key: page.key, perRequest: { started: answer.started, submissionId: answer.submissionId } }
      : null;
  return data({ step: "answer" as const, title: survey.title, ...answer, ratingCode: code?.code ?? null, pageCache }, { headers });
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const lng = getLocale(context);
  const ctx = await resolveSurveyContext(request, params.slug);
  if (ctx.step !== "answer") throw data({ reason: "unknown_unit" }, { status: 400 });
  const form = await readForm(request);
  const questions = ctx.survey.version.questions;
  const values = readSubmittedValues(form, questionsOfStep(questions, 1));
  const parsed = parseStep(values, questions, 1);
  const started = String(form.get("started") ?? "");
  // Kept as sent when the form is drawn again, so that its resend is still recognised.
  const submissionId = readSubmissionId(form.get(SUBMISSION_ID_FIELD));
  // A form drawn again after its rating code was refused says so, so that it stays without one.
  const codeDropped = form.get(CODE_DROPPED_FIELD) === "1";
  if (!parsed.ok) {
    // The form is shown again with the token it was served with, so that the time spent
    // correcting it counts (a fresh token would flag a careful citizen as too fast).
    return data({ errors: parsed.errors, values: parsed.values, repeat: null, started, submissionId, codeDropped }, { status: 400 });
  }

  const submittedAt = new Date();
  const headers = new Headers();
  let deviceId = readDeviceId(request);
  if (!deviceId) {
    // No cookie: the start token cannot match, so the response is kept but flagged.
    deviceId = newDeviceId();
    headers.append("Set-Cookie", deviceCookie(deviceId));
  }
  const startedAt = readStartToken(started, deviceId, ctx.survey.slug, ctx.unit.code, submittedAt);
  const visitToken = String(form.get("visit") ?? "");
  const visitId = ctx.channel === "kiosk" ? unsign("visit", visitToken) : null;

  const result = await submitResponse({
    survey: ctx.survey,
    unitId: ctx.unit.id,
    lang: lng,
    channel: ctx.channel,
    deviceId: deviceKey(deviceId, ctx.survey.id, ctx.unit.id),
    visitId,
    // The network (an IPv4 address or an IPv6 /64), so the burst check sees one phone as one network.
    ipHash: networkHash(request),
    hopKey: ctx.channel === "kiosk" ? null : hopKey(deviceId, ctx.survey.id),
    startedAt,
    submittedAt,
    finishedAt: finishedAtFrom(form.get("finishedAt"), startedAt, submittedAt),
    submissionId,
    flags: assessQuality({
      honeypot: String(form.get(HONEYPOT_FIELD) ?? ""),
      startedAt,
      submittedAt,
      minSeconds: ctx.survey.minSeconds,
    }),
    answers: parsed.answers,
    ratingCodeHash: codeDropped ? null : submittedRatingCodeHash(form, ctx),
  });
  if (!result.ok && result.reason === "code") {
    // Used, revoked or expired since the page was drawn: every answer is kept, the code dropped.
    return data({ errors: null, values, repeat: null, started, submissionId, codeDropped: true }, { status: 409, headers });
  }
  // The same form sent again with other answers: the first answers stand.
  if (!result.ok && result.reason === "conflict") throw data({ reason: "resent_different" }, { status: 409 });
  if (!result.ok) {
    const next = result.nextAllowedAt ? formatDateTime(result.nextAllowedAt, lng) : null;
    return data({ errors: null, values: null, repeat: { nextAllowedAt: next }, started, submissionId, codeDropped }, { status: 409, headers });
  }
  // The thanks page offers step 2 and, after a dissatisfied rating, a complaint: its ticket names
  // this response (a resend gets the same page again).
  const thanks = new URLSearchParams({ unit: ctx.unit.code, r: detailToken(result.id, ctx.survey.slug, ctx.unit.code) });
  if (ctx.kioskToken) thanks.set("kiosk", ctx.kioskToken);
  return redirect(`/s/${ctx.survey.slug}/thanks?${thanks}`, { status: 303, headers });
}

export default function SurveyPage({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  if (loaderData.step === "chooseUnit") {
    return (
      <UnitChooser
        title={loaderData.title}
        action={`/s/${loaderData.slug}`}
        units={loaderData.units}
        unknownCode={loaderData.unknownCode}
        inactiveName={loaderData.inactiveName}
      />
    );
  }
  const repeat = loaderData.step === "repeat" ? loaderData : actionData?.repeat;
  if (repeat) {
    return (
      <section className="panel" aria-labelledby="repeat-title">
        <h1 id="repeat-title">{t("survey.repeat.title")}</h1>
        <p>
          {repeat.nextAllowedAt
            ? t("survey.repeat.bodyUntil", { time: repeat.nextAllowedAt })
            : t("survey.repeat.body")}
        </p>
        <p>
          <a className="button" href="/">
            {t("nav.rateAnother")}
          </a>
        </p>
      </section>
    );
  }
  const codeDropped = Boolean(actionData?.codeDropped);
  if (loaderData.step === "code" && !codeDropped) {
    return <RatingCodeRefused reason={loaderData.reason} withoutCodeUrl={loaderData.withoutCodeUrl} />;
  }
  const answer = loaderData.step === "answer" ? loaderData : loaderData.step === "code" ? loaderData.answer : null;
  if (!answer) return null;
  const ratingCode = loaderData.step === "answer" && !codeDropped ? loaderData.ratingCode : null;
  const hidden: Record<string, string> = {
    started: actionData?.started || answer.started,
    [SUBMISSION_ID_FIELD]: actionData?.submissionId || answer.submissionId,
  };
  if (answer.visit) hidden.visit = answer.visit;
  if (ratingCode) hidden[RATING_CODE_FIELD] = ratingCode;
  else if (codeDropped) hidden[CODE_DROPPED_FIELD] = "1";
  return (
    <SurveyForm
      survey={answer.survey}
      step={1}
      steps={answer.steps}
      unitName={answer.unitName}
      hidden={hidden}
      draftKey={answer.draftKey}
      serverErrors={actionData?.errors ?? null}
      serverValues={actionData?.values ?? null}
      notice={
        ratingCode ? (
          <section className="notice verified-rating" aria-labelledby="verified-title">
            <h2 id="verified-title">{t("survey.code.verifiedTitle")}</h2>
            <p>{t("survey.code.verified")}</p>
          </section>
        ) : codeDropped ? (
          <p className="error-summary" role="alert">
            {t("survey.code.usedMeanwhile")}
          </p>
        ) : null
      }
    />
  );
}

const CODE_DROPPED_FIELD = "codeDropped";

/** A rating code that cannot be used: why, and the same survey and unit without it. */
function RatingCodeRefused({ reason, withoutCodeUrl }: { reason: RatingCodeRefusal; withoutCodeUrl: string }) {
  const { t } = useT();
  const texts = {
    unknown: [t("survey.code.refused.unknown.title"), t("survey.code.refused.unknown.body")],
    used: [t("survey.code.refused.used.title"), t("survey.code.refused.used.body")],
    expired: [t("survey.code.refused.expired.title"), t("survey.code.refused.expired.body")],
    revoked: [t("survey.code.refused.revoked.title"), t("survey.code.refused.revoked.body")],
    other_unit: [t("survey.code.refused.other_unit.title"), t("survey.code.refused.other_unit.body")],
  }[reason];
  return (
    <section className="panel" aria-labelledby="code-title">
      <h1 id="code-title">{texts[0]}</h1>
      <p>{texts[1]}</p>
      <p>{t("survey.code.withoutCodeHelp")}</p>
      <p>
        <a className="button primary" href={withoutCodeUrl}>
          {t("survey.code.withoutCode")}
        </a>
      </p>
    </section>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
