import { data, Form, Link } from "react-router";
import type { Route } from "./+types/staff-period";
import { ConfirmStep } from "#app/components/ConfirmStep";
import { ErrorSummary, FieldMessages, TextAreaField, TextField } from "#app/components/form-fields";
import { fmt } from "#app/components/score-parts";
import { StatusPage } from "#app/components/StatusPage";
import { UserText } from "#app/components/UserText";
import { carriedFields, isConfirmed, needsConfirmation } from "#app/domain/confirmation";
import { pickText } from "#app/domain/localized";
import { paramFieldNames, parseMethodParams, parseRecompute } from "#app/domain/score-forms";
import { defaultParams, excludableFlags, exclusionReasons, type MethodParams } from "#app/domain/scoring";
import { paramsRevision } from "#app/domain/safeguards";
import { parsePublish, parseWithdraw } from "#app/domain/publication-forms";
import { localDate } from "#app/domain/working-days";
import { useT } from "#app/i18n/context";
import { formatDateTime, formatNumber } from "#app/i18n/format";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { readForm } from "#app/lib/http.server";
import { requireOffice } from "#app/lib/staff-session.server";
import { auditTrail, recordAudit } from "#app/models/audit.server";
import { getPeriod, openPeriod, PeriodChangeError, setPeriodParams } from "#app/models/period.server";
import { latestPublication, PublicationError, publishPeriod, withdrawPublication } from "#app/models/publication.server";
import { auditPeriod, computeFigures } from "#app/services/scores.server";
import { closeConsequence, paramsEffect } from "#app/services/safeguards.server";
import { closePeriod, listSnapshots, PeriodStateError, recomputeSnapshot } from "#app/services/snapshots.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

/** The field of the parameters confirmation that names the stored parameters it was drawn against. */
const PARAMS_REVISION = "paramsRevision";

async function loadPeriod(code: string) {
  const period = await getPeriod(code);
  if (!period) throw data({ reason: "notFound" }, { status: 404 });
  return period;
}

function paramValues(p: MethodParams): Record<string, string | string[]> {
  return {
    p5: String(p.gradePoints["5"]),
    p4: String(p.gradePoints["4"]),
    p3: String(p.gradePoints["3"]),
    p2: String(p.gradePoints["2"]),
    p1: String(p.gradePoints["1"]),
    surveyWeight: String(p.surveyWeight),
    timelinessWeight: String(p.timelinessWeight),
    maxPoints: String(p.maxPoints),
    minSample: String(p.minSample),
    confidence: String(p.confidence),
    verifiedWeight: String(p.verifiedWeight),
    verifiedOnly: p.verifiedOnly ? "on" : "",
    ratingInviteDays: String(p.ratingInviteDays),
    assumeSatisfied: p.assumeSatisfied ? "on" : "",
    assumeSatisfiedDays: String(p.assumeSatisfiedDays),
    followUpDays: String(p.followUpDays),
    reportThreshold: String(p.reportThreshold),
    rectificationDays: String(p.rectificationDays),
    excludingFlags: [...p.excludingFlags],
  };
}

