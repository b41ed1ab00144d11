import { Form } from "react-router";
import type { Route } from "./+types/staff-survey-results";
import { CountBars, GradeDistribution } from "#app/components/charts";
import { StatusPage } from "#app/components/StatusPage";
import { SurveyTabs } from "#app/components/SurveyTabs";
import { UserText, WrittenIn } from "#app/components/UserText";
import { pickText } from "#app/domain/localized";
import { isGradeKind } from "#app/domain/questions";
import { startOfLocalDay } from "#app/domain/working-days";
import { useT } from "#app/i18n/context";
import { formatDate, formatDateTime, formatNumber } from "#app/i18n/format";
import { getLocale } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { gradeSlots, requireResultsScope, surveyResults } from "#app/services/survey-results.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

// A survey's results: responses over time, every question's answers (charts drawn on the
// server, with their tables), the latest comments and the CSV. The office sees every unit (or
// one); a unit's staff see only their own units.
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const scope = await requireResultsScope(request, params.slug);
  const lng = getLocale(context);
  const pick = (texts: unknown) => pickText(texts, lng, defaultLanguage);
  // Unit staff get each comment's day only (no time, no numbers); the service leaves the rest out.
  const results = await surveyResults(scope.survey.id, scope.unitIds, scope.detail);
  return {
    title: pick(scope.survey.titles) || scope.survey.slug,
    slug: scope.survey.slug,
    office: scope.office,
    unit: scope.unit?.code ?? "",
    choices: scope.choices.map((u) => ({ code: u.code, name: pick(u.names) })),
    total: results.total,
    flagged: results.flagged,
    byVersion: results.byVersion,
    monthly: results.monthly.map((m) => ({ label: m.month, count: m.count })),
    questions: results.questions.map((q) => ({
      key: q.key,
      kind: q.kind,
      text: pick(q.texts) || q.key,
      answered: q.answered,
      grades: isGradeKind(q.kind) ? gradeSlots.map((g) => q.counts[g] ?? 0) : null,
      options: isGradeKind(q.kind) || q.kind === "text" ? null : Object.entries(q.counts).map(([value, count]) => ({ label: pick(q.optionLabels[value]) || value, count })),
    })),
    comments: results.comments.map((c, i) => ({
      key: c.full ? `a${c.full.answerId}` : `c${i}`,
      text: c.text,
      lang: c.lang,
      on: c.full ? formatDateTime(c.full.submittedAt, lng) : formatDate(startOfLocalDay(c.day), lng),
      unit: pick(c.unitNames),
    })),
  };
}

export default function SurveyResults({ loaderData: d }: Route.ComponentProps) {
  const { t, lng } = useT();
  const query = d.unit ? `?unit=${d.unit}` : "";
  return (
    <article className="staff">
      <SurveyTabs slug={d.slug} title={d.title} only={d.office ? undefined : ["results"]} />
      <h1>{t("surveys.results.title")}</h1>
      <Form method="get" className="inline-form">
        <label htmlFor="unit">{t("surveys.results.unit")}</label>
        <select id="unit" name="unit" defaultValue={d.unit}>
          {d.office ? <option value="">{t("surveys.results.allUnits")}</option> : null}
          {d.choices.map((u) => (
            <option key={u.code} value={u.code}>
              {u.name}
            </option>
          ))}
        </select>
        <button type="submit" className="button">
          {t("surveys.results.show")}
        </button>
      </Form>
      <p>
        {t("surveys.results.totals", { total: formatNumber(d.total, lng), flagged: formatNumber(d.flagged, lng) })}{" "}
        {d.byVersion.length > 1
          ? d.byVersion.map((v) => t("surveys.results.versionCount", { version: formatNumber(v.version, lng), count: formatNumber(v.count, lng) })).join(" · ")
          : null}
      </p>
      <p>
        <a className="button" href={`/staff/surveys/${d.slug}/results.csv${query}`} download>
          {t("surveys.results.csv")}
        </a>
      </p>
      <CountBars id="monthly" title={t("surveys.results.overTime")} data={d.monthly} labelHeader={t("scores.col.month")} />
      <h2>{t("surveys.results.questions")}</h2>
      {d.questions.map((q, i) => (
        <section key={q.key} aria-labelledby={`q-${q.key}`} className="result-question">
          <h3 id={`q-${q.key}`}>
            {formatNumber(i + 1, lng)}. {q.text}
          </h3>
          <p className="hint">{t("surveys.results.answered", { count: formatNumber(q.answered, lng) })}</p>
          {q.grades ? (
            <GradeDistribution id={`chart-${q.key}`} title={t("surveys.results.chartOf", { number: formatNumber(i + 1, lng) })} data={[{ label: q.text, counts: q.grades }]} />
          ) : null}
          {q.options ? (
            <CountBars id={`chart-${q.key}`} title={t("surveys.results.chartOf", { number: formatNumber(i + 1, lng) })} data={q.options} labelHeader={t("surveys.fields.optionLabel")} horizontal />
          ) : null}
        </section>
      ))}
      <h2>{t("surveys.results.comments")}</h2>
      {d.comments.length === 0 ? (
        <p className="muted">{t("surveys.results.noComments")}</p>
      ) : (
        <ul className="comments">
          {d.comments.map((c) => (
            <li key={c.key}>
              <UserText as="blockquote" text={c.text} stored={c.lang} />
              <WrittenIn text={c.text} stored={c.lang} />
              <p className="hint">
                {c.unit} · {c.on}
              </p>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
