import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/staff-surveys";
import { ErrorSummary, SelectField, TextField } from "#app/components/form-fields";
import { StatusPage } from "#app/components/StatusPage";
import { pickText } from "#app/domain/localized";
import { useT } from "#app/i18n/context";
import { formatNumber } from "#app/i18n/format";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { readForm } from "#app/lib/http.server";
import { canManageSurveys, surveyResultUnits } from "#app/domain/permissions";
import { requireOffice, requireStaff } from "#app/lib/staff-session.server";
import { unitIndex } from "#app/models/unit.server";
import { listPeriods } from "#app/models/period.server";
import { createSurvey, importSurvey, listSurveys, SurveyAuthoringError } from "#app/services/survey-authoring.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}


// The evaluation office's surveys: list, create a new draft, import one from a JSON file.
export async function loader({ request, context }: Route.LoaderArgs) {
  const { actor } = await requireStaff(request);
  const lng = getLocale(context);
  // Unit staff and heads see the published surveys, to read their own units' results.
  const office = canManageSurveys(actor);
  if (!office && surveyResultUnits(actor, (await unitIndex()).descendantsOf)?.length === 0) throw data({ reason: "forbidden" }, { status: 403 });
  const [all, periods] = await Promise.all([listSurveys(), listPeriods()]);
  const surveys = office ? all : all.filter((s) => s.status !== "draft");
  return {
    office,
    title: getT(context)("surveys.list.title"),
    // Unit staff get what their list shows, not the region's counts or the office's drafts.
    surveys: surveys.map((s) => ({
      slug: s.slug,
      title: pickText(s.titles, lng, defaultLanguage),
      status: s.status,
      periodCode: s.periodCode,
      currentVersion: s.currentVersion,
      responses: office ? s.responses : null,
      draftPending: office && s.draftPending,
    })),
    periods: periods.filter((p) => p.status !== "closed").map((p) => ({ value: p.code, label: pickText(p.names, lng, defaultLanguage) || p.code })),
  };
}

export async function action({ request }: Route.ActionArgs) {
  const { user } = await requireOffice(request);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const values = { slug: String(form.get("slug") ?? "").trim(), period: String(form.get("period") ?? "") };
  if (intent === "import") {
    const file = form.get("file");
    const text = file && typeof file === "object" && "text" in file ? await (file as Blob).text() : "";
    if (!text.trim()) return data({ intent, errors: { file: "surveys.errors.noFile" }, values }, { status: 400 });
    const result = await importSurvey(text, String(form.get("importSlug") ?? ""), user.id);
    if (!result.ok) return data({ intent, errors: result.errors, values }, { status: 400 });
    return redirect(`/staff/surveys/${result.slug}?imported=1`, { status: 303 });
  }
  try {
    await createSurvey({ slug: values.slug, period: values.period, actorId: user.id });
  } catch (error) {
    if (error instanceof SurveyAuthoringError) return data({ intent: "create", errors: error.errors, values }, { status: 400 });
    throw error;
  }
  return redirect(`/staff/surveys/${values.slug}`, { status: 303 });
}

export default function Surveys({ loaderData, actionData }: Route.ComponentProps) {
  const { t, lng } = useT();
  return (
    <article className="staff">
      <h1 id="surveys-title">{t("surveys.list.title")}</h1>
      {/* On a phone the table scrolls in its own box (reachable by keyboard), not the whole page. */}
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="surveys-title">
        <table className="queue">
          <thead>
            <tr>
              <th scope="col">{t("surveys.list.survey")}</th>
              <th scope="col">{t("surveys.list.period")}</th>
              <th scope="col">{t("surveys.list.status")}</th>
              <th scope="col">{t("surveys.list.version")}</th>
              <th scope="col">{loaderData.office ? t("surveys.list.responses") : t("surveys.tabs.results")}</th>
            </tr>
          </thead>
          <tbody>
            {loaderData.surveys.map((s) => (
              <tr key={s.slug}>
                <td>
                  {loaderData.office ? (
                    <Link to={`/staff/surveys/${s.slug}`} dir="auto">
                      {s.title || s.slug}
                    </Link>
                  ) : (
                    <span dir="auto">{s.title || s.slug}</span>
                  )}
                  <br />
                  <code>{s.slug}</code>
                  {s.draftPending ? <span className="badge"> {t("surveys.list.draftPending")}</span> : null}
                </td>
                <td>{s.periodCode}</td>
                <td>{t(`surveys.status.${s.status}`)}</td>
                <td>{s.currentVersion > 0 ? formatNumber(s.currentVersion, lng) : "—"}</td>
                <td>
                  <Link to={`/staff/surveys/${s.slug}/results`}>{s.responses !== null ? formatNumber(s.responses, lng) : t("surveys.tabs.results")}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {loaderData.office ? <Authoring loaderData={loaderData} actionData={actionData} /> : null}
    </article>
  );
}

function Authoring({ loaderData, actionData }: Pick<Route.ComponentProps, "loaderData" | "actionData">) {
  const { t } = useT();
  const errorsFor = (intent: string) => (actionData?.intent === intent ? actionData.errors : {}) as Record<string, string>;
  const createErrors = errorsFor("create");
  const importErrors = errorsFor("import");
  const importMessages = Object.entries(importErrors);
  return (
    <>
      <section className="panel" aria-labelledby="create-title">
        <h2 id="create-title">{t("surveys.list.create")}</h2>
        <p className="hint">{t("surveys.list.createHelp")}</p>
        <Form method="post" className="form-grid">
          <input type="hidden" name="intent" value="create" />
          <ErrorSummary items={Object.keys(createErrors).map((name) => ({ name, label: t(`surveys.fields.${name === "slug" ? "slug" : "period"}`) }))} />
          <TextField name="slug" label={t("surveys.fields.slug")} help={t("surveys.fields.slugHelp")} error={createErrors.slug} value={actionData?.intent === "create" ? actionData.values.slug : ""} dir="ltr" />
          <SelectField name="period" label={t("surveys.fields.period")} error={createErrors.period} options={loaderData.periods} value={actionData?.values.period} />
          <button type="submit" className="button primary">
            {t("surveys.list.createButton")}
          </button>
        </Form>
      </section>

      <section className="panel" aria-labelledby="import-title">
        <h2 id="import-title">{t("surveys.import.title")}</h2>
        <p className="hint">{t("surveys.import.help")}</p>
        {importMessages.length > 0 ? (
          <div className="error-summary" role="alert" tabIndex={-1}>
            <p>{t("surveys.import.failed")}</p>
            <ul>
              {importMessages.slice(0, 20).map(([field, message]) => (
                <li key={field}>
                  <code dir="ltr">{field}</code>: {t(message)}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <Form method="post" encType="multipart/form-data" className="form-grid">
          <input type="hidden" name="intent" value="import" />
          <div className="field">
            <label htmlFor="file" className="q-label">
              {t("surveys.import.file")}
            </label>
            <input id="file" name="file" type="file" accept="application/json,.json" />
          </div>
          <TextField name="importSlug" label={t("surveys.import.slug")} help={t("surveys.import.slugHelp")} dir="ltr" />
          <button type="submit" className="button">
            {t("surveys.import.button")}
          </button>
        </Form>
      </section>
    </>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
