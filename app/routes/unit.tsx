import { useT } from "#app/i18n/context";
import { data, Link, redirect } from "react-router";
import type { Route } from "./+types/unit";
import type { PageHandle } from "#app/components/PageFrame";
import { StatusPage } from "#app/components/StatusPage";
import { pickText } from "#app/domain/localized";
import { getLocale } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { openSurveysForUnit } from "#app/models/survey.server";
import { findUnitByCode } from "#app/models/unit.server";

export const handle: PageHandle = { page: "survey" };

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.unitName }] : [];
}

// A unit's page: with one open survey for the unit, go straight to it.
export async function loader({ params, context }: Route.LoaderArgs) {
  const lng = getLocale(context);
  const unit = await findUnitByCode(params.code);
  if (!unit) throw data({ reason: "unknown_unit" }, { status: 404 });
  if (!unit.active) {
    // A deactivated unit (its printed QR codes may still be up): say so plainly, with 410.
    return data({ unitName: pickText(unit.names, lng, defaultLanguage), unitCode: unit.code, inactive: true, surveys: [] }, { status: 410 });
  }
  const surveys = await openSurveysForUnit(unit);
  if (surveys.length === 1) {
    throw redirect(`/s/${surveys[0]!.slug}?unit=${encodeURIComponent(unit.code)}`);
  }
  return {
    unitName: pickText(unit.names, lng, defaultLanguage),
    unitCode: unit.code,
    inactive: false,
    surveys: surveys.map((s) => ({ slug: s.slug, title: pickText(s.titles, lng, defaultLanguage) })),
  };
}

export default function UnitPage({ loaderData }: Route.ComponentProps) {
  const { t } = useT();
  return (
    <section className="panel" aria-labelledby="unit-title">
      <h1 id="unit-title">{loaderData.unitName}</h1>
      {loaderData.inactive ? (
        <>
          <p role="status">{t("unit.inactive.page")}</p>
          <p>
            <a className="button" href="/">
              {t("nav.home")}
            </a>
          </p>
        </>
      ) : loaderData.surveys.length === 0 ? (
        <p>{t("unit.noSurvey")}</p>
      ) : (
        <ul className="unit-list">
          {loaderData.surveys.map((s) => (
            <li key={s.slug}>
              <Link className="unit-link" to={`/s/${s.slug}?unit=${encodeURIComponent(loaderData.unitCode)}`}>
                {s.title}
              </Link>
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link to={`/units/${encodeURIComponent(loaderData.unitCode)}`}>{t("unit.publicResults")}</Link>
      </p>
    </section>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
