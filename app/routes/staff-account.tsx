import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/staff-account";
import { AuditTrail } from "#app/components/AuditTrail";
import { ErrorSummary, TextField } from "#app/components/form-fields";
import { RoleFields } from "#app/components/RoleFields";
import { StatusPage } from "#app/components/StatusPage";
import { UserText } from "#app/components/UserText";
import { type AccountValues, grantField, parseAccountUpdate, unitRoles } from "#app/domain/admin-forms";
import { parseId } from "#app/domain/ids";
import { canAdminAccounts } from "#app/domain/permissions";
import { useT } from "#app/i18n/context";
import { formatDateTime } from "#app/i18n/format";
import { getLocale } from "#app/i18n/i18next.server";
import { readForm } from "#app/lib/http.server";
import { requireAllowed } from "#app/lib/staff-session.server";
import { auditTrail } from "#app/models/audit.server";
import { actorNames } from "#app/models/audit-log.server";
import { type AccountChange, accountRevision, getAccount, resetPassword, setAccountActive, updateAccount } from "#app/models/staff-admin.server";
import { unitChoices } from "#app/models/unit-admin.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

const doneKeys = ["updated", "deactivated", "reactivated"] as const;

function accountId(param: string | undefined): number {
  const id = parseId(param);
  if (id === null) throw data({ reason: "unknown_page" }, { status: 404 });
  return id;
}

// One staff account: display name and roles, a new temporary password, deactivate or reactivate,
// and its change history.
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { user } = await requireAllowed(request, canAdminAccounts);
  const id = accountId(params.id);
  const lng = getLocale(context);
  const account = await getAccount(id);
  if (!account) throw data({ reason: "unknown_page" }, { status: 404 });
  const [units, trail] = await Promise.all([unitChoices(lng), auditTrail("staff_user", id)]);
  const actors = await actorNames(trail.map((e) => e.actorId));
  const done = new URL(request.url).searchParams.get("done");
  return {
    title: `${account.displayName} (${account.username})`,
    drawnAt: account.updatedAt.getTime(),
    revision: accountRevision({ displayName: account.displayName, grants: account.grants.map((g) => ({ role: g.role, unitCode: g.unit?.code ?? null, includeSubunits: g.includeSubunits })) }),
    self: user.id === account.id,
    account: {
      id: account.id,
      username: account.username,
      displayName: account.displayName,
      active: account.active,
      mustChangePassword: account.mustChangePassword,
      createdAt: formatDateTime(account.createdAt, lng),
    },
    values: {
      username: account.username,
      displayName: account.displayName,
      roles: account.grants.filter((g) => !g.unit).map((g) => g.role),
      rows: account.grants
        .filter((g) => g.unit && (unitRoles as readonly string[]).includes(g.role))
        .map((g) => ({ role: g.role, unit: g.unit!.code, sub: g.includeSubunits })),
    } satisfies AccountValues,
    units,
    done: (doneKeys as readonly string[]).includes(done ?? "") ? done : null,
    trail: trail.map((e) => ({ id: e.id, action: e.action, at: formatDateTime(e.at, lng), actor: actors.get(e.actorId ?? 0) ?? null, note: e.note, data: e.data })),
  };
}

type Intent = "update" | "reset" | "deactivate" | "reactivate";

// The page that shows a temporary password keeps the action's no-store (a document post).
export function headers({ actionHeaders, loaderHeaders }: Route.HeadersArgs) {
  return actionHeaders.has("Cache-Control") ? actionHeaders : loaderHeaders;
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { user } = await requireAllowed(request, canAdminAccounts);
  const id = accountId(params.id);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "") as Intent;
  const answer = (result: Extract<AccountChange, { ok: false }>, values: AccountValues | null) =>
    data({ intent, errors: { [result.field]: result.error } as Record<string, string>, values, password: null }, { status: result.error === "errors.notFound" ? 404 : 409 });
  if (intent === "update") {
    const units = await unitChoices(getLocale(context));
    const parsed = parseAccountUpdate(form, new Set(units.map((u) => u.code)));
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values as AccountValues | null, password: null }, { status: 400 });
    const result = await updateAccount(id, { ...parsed.data, revision: String(form.get("revision") ?? "") }, user.id);
    if (!result.ok) return answer(result, parsed.values);
    return redirect(`/staff/accounts/${id}${result.changed ? "?done=updated" : ""}`, { status: 303 });
  }
  if (intent === "reset") {
    const drawnAt = Number(form.get("drawnAt"));
    const result = await resetPassword(id, user.id, Number.isFinite(drawnAt) && drawnAt > 0 ? drawnAt : undefined);
    if (!result.ok) return answer(result, null);
    // Shown once, in this answer only: never in a URL, a cookie or the database.
    // A temporary password is shown once: never kept in the browser's cache (Back after sign-out).
    return data({ intent, errors: {} as Record<string, string>, values: null, password: result.password }, { headers: { "Cache-Control": "no-store" } });
  }
  if (intent === "deactivate" || intent === "reactivate") {
    const result = await setAccountActive(id, intent === "reactivate", user.id);
    if (!result.ok) return answer(result, null);
    return redirect(`/staff/accounts/${id}${result.changed ? `?done=${intent}d` : ""}`, { status: 303 });
  }
  return data({ intent, errors: { form: "errors.invalidChoice" } as Record<string, string>, values: null, password: null }, { status: 400 });
}

