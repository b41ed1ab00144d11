import { data, Link } from "react-router";
import type { Route } from "./+types/staff-survey-posters";
import { LinkOriginWarning } from "#app/components/LinkOriginWarning";
import { PrintButton, QrImage } from "#app/components/print-parts";
import { StatusPage } from "#app/components/StatusPage";
import { type LangText, parsePosterSize, posterPath, posterSizes } from "#app/domain/distribution";
import { pickText } from "#app/domain/localized";
import { useT } from "#app/i18n/context";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { requireOffice } from "#app/lib/staff-session.server";
import { applicableUnits } from "#app/services/citizen-survey.server";
import { originOf, type PosterData, postersFor, requireDistributedUnit, requireSurvey, unreachableLinkOrigin } from "#app/services/distribution.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

// Printable posters: one unit (`?unit=CODE`) or every unit of the survey, one poster per printed
// page, A4 or A5 (`?size=`). The page's own header, menu and toolbar are not printed (app.css).
export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireOffice(request);
  const survey = await requireSurvey(params.slug);
  const url = new URL(request.url);
  const size = parsePosterSize(url.searchParams.get("size"));
  if (!size) throw data({ reason: "bad_request" }, { status: 400 });
  const code = url.searchParams.get("unit");
  const units = code ? [await requireDistributedUnit(survey, code)] : await applicableUnits(survey);
  const lng = getLocale(context);
  const t = getT(context);
  return {
    title: code ? t("distribution.poster.titleOne", { unit: pickText(units[0]!.names, lng, defaultLanguage) }) : t("distribution.poster.title"),
    slug: survey.slug,
    size,
    unitCode: code,
    posters: postersFor(originOf(request), survey, units),
    unreachableOrigin: unreachableLinkOrigin(request),
  };
}

export default function Posters({ loaderData }: Route.ComponentProps) {
  const { t } = useT();
  const { slug, size, unitCode, posters } = loaderData;
  return (
    <article className="poster-page">
      <div className="poster-toolbar">
        <p>
          <Link to={`/staff/surveys/${encodeURIComponent(slug)}/distribution`}>{t("distribution.poster.back")}</Link>
        </p>
        <h1>{loaderData.title}</h1>
        <LinkOriginWarning origin={loaderData.unreachableOrigin} />
        <p className="hint">{t("distribution.poster.printHelp")}</p>
        <nav aria-label={t("distribution.poster.size")} className="action-buttons">
          {posterSizes.map((s) => (
            <Link key={s} className={s === size ? "button primary" : "button"} aria-current={s === size ? "page" : undefined} to={posterPath(slug, s, unitCode ?? undefined)}>
              {t(`distribution.poster.${s}`)}
            </Link>
          ))}
          <PrintButton label={t("distribution.poster.print")} />
        </nav>
      </div>
      <div className={`poster-sheet poster-${size}`}>
        {posters.map((p) => (
          <Poster key={p.unitCode} poster={p} />
        ))}
      </div>
    </article>
  );
}

function Texts({ items, className }: { items: LangText[]; className: string }) {
  return (
    <>
      {items.map((item) => (
        <span key={item.lng} className={className} lang={item.lng} dir={item.dir}>
          {item.text}
        </span>
      ))}
    </>
  );
}

function Poster({ poster }: { poster: PosterData }) {
  const { t } = useT();
  return (
    <section className="poster" aria-labelledby={`poster-${poster.unitCode}`}>
      <h2 className="poster-names" id={`poster-${poster.unitCode}`}>
        <Texts items={poster.names} className="poster-name" />
      </h2>
      <p className="poster-calls">
        <Texts items={poster.calls} className="poster-call" />
      </p>
      <QrImage drawing={poster.qrImage} className="poster-qr" label={t("distribution.poster.qrLabel", { url: poster.links.display })} />
      <p className="poster-link" dir="ltr" translate="no">
        {poster.links.display}
      </p>
      <p className="poster-titles">
        <Texts items={poster.titles} className="poster-title" />
      </p>
      <p className="poster-notes">
        <Texts items={poster.notes} className="poster-note" />
      </p>
    </section>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
