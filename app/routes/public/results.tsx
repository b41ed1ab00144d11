// /results: the published results of a period (the latest published by default, ?period=CODE for
// another), units by kind in the order of the evaluation. Only what the office published, from the
// snapshot it published (docs/decisions/0020). A plain page without any script; drawn once per
// language and publication and kept (app/lib/page-cache.server.ts).
import { data, Link } from "react-router";
import type { Route } from "./+types/results";
import type { PageHandle } from "#app/components/PageFrame";
import { FigureFacts, MethodLine, publicCacheHeaders } from "#app/components/public-results";
import { StatusPage } from "#app/components/StatusPage";
import { pickText } from "#app/domain/localized";
import { METHOD_VERSION } from "#app/domain/scoring";
import { useT } from "#app/i18n/context";
import { formatDate } from "#app/i18n/format";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { pageCacheKey } from "#app/lib/page-cache.server";
import { type PublicRow, publishedFigures, publishedPeriods } from "#app/services/public-results.server";

export const handle: PageHandle = { page: "results", noScripts: true };

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

export function headers({ parentHeaders }: Route.HeadersArgs) {
  return publicCacheHeaders(parentHeaders);
}

const KIND_ORDER = ["county", "department"];

export async function loader({ request, context }: Route.LoaderArgs) {
  const lng = getLocale(context);
  const t = getT(context);
  const asked = new URL(request.url).searchParams.get("period");
  const published = await publishedPeriods();
  const periods = published.map((p) => ({
    code: p.period.code,
    name: pickText(p.period.names, lng, defaultLanguage),
  }));
  const current = asked === null ? published[0] : published.find((p) => p.period.code === asked);
  // An unknown period and one not (or no longer) published look alike: nothing says it exists.
  if (asked !== null && !current) throw data({ reason: "unknown_page" }, { status: 404 });
  const figures = current ? await publishedFigures(current.publication) : null;
  const rows = figures?.rows ?? [];
  const kinds = [...new Set(rows.map((r) => r.kind))].sort((a, b) => (KIND_ORDER.indexOf(a) + 1 || 99) - (KIND_ORDER.indexOf(b) + 1 || 99));
  const named = (r: PublicRow) => {
    const { names: _names, unitId: _id, ...rest } = r;
    return {
      ...rest,
      name: pickText(r.names, lng, defaultLanguage) || r.unitCode,
    };
  };
  const page = {
    title: t("results.title"),
    periods,
    current: current
      ? {
          code: current.period.code,
          name: pickText(current.period.names, lng, defaultLanguage),
          publishedOn: formatDate(current.publication.publishedAt, lng),
        }
      : null,
    methodVersion: figures?.methodVersion ?? METHOD_VERSION,
    confidence: figures?.confidence ?? 0.95,
    minSample: figures?.minSample ?? 30,
    groups: kinds.map((kind) => ({
      kind,
      rows: rows.filter((r) => r.kind === kind).map(named),
    })),
  };
  return {
    ...page,
    pageCache: { key: pageCacheKey("results", { lng, page }), perRequest: {} },
  };
}

export default function ResultsPage({ loaderData }: Route.ComponentProps) {
  const { t } = useT();
  const { current, periods, groups } = loaderData;
  return (
    <article className="public-results" aria-labelledby="results-title">
      <h1 id="results-title">{t("results.title")}</h1>
      {!current ? (
        <section className="panel">
          <p role="status">{t("results.empty")}</p>
          <MethodLine version={loaderData.methodVersion} />
        </section>
      ) : (
        <>
          <section className="panel">
            <h2 className="period-name">{current.name}</h2>
            <p>{t("results.publishedOn", { date: current.publishedOn })}</p>
            <p className="hint">{t("results.lead")}</p>
            <MethodLine version={loaderData.methodVersion} />
            {periods.length > 1 ? (
              <nav aria-label={t("results.otherPeriods")}>
                <h3>{t("results.otherPeriods")}</h3>
                <ul className="period-links">
                  {periods.map((p) => (
                    <li key={p.code}>
                      <Link to={`/results?period=${encodeURIComponent(p.code)}`} aria-current={p.code === current.code ? "page" : undefined}>
                        {p.name}
                      </Link>
                    </li>
                  ))}
                </ul>
              </nav>
            ) : null}
          </section>
          {groups.map((g) => (
            <section key={g.kind} className="panel" aria-labelledby={`kind-${g.kind}`}>
              <h2 id={`kind-${g.kind}`}>{t(`unitKind.${g.kind}`)}</h2>
              <ol className="results-list">
                {g.rows.map((r) => (
                  <li key={r.unitCode} className="result-card">
                    <p className="result-head">
                      <span className="rank">{r.rank === null ? t("results.noRank") : t("results.rankValue", { rank: r.rank })}</span>{" "}
                      <Link to={`/units/${encodeURIComponent(r.unitCode)}`} className="unit-name">
                        {r.name}
                      </Link>
                    </p>
                    <FigureFacts row={r} confidence={loaderData.confidence} minSample={loaderData.minSample} />
                  </li>
                ))}
              </ol>
            </section>
          ))}
        </>
      )}
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
