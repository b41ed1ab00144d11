import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/staff-periods";
import { ErrorSummary, NameFields, TextField } from "#app/components/form-fields";
import { nameField } from "#app/domain/form-helpers";
import { StatusPage } from "#app/components/StatusPage";
import { pickText } from "#app/domain/localized";
import { parsePeriodCreate } from "#app/domain/score-forms";
import { localDate } from "#app/domain/working-days";
import { useT } from "#app/i18n/context";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage, languages } from "#app/i18n/languages";
import { readForm } from "#app/lib/http.server";
import { requireOffice } from "#app/lib/staff-session.server";
import { createPeriod, listPeriods, PeriodChangeError } from "#app/models/period.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

// The evaluation office's periods: list and create (a new period starts as a draft).
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireOffice(request);
  const lng = getLocale(context);
  return {
    title: getT(context)("staff.periods.title"),
    periods: (await listPeriods()).map((p) => ({
      code: p.code,
      name: pickText(p.names, lng, defaultLanguage),
      startsOn: localDate(p.startsOn),
      endsOn: localDate(p.endsOn),
      status: p.status,
    })),
  };
}

export async function action({ request }: Route.ActionArgs) {
  const { user } = await requireOffice(request);
  const form = await readForm(request);
  const parsed = parsePeriodCreate(form, languages.map((l) => l.code));
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  try {
    const period = await createPeriod(parsed.data, user.id);
    return redirect(`/staff/periods/${encodeURIComponent(period.code)}`);
  } catch (error) {
    if (error instanceof PeriodChangeError) {
      return data({ errors: { code: "errors.periodCodeTaken" }, values: Object.fromEntries([...form.entries()].filter((e): e is [string, string] => typeof e[1] === "string")) }, { status: 409 });
    }
    throw error;
  }
}

export default function Periods({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const errors: Record<string, string> = actionData?.errors ?? {};
  const values = (actionData?.values ?? {}) as Record<string, string>;
  const labels: Record<string, string> = {
    code: t("staff.periods.code"),
    startsOn: t("staff.periods.startsOn"),
    endsOn: t("staff.periods.endsOn"),
    ...Object.fromEntries(languages.map((l) => [nameField(l.code), t("staff.periods.nameIn", { language: l.name })])),
  };
  return (
    <article className="staff">
      <h1>{t("staff.periods.title")}</h1>
      <div className="table-scroll">
        <table className="queue">
          <caption className="visually-hidden">{t("staff.periods.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("staff.periods.code")}</th>
              <th scope="col">{t("staff.periods.name")}</th>
              <th scope="col">{t("staff.periods.dates")}</th>
              <th scope="col">{t("staff.periods.status")}</th>
            </tr>
          </thead>
          <tbody>
            {loaderData.periods.map((p) => (
              <tr key={p.code}>
                <td>
                  <Link to={`/staff/periods/${encodeURIComponent(p.code)}`}>{p.code}</Link>
                </td>
                <td>{p.name}</td>
                <td dir="ltr">
                  {p.startsOn} – {p.endsOn}
                </td>
                <td>{t(`staff.periods.statuses.${p.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="panel" aria-labelledby="new-period">
        <h2 id="new-period">{t("staff.periods.create")}</h2>
        <Form method="post" noValidate>
          <ErrorSummary items={Object.keys(errors).map((name) => ({ name, label: labels[name] ?? name }))} />
          <TextField name="code" label={labels.code!} value={values.code} error={errors.code} help={t("staff.periods.codeHelp")} dir="ltr" />
          <NameFields label={(l) => labels[nameField(l.code)]!} values={values} errors={errors} />
          <TextField name="startsOn" type="date" label={labels.startsOn!} value={values.startsOn} error={errors.startsOn} />
          <TextField name="endsOn" type="date" label={labels.endsOn!} value={values.endsOn} error={errors.endsOn} />
          <button type="submit" className="button">
            {t("staff.periods.createSubmit")}
          </button>
        </Form>
      </section>
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