export default function AccountAdmin({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const { account } = loaderData;
  const errorsFor = (...intents: Intent[]): Record<string, string> => (actionData && intents.includes(actionData.intent) ? actionData.errors : {});
  const updateErrors = errorsFor("update");
  const values = (actionData?.intent === "update" ? actionData.values : null) ?? loaderData.values;
  const resetError = errorsFor("reset").password;
  const activeError = errorsFor("deactivate", "reactivate").active;
  const label = (name: string) => {
    const row = /^grant_(\d+)_(role|unit)$/.exec(name);
    if (!row) return { displayName: t("admin.accounts.displayName"), roles: t("admin.accounts.officeRoles") }[name] ?? name;
    const n = Number(row[1]) + 1;
    return row[2] === "role" ? t("admin.accounts.rowRole", { n }) : t("admin.accounts.rowUnit", { n });
  };
  const order = ["displayName", "roles", ...values.rows.flatMap((_, i) => [grantField(i, "role"), grantField(i, "unit")])];
  return (
    <article className="staff">
      <p>
        <Link to="/staff/accounts">{t("admin.accounts.back")}</Link>
      </p>
      <h1>
        <UserText text={account.displayName} /> <span dir="ltr">({account.username})</span>
      </h1>
      {loaderData.done ? (
        <p className="notice" role="status">
          {t(`admin.accounts.done.${loaderData.done}`)}
        </p>
      ) : null}
      {actionData?.password ? (
        <div className="notice" role="status">
          <p>{t("admin.accounts.resetDone", { username: account.username })}</p>
          <p>
            {t("admin.accounts.temporaryPassword")}{" "}
            <code className="token" dir="ltr" data-testid="temporary-password">
              {actionData.password}
            </code>
          </p>
          <p>{t("admin.accounts.passwordOnce")}</p>
        </div>
      ) : null}
      {actionData?.errors.form ? (
        <p className="error-summary" role="alert">
          {t(actionData.errors.form)}
        </p>
      ) : null}
      <dl className="credentials">
        <dt>{t("admin.accounts.state")}</dt>
        <dd>
          {account.active ? t("admin.accounts.active") : t("admin.accounts.inactive")}
          {account.active && account.mustChangePassword ? ` · ${t("admin.accounts.mustChange")}` : ""}
        </dd>
        <dt>{t("admin.accounts.createdAt")}</dt>
        <dd>{account.createdAt}</dd>
      </dl>

      <section className="panel" aria-labelledby="account-edit">
        <h2 id="account-edit">{t("admin.accounts.edit")}</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="update" />
          <input type="hidden" name="revision" value={loaderData.revision} />
          <ErrorSummary items={order.filter((n) => updateErrors[n]).map((name) => ({ name, label: label(name) }))} />
          <TextField name="displayName" label={t("admin.accounts.displayName")} value={values.displayName} error={updateErrors.displayName} maxLength={100} errorVars={{ max: 100 }} />
          <RoleFields roles={values.roles} rows={values.rows} errors={updateErrors} units={loaderData.units} />
          <button type="submit" className="button primary">
            {t("admin.accounts.save")}
          </button>
        </Form>
      </section>

      <section className="panel" aria-labelledby="account-password">
        <h2 id="account-password">{t("admin.accounts.reset")}</h2>
        {loaderData.self ? (
          <p className="hint">
            {t("admin.errors.resetSelf")} <Link to="/staff/password">{t("staff.password.title")}</Link>
          </p>
        ) : (
          <>
            <p className="hint" id="reset-help">
              {t("admin.accounts.resetHelp")}
            </p>
            {resetError ? (
              <p className="error-summary" role="alert">
                {t(resetError)}
              </p>
            ) : null}
            <Form method="post">
              <input type="hidden" name="intent" value="reset" />
              <input type="hidden" name="drawnAt" value={loaderData.drawnAt} />
              <button type="submit" className="button" aria-describedby="reset-help">
                {t("admin.accounts.resetSubmit")}
              </button>
            </Form>
          </>
        )}
      </section>

      <section className="panel" aria-labelledby="account-state">
        <h2 id="account-state">{account.active ? t("admin.accounts.deactivate") : t("admin.accounts.reactivate")}</h2>
        {loaderData.self && account.active ? (
          <p className="hint">{t("admin.errors.deactivateSelf")}</p>
        ) : (
          <>
            <p className="hint" id="account-state-help">
              {account.active ? t("admin.accounts.deactivateHelp") : t("admin.accounts.reactivateHelp")}
            </p>
            {activeError ? (
              <p className="error-summary" role="alert" id="account-state-error">
                {t(activeError)}
              </p>
            ) : null}
            <Form method="post">
              <input type="hidden" name="intent" value={account.active ? "deactivate" : "reactivate"} />
              <button type="submit" className="button" aria-describedby={activeError ? "account-state-help account-state-error" : "account-state-help"}>
                {account.active ? t("admin.accounts.deactivateSubmit") : t("admin.accounts.reactivateSubmit")}
              </button>
            </Form>
          </>
        )}
      </section>

      <AuditTrail title={t("admin.accounts.history")} events={loaderData.trail} />
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
