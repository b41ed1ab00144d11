import { useRef, useState } from "react";
import { useT } from "#app/i18n/context";
import { data, Form, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/survey";
import { ErrorSummary, useFocusFirstError } from "#app/components/form-fields";
import { QuestionField } from "#app/components/QuestionField";
import { StatusPage } from "#app/components/StatusPage";
import { UnitChooser } from "#app/components/UnitChooser";
import { assessQuality } from "#app/domain/quality";
import {
  type FieldErrors,
  firstErrorField,
  parseAnswers,
  readSubmittedValues,
  type SubmittedValues,
} from "#app/domain/survey-form";
import { getLocale } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { pickText } from "#app/domain/localized";
import { deviceCookie, deviceKey, newDeviceId, readDeviceId } from "#app/lib/device.server";
import { clientAddress, readForm } from "#app/lib/http.server";
import { hashAddress, randomId, sign, unsign } from "#app/lib/signing.server";
import { readStartToken, startToken } from "#app/lib/start-token.server";
import { deviceNextAllowedAt, submitResponse } from "#app/models/response.server";
import {
  applicableUnits,
  localizeSurvey,
  resolveSurveyContext,
} from "#app/services/citizen-survey.server";
import { formatDateTime } from "#app/i18n/format";

export const HONEYPOT_FIELD = "website";

export function meta({ data }: Route.MetaArgs) {
  // On an error the status page sets its own title.
  return data && "title" in data ? [{ title: data.title }] : [];
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const lng = getLocale(context);
  const ctx = await resolveSurveyContext(request, params.slug);
  const survey = localizeSurvey(ctx.survey, lng);
  if (ctx.step === "chooseUnit") {
    const units = await applicableUnits(ctx.survey);
    return {
      step: "chooseUnit" as const,
      title: survey.title,
      slug: survey.slug,
      unknownCode: ctx.unknownCode,
      units: units.map((u) => ({ code: u.code, kind: u.kind, name: pickText(u.names, lng, defaultLanguage) })),
    };
  }
  const unitName = pickText(ctx.unit.names, lng, defaultLanguage);
  const headers = new Headers();
  let deviceId = readDeviceId(request);
  if (!deviceId) {
    deviceId = newDeviceId();
    headers.append("Set-Cookie", deviceCookie(deviceId));
  }
  if (ctx.channel !== "kiosk") {
    const next = await deviceNextAllowedAt(ctx.survey, ctx.unit.id, deviceKey(deviceId, ctx.survey.id, ctx.unit.id));
    if (next) {
      return data(
        { step: "repeat" as const, title: survey.title, unitName, nextAllowedAt: formatDateTime(next, lng) },
        { headers },
      );
    }
  }
  return data(
    {
      step: "answer" as const,
      title: survey.title,
      survey,
      unitName,
      unitCode: ctx.unit.code,
      kiosk: ctx.channel === "kiosk",
      started: startToken(deviceId, ctx.survey.slug, ctx.unit.code, Date.now()),
      visit: ctx.channel === "kiosk" ? sign("visit", randomId(12)) : null,
    },
    { headers },
  );
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const lng = getLocale(context);
  const ctx = await resolveSurveyContext(request, params.slug);
  if (ctx.step !== "answer") throw data({ reason: "unknown_unit" }, { status: 400 });
  const form = await readForm(request);
  const questions = ctx.survey.version.questions;
  const values = readSubmittedValues(form, questions);
  const parsed = parseAnswers(values, questions);
  const started = String(form.get("started") ?? "");
  if (!parsed.ok) {
    // The form is shown again with the token it was served with, so that the time spent
    // correcting it counts (a fresh token would flag a careful citizen as too fast).
    return data({ errors: parsed.errors, values: parsed.values, repeat: null, started }, { status: 400 });
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
    ipHash: hashAddress(clientAddress(request)),
    startedAt,
    submittedAt,
    flags: assessQuality({
      honeypot: String(form.get(HONEYPOT_FIELD) ?? ""),
      startedAt,
      submittedAt,
      minSeconds: ctx.survey.minSeconds,
    }),
    answers: parsed.answers,
  });
  if (!result.ok) {
    const next = result.nextAllowedAt ? formatDateTime(result.nextAllowedAt, lng) : null;
    return data({ errors: null, values: null, repeat: { nextAllowedAt: next }, started }, { status: 409, headers });
  }
  const thanks = new URLSearchParams({ unit: ctx.unit.code });
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
  if (loaderData.step !== "answer") return null;
  return (
    <SurveyForm
      data={loaderData}
      started={actionData?.started || loaderData.started}
      serverErrors={actionData?.errors ?? null}
      serverValues={actionData?.values ?? null}
    />
  );
}

type AnswerData = Extract<Route.ComponentProps["loaderData"], { step: "answer" }>;

function SurveyForm({
  data: d,
  started,
  serverErrors,
  serverValues,
}: {
  data: AnswerData;
  started: string;
  serverErrors: FieldErrors | null;
  serverValues: SubmittedValues | null;
}) {
  const { t } = useT();
  const navigation = useNavigation();
  const [clientErrors, setClientErrors] = useState<FieldErrors | null>(null);
  const errors = clientErrors ?? serverErrors;
  const formRef = useRef<HTMLFormElement>(null);
  const questions = d.survey.questions;
  const firstError = errors ? firstErrorField(errors, questions) : undefined;

  useFocusFirstError(formRef, firstError, errors);

  function validateInBrowser(event: React.FormEvent<HTMLFormElement>) {
    const result = parseAnswers(readSubmittedValues(new FormData(event.currentTarget), questions), questions);
    if (!result.ok) {
      event.preventDefault();
      setClientErrors(result.errors);
    } else {
      setClientErrors(null);
    }
  }

  return (
    <article className="survey">
      <header className="survey-header">
        <p className="unit-name">
          <span className="visually-hidden">{t("survey.unitLabel")} </span>
          {d.unitName}
        </p>
        <h1>{d.survey.title}</h1>
        {d.survey.intro ? <p className="intro">{d.survey.intro}</p> : null}
        <p className="hint">{t("survey.anonymousHint")}</p>
      </header>
      <ErrorSummary
        items={questions.filter((q) => errors?.[`q_${q.key}`]).map((q) => ({ name: `q_${q.key}`, label: q.text }))}
      />
      <Form method="post" noValidate ref={formRef} onSubmit={validateInBrowser}>
        <input type="hidden" name="started" value={started} />
        {d.visit ? <input type="hidden" name="visit" value={d.visit} /> : null}
        <div className="hp" aria-hidden="true">
          <label>
            {t("survey.honeypot")}
            <input type="text" name={HONEYPOT_FIELD} tabIndex={-1} autoComplete="off" defaultValue="" />
          </label>
        </div>
        {questions.map((q, i) => (
          <QuestionField
            key={q.key}
            question={q}
            number={i + 1}
            error={errors?.[`q_${q.key}`]}
            value={serverValues?.[`q_${q.key}`]}
            autoFocus={firstError === `q_${q.key}`}
          />
        ))}
        <button type="submit" className="button primary submit" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? t("survey.submitting") : t("survey.submit")}
        </button>
      </Form>
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
