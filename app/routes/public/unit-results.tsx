// /units/:code: a unit's public page (docs/decisions/0020). /u/:code stays the rating's short link
// (printed links and the home page send citizens there to rate), so the published figures live
// here: the latest published period's figures, the unit over every published period (a small
// chart drawn on the server and the same figures as a table), and its published rectification
// measures (the office publishes those one by one, apart from the periods' figures). Only
// published snapshots; a plain page without any script.
import { data, Link } from "react-router";
import type { Route } from "./+types/unit-results";
import type { PageHandle } from "#app/components/PageFrame";
import { FigureFacts, MethodLine, publicCacheHeaders } from "#app/components/public-results";
import { PublicTrend } from "#app/components/PublicTrend";
import { type PublicMeasure, PublishedMeasures } from "#app/components/PublishedMeasures";
import { fmt } from "#app/components/score-parts";
import { StatusPage } from "#app/components/StatusPage";
import { pickText } from "#app/domain/localized";
import { METHOD_VERSION } from "#app/domain/scoring";
import { useT } from "#app/i18n/context";
import { formatDate } from "#app/i18n/format";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { pageCacheKey } from "#app/lib/page-cache.server";
import { findUnitByCode } from "#app/models/unit.server";
import { unitHistory } from "#app/services/public-results.server";
import { publishedMeasures } from "#app/services/rectification.server";

export const handle: PageHandle = { page: "results", noScripts: true };

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.unit.name }] : [];
}

export function headers({ parentHeaders }: Route.HeadersArgs) {
  return publicCacheHeaders(parentHeaders);
}

/** The unit's published rectification measures, in the page's language. */
async function measuresOf(unitId: number, lng: string, t: (key: string) => string): Promise<PublicMeasure[]> {
  return (await publishedMeasures(unitId)).map((m, i) => ({
    id: i,
    subject: m.subject.kind === "item" ? pickText(m.subject.texts, lng, defaultLanguage) || m.subject.key : t(`complaint.type.${m.subject.complaintType}`),
    period: pickText(m.period.names, lng, defaultLanguage) || m.period.code,
    text: m.measures,
    publishedOn: formatDate(m.acceptedAt, lng),
  }));
}

export async function loader({ params, context }: Route.LoaderArgs) {
  const lng = getLocale(context);
  const unit = await findUnitByCode(params.code);
  if (!unit || unit.kind === "region") throw data({ reason: "unknown_unit" }, { status: 404 });
  const history = await unitHistory(unit.id);
  const latest = history.at(-1) ?? null;
  const page = {
    unit: {
      code: unit.code,
      name: pickText(unit.names, lng, defaultLanguage) || unit.code,
      kind: unit.kind,
      active: unit.active,
    },
    latest: latest
      ? {
          periodCode: latest.period.code,
          periodName: pickText(latest.period.names, lng, defaultLanguage),
          publishedOn: formatDate(latest.publication.publishedAt, lng),
          methodVersion: latest.methodVersion,
          confidence: latest.confidence,
          minSample: latest.minSample,
          row: (({ names: _n, unitId: _u, ...r }) => r)(latest.row),
        }
      : null,
    history: history.map((h) => ({
      code: h.period.code,
      name: pickText(h.period.names, lng, defaultLanguage),
      s: h.row.s,
      ciLow: h.row.ciLow,
      ciHigh: h.row.ciHigh,
      n: h.row.n,
      t: h.row.t,
      rank: h.row.rank,
    })),
    measures: await measuresOf(unit.id, lng, getT(context)),
  };
  return {
    ...page,
    pageCache: {
      key: pageCacheKey("unit-results", { lng, page }),
      perRequest: {},
    },
  };
}

export default function UnitResultsPage({ loaderData }: Route.ComponentProps) {
  const { t, lng } = useT();
  const { unit, latest, history } = loaderData;
  return (
    <article className="public-results" aria-labelledby="unit-title">
      <h1 id="unit-title">{unit.name}</h1>
      <p className="hint">{t(`unitKind.${unit.kind}`)}</p>
      {!latest ? (
        <section className="panel">
          <p role="status">{t("unitResults.none")}</p>
          <MethodLine version={METHOD_VERSION} />
        </section>
      ) : (
        <section className="panel" aria-labelledby="latest-title">
          <h2 id="latest-title">{latest.periodName}</h2>
          <p>{t("results.publishedOn", { date: latest.publishedOn })}</p>
          <p className="result-head">
            <span className="rank">{latest.row.rank === null ? t("results.noRank") : t("results.rankValue", { rank: latest.row.rank })}</span>{" "}
            {t("unitResults.withinKind", { kind: t(`unitKind.${unit.kind}`) })}
          </p>
          <FigureFacts row={latest.row} confidence={latest.confidence} minSample={latest.minSample} />
          <MethodLine version={latest.methodVersion} />
          <p>
            <Link to={`/results?period=${encodeURIComponent(latest.periodCode)}`}>{t("unitResults.allUnits")}</Link>
          </p>
        </section>
      )}
      {history.length > 0 ? (
        <section className="panel" aria-labelledby="trend-heading">
          <h2 id="trend-heading">{t("unitResults.trend")}</h2>
          {history.length > 1 ? (
            <PublicTrend
              id="trend"
              title={t("unitResults.trendChart")}
              points={history.map((h) => ({
                label: h.code,
                s: h.s,
                ciLow: h.ciLow,
                ciHigh: h.ciHigh,
              }))}
            />
          ) : null}
          <div className="table-scroll">
            <table className="trend-table">
              <caption className="visually-hidden">{t("unitResults.trendChart")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("results.period")}</th>
                  <th scope="col">{t("results.s")}</th>
                  <th scope="col">{t("results.n")}</th>
                  <th scope="col">{t("results.rank")}</th>
                </tr>
              </thead>
              <tbody>
                {history.map((h) => (
                  <tr key={h.code}>
                    <th scope="row">
                      <Link to={`/results?period=${encodeURIComponent(h.code)}`}>{h.name}</Link>
                    </th>
                    <td>
                      {fmt(h.s, lng)}
                      {h.ciLow !== null && h.ciHigh !== null ? (
                        <>
                          {" "}
                          <span dir="ltr" className="muted">
                            ({fmt(h.ciLow, lng)} – {fmt(h.ciHigh, lng)})
                          </span>
                        </>
                      ) : null}
                    </td>
                    <td>{fmt(h.n, lng, 0)}</td>
                    <td>{h.rank ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      <PublishedMeasures measures={loaderData.measures} />
      {unit.active ? (
        <p>
          <Link className="button" to={`/u/${encodeURIComponent(unit.code)}`}>
            {t("unitResults.rate")}
          </Link>
        </p>
      ) : null}
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