// One period: its status (open, close and freeze), the method's parameters, the snapshots, the
// audit recomputation and the downloads.
export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireOffice(request);
  const period = await loadPeriod(params.code);
  const lng = getLocale(context);
  const [snapshots, trail, figures] = await Promise.all([listSnapshots(period.id), auditTrail("period", period.id, 30), computeFigures(period)]);
  const publication = await latestPublication(period.id);
  return {
    title: `${getT(context)("staff.periods.title")} ${period.code}`,
    period: {
      code: period.code,
      name: pickText(period.names, lng, defaultLanguage),
      startsOn: localDate(period.startsOn),
      endsOn: localDate(period.endsOn),
      status: period.status,
      closedAt: period.closedAt ? formatDateTime(period.closedAt, lng) : null,
    },
    params: paramValues(period.params),
    live: {
      total: figures.total,
      exclusions: figures.exclusions,
      // H's ratings of all units by reason: given by citizens, assumed (ADR 0018), excluded.
      ratings: figures.units.reduce((n, u) => n + u.ratings, 0),
      assumedRatings: figures.units.reduce((n, u) => n + u.assumedRatings, 0),
      excludedRatings: figures.units.reduce((n, u) => n + u.excludedRatings, 0),
    },
    snapshots: snapshots.map((s) => ({ id: s.id, kind: s.kind, label: s.label, reason: s.reason, methodVersion: s.methodVersion, createdAt: formatDateTime(s.createdAt, lng) })),
    trail: trail.map((e) => ({ id: e.id, action: e.action, note: e.note, at: formatDateTime(e.at, lng) })),
    // Public results (docs/decisions/0020): the latest publication, withdrawn or not.
    publication: publication
      ? { snapshotId: publication.snapshotId, publishedAt: formatDateTime(publication.publishedAt, lng), withdrawnAt: publication.withdrawnAt ? formatDateTime(publication.withdrawnAt, lng) : null }
      : null,
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { user } = await requireOffice(request);
  const lng = getLocale(context);
  const period = await loadPeriod(params.code);
  const form = await readForm(request);
  const intent = form.get("intent");
  try {
    switch (intent) {
      case "open":
        await openPeriod(period, user.id);
        return { intent, done: true } as const;
      case "close":
        // Closing freezes the official figures: the first post only says what will be frozen.
        if (needsConfirmation(form, period.status === "open")) {
          return { intent, confirm: { kind: "close", fields: carriedFields(form), ...(await closeConsequence(period)) } } as const;
        }
        await closePeriod(period, user.id);
        return { intent, done: true } as const;
      case "recompute": {
        const parsed = parseRecompute(form);
        if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
        await recomputeSnapshot(period, { ...parsed.data, actorId: user.id });
        return { intent, done: true } as const;
      }
      case "params": {
        const parsed = parseMethodParams(form);
        if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
        // On an open period new parameters change the live figures at once: the first post shows
        // whose Q and rank would change, computed with the scoring code, and saves nothing. The
        // step carries the revision of the parameters it was computed against: when someone else
        // saved other parameters before the confirm, its table no longer says what saving does,
        // so nothing is saved and the step comes back with the effect against theirs (409).
        const revision = period.status === "open" ? paramsRevision(period.params) : null;
        const stale = revision !== null && isConfirmed(form) && form.get(PARAMS_REVISION) !== revision;
        if (revision !== null && (needsConfirmation(form) || stale)) {
          const effect = await paramsEffect(period, parsed.data);
          const changes = effect.changes.map(({ names, ...c }) => ({ ...c, name: pickText(names, lng, defaultLanguage) || c.code }));
          const fields = [...carriedFields(form).filter(([name]) => name !== PARAMS_REVISION), [PARAMS_REVISION, revision] as [string, string]];
          const step = { intent, values: paramValues(parsed.data), confirm: { kind: "params", fields, units: effect.units, changes, stale } } as const;
          return stale ? data(step, { status: 409 }) : step;
        }
        await setPeriodParams(period, parsed.data, user.id);
        return { intent, done: true } as const;
      }
      case "audit": {
        const result = await auditPeriod(period);
        await recordAudit({ actorId: user.id, action: "period.audit", targetType: "period", targetId: period.id, data: result });
        return { intent, audit: { ...result, ms: Math.round(result.ms) } } as const;
      }
      case "publish": {
        const parsed = parsePublish(form);
        if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
        await publishPeriod(period, user.id, parsed.data.snapshotId);
        return { intent, done: true } as const;
      }
      case "withdraw": {
        const parsed = parseWithdraw(form);
        if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
        await withdrawPublication(period, user.id, parsed.data.reason);
        return { intent, done: true } as const;
      }
      default:
        return data({ intent: null, errors: { form: "errors.invalidChoice" } }, { status: 400 });
    }
  } catch (error) {
    if (error instanceof PublicationError) {
      const message = error.code === "stale_snapshot" ? "errors.publicationStale" : error.code === "already_published" ? "errors.alreadyPublished" : "errors.periodState";
      return data({ intent, errors: { form: message } }, { status: 409 });
    }
    if (error instanceof PeriodStateError || error instanceof PeriodChangeError) {
      return data({ intent, errors: { form: "errors.periodState" } }, { status: 409 });
    }
    throw error;
  }
}

