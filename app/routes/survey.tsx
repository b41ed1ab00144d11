import { useT } from "#app/i18n/context";
import { data, redirect } from "react-router";
import type { Route } from "./+types/survey";
import { HONEYPOT_FIELD, SurveyForm } from "#app/components/SurveyForm";
import { StatusPage } from "#app/components/StatusPage";
import { UnitChooser } from "#app/components/UnitChooser";
import { assessQuality } from "#app/domain/quality";
import { parseAnswers, readSubmittedValues } from "#app/domain/survey-form";
import { getLocale } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { pickText } from "#app/domain/localized";
import { deviceCookie, deviceKey, hopKey, newDeviceId, readDeviceId } from "#app/lib/device.server";
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
      inactiveName: ctx.inactiveUnit ? pickText(ctx.inactiveUnit.names, lng, defaultLanguage) : null,
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
    hopKey: ctx.channel === "kiosk" ? null : hopKey(deviceId, ctx.survey.id),
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
  if (loaderData.step !== "answer") return null;
  return (
    <SurveyForm
      survey={loaderData.survey}
      unitName={loaderData.unitName}
      visit={loaderData.visit}
      started={actionData?.started || loaderData.started}
      serverErrors={actionData?.errors ?? null}
      serverValues={actionData?.values ?? null}
    />
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
