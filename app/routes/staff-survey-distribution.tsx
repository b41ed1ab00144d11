import { useState } from "react";
import { data, Form, Link, useSearchParams } from "react-router";
import type { Route } from "./+types/staff-survey-distribution";
import { CopyField } from "#app/components/CopyField";
import { FieldMessages } from "#app/components/form-fields";
import { LinkOriginWarning } from "#app/components/LinkOriginWarning";
import { StatusPage } from "#app/components/StatusPage";
import { SurveyTabs } from "#app/components/SurveyTabs";
import { UserText } from "#app/components/UserText";
import { groupByKind, matchesUnit, parseKioskCreate, parseKioskRevoke, posterPath, unitLinks } from "#app/domain/distribution";
import { pickText } from "#app/domain/localized";
import { surveyAppliesTo, surveyAvailability } from "#app/domain/survey-availability";
import { parseId } from "#app/domain/ids";
import { useT } from "#app/i18n/context";
import { formatDateTime } from "#app/i18n/format";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { readForm } from "#app/lib/http.server";
import { requireOffice } from "#app/lib/staff-session.server";
import { createKioskLink, listKioskLinks, revokeKioskLink } from "#app/models/kiosk-link.server";
import { listUnits } from "#app/models/unit.server";
import { applicableUnits } from "#app/services/citizen-survey.server";
import { kioskLinkUrl, originOf, requireSurvey, unreachableLinkOrigin } from "#app/services/distribution.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

// The office's distribution of one survey: every unit's stable link, QR code downloads, posters
// and the kiosk links of its service-hall tablets.
export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireOffice(request);
  const survey = await requireSurvey(params.slug);
  const lng = getLocale(context);
  const origin = originOf(request);
  // Every unit is read once: the ones the survey applies to get links; others may keep tablets.
  const [everyUnit, kiosks] = await Promise.all([listUnits(), listKioskLinks(survey.id)]);
  const units = everyUnit.filter((u) => surveyAppliesTo(survey, u));
  const kioskRow = (k: (typeof kiosks)[number], unitCode: string) => ({
    id: k.id,
    label: k.label,
    kioskId: k.kioskId,
    createdAt: formatDateTime(k.createdAt, lng),
    revokedAt: k.revokedAt ? formatDateTime(k.revokedAt, lng) : null,
    url: k.revokedAt ? null : kioskLinkUrl(origin, survey, unitCode, k.kioskId),
  });
  // Tablets of units the survey no longer applies to (deactivated or no longer chosen) keep
  // their links: they are listed apart so they can still be revoked.
  const distributed = new Set(units.map((u) => u.id));
  const outside = everyUnit.filter((u) => !distributed.has(u.id) && kiosks.some((k) => k.unitId === u.id && !k.revokedAt));
  return {
    title: getT(context)("distribution.title"),
    slug: survey.slug,
    surveyTitle: pickText(survey.titles, lng, defaultLanguage),
    unreachableOrigin: unreachableLinkOrigin(request),
    open: surveyAvailability(survey, new Date()) === "open",
    kioskEnabled: survey.kioskEnabled,
    units: units.map((u) => ({
      code: u.code,
      kind: u.kind,
      name: pickText(u.names, lng, defaultLanguage),
      names: u.names,
      links: unitLinks(origin, survey.slug, u.code),
      kiosks: kiosks.filter((k) => k.unitId === u.id).map((k) => kioskRow(k, u.code)),
    })),
    outside: outside.map((u) => ({
      code: u.code,
      name: pickText(u.names, lng, defaultLanguage),
      kiosks: kiosks.filter((k) => k.unitId === u.id && !k.revokedAt).map((k) => kioskRow(k, u.code)),
    })),
  };
}

interface ActionResult {
  intent: "create" | "revoke";
  unit: string | null;
  linkId: number | null;
  errors: Record<string, string>;
  values: Record<string, string>;
  done: { label: string } | null;
}

const result = (r: Partial<ActionResult> & Pick<ActionResult, "intent">, status = 200) =>
  data<ActionResult>({ unit: null, linkId: null, errors: {}, values: {}, done: null, ...r }, { status });

export async function action({ request, params }: Route.ActionArgs) {
  const { user } = await requireOffice(request);
  const survey = await requireSurvey(params.slug);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "create") {
    const parsed = parseKioskCreate(form);
    if (!parsed.ok) return result({ intent, unit: parsed.values.unit ?? null, errors: parsed.errors, values: parsed.values }, 400);
    const unit = (await applicableUnits(survey)).find((u) => u.code === parsed.data.unit);
    if (!unit) return result({ intent, errors: { form: "distribution.errors.unit" } }, 400);
    await createKioskLink({ surveyId: survey.id, surveySlug: survey.slug, unitId: unit.id, unitCode: unit.code, label: parsed.data.label, actorId: user.id });
    return result({ intent, unit: unit.code, done: { label: parsed.data.label } });
  }
  if (intent === "revoke") {
    const parsed = parseKioskRevoke(form);
    const linkId = parseId(form.get("id"));
    if (!parsed.ok) return result({ intent, linkId, errors: parsed.errors, values: parsed.values }, 400);
    const revoked = await revokeKioskLink({ id: parsed.data.id, surveyId: survey.id, reason: parsed.data.reason, actorId: user.id });
    if (!revoked) return result({ intent, linkId, errors: { form: "distribution.errors.state" } }, 409);
    return result({ intent, linkId, done: revoked });
  }
  return result({ intent: "create", errors: { form: "distribution.errors.state" } }, 400);
}

