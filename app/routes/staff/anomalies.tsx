import { data, Form, Link } from "react-router";
import type { Route } from "./+types/anomalies";
import { dayDate, PValue, TestNote, Verdict } from "#app/components/anomaly-parts";
import { Pager } from "#app/components/Pager";
import { StatusPage } from "#app/components/StatusPage";
import { PeriodSelect } from "#app/components/score-parts";
import { parseOverviewQuery } from "#app/domain/anomaly-forms";
import { pickText } from "#app/domain/localized";
import { useT } from "#app/i18n/context";
import { formatDate, formatPercent } from "#app/i18n/format";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { requireOffice } from "#app/lib/staff-session.server";
import { listPeriods, periodForPage } from "#app/models/period.server";
import { listUnits } from "#app/models/unit.server";
import { anomalyOverview } from "#app/services/anomalies.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

// The evaluation office's anomalies: per unit and region-local day, the responses, the share of
// each quality flag and whether the day's grade distribution differs from the rest of the unit's
// period. By default the notable unit-days of every unit; with a unit, every day of it.
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireOffice(request);
  const url = new URL(request.url);
  const lng = getLocale(context);
  const period = await periodForPage(url.searchParams.get("period"));
  if (!period) throw data({ reason: "notFound" }, { status: 404 });
  const { query, values, errors } = parseOverviewQuery(url.searchParams);
  const [periods, units] = await Promise.all([listPeriods(), listUnits()]);
  const scored = units.filter((u) => u.kind !== "region");
  const unit = query.unit ? scored.find((u) => u.code === query.unit) : undefined;
  if (query.unit && !unit) errors.unit = "errors.invalidChoice";
  const overview = await anomalyOverview(period, { unitId: unit?.id, from: query.from || undefined, to: query.to || undefined, page: query.page });
  const byId = new Map(scored.map((u) => [u.id, u]));
  const name = (names: Record<string, string>) => pickText(names, lng, defaultLanguage);
  const body = {
    title: `${getT(context)("anomalies.title")} · ${name(period.names)}`,
    period: { code: period.code, name: name(period.names) },
    periods: periods.filter((p) => p.status !== "draft").map((p) => ({ code: p.code, name: name(p.names) })),
    units: scored.map((u) => ({ code: u.code, name: name(u.names) })),
    unit: unit ? { code: unit.code, name: name(unit.names) } : null,
    values,
    errors,
    flags: overview.flags,
    matching: overview.matching,
    significant: overview.significant,
    page: overview.page,
    pages: overview.pages,
    rows: overview.rows.map((r) => {
      const u = byId.get(r.unitId);
      return {
        unitCode: u?.code ?? "",
        unitName: u ? name(u.names) : "",
        day: r.day,
        dayLabel: formatDate(dayDate(r.day), lng),
        responses: r.responses,
        flagged: r.flagged,
        byFlag: r.byFlag,
        categories: r.categories,
        n: r.test.n,
        p: r.test.p,
        significant: r.test.significant,
      };
    }),
  };
  return data(body, { status: Object.keys(errors).length > 0 ? 400 : 200 });
}

type Row = Route.ComponentProps["loaderData"]["rows"][number];

