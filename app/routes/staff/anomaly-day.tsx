import { data, Form, Link } from "react-router";
import type { Route } from "./+types/anomaly-day";
import { dayDate, PValue, TestNote, Verdict } from "#app/components/anomaly-parts";
import { SelectField, TextAreaField } from "#app/components/form-fields";
import { fmt } from "#app/components/score-parts";
import { StatusPage } from "#app/components/StatusPage";
import { isDay, parseClusterForm } from "#app/domain/anomaly-forms";
import { gradeCategories } from "#app/domain/anomaly-test";
import { pickText } from "#app/domain/localized";
import { useT } from "#app/i18n/context";
import { formatDate, formatPercent, formatTime } from "#app/i18n/format";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { readForm } from "#app/lib/http.server";
import { requireOffice } from "#app/lib/staff-session.server";
import { periodForPage } from "#app/models/period.server";
import { findUnitByCode } from "#app/models/unit.server";
import { actOnClusters, unitDayReview } from "#app/services/anomalies.server";
import { reinstatableFlags } from "#app/services/moderation.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

/** The unit, day and period a request names; 404 for any that does not exist. */
async function target(request: Request, params: Route.LoaderArgs["params"]) {
  const unit = await findUnitByCode(params.unitCode);
  if (!unit || unit.kind === "region" || !isDay(params.day)) throw data({ reason: "notFound" }, { status: 404 });
  const period = await periodForPage(new URL(request.url).searchParams.get("period"));
  if (!period) throw data({ reason: "notFound" }, { status: 404 });
  return { unit, period, day: params.day };
}

// One unit's day for the evaluation office: the day against the rest of the period, and the day's
// responses in clusters by network (never the network itself), which the office excludes from the
// scores or reinstates in one audited action with a reason.
export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireOffice(request);
  const { unit, period, day } = await target(request, params);
  const lng = getLocale(context);
  const review = await unitDayReview(period, unit.id, day);
  const unitName = pickText(unit.names, lng, defaultLanguage);
  const dayLabel = formatDate(dayDate(day), lng);
  const test = review.day?.test ?? null;
  return {
    title: `${unitName} · ${dayLabel} · ${getT(context)("anomalies.title")}`,
    period: { code: period.code, name: pickText(period.names, lng, defaultLanguage) },
    unit: { code: unit.code, name: unitName },
    day,
    dayLabel,
    seen: review.seen,
    responses: review.responses,
    flagged: review.day?.flagged ?? 0,
    test: test && { n: test.n, restN: test.restN, chi2: test.chi2, df: test.df, p: test.p, method: test.method, significant: test.significant },
    dayCategories: review.day?.categories ?? [0, 0, 0],
    restCategories: review.unitCategories.map((c, i) => c - (review.day?.categories[i] ?? 0)),
    clusters: review.clusters.map((c) => ({
      key: c.key,
      network: c.network,
      count: c.responseIds.length,
      first: formatTime(c.first, lng),
      last: formatTime(c.last, lng),
      channels: Object.entries(c.channels).sort(([a], [b]) => a.localeCompare(b)),
      flags: Object.entries(c.flags).sort(([a], [b]) => a.localeCompare(b)),
      meanGrade: c.meanGrade,
    })),
    reinstatable: [...reinstatableFlags],
  };
}

interface ActionResult {
  errors: Record<string, string>;
  values: { reason: string; flag: string; clusters: string[] };
  done: { intent: "exclude" | "reinstate"; flag: string | null; changed: number; selected: number; before: { n: number; s: number | null }; after: { n: number; s: number | null } } | null;
}

export async function action({ request, params }: Route.ActionArgs) {
  const { user } = await requireOffice(request);
  const { unit, period, day } = await target(request, params);
  const form = await readForm(request);
  const parsed = parseClusterForm(form, reinstatableFlags);
  if (!parsed.ok) return data<ActionResult>({ errors: parsed.errors, values: parsed.values, done: null }, { status: 400 });
  const input = parsed.data;
  const result = await actOnClusters(
    period,
    unit.id,
    day,
    {
      seen: input.seen,
      clusters: input.clusters,
      reason: input.reason,
      action: input.intent === "exclude" ? { intent: "exclude" } : { intent: "reinstate", flag: input.flag as (typeof reinstatableFlags)[number] },
    },
    user.id,
  );
  const values = { reason: input.reason, flag: input.flag ?? "", clusters: input.clusters };
  if (!result.ok) return data<ActionResult>({ errors: { form: "anomalies.errors.stale" }, values, done: null }, { status: 409 });
  return data<ActionResult>({
    errors: {},
    values: { reason: "", flag: "", clusters: [] },
    done: { intent: input.intent, flag: input.flag, changed: result.changed, selected: result.selected, before: result.before, after: result.after },
  });
}

