import { data, Form, Link } from "react-router";
import type { Route } from "./+types/staff-scores";
import { ComplaintVolumes, GradeDistribution, IntervalBars, TrendLine } from "#app/components/charts";
import { Delta } from "#app/components/PeriodReport";
import { PeriodSelect, ScoreFlags, fmt } from "#app/components/score-parts";
import { StatusPage } from "#app/components/StatusPage";
import { pickText } from "#app/domain/localized";
import { emptyFollowUpCounts, type FollowUpCounts, followupShare, sumFollowUpCounts, sumFollowups } from "#app/domain/rating-followup";
import { channels, exclusionReasons } from "#app/domain/scoring";
import { useT } from "#app/i18n/context";
import { formatDateTime, formatPercent } from "#app/i18n/format";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { requireOffice } from "#app/lib/staff-session.server";
import { listPeriods, periodForPage } from "#app/models/period.server";
import { complaintVolumes, itemBreakdown, monthlyTrend, questionTexts } from "#app/services/dashboard.server";
import { changesFromPrevious } from "#app/services/period-report.server";
import { followUpsByUnit, followupsByUnit } from "#app/services/rating-followup.server";
import { servedFigures } from "#app/services/snapshots.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

const sortKeys = ["rank", "q", "s", "n", "c", "points", "code"] as const;
type SortKey = (typeof sortKeys)[number];

// The evaluation office's period dashboard: every unit's figures (served: live while the period is
// open, its snapshot once closed), the chart of S with intervals, the monthly trend, grade
// distributions and complaint volumes.
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireOffice(request);
  const url = new URL(request.url);
  const lng = getLocale(context);
  const period = await periodForPage(url.searchParams.get("period"));
  if (!period) throw data({ reason: "notFound" }, { status: 404 });
  // Ranks are within a kind, so the dashboard opens on counties and cities; "all" is one choice away.
  const kindParam = url.searchParams.get("kind") ?? "county";
  const kind = kindParam === "county" || kindParam === "department" ? kindParam : "";
  const sortParam = url.searchParams.get("sort") as SortKey | null;
  const sort: SortKey = sortParam && sortKeys.includes(sortParam) ? sortParam : "rank";
  const dir = url.searchParams.get("dir") === "desc" ? "desc" : url.searchParams.get("dir") === "asc" ? "asc" : sort === "rank" || sort === "code" ? "asc" : "desc";
  const [figures, periods, items, texts, followups, callbacks] = await Promise.all([
    servedFigures(period),
    listPeriods(),
    itemBreakdown(period, period.params),
    questionTexts(period.id),
    followupsByUnit(period.id),
    followUpsByUnit(period.id, { withIntegrity: true }),
  ]);
  const name = (names: Record<string, string>) => pickText(names, lng, defaultLanguage);
  // Against the previous period, by the report's rule (app/domain/period-report.ts).
  const comparison = await changesFromPrevious(period, figures);
  const rows = figures.units
    .filter((u) => !kind || u.kind === kind)
    .map((u) => ({
      code: u.code,
      name: name(u.names),
      kind: u.kind,
      n: u.n,
      s: u.s,
      ciLow: u.ciLow,
      ciHigh: u.ciHigh,
      c: u.c,
      t: u.t,
      h: u.h,
      ratings: u.ratings,
      assumedRatings: u.assumedRatings,
      q: u.q,
      points: u.points,
      rank: u.rank,
      flags: u.flags,
      byChannel: u.byChannel ?? {},
      followups: followups.get(u.unitId) ?? { dissatisfied: 0, followed: 0 },
      callbacks: callbacks.get(u.unitId) ?? emptyFollowUpCounts(),
      change: { deltaS: comparison.changes.get(u.unitId)?.deltaS ?? null, beyond: comparison.changes.get(u.unitId)?.beyond ?? null },
    }));
  const value = (r: (typeof rows)[number]) => (sort === "code" ? r.code : sort === "rank" ? (r.rank ?? Infinity) : (r[sort] ?? -Infinity));
  rows.sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const cmp = typeof x === "string" ? x.localeCompare(String(y)) : (x as number) - (y as number);
    return (dir === "asc" ? cmp : -cmp) || a.kind.localeCompare(b.kind) || a.code.localeCompare(b.code);
  });
  return {
    title: `${getT(context)("scores.dashboard")} · ${name(period.names)}`,
    period: { code: period.code, name: name(period.names), status: period.status },
    periods: periods.filter((p) => p.status !== "draft").map((p) => ({ code: p.code, name: name(p.names) })),
    snapshot: figures.snapshot ? { id: figures.snapshot.id, label: figures.snapshot.label, createdAt: formatDateTime(figures.snapshot.createdAt, lng) } : null,
    methodVersion: figures.methodVersion,
    previous: comparison.previous ? { name: name(comparison.previous.names), frozen: comparison.previous.frozen } : null,
    params: { maxPoints: figures.params.maxPoints, minSample: figures.params.minSample, confidence: figures.params.confidence },
    total: figures.total,
    exclusions: exclusionReasons.filter((r) => figures.exclusions[r]).map((r) => ({ reason: r, count: figures.exclusions[r]! })),
    filters: { kind, sort, dir },
    rows,
    trend: await monthlyTrend(period, period.params),
    distribution: items
      .filter((i) => i.core)
      .map((i) => ({ label: pickText(texts.get(i.key), lng, defaultLanguage) || i.key, counts: [...i.counts].reverse().concat(i.notApplicable) })),
    volumes: await complaintVolumes(period),
    followupTotal: sumFollowups(rows.map((r) => r.followups)),
    callbackTotal: sumFollowUpCounts(rows.map((r) => r.callbacks)),
  };
}

