import { data, Form, Link } from "react-router";
import type { Route } from "./+types/staff-accounts";
import { ErrorSummary, TextField } from "#app/components/form-fields";
import { RoleFields } from "#app/components/RoleFields";
import { StatusPage } from "#app/components/StatusPage";
import { UserText } from "#app/components/UserText";
import { type AccountValues, grantField, parseAccountCreate } from "#app/domain/admin-forms";
import { pickText } from "#app/domain/localized";
import { canAdminAccounts } from "#app/domain/permissions";
import { useT } from "#app/i18n/context";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { readForm } from "#app/lib/http.server";
import { requireAllowed } from "#app/lib/staff-session.server";
import { createAccount, listAccounts } from "#app/models/staff-admin.server";
import { unitChoices } from "#app/models/unit-admin.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

// Staff accounts for administrators: every account with its roles, and the form to create one.
// A new account gets a temporary password, shown here once, that it must change at first sign-in.
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireAllowed(request, canAdminAccounts);
  const lng = getLocale(context);
  const [accounts, units] = await Promise.all([listAccounts(), unitChoices(lng)]);
  return {
    title: getT(context)("admin.accounts.title"),
    units,
    accounts: accounts.map((a) => ({
      id: a.id,
      username: a.username,
      displayName: a.displayName,
      active: a.active,
      mustChangePassword: a.mustChangePassword,
      grants: a.grants.map((g) => ({ role: g.role, unit: g.unit ? `${pickText(g.unit.names, lng, defaultLanguage)} (${g.unit.code})` : null, subunits: g.includeSubunits })),
    })),
  };
}

const emptyValues: AccountValues = { username: "", displayName: "", roles: [], rows: [] };

// The page that shows a temporary password keeps the action's no-store (a document post).
export function headers({ actionHeaders, loaderHeaders }: Route.HeadersArgs) {
  return actionHeaders.has("Cache-Control") ? actionHeaders : loaderHeaders;
}

export async function action({ request, context }: Route.ActionArgs) {
  const { user } = await requireAllowed(request, canAdminAccounts);
  const form = await readForm(request);
  const units = await unitChoices(getLocale(context));
  const parsed = parseAccountCreate(form, new Set(units.map((u) => u.code)));
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values, created: null }, { status: 400 });
  const result = await createAccount(parsed.data, user.id);
  if (!result.ok) return data({ errors: { [result.field]: result.error } as Record<string, string>, values: parsed.values, created: null }, { status: 409 });
  // Shown once, in this answer only: never in a URL, a cookie or the database.
  // A temporary password is shown once: never kept in the browser's cache (Back after sign-out).
  return data(
    { errors: {} as Record<string, string>, values: emptyValues, created: { id: result.id, username: parsed.data.username, password: result.password } },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export default function Accounts({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? emptyValues;
  const created = actionData?.created;
  const labels: Record<string, string> = {
    username: t("admin.accounts.username"),
    displayName: t("admin.accounts.displayName"),
    roles: t("admin.accounts.officeRoles"),
  };
  const label = (name: string) => {
    const row = /^grant_(\d+)_(role|unit)$/.exec(name);
    if (!row) return labels[name] ?? name;
    const n = Number(row[1]) + 1;
    return row[2] === "role" ? t("admin.accounts.rowRole", { n }) : t("admin.accounts.rowUnit", { n });
  };
  const order = ["username", "displayName", "roles", ...values.rows.flatMap((_, i) => [grantField(i, "role"), grantField(i, "unit")])];
  return (
    <article className="staff">
      <h1>{t("admin.accounts.title")}</h1>
      {created ? (
        <div className="notice" role="status">
          <p>{t("admin.accounts.created", { username: created.username })}</p>
          <p>
            {t("admin.accounts.temporaryPassword")}{" "}
            <code className="token" dir="ltr" data-testid="temporary-password">
              {created.password}
            </code>
          </p>
          <p>{t("admin.accounts.passwordOnce")}</p>
          <p>
            <Link to={`/staff/accounts/${created.id}`}>{t("admin.accounts.openNamed", { username: created.username })}</Link>
          </p>
        </div>
      ) : null}
      <div className="table-scroll" tabIndex={0} role="region" aria-label={t("admin.accounts.title")}>
        <table className="queue">
          <caption className="visually-hidden">{t("admin.accounts.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("admin.accounts.username")}</th>
              <th scope="col">{t("admin.accounts.displayName")}</th>
              <th scope="col">{t("admin.accounts.roles")}</th>
              <th scope="col">{t("admin.accounts.state")}</th>
            </tr>
          </thead>
          <tbody>
            {loaderData.accounts.map((a) => (
              <tr key={a.id} className={a.active ? undefined : "inactive"}>
                <th scope="row">
                  <Link to={`/staff/accounts/${a.id}`} dir="ltr">
                    {a.username}
                  </Link>
                </th>
                <UserText as="td" text={a.displayName} />
                <td>
                  {a.grants
                    .map((g) => [t(`staff.roles.${g.role}`), g.unit, g.subunits ? t("admin.accounts.withSubunits") : null].filter(Boolean).join(" · "))
                    .join("; ")}
                </td>
                <td>
                  {a.active ? t("admin.accounts.active") : t("admin.accounts.inactive")}
                  {a.active && a.mustChangePassword ? ` · ${t("admin.accounts.mustChange")}` : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="panel" aria-labelledby="account-new">
        <h2 id="account-new">{t("admin.accounts.create")}</h2>
        {/* A new key after each creation empties the form. */}
        <Form method="post" noValidate key={created?.id ?? "new"}>
          <ErrorSummary items={order.filter((n) => errors[n]).map((name) => ({ name, label: label(name) }))} />
          <TextField name="username" label={labels.username!} value={values.username} error={errors.username} help={t("admin.accounts.usernameHelp")} maxLength={40} dir="ltr" autoComplete="off" />
          <TextField name="displayName" label={labels.displayName!} value={values.displayName} error={errors.displayName} maxLength={100} errorVars={{ max: 100 }} />
          <RoleFields roles={values.roles} rows={values.rows} errors={errors} units={loaderData.units} />
          <button type="submit" className="button primary">
            {t("admin.accounts.createSubmit")}
          </button>
        </Form>
      </section>
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
