import { data, Form, Link } from "react-router";
import type { Route } from "./+types/codes";
import { ErrorSummary, SelectField, TextField } from "#app/components/form-fields";
import { PrintButton, QrImage } from "#app/components/print-parts";
import { StatusPage } from "#app/components/StatusPage";
import { UserText } from "#app/components/UserText";
import { pickText } from "#app/domain/localized";
import { batchExpiry, type BatchKind, parseCounterForm, parseSheetForm, ratingCodeLimits } from "#app/domain/rating-codes";
import { useT } from "#app/i18n/context";
import { formatDateTime } from "#app/i18n/format";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { readForm } from "#app/lib/http.server";
import { requireStaff } from "#app/lib/staff-session.server";
import { issueRatingCodes, latestBatchIdBy, listRatingCodeBatches } from "#app/models/rating-code.server";
import { originOf } from "#app/services/distribution.server";
import { batchCounts, codeSurveysFor, issuableUnits, issueTarget, requireCodeUnits, requireUnitAllowed, type Slip, slipsFor } from "#app/services/rating-codes.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

/** Slips per printed A4 page (3 × 4, cut along the dashed lines). */
const SLIPS_PER_PAGE = 12;

// Single-use rating codes (一次一评): choose a unit and survey, show a code for the next citizen at
// the counter, or issue a printed sheet of codes; the batches issued so far.
export async function loader({ request, context }: Route.LoaderArgs) {
  const { user, actor } = await requireStaff(request);
  const unitIds = await requireCodeUnits(actor);
  const lng = getLocale(context);
  const url = new URL(request.url);
  const units = await issuableUnits(unitIds);
  const unitParam = url.searchParams.get("unit");
  const unit = units.find((u) => u.code === unitParam) ?? (units.length === 1 ? units[0]! : null);
  const surveys = unit ? await codeSurveysFor(unit, lng) : [];
  const surveyParam = url.searchParams.get("survey");
  const survey = surveys.find((s) => s.slug === surveyParam) ?? (surveys.length === 1 ? surveys[0]! : null);
  const [batches, after] = await Promise.all([
    listRatingCodeBatches({ unitIds: unit ? [unit.id] : unitIds }),
    latestBatchIdBy(user.id),
  ]);
  const now = new Date();
  return {
    title: getT(context)("codes.title"),
    units: units.map((u) => ({ code: u.code, name: pickText(u.names, lng, defaultLanguage) })),
    unit: unit ? { code: unit.code, name: pickText(unit.names, lng, defaultLanguage) } : null,
    unknownUnit: Boolean(unitParam && !unit),
    surveys,
    survey,
    after,
    batches: batches.map((b) => ({
      id: b.id,
      kind: b.kind as BatchKind,
      label: b.label,
      createdAt: formatDateTime(b.createdAt, lng),
      expiresAt: formatDateTime(b.expiresAt, lng),
      unit: pickText(b.unit.names, lng, defaultLanguage),
      survey: pickText(b.survey.titles, lng, defaultLanguage),
      ...batchCounts(b, now),
    })),
  };
}

interface Issued {
  kind: BatchKind;
  batchId: number;
  unitName: string;
  unitCode: string;
  slug: string;
  surveyTitle: string;
  expiresAt: string;
  hours: number | null;
  slips: Slip[];
}

interface ActionResult {
  intent: BatchKind;
  errors: Record<string, string>;
  values: Record<string, string>;
  issued: Issued | null;
}

const answer = (r: ActionResult, status = 200) =>
  // The codes exist only in this answer: never kept in a cache (Back after sign-out, a shared PC).
  data<ActionResult>(r, { status, headers: { "Cache-Control": "no-store" } });

// The answer that shows codes keeps the action's no-store.
export function headers({ actionHeaders, loaderHeaders }: Route.HeadersArgs) {
  return actionHeaders.has("Cache-Control") ? actionHeaders : loaderHeaders;
}