type Unit = Route.ComponentProps["loaderData"]["units"][number];

export default function Distribution({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const [searchParams] = useSearchParams();
  const [query, setQuery] = useState(searchParams.get("q") ?? "");
  const { slug, units } = loaderData;
  const shown = units.filter((u) => matchesUnit(u, query));
  return (
    <article className="staff distribution">
      <SurveyTabs slug={slug} title={loaderData.surveyTitle} />
      <h1>{t("distribution.title")}</h1>
      <LinkOriginWarning origin={loaderData.unreachableOrigin} />
      <p className="hint">{t("distribution.intro")}</p>
      {loaderData.open ? null : <p className="notice">{t("distribution.notOpen")}</p>}
      {loaderData.kioskEnabled ? null : <p className="notice">{t("distribution.kioskOff")}</p>}
      {actionData?.errors.form ? (
        <p className="error-summary" role="alert">
          {t(actionData.errors.form)}
        </p>
      ) : null}
      {actionData?.done ? (
        <p className="notice" role="status">
          {actionData.intent === "create"
            ? t("distribution.kiosk.created", { label: actionData.done.label, unit: units.find((u) => u.code === actionData.unit)?.name ?? "" })
            : t("distribution.kiosk.revoked", { label: actionData.done.label })}
        </p>
      ) : null}

      <section className="panel" aria-labelledby="all-posters">
        <h2 id="all-posters">{t("distribution.allPosters")}</h2>
        <p className="hint">{t("distribution.allPostersHelp", { count: units.length })}</p>
        <p className="action-buttons">
          <Link className="button" to={posterPath(slug, "a4")}>
            {t("distribution.allPostersA4")}
          </Link>
          <Link className="button" to={posterPath(slug, "a5")}>
            {t("distribution.allPostersA5")}
          </Link>
        </p>
      </section>

      <Form method="get" role="search" className="filters" aria-label={t("distribution.search")}>
        <div className="field">
          <label htmlFor="q" className="q-label">
            {t("distribution.search")}
          </label>
          <p id="q-help" className="q-help">
            {t("distribution.searchHelp")}
          </p>
          <input id="q" name="q" type="search" value={query} onChange={(e) => setQuery(e.currentTarget.value)} aria-describedby="q-help" />
        </div>
        <button type="submit" className="button">
          {t("distribution.searchSubmit")}
        </button>
      </Form>
      <p className="muted" aria-live="polite">
        {units.length === 0 ? t("distribution.noUnits") : shown.length === 0 ? t("distribution.none") : t("distribution.shown", { count: shown.length, total: units.length })}
      </p>

      {loaderData.outside.length > 0 ? (
        <section className="panel" aria-labelledby="outside-units">
          <h2 id="outside-units">{t("distribution.outside.title")}</h2>
          <p className="hint">{t("distribution.outside.help")}</p>
          {loaderData.outside.map((unit) => (
            <section key={unit.code} aria-labelledby={`outside-${unit.code}`}>
              <h3 id={`outside-${unit.code}`}>
                {unit.name} <span className="muted">{t("distribution.code", { code: unit.code })}</span>
              </h3>
              <KioskList kiosks={unit.kiosks} actionData={actionData} />
            </section>
          ))}
        </section>
      ) : null}

      {groupByKind(shown).map((group) => (
        <section key={group.kind} aria-labelledby={`kind-${group.kind}`}>
          <h2 id={`kind-${group.kind}`}>{t(`unitKind.${group.kind}`)}</h2>
          <ul className="dist-units">
            {group.units.map((unit) => (
              <UnitCard key={unit.code} slug={slug} unit={unit} actionData={actionData} />
            ))}
          </ul>
        </section>
      ))}
    </article>
  );
}

function UnitCard({ slug, unit, actionData }: { slug: string; unit: Unit; actionData: ActionResult | undefined }) {
  const { t } = useT();
  const qrPath = (format: "svg" | "png") => `/staff/surveys/${encodeURIComponent(slug)}/qr/${encodeURIComponent(unit.code)}.${format}`;
  const createError = actionData?.intent === "create" && actionData.unit === unit.code ? actionData.errors.label : undefined;
  const labelId = `kiosk-label-${unit.code}`;
  return (
    <li className="dist-unit panel" id={`unit-${unit.code}`} aria-labelledby={`unit-${unit.code}-name`}>
      <h3 id={`unit-${unit.code}-name`}>
        {unit.name} <span className="muted">{t("distribution.code", { code: unit.code })}</span>
      </h3>
      <CopyField id={`link-${unit.code}`} label={t("distribution.plainLink")} value={unit.links.link} />
      <CopyField id={`qr-link-${unit.code}`} label={t("distribution.qrLink")} value={unit.links.qr} />
      <div className="dist-downloads">
        <p>
          <span className="dist-label">{t("distribution.qr")}</span>
          <a className="button" href={qrPath("svg")} download>
            {t("distribution.svg")}
          </a>
          <a className="button" href={qrPath("png")} download>
            {t("distribution.png")}
          </a>
        </p>
        <p>
          <span className="dist-label">{t("distribution.posters")}</span>
          <Link className="button" to={posterPath(slug, "a4", unit.code)}>
            {t("distribution.posterA4")}
          </Link>
          <Link className="button" to={posterPath(slug, "a5", unit.code)}>
            {t("distribution.posterA5")}
          </Link>
        </p>
      </div>

      <section className="kiosk-links" aria-labelledby={`kiosk-${unit.code}`}>
        <h4 id={`kiosk-${unit.code}`}>{t("distribution.kiosk.title")}</h4>
        {unit.kiosks.length === 0 ? <p className="muted">{t("distribution.kiosk.none")}</p> : null}
        <KioskList kiosks={unit.kiosks} actionData={actionData} />
        {/* Keyed by the number of links, so a created link closes and empties the form. */}
        <details key={unit.kiosks.length} open={Boolean(createError)}>
          <summary>{t("distribution.kiosk.create")}</summary>
          <Form method="post" preventScrollReset noValidate>
            <input type="hidden" name="intent" value="create" />
            <input type="hidden" name="unit" value={unit.code} />
            <div className={`field${createError ? " has-error" : ""}`}>
              <label htmlFor={labelId} className="q-label">
                {t("distribution.kiosk.label")}
              </label>
              <FieldMessages name={labelId} help={t("distribution.kiosk.labelHelp")} error={createError} />
              <input
                id={labelId}
                name="label"
                type="text"
                maxLength={60}
                defaultValue={createError ? actionData?.values.label : ""}
                aria-invalid={createError ? true : undefined}
                aria-describedby={[`${labelId}-help`, createError ? `${labelId}-error` : null].filter(Boolean).join(" ")}
              />
            </div>
            <button type="submit" className="button">
              {t("distribution.kiosk.createSubmit")}
            </button>
          </Form>
        </details>
      </section>
    </li>
  );
}

/** A unit's tablet links, each revocable with a reason. */
function KioskList({ kiosks, actionData }: { kiosks: Unit["kiosks"]; actionData: ActionResult | undefined }) {
  const { t } = useT();
  return (
        <ul className="kiosk-list">
          {kiosks.map((k) => {
            const mine = actionData?.intent === "revoke" && actionData.linkId === k.id;
            const reasonError = mine ? actionData.errors.reason : undefined;
            const reasonId = `kiosk-reason-${k.id}`;
            return (
              <li key={k.id} className={k.revokedAt ? "kiosk-link revoked" : "kiosk-link"}>
                <p>
                  <strong>
                    <UserText text={k.label} />
                  </strong>{" "}
                  <code dir="ltr">{k.kioskId}</code>
                  <br />
                  <span className="muted">
                    {t("distribution.kiosk.createdAt", { at: k.createdAt })} ·{" "}
                    {k.revokedAt ? t("distribution.kiosk.revokedAt", { at: k.revokedAt }) : t("distribution.kiosk.active")}
                  </span>
                </p>
                {k.url ? <CopyField id={`kiosk-url-${k.id}`} label={t("distribution.kiosk.url", { label: k.label })} value={k.url} /> : null}
                {k.revokedAt ? null : (
                  <details open={Boolean(reasonError)}>
                    <summary>{t("distribution.kiosk.revoke", { label: k.label })}</summary>
                    <Form method="post" preventScrollReset noValidate>
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="id" value={k.id} />
                      <p className="hint">{t("distribution.kiosk.revokeWarning")}</p>
                      <div className={`field${reasonError ? " has-error" : ""}`}>
                        <label htmlFor={reasonId} className="q-label">
                          {t("distribution.kiosk.reason")}
                        </label>
                        <FieldMessages name={reasonId} error={reasonError} />
                        <input
                          id={reasonId}
                          name="reason"
                          type="text"
                          maxLength={200}
                          defaultValue={mine ? actionData.values.reason : ""}
                          aria-invalid={reasonError ? true : undefined}
                          aria-describedby={reasonError ? `${reasonId}-error` : undefined}
                        />
                      </div>
                      <button type="submit" className="button">
                        {t("distribution.kiosk.revokeSubmit")}
                      </button>
                    </Form>
                  </details>
                )}
              </li>
            );
          })}
        </ul>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