export default function PeriodPage({ loaderData, actionData }: Route.ComponentProps) {
  const { t, lng } = useT();
  const { period } = loaderData;
  const errorsFor = (intent: string): Record<string, string> =>
    actionData && "errors" in actionData && actionData.intent === intent ? (actionData.errors as Record<string, string>) : {};
  const valuesFor = (intent: string) =>
    (actionData && "values" in actionData && actionData.intent === intent ? actionData.values : null) as Record<string, string | string[]> | null;
  const formError = actionData && "errors" in actionData ? (actionData.errors as Record<string, string>).form : undefined;
  const paramErrors = errorsFor("params");
  const params = valuesFor("params") ?? loaderData.params;
  const recomputeErrors = errorsFor("recompute");
  const recomputeValues = valuesFor("recompute") ?? {};
  const audit = actionData && "audit" in actionData ? actionData.audit : null;
  const confirm = actionData && "confirm" in actionData ? actionData.confirm : null;
  const here = `/staff/periods/${encodeURIComponent(period.code)}`;
  const paramLabels: Record<string, string> = Object.fromEntries(paramFieldNames.map((n) => [n, t(`staff.params.${n}`)]));
  return (
    <article className="staff">
      <h1>
        {t("staff.periods.title")} {period.code} · {period.name}
      </h1>
      <p>
        <span dir="ltr">
          {period.startsOn} – {period.endsOn}
        </span>{" "}
        · <strong className="period-status">{t(`staff.periods.statuses.${period.status}`)}</strong>
        {period.closedAt ? ` (${period.closedAt})` : ""}
      </p>
      {formError ? (
        <p className="error-summary" role="alert">
          {t(formError)}
        </p>
      ) : null}
      {confirm?.kind === "close" ? (
        <ConfirmStep title={t("staff.confirm.close.title", { period: period.name })} fields={confirm.fields} confirmLabel={t("staff.confirm.close.submit")} cancelTo={here}>
          <p>
            {t("staff.confirm.close.frozen", {
              responses: fmt(confirm.responses, lng, 0),
              counted: fmt(confirm.counted, lng, 0),
              units: fmt(confirm.units, lng, 0),
              withScore: fmt(confirm.withScore, lng, 0),
            })}
          </p>
          <ul>
            <li>{t("staff.confirm.close.noNewResponses")}</li>
            <li>{t("staff.confirm.close.noParams")}</li>
            <li>{t("staff.confirm.close.correction")}</li>
          </ul>
        </ConfirmStep>
      ) : null}
      {confirm?.kind === "params" ? (
        <ConfirmStep title={t("staff.confirm.params.title", { period: period.name })} fields={confirm.fields} confirmLabel={t("staff.confirm.params.submit")} cancelTo={here}>
          {confirm.stale ? (
            <p role="alert" className="field-error">
              {t("staff.confirm.params.stale")}
            </p>
          ) : null}
          <p>
            {confirm.changes.length === 0
              ? t("staff.confirm.params.noChange", { units: fmt(confirm.units, lng, 0) })
              : t("staff.confirm.params.changes", { count: confirm.changes.length, changed: fmt(confirm.changes.length, lng, 0), units: fmt(confirm.units, lng, 0) })}
          </p>
          {confirm.changes.length > 0 ? (
            <div className="table-scroll" tabIndex={0} role="region" aria-label={t("staff.confirm.params.caption")}>
              <table className="params-effect">
                <caption>{t("staff.confirm.params.caption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("staff.confirm.params.unit")}</th>
                    <th scope="col">{t("staff.confirm.params.q")}</th>
                    <th scope="col">{t("staff.confirm.params.rank")}</th>
                  </tr>
                </thead>
                <tbody>
                  {confirm.changes.map((c) => (
                    <tr key={c.code}>
                      <th scope="row">
                        {c.name} <span dir="ltr">({c.code})</span>
                      </th>
                      <td>{t("staff.confirm.params.fromTo", { before: fmt(c.q.before, lng), after: fmt(c.q.after, lng) })}</td>
                      <td>{t("staff.confirm.params.fromTo", { before: fmt(c.rank.before, lng, 0), after: fmt(c.rank.after, lng, 0) })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          <p>{t("staff.confirm.params.live")}</p>
        </ConfirmStep>
      ) : null}
      {actionData && "done" in actionData ? (
        <p className="notice" role="status">
          {t("staff.period.saved")}
        </p>
      ) : null}
      <p className="action-buttons">
        <Link className="button" to={`/staff/scores?period=${encodeURIComponent(period.code)}`}>
          {t("staff.period.dashboard")}
        </Link>
        <a className="button" href={`/staff/periods/${encodeURIComponent(period.code)}/scores.csv`} download>
          {t("staff.period.downloadScores")}
        </a>
        <a className="button" href={`/staff/periods/${encodeURIComponent(period.code)}/responses.csv`} download>
          {t("staff.period.downloadResponses")}
        </a>
        <Link className="button" to={`/staff/periods/${encodeURIComponent(period.code)}/report`} id="period-report-link">
          {t("report.open")}
        </Link>
      </p>

      <section className="panel" aria-labelledby="state-title">
        <h2 id="state-title">{t("staff.period.state")}</h2>
        <p>
          {t("staff.period.responses", { count: loaderData.live.total })}{" "}
          {exclusionReasons
            .filter((r) => loaderData.live.exclusions[r])
            .map((r) => `${t(`scores.exclusion.${r}`)}: ${formatNumber(loaderData.live.exclusions[r]!, lng)}`)
            .join(" · ")}
        </p>
        <p id="period-ratings">
          {t("staff.period.ratings", {
            ratings: formatNumber(loaderData.live.ratings, lng),
            assumed: formatNumber(loaderData.live.assumedRatings, lng),
            excluded: formatNumber(loaderData.live.excludedRatings, lng),
          })}
        </p>
        {period.status === "draft" ? (
          <Form method="post">
            <input type="hidden" name="intent" value="open" />
            <button type="submit" className="button">
              {t("staff.period.open")}
            </button>
          </Form>
        ) : null}
        {period.status === "open" ? (
          <Form method="post">
            <p className="hint">{t("staff.period.closeHelp")}</p>
            <input type="hidden" name="intent" value="close" />
            <button type="submit" className="button">
              {t("staff.period.close")}
            </button>
          </Form>
        ) : null}
        <Form method="post">
          <p className="hint">{t("staff.period.auditHelp")}</p>
          <input type="hidden" name="intent" value="audit" />
          <button type="submit" className="button">
            {t("staff.period.audit")}
          </button>
        </Form>
        {audit ? (
          <p className={audit.equal ? "notice" : "error-summary"} role="status">
            {audit.equal
              ? t("staff.period.auditEqual", { count: audit.responses, ms: audit.ms })
              : t("staff.period.auditDiffers", { rows: audit.tallyDifferences, units: audit.differing.join(", ") })}
          </p>
        ) : null}
      </section>

      <section className="panel" aria-labelledby="snapshots-title">
        <h2 id="snapshots-title">{t("staff.period.snapshots")}</h2>
        {loaderData.snapshots.length === 0 ? (
          <p>{t("staff.period.noSnapshots")}</p>
        ) : (
          <ul>
            {loaderData.snapshots.map((s, i) => (
              <li key={s.id}>
                <strong>#{s.id}</strong> <UserText text={s.label} /> · {t(`staff.period.snapshotKinds.${s.kind}`)} · {s.createdAt}
                {s.reason ? (
                  <>
                    {" · "}
                    <UserText text={s.reason} />
                  </>
                ) : null}{" "}
                · {t("staff.period.method", { version: s.methodVersion })}
                {i === 0 ? ` · ${t("staff.period.served")}` : ""}
              </li>
            ))}
          </ul>
        )}
        {period.status === "closed" ? (
          <Form method="post" noValidate>
            <h3>{t("staff.period.recompute")}</h3>
            <p className="hint">{t("staff.period.recomputeHelp")}</p>
            <input type="hidden" name="intent" value="recompute" />
            <ErrorSummary
              items={Object.keys(recomputeErrors).map((name) => ({ name, label: t(`staff.period.${name === "label" ? "label" : "reason"}`) }))}
            />
            <TextField name="label" label={t("staff.period.label")} value={recomputeValues.label as string | undefined} error={recomputeErrors.label} />
            <TextAreaField name="reason" label={t("staff.period.reason")} value={recomputeValues.reason as string | undefined} error={recomputeErrors.reason} rows={3} />
            <button type="submit" className="button">
              {t("staff.period.recomputeSubmit")}
            </button>
          </Form>
        ) : null}
      </section>

      <PublicationPanel
        status={period.status}
        publication={loaderData.publication}
        servedSnapshot={loaderData.snapshots[0]?.id ?? null}
        errors={errorsFor("withdraw")}
        values={valuesFor("withdraw")}
      />

      <section className="panel" aria-labelledby="params-title">
        <h2 id="params-title">{t("staff.params.title")}</h2>
        <p className="hint">{t(period.status === "closed" ? "staff.params.closedHelp" : "staff.params.help")}</p>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="params" />
          <ErrorSummary items={Object.keys(paramErrors).map((name) => ({ name, label: paramLabels[name] ?? name }))} />
          <fieldset className="filters">
            <legend>{t("staff.params.gradePoints")}</legend>
            {(["p5", "p4", "p3", "p2", "p1"] as const).map((n) => (
              <TextField key={n} name={n} type="number" step="any" inputMode="decimal" label={paramLabels[n]!} value={params[n] as string} error={paramErrors[n]} />
            ))}
          </fieldset>
          <fieldset>
            <legend>{t("staff.params.excludingFlags")}</legend>
            {excludableFlags.map((f) => (
              <label key={f} className="choice">
                <input type="checkbox" name="excludingFlags" value={f} defaultChecked={(params.excludingFlags as string[]).includes(f)} />{" "}
                {t(`scores.exclusion.${f}`)}
              </label>
            ))}
          </fieldset>
          <div className="filters">
            {(["surveyWeight", "timelinessWeight", "maxPoints", "minSample", "confidence"] as const).map((n) => (
              <TextField key={n} name={n} type="number" step="any" inputMode="decimal" label={paramLabels[n]!} value={params[n] as string} error={paramErrors[n]} />
            ))}
          </div>
          <fieldset>
            <legend>{t("staff.params.verified")}</legend>
            <p className="hint">{t("staff.params.verifiedHelp")}</p>
            <TextField name="verifiedWeight" type="number" step="any" inputMode="decimal" label={paramLabels.verifiedWeight!} value={params.verifiedWeight as string} error={paramErrors.verifiedWeight} />
            <label className="choice">
              <input type="checkbox" name="verifiedOnly" defaultChecked={params.verifiedOnly === "on"} /> {paramLabels.verifiedOnly}
            </label>
          </fieldset>
          <fieldset>
            <legend>{t("staff.params.handling")}</legend>
            <TextField
              name="ratingInviteDays"
              type="number"
              step="1"
              inputMode="numeric"
              label={paramLabels.ratingInviteDays!}
              help={t("staff.params.ratingInviteDaysHelp")}
              value={params.ratingInviteDays as string}
              error={paramErrors.ratingInviteDays}
            />
            <div className={`field${paramErrors.assumeSatisfied ? " has-error" : ""}`}>
              <label className="choice">
                <input
                  type="checkbox"
                  id="assumeSatisfied"
                  name="assumeSatisfied"
                  defaultChecked={params.assumeSatisfied === "on"}
                  aria-invalid={paramErrors.assumeSatisfied ? true : undefined}
                  aria-describedby={paramErrors.assumeSatisfied ? "assumeSatisfied-help assumeSatisfied-error" : "assumeSatisfied-help"}
                />{" "}
                {paramLabels.assumeSatisfied}
              </label>
              <FieldMessages name="assumeSatisfied" help={t("staff.params.assumeSatisfiedHelp")} error={paramErrors.assumeSatisfied} />
            </div>
            <TextField
              name="assumeSatisfiedDays"
              type="number"
              step="1"
              inputMode="numeric"
              label={paramLabels.assumeSatisfiedDays!}
              value={params.assumeSatisfiedDays as string}
              error={paramErrors.assumeSatisfiedDays}
            />
            <TextField
              name="followUpDays"
              type="number"
              step="1"
              inputMode="numeric"
              label={paramLabels.followUpDays!}
              help={t("staff.params.followUpDaysHelp")}
              value={params.followUpDays as string}
              error={paramErrors.followUpDays}
            />
            <TextField
              name="rectificationDays"
              type="number"
              step="1"
              inputMode="numeric"
              label={paramLabels.rectificationDays!}
              help={t("staff.params.rectificationDaysHelp")}
              value={params.rectificationDays as string}
              error={paramErrors.rectificationDays}
            />
          </fieldset>
          <fieldset>
            <legend>{t("staff.params.report")}</legend>
            <TextField
              name="reportThreshold"
              type="number"
              step="any"
              inputMode="decimal"
              label={paramLabels.reportThreshold!}
              help={t("staff.params.reportThresholdHelp")}
              value={params.reportThreshold as string}
              error={paramErrors.reportThreshold}
            />
          </fieldset>
          <p className="hint">
            {t("staff.params.defaults", {
              points: Object.values(defaultParams.gradePoints).reverse().join(" / "),
              weight: defaultParams.surveyWeight,
              max: defaultParams.maxPoints,
              min: defaultParams.minSample,
            })}
          </p>
          <button type="submit" className="button">
            {t("staff.params.save")}
          </button>
        </Form>
      </section>

      <section className="panel" aria-labelledby="trail-title">
        <h2 id="trail-title">{t("staff.period.trail")}</h2>
        <ul>
          {loaderData.trail.map((e) => (
            <li key={e.id}>
              {e.at} · {t(`staff.audit.${e.action}`)}
              {e.note ? (
                <>
                  {" · "}
                  <UserText text={e.note} />
                </>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </article>
  );
}

/** Publishing the period's frozen results on the public pages, and withdrawing them (docs/decisions/0020). */
function PublicationPanel({
  status,
  publication,
  servedSnapshot,
  errors,
  values,
}: {
  status: string;
  publication: { snapshotId: number; publishedAt: string; withdrawnAt: string | null } | null;
  servedSnapshot: number | null;
  errors: Record<string, string>;
  values: Record<string, string | string[]> | null;
}) {
  const { t } = useT();
  const active = publication !== null && publication.withdrawnAt === null;
  const canPublish = status === "closed" && servedSnapshot !== null && !(active && publication.snapshotId === servedSnapshot);
  return (
    <section className="panel" aria-labelledby="publication-title" id="publication">
      <h2 id="publication-title">{t("staff.period.publication")}</h2>
      <p className="hint">{t("staff.period.publicationHelp")}</p>
      <p id="publication-state">
        {publication === null
          ? t("staff.period.notPublished")
          : t("staff.period.publishedState", { snapshot: publication.snapshotId, date: publication.publishedAt })}
        {publication?.withdrawnAt ? ` ${t("staff.period.withdrawnState", { date: publication.withdrawnAt })}` : ""}
      </p>
      {active && servedSnapshot !== null && servedSnapshot !== publication.snapshotId ? <p>{t("staff.period.newerSnapshot", { snapshot: servedSnapshot })}</p> : null}
      {status !== "closed" ? <p>{t("staff.period.publishOnlyClosed")}</p> : null}
      {canPublish ? (
        <Form method="post">
          <input type="hidden" name="intent" value="publish" />
          <input type="hidden" name="snapshot" value={servedSnapshot} />
          <button type="submit" className="button">
            {t("staff.period.publish", { snapshot: servedSnapshot })}
          </button>
        </Form>
      ) : null}
      {active ? (
        <>
          <p>
            <a href="/results">{t("staff.period.viewPublic")}</a>
          </p>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="withdraw" />
            <ErrorSummary items={Object.keys(errors).filter((n) => n !== "form").map((name) => ({ name, label: t("staff.period.withdrawReason") }))} />
            <TextAreaField name="withdrawReason" label={t("staff.period.withdrawReason")} value={values?.withdrawReason as string | undefined} error={errors.withdrawReason} rows={2} />
            <button type="submit" className="button">
              {t("staff.period.withdraw")}
            </button>
          </Form>
        </>
      ) : null}
    </section>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
