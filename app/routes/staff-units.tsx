import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/staff-units";
import { ErrorSummary, NameFields, SelectField, TextField } from "#app/components/form-fields";
import { StatusPage } from "#app/components/StatusPage";
import { parseUnitCreate } from "#app/domain/admin-forms";
import { nameField } from "#app/domain/form-helpers";
import { pickText } from "#app/domain/localized";
import { canAdminUnits } from "#app/domain/permissions";
import { flattenTree, UNIT_CODE_MAX, UNIT_NAME_MAX, unitKinds } from "#app/domain/unit-tree";
import { useT } from "#app/i18n/context";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage, languages } from "#app/i18n/languages";
import { readForm } from "#app/lib/http.server";
import { requireAllowed } from "#app/lib/staff-session.server";
import { createUnit } from "#app/models/unit-admin.server";
import { listUnits } from "#app/models/unit.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

// The unit tree for administrators and the evaluation office: every unit (inactive ones too) with
// its names in each language, and the form to add one.
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireAllowed(request, canAdminUnits);
  const lng = getLocale(context);
  const tree = flattenTree(await listUnits());
  return {
    title: getT(context)("admin.units.title"),
    units: tree.map(({ unit: u, depth }) => ({ code: u.code, kind: u.kind, depth, active: u.active, names: u.names, parentCode: u.parentCode })),
    parents: tree
      .filter(({ unit: u }) => u.active)
      .map(({ unit: u, depth }) => ({ value: u.code, label: `${"– ".repeat(depth)}${u.code} · ${pickText(u.names, lng, defaultLanguage)}` })),
  };
}

export async function action({ request }: Route.ActionArgs) {
  const { user } = await requireAllowed(request, canAdminUnits);
  const parsed = parseUnitCreate(await readForm(request), languages.map((l) => l.code));
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const result = await createUnit(parsed.data, user.id);
  if (!result.ok) return data({ errors: { [result.field]: result.error }, values: parsed.values }, { status: 409 });
  return redirect(`/staff/units/${encodeURIComponent(result.code)}?done=created`, { status: 303 });
}

export default function Units({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const errors: Record<string, string> = actionData?.errors ?? {};
  const values: Record<string, string> = actionData?.values ?? {};
  const labels: Record<string, string> = {
    code: t("admin.units.code"),
    kind: t("admin.units.kind"),
    parent: t("admin.units.parent"),
    ...Object.fromEntries(languages.map((l) => [nameField(l.code), t("admin.units.nameIn", { language: l.name })])),
  };
  const order = ["code", "kind", "parent", ...languages.map((l) => nameField(l.code))];
  return (
    <article className="staff">
      <h1>{t("admin.units.title")}</h1>
      <p className="hint">{t("admin.units.help")}</p>
      <div className="table-scroll" tabIndex={0} role="region" aria-label={t("admin.units.title")}>
        <table className="queue unit-admin">
          <caption className="visually-hidden">{t("admin.units.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("admin.units.code")}</th>
              {languages.map((l) => (
                <th scope="col" key={l.code}>
                  {l.name}
                </th>
              ))}
              <th scope="col">{t("admin.units.kind")}</th>
              <th scope="col">{t("admin.units.state")}</th>
            </tr>
          </thead>
          <tbody>
            {loaderData.units.map((u) => (
              <tr key={u.code} className={u.active ? undefined : "inactive"}>
                <th scope="row" data-depth={Math.min(u.depth, 6)}>
                  <Link to={`/staff/units/${encodeURIComponent(u.code)}`} aria-label={t("admin.units.editNamed", { code: u.code })}>
                    <span dir="ltr">{u.code}</span>
                  </Link>
                  {/* The tree is shown by indentation; screen readers are told the parent. */}
                  {u.parentCode ? <span className="visually-hidden"> {t("admin.units.under", { code: u.parentCode })}</span> : null}
                </th>
                {languages.map((l) => (
                  <td key={l.code} lang={l.code} dir={l.dir}>
                    {u.names[l.code] || <span className="late">{t("admin.units.missingName")}</span>}
                  </td>
                ))}
                <td>{t(`admin.units.kinds.${u.kind}`)}</td>
                <td>{u.active ? t("admin.units.active") : t("admin.units.inactive")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="panel" aria-labelledby="unit-new">
        <h2 id="unit-new">{t("admin.units.create")}</h2>
        <Form method="post" noValidate>
          <ErrorSummary items={order.filter((n) => errors[n]).map((name) => ({ name, label: labels[name]! }))} />
          <TextField name="code" label={labels.code!} value={values.code} error={errors.code} help={t("admin.units.codeHelp")} maxLength={UNIT_CODE_MAX} dir="ltr" />
          <SelectField
            name="kind"
            label={labels.kind!}
            value={values.kind ?? "department"}
            error={errors.kind}
            options={unitKinds.map((k) => ({ value: k, label: t(`admin.units.kinds.${k}`) }))}
          />
          <SelectField
            name="parent"
            label={labels.parent!}
            value={values.parent}
            error={errors.parent}
            help={t("admin.units.parentHelp")}
            options={[{ value: "", label: t("admin.units.noParent") }, ...loaderData.parents]}
          />
          <NameFields label={(l) => labels[nameField(l.code)]!} values={values} errors={errors} maxLength={UNIT_NAME_MAX} />
          <button type="submit" className="button primary">
            {t("admin.units.createSubmit")}
          </button>
        </Form>
      </section>
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