export default function AnomalyDay({ loaderData, actionData }: Route.ComponentProps) {
  const { t, lng } = useT();
  const { period, unit, test, clusters } = loaderData;
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const values = actionData?.values ?? { reason: "", flag: "", clusters: [] };
  const done = actionData?.done ?? null;
  const clusterLabel = (c: (typeof clusters)[number]) =>
    c.key === "all" ? t("anomalies.cluster.all") : c.network !== null ? t("anomalies.cluster.network", { n: c.network }) : t("anomalies.cluster.noNetwork");
  const back = `/staff/anomalies?${new URLSearchParams({ period: period.code, unit: unit.code })}`;
  return (
    <article className="staff">
      <h1>
        {unit.name} · {loaderData.dayLabel}
      </h1>
      <p>
        <Link to={back}>{t("anomalies.back", { unit: unit.name })}</Link> · {period.name}
      </p>
      {done ? (
        <div className="notice" role="status">
          <p>
            {done.intent === "exclude"
              ? t("anomalies.done.exclude", { count: done.changed, selected: done.selected })
              : t("anomalies.done.reinstate", { count: done.changed, selected: done.selected, flag: t(`scores.exclusion.${done.flag}`) })}
          </p>
          <p>
            {t("anomalies.done.figures", {
              unit: unit.name,
              nBefore: done.before.n,
              nAfter: done.after.n,
              sBefore: fmt(done.before.s, lng),
              sAfter: fmt(done.after.s, lng),
            })}
          </p>
        </div>
      ) : null}
      {errors.form ? (
        <p className="error-summary" role="alert">
          {t(errors.form)}
        </p>
      ) : null}
      <section className="panel" aria-labelledby="day-test-title">
        <h2 id="day-test-title">{t("anomalies.dayTitle")}</h2>
        {/* Nothing in it takes the focus: the region itself does, so a keyboard can scroll it on a phone. */}
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t("anomalies.dayCaption")}>
          <table className="queue">
            <caption>{t("anomalies.dayCaption")}</caption>
            <thead>
              <tr>
                <td />
                {gradeCategories.map((c) => (
                  <th key={c} scope="col">
                    {t(`anomalies.category.${c}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {[
                { key: "day", label: t("anomalies.thisDay"), counts: loaderData.dayCategories },
                { key: "rest", label: t("anomalies.restOfPeriod"), counts: loaderData.restCategories },
              ].map((row) => {
                const total = row.counts.reduce((a, b) => a + b, 0);
                return (
                  <tr key={row.key}>
                    <th scope="row">{row.label}</th>
                    {row.counts.map((c, i) => (
                      <td key={i}>
                        {c} <span className="muted">{total ? formatPercent(c / total, lng) : ""}</span>
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <p>
          {t("anomalies.col.p")}: <PValue p={test?.p ?? null} />
          {test?.method === "chi2" ? ` · ${t("anomalies.method.chi2", { chi2: fmt(test.chi2, lng), df: test.df })}` : null}
          {test?.method === "exact" ? ` · ${t("anomalies.method.exact")}` : null}
          {" · "}
          <Verdict n={test?.n ?? 0} p={test?.p ?? null} significant={test?.significant ?? false} />
        </p>
        <TestNote />
      </section>
      <section className="panel" aria-labelledby="clusters-title">
        <h2 id="clusters-title">{t("anomalies.clustersTitle")}</h2>
        <p className="hint">{t("anomalies.clustersHint")}</p>
        {clusters.length === 0 ? (
          <p>{t("anomalies.noResponses")}</p>
        ) : (
          // A new form after each action: its choices and reason start empty again.
          <Form method="post" key={done ? `done-${loaderData.seen}-${done.changed}-${done.intent}` : "form"}>
            <input type="hidden" name="seen" value={loaderData.seen} />
            {errors.clusters ? (
              <p id="cluster-error" className="field-error">
                {t(errors.clusters)}
              </p>
            ) : null}
            <div className="table-scroll">
              <table className="queue" id="cluster-table">
                <caption>{t("anomalies.clustersCaption", { count: loaderData.responses })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("anomalies.col.cluster")}</th>
                    <th scope="col">{t("anomalies.col.responses")}</th>
                    <th scope="col">{t("anomalies.col.time")}</th>
                    <th scope="col">{t("anomalies.col.channels")}</th>
                    <th scope="col">{t("anomalies.col.flags")}</th>
                    <th scope="col">{t("anomalies.col.meanGrade")}</th>
                  </tr>
                </thead>
                <tbody>
                  {clusters.map((c) => (
                    <tr key={c.key}>
                      <th scope="row">
                        <label className="choice-inline">
                          <input
                            type="checkbox"
                            name="cluster"
                            value={c.key}
                            defaultChecked={values.clusters.includes(c.key)}
                            aria-invalid={errors.clusters ? true : undefined}
                            aria-describedby={errors.clusters ? "cluster-error" : undefined}
                          />{" "}
                          {clusterLabel(c)}
                        </label>
                      </th>
                      <td>{c.count}</td>
                      <td dir="ltr">{c.first === c.last ? c.first : `${c.first} – ${c.last}`}</td>
                      <td>{c.channels.map(([ch, n]) => `${t(`scores.channels.${ch}`)} ${n}`).join(" · ")}</td>
                      <td>{c.flags.length ? c.flags.map(([f, n]) => `${t(`scores.exclusion.${f}`)} ${n}`).join(" · ") : "—"}</td>
                      <td>{fmt(c.meanGrade, lng)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <fieldset className="panel">
              <legend>{t("anomalies.actionLegend")}</legend>
              <TextAreaField name="reason" label={t("scores.moderationReason")} value={values.reason} error={errors.reason} errorVars={{ max: 500 }} maxLength={500} rows={3} />
              <SelectField
                name="flag"
                label={t("anomalies.flagToLift")}
                help={t("anomalies.flagToLiftHelp")}
                value={values.flag || "excluded"}
                error={errors.flag}
                options={loaderData.reinstatable.map((f) => ({ value: f, label: t(`scores.exclusion.${f}`) }))}
              />
              <div className="action-buttons">
                <button type="submit" name="intent" value="exclude" className="button primary">
                  {t("anomalies.exclude")}
                </button>
                <button type="submit" name="intent" value="reinstate" className="button">
                  {t("anomalies.reinstate")}
                </button>
              </div>
            </fieldset>
          </Form>
        )}
      </section>
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