export default function Dashboard({ loaderData }: Route.ComponentProps) {
  const { t, lng } = useT();
  const { filters, period } = loaderData;
  const sortLink = (key: string) => {
    const q = new URLSearchParams({ period: period.code, sort: key, kind: filters.kind || "all" });
    if (filters.sort === key) q.set("dir", filters.dir === "asc" ? "desc" : "asc");
    return `?${q}`;
  };
  const th = (key: string, label: string) => (
    <th scope="col" aria-sort={filters.sort === key ? (filters.dir === "asc" ? "ascending" : "descending") : undefined}>
      <Link to={sortLink(key)}>{label}</Link>
    </th>
  );
  return (
    <article className="staff">
      <h1>
        {t("scores.dashboard")} · {period.name}
      </h1>
      <p role="note">
        {loaderData.snapshot
          ? t("scores.servedSnapshot", { id: loaderData.snapshot.id, label: loaderData.snapshot.label, at: loaderData.snapshot.createdAt })
          : t("scores.servedLive")}{" "}
        · {t("scores.method", { version: loaderData.methodVersion, max: loaderData.params.maxPoints, min: loaderData.params.minSample })}{" "}
        · <Link to={`/staff/periods/${encodeURIComponent(period.code)}`}>{t("scores.managePeriod")}</Link>
      </p>
      <Form method="get" className="filters" aria-label={t("staff.queue.filters")}>
        <PeriodSelect id="d-period" value={period.code} periods={loaderData.periods} />
        <div className="field">
          <label htmlFor="d-kind">{t("scores.kind")}</label>
          <select id="d-kind" name="kind" defaultValue={filters.kind || "all"}>
            <option value="all">{t("staff.queue.all")}</option>
            <option value="county">{t("unitKind.county")}</option>
            <option value="department">{t("unitKind.department")}</option>
          </select>
        </div>
        <button type="submit" className="button">
          {t("staff.queue.apply")}
        </button>
        <a className="button" href={`/staff/periods/${encodeURIComponent(period.code)}/scores.csv`} download>
          {t("staff.period.downloadScores")}
        </a>
      </Form>
      <p>
        {t("staff.period.responses", { count: loaderData.total })}{" "}
        {loaderData.exclusions.map((e) => `${t(`scores.exclusion.${e.reason}`)}: ${e.count}`).join(" · ")}
      </p>
      <div className="table-scroll">
        <table className="queue scores" id="score-table">
          <caption>{t("scores.tableCaption")}</caption>
          <thead>
            <tr>
              {th("rank", t("scores.col.rank"))}
              {th("code", t("scores.col.unit"))}
              {th("n", t("scores.col.n"))}
              {th("s", t("scores.col.s"))}
              <th scope="col">{t("scores.col.ci")}</th>
              {th("c", t("scores.col.c"))}
              <th scope="col">{t("scores.col.t")}</th>
              <th scope="col">{t("scores.col.h")}</th>
              {th("q", t("scores.col.q"))}
              {th("points", t("scores.col.points"))}
              <th scope="col">{t("scores.change.column")}</th>
              <th scope="col">{t("scores.col.flags")}</th>
            </tr>
          </thead>
          <tbody>
            {loaderData.rows.map((r) => (
              <tr key={r.code}>
                <td>{r.rank ?? "—"}</td>
                <th scope="row">
                  <Link to={`/staff/scores/${r.code}?period=${encodeURIComponent(period.code)}`}>{r.name}</Link>{" "}
                  <span className="muted">{t(`unitKind.${r.kind}`)}</span>
                </th>
                <td>{r.n}</td>
                <td>{fmt(r.s, lng)}</td>
                <td dir="ltr">{r.ciLow === null ? "—" : `${fmt(r.ciLow, lng)} – ${fmt(r.ciHigh, lng)}`}</td>
                <td>{fmt(r.c, lng)}</td>
                <td>{fmt(r.t, lng)}</td>
                <td>
                  {fmt(r.h, lng)}
                  {/* With assumed ratings (ADR 0018), how many of H's ratings are real and how many assumed. */}
                  {r.assumedRatings > 0 ? <span className="muted h-ratings"> ({t("scores.hRatings", { ratings: r.ratings, assumed: r.assumedRatings })})</span> : null}
                </td>
                <td>{fmt(r.q, lng)}</td>
                <td>{fmt(r.points, lng)}</td>
                <td className="score-change">
                  <Delta value={r.change.deltaS} lng={lng} beyond={r.change.beyond} />
                </td>
                <td>
                  <ScoreFlags flags={r.flags} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint" id="score-change-note">
        {loaderData.previous
          ? `${t(loaderData.previous.frozen ? "scores.change.againstFrozen" : "scores.change.againstLive", { period: loaderData.previous.name })} ${t("report.change.rule")}`
          : t("report.change.noPrevious")}
      </p>
      {/* Focusable: on a phone the table scrolls sideways, and has no link to reach it by keyboard. */}
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="channel-caption">
        <table className="queue" id="channel-table">
          <caption id="channel-caption">{t("scores.channels.caption")}</caption>
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>
                {t("scores.col.unit")}
              </th>
              {channels.map((ch) => (
                <th key={ch} scope="colgroup" colSpan={2}>
                  {t(`scores.channels.${ch}`)}
                </th>
              ))}
            </tr>
            <tr>
              {channels.map((ch) => [
                <th key={`${ch}-n`} scope="col">
                  {t("scores.col.n")}
                </th>,
                <th key={`${ch}-s`} scope="col">
                  {t("scores.col.s")}
                </th>,
              ])}
            </tr>
          </thead>
          <tbody>
            {loaderData.rows.map((r) => (
              <tr key={r.code}>
                <th scope="row">{r.name}</th>
                {channels.map((ch) => [
                  <td key={`${ch}-n`}>{r.byChannel[ch]?.n ?? 0}</td>,
                  <td key={`${ch}-s`}>{fmt(r.byChannel[ch]?.s ?? null, lng)}</td>,
                ])}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint">{t("scores.channels.help")}</p>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="followup-caption">
        <table className="queue" id="followup-table">
          <caption id="followup-caption">{t("scores.followups.caption")}</caption>
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>{t("scores.col.unit")}</th>
              <th scope="col" rowSpan={2}>{t("scores.followups.dissatisfied")}</th>
              <th scope="col" rowSpan={2}>{t("scores.followups.followed")}</th>
              <th scope="col" rowSpan={2}>{t("scores.followups.share")}</th>
              <th scope="colgroup" colSpan={4}>{t("scores.followups.callbacks")}</th>
            </tr>
            <tr>
              <th scope="col">{t("scores.followups.onTime")}</th>
              <th scope="col">{t("scores.followups.late")}</th>
              <th scope="col">{t("scores.followups.overdue")}</th>
              <th scope="col">{t("scores.followups.pending")}</th>
            </tr>
          </thead>
          <tbody>
            {loaderData.rows.map((r) => (
              <FollowupRow key={r.code} label={r.name} counts={r.followups} callbacks={r.callbacks} lng={lng} />
            ))}
          </tbody>
          <tfoot>
            <FollowupRow label={t("scores.followups.total")} counts={loaderData.followupTotal} callbacks={loaderData.callbackTotal} lng={lng} />
          </tfoot>
        </table>
      </div>
      <p className="hint">{t("scores.followups.help")}</p>
      <p className="hint">{t("scores.followups.callbackHelp")}</p>
      <IntervalBars
        id="chart-s"
        title={t("scores.chart.s")}
        tableId="score-table"
        data={loaderData.rows
          .filter((r) => r.s !== null && r.ciLow !== null && r.ciHigh !== null)
          .sort((a, b) => b.s! - a.s!)
          .map((r) => ({ label: r.name, value: r.s!, low: r.ciLow!, high: r.ciHigh!, n: r.n }))}
      />
      <TrendLine id="chart-trend" title={t("scores.chart.trend")} data={loaderData.trend} />
      <GradeDistribution id="chart-grades" title={t("scores.chart.grades")} data={loaderData.distribution} />
      <ComplaintVolumes
        id="chart-volumes"
        title={t("scores.chart.volumes")}
        data={loaderData.volumes.map((v) => ({ label: t(`complaint.type.${v.type}`), onTime: v.onTime, late: v.late, pending: v.pending, rejected: v.rejected }))}
      />
    </article>
  );
}

function FollowupRow({
  label,
  counts,
  callbacks,
  lng,
}: {
  label: string;
  counts: { dissatisfied: number; followed: number };
  callbacks: FollowUpCounts;
  lng: string;
}) {
  const share = followupShare(counts);
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{counts.dissatisfied}</td>
      <td>{counts.followed}</td>
      <td>{share === null ? "—" : formatPercent(share, lng)}</td>
      <td>{callbacks.done_on_time}</td>
      <td>{callbacks.done_late}</td>
      <td>{callbacks.overdue}</td>
      <td>{callbacks.due}</td>
    </tr>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