export default function Anomalies({ loaderData }: Route.ComponentProps) {
  const { t, lng } = useT();
  const { period, values, errors, rows } = loaderData;
  const errs = errors as Record<string, string | undefined>;
  const pageLink = (page: number) => {
    const q = new URLSearchParams({ period: period.code });
    if (loaderData.unit) q.set("unit", loaderData.unit.code);
    if (values.from && !errs.from && !errs.to) q.set("from", values.from);
    if (values.to && !errs.from && !errs.to) q.set("to", values.to);
    q.set("page", String(page));
    return `?${q}`;
  };
  const share = (r: Row, count: number | undefined) =>
    count ? (
      <>
        {formatPercent(count / r.responses, lng)} <span className="muted">({count})</span>
      </>
    ) : (
      "—"
    );
  const field = (name: "unit" | "from" | "to") => ({
    "aria-invalid": errs[name] ? true : undefined,
    "aria-describedby": errs[name] ? `a-${name}-error` : undefined,
  });
  const fieldError = (name: "unit" | "from" | "to") =>
    errs[name] ? (
      <p id={`a-${name}-error`} className="field-error">
        {t(errs[name]!)}
      </p>
    ) : null;
  return (
    <article className="staff">
      <h1>
        {t("anomalies.title")} · {period.name}
      </h1>
      <p>{t("anomalies.intro")}</p>
      <TestNote />
      <Form method="get" className="filters" aria-label={t("staff.queue.filters")}>
        <PeriodSelect id="a-period" value={period.code} periods={loaderData.periods} />
        <div className={`field${errs.unit ? " has-error" : ""}`}>
          <label htmlFor="a-unit">{t("anomalies.unit")}</label>
          {fieldError("unit")}
          <select id="a-unit" name="unit" defaultValue={loaderData.unit?.code ?? ""} {...field("unit")}>
            <option value="">{t("anomalies.allUnits")}</option>
            {loaderData.units.map((u) => (
              <option key={u.code} value={u.code}>
                {u.name} ({u.code})
              </option>
            ))}
          </select>
        </div>
        <div className={`field${errs.from ? " has-error" : ""}`}>
          <label htmlFor="a-from">{t("anomalies.from")}</label>
          {fieldError("from")}
          <input id="a-from" name="from" type="date" defaultValue={values.from} {...field("from")} />
        </div>
        <div className={`field${errs.to ? " has-error" : ""}`}>
          <label htmlFor="a-to">{t("anomalies.to")}</label>
          {fieldError("to")}
          <input id="a-to" name="to" type="date" defaultValue={values.to} {...field("to")} />
        </div>
        <button type="submit" className="button">
          {t("staff.queue.apply")}
        </button>
      </Form>
      <p role="status">
        {loaderData.unit ? t("anomalies.summaryUnit", { count: loaderData.matching, unit: loaderData.unit.name }) : t("anomalies.summary", { count: loaderData.matching })}{" "}
        {t("anomalies.summaryDifferent", { count: loaderData.significant })}
      </p>
      {rows.length === 0 ? (
        <p>{t("anomalies.empty")}</p>
      ) : (
        <div className="table-scroll">
          <table className="queue anomalies" id="anomaly-table">
            <caption>{t("anomalies.tableCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("anomalies.col.day")}</th>
                <th scope="col">{t("anomalies.unit")}</th>
                <th scope="col">{t("anomalies.col.responses")}</th>
                <th scope="col">{t("anomalies.col.flagged")}</th>
                {loaderData.flags.map((f) => (
                  <th key={f} scope="col">
                    {t(`scores.exclusion.${f}`)}
                  </th>
                ))}
                <th scope="col">{t("anomalies.col.categories")}</th>
                <th scope="col">{t("anomalies.col.p")}</th>
                <th scope="col">{t("anomalies.col.verdict")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.unitCode}|${r.day}`} className={r.significant ? "different" : undefined}>
                  <th scope="row">
                    <Link to={`/staff/anomalies/${encodeURIComponent(r.unitCode)}/${r.day}?period=${encodeURIComponent(period.code)}`}>{r.dayLabel}</Link>
                  </th>
                  <td>
                    {r.unitName} <span className="muted">{r.unitCode}</span>
                  </td>
                  <td>{r.responses}</td>
                  <td>{share(r, r.flagged)}</td>
                  {loaderData.flags.map((f) => (
                    <td key={f}>{share(r, (r.byFlag as Record<string, number | undefined>)[f])}</td>
                  ))}
                  <td dir="ltr">{r.categories.join(" / ")}</td>
                  <td>
                    <PValue p={r.p} />
                  </td>
                  <td>
                    <Verdict n={r.n} p={r.p} significant={r.significant} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {loaderData.pages > 1 ? (
        <Pager
          label={t("anomalies.pages")}
          prev={loaderData.page > 1 ? pageLink(loaderData.page - 1) : null}
          next={loaderData.page < loaderData.pages ? pageLink(loaderData.page + 1) : null}
          prevText={t("anomalies.previous")}
          nextText={t("anomalies.next")}
          pageText={t("anomalies.pageOf", { page: loaderData.page, pages: loaderData.pages })}
        />
      ) : null}
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