export async function action({ request, context }: Route.ActionArgs) {
  const { user, actor } = await requireStaff(request);
  await requireCodeUnits(actor);
  const lng = getLocale(context);
  const form = await readForm(request);
  await requireUnitAllowed(actor, String(form.get("unit") ?? ""));
  const intent: BatchKind = form.get("intent") === "counter" ? "counter" : "sheet";
  if (form.get("intent") !== intent) return answer({ intent, errors: { form: "codes.errors.state" }, values: {}, issued: null }, 400);
  const parsed = intent === "counter" ? parseCounterForm(form) : parseSheetForm(form);
  if (!parsed.ok) return answer({ intent, errors: parsed.errors, values: parsed.values, issued: null }, 400);
  const input = parsed.data;
  const target = await issueTarget(actor, input.unit, input.survey);
  if (!target.ok) return answer({ intent, errors: { form: target.error }, values: {}, issued: null }, 400);
  const now = new Date();
  const sheet = "size" in input ? input : null;
  const hours = "hours" in input ? input.hours : null;
  const expiresAt = batchExpiry(intent, sheet ? sheet.days : hours!, now);
  const result = await issueRatingCodes(
    {
      surveyId: target.survey.id,
      surveySlug: target.survey.slug,
      unitId: target.unit.id,
      unitCode: target.unit.code,
      kind: intent,
      size: sheet ? sheet.size : 1,
      label: sheet?.label || null,
      expiresAt,
      actorId: user.id,
      after: input.after,
    },
    now,
  );
  if (!result.ok) return answer({ intent, errors: { form: result.error }, values: {}, issued: null }, 409);
  return answer({
    intent,
    errors: {},
    values: {},
    issued: {
      kind: intent,
      batchId: result.batchId,
      unitName: pickText(target.unit.names, lng, defaultLanguage),
      unitCode: target.unit.code,
      slug: target.survey.slug,
      surveyTitle: pickText(target.survey.titles, lng, defaultLanguage),
      expiresAt: formatDateTime(expiresAt, lng),
      hours,
      slips: slipsFor(originOf(request), target.survey.slug, target.unit.code, result.codes),
    },
  });
}

export default function RatingCodes({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const issued = actionData?.issued ?? null;
  if (issued?.kind === "sheet") return <CodeSheet issued={issued} />;
  const { unit, survey } = loaderData;
  const errors = actionData?.errors ?? {};
  return (
    <article className="staff codes">
      <h1>{t("codes.title")}</h1>
      <p className="hint">{t("codes.intro")}</p>
      {errors.form ? (
        <p className="error-summary" role="alert">
          {t(errors.form)}
        </p>
      ) : null}
      {issued ? <CounterCode issued={issued} after={loaderData.after} /> : null}

      <Form method="get" className="filters question" aria-label={t("codes.choose.title")}>
        <SelectField
          name="unit"
          label={t("codes.choose.unit")}
          value={unit?.code ?? ""}
          error={loaderData.unknownUnit ? "codes.errors.unit" : undefined}
          options={[{ value: "", label: t("codes.choose.pick") }, ...loaderData.units.map((u) => ({ value: u.code, label: `${u.name} (${u.code})` }))]}
        />
        {unit && loaderData.surveys.length > 0 ? (
          <SelectField
            name="survey"
            label={t("codes.choose.survey")}
            value={survey?.slug ?? ""}
            options={[{ value: "", label: t("codes.choose.pick") }, ...loaderData.surveys.map((s) => ({ value: s.slug, label: s.title }))]}
          />
        ) : null}
        <button type="submit" className="button">
          {t("codes.choose.submit")}
        </button>
      </Form>
      {loaderData.units.length === 0 ? <p className="notice">{t("codes.noUnits")}</p> : null}
      {unit && loaderData.surveys.length === 0 ? <p className="notice">{t("codes.noSurveys", { unit: unit.name })}</p> : null}

      {unit && survey ? (
        <>
          {issued ? null : (
            <section className="panel" aria-labelledby="counter-title">
              <h2 id="counter-title">{t("codes.counter.title")}</h2>
              <p className="hint">{t("codes.counter.help", { unit: unit.name, survey: survey.title })}</p>
              <CounterForm unitCode={unit.code} slug={survey.slug} after={loaderData.after} hours={actionData?.intent === "counter" ? actionData.values.hours : undefined} error={actionData?.intent === "counter" ? errors.hours : undefined} />
            </section>
          )}
          <SheetForm unitCode={unit.code} unitName={unit.name} slug={survey.slug} surveyTitle={survey.title} after={loaderData.after} actionData={actionData?.intent === "sheet" ? actionData : undefined} />
        </>
      ) : null}

      <BatchTable batches={loaderData.batches} />
    </article>
  );
}

function CounterForm({ unitCode, slug, after, hours, error, next }: { unitCode: string; slug: string; after: number; hours?: string; error?: string; next?: boolean }) {
  const { t } = useT();
  const { minHours, maxHours, defaultHours } = ratingCodeLimits.counter;
  return (
    <Form method="post" noValidate>
      <input type="hidden" name="intent" value="counter" />
      <input type="hidden" name="unit" value={unitCode} />
      <input type="hidden" name="survey" value={slug} />
      <input type="hidden" name="after" value={after} />
      <TextField
        name="hours"
        type="number"
        inputMode="numeric"
        label={t("codes.counter.hours")}
        help={t("codes.counter.hoursHelp", { min: minHours, max: maxHours })}
        value={hours ?? String(defaultHours)}
        error={error}
        errorVars={{ min: minHours, max: maxHours }}
      />
      <button type="submit" className="button primary">
        {next ? t("codes.counter.next") : t("codes.counter.submit")}
      </button>
    </Form>
  );
}

/** The code for the citizen at the counter: a big QR code and the code to type, shown once. */
function CounterCode({ issued, after }: { issued: Issued; after: number }) {
  const { t } = useT();
  const slip = issued.slips[0]!;
  return (
    <section className="panel counter-code" aria-labelledby="counter-code-title">
      <h2 id="counter-code-title">{t("codes.counter.shownTitle", { unit: issued.unitName })}</h2>
      <p className="counter-call">{t("codes.counter.call")}</p>
      <QrImage drawing={slip.qr} className="counter-qr" label={t("codes.qrLabel", { code: slip.code })} />
      <p className="counter-text" dir="ltr" translate="no" data-testid="rating-code">
        {slip.code}
      </p>
      <p className="code-link" dir="ltr" translate="no">
        {slip.display}
      </p>
      <p className="notice" role="status">
        {t("codes.counter.once", { at: issued.expiresAt })}
      </p>
      <CounterForm unitCode={issued.unitCode} slug={issued.slug} after={after} hours={String(issued.hours ?? "")} next />
    </section>
  );
}

function SheetForm({ unitCode, unitName, slug, surveyTitle, after, actionData }: { unitCode: string; unitName: string; slug: string; surveyTitle: string; after: number; actionData?: ActionResult }) {
  const { t } = useT();
  const { minSize, maxSize, defaultSize, minDays, maxDays, defaultDays } = ratingCodeLimits.sheet;
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? {};
  const labels: Record<string, string> = { size: t("codes.sheet.size"), days: t("codes.sheet.days"), label: t("codes.sheet.label") };
  return (
    <section className="panel" aria-labelledby="sheet-title">
      <h2 id="sheet-title">{t("codes.sheet.title")}</h2>
      <p className="hint">{t("codes.sheet.help", { unit: unitName, survey: surveyTitle })}</p>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="sheet" />
        <input type="hidden" name="unit" value={unitCode} />
        <input type="hidden" name="survey" value={slug} />
        <input type="hidden" name="after" value={after} />
        <ErrorSummary items={["size", "days", "label"].filter((n) => errors[n]).map((name) => ({ name, label: labels[name]! }))} />
        <TextField name="size" type="number" inputMode="numeric" label={labels.size!} help={t("codes.sheet.sizeHelp", { min: minSize, max: maxSize })} value={values.size ?? String(defaultSize)} error={errors.size} errorVars={{ min: minSize, max: maxSize }} />
        <TextField name="days" type="number" inputMode="numeric" label={labels.days!} help={t("codes.sheet.daysHelp", { min: minDays, max: maxDays })} value={values.days ?? String(defaultDays)} error={errors.days} errorVars={{ min: minDays, max: maxDays }} />
        <TextField name="label" label={labels.label!} help={t("codes.sheet.labelHelp")} value={values.label} error={errors.label} maxLength={60} errorVars={{ max: 60 }} dir="auto" />
        <p className="hint">{t("codes.sheet.onceHint")}</p>
        <button type="submit" className="button primary">
          {t("codes.sheet.submit")}
        </button>
      </Form>
    </section>
  );
}

/** The printable sheet: shown once, as the answer of the post that issued the codes. */
function CodeSheet({ issued }: { issued: Issued }) {
  const { t } = useT();
  const pages: Slip[][] = [];
  for (let i = 0; i < issued.slips.length; i += SLIPS_PER_PAGE) pages.push(issued.slips.slice(i, i + SLIPS_PER_PAGE));
  const back = `/staff/codes?${new URLSearchParams({ unit: issued.unitCode, survey: issued.slug })}`;
  return (
    <article className="code-sheet-page">
      <div className="poster-toolbar">
        <p>
          <Link to={back}>{t("codes.print.back")}</Link>
        </p>
        <h1>{t("codes.print.title", { count: issued.slips.length, unit: issued.unitName })}</h1>
        <p className="notice" role="status">
          <strong>{t("codes.print.once")}</strong>
        </p>
        <p className="hint">
          {t("codes.print.details", { survey: issued.surveyTitle, at: issued.expiresAt })}{" "}
          <Link to={`/staff/codes/${issued.batchId}`}>{t("codes.print.batch", { id: issued.batchId })}</Link>
        </p>
        <p className="action-buttons">
          <PrintButton label={t("codes.print.print")} primary />
        </p>
      </div>
      <div className="code-sheet">
        {pages.map((page, i) => (
          <div className="code-sheet-grid" key={i}>
            {page.map((slip) => (
              <section className="code-slip" key={slip.code} aria-label={slip.code}>
                <p className="slip-unit">{issued.unitName}</p>
                <p className="slip-call">{t("codes.slip.call")}</p>
                <QrImage drawing={slip.qr} className="slip-qr" label={t("codes.qrLabel", { code: slip.code })} />
                <p className="slip-code" dir="ltr" translate="no">
                  {slip.code}
                </p>
                <p className="slip-link" dir="ltr" translate="no">
                  {slip.display}
                </p>
                <p className="slip-note">{t("codes.slip.note", { at: issued.expiresAt })}</p>
              </section>
            ))}
          </div>
        ))}
      </div>
    </article>
  );
}

type BatchRow = Route.ComponentProps["loaderData"]["batches"][number];

function BatchTable({ batches }: { batches: BatchRow[] }) {
  const { t } = useT();
  const kind = { sheet: t("codes.kinds.sheet"), counter: t("codes.kinds.counter") };
  const state = { active: t("codes.states.active"), expired: t("codes.states.expired"), revoked: t("codes.states.revoked") };
  return (
    <section aria-labelledby="batches-title">
      <h2 id="batches-title">{t("codes.batches.title")}</h2>
      {batches.length === 0 ? (
        <p className="muted">{t("codes.batches.none")}</p>
      ) : (
        <div className="table-scroll">
          <table className="queue">
            <caption className="visually-hidden">{t("codes.batches.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("codes.batches.batch")}</th>
                <th scope="col">{t("codes.batches.createdAt")}</th>
                <th scope="col">{t("codes.batches.unit")}</th>
                <th scope="col">{t("codes.batches.survey")}</th>
                <th scope="col">{t("codes.batches.kind")}</th>
                <th scope="col">{t("codes.batches.issued")}</th>
                <th scope="col">{t("codes.batches.used")}</th>
                <th scope="col">{t("codes.batches.unused")}</th>
                <th scope="col">{t("codes.batches.expired")}</th>
                <th scope="col">{t("codes.batches.state")}</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((b) => (
                <tr key={b.id} className={b.state === "active" ? undefined : "inactive"}>
                  <td>
                    <Link to={`/staff/codes/${b.id}`} aria-label={t("codes.batches.open", { id: b.id })}>
                      {b.id}
                    </Link>
                    {b.label ? (
                      <>
                        {" "}
                        <UserText text={b.label} />
                      </>
                    ) : null}
                  </td>
                  <td>{b.createdAt}</td>
                  <td>{b.unit}</td>
                  <td>{b.survey}</td>
                  <td>{kind[b.kind]}</td>
                  <td>{b.issued}</td>
                  <td>{b.used}</td>
                  <td>{b.unused}</td>
                  <td>{b.expired + b.revoked}</td>
                  <td>{state[b.state]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
