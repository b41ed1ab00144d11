import { data, Form, redirect } from "react-router";
import type { Route } from "./+types/staff-login";
import { ErrorSummary, TextField } from "#app/components/form-fields";
import { StatusPage } from "#app/components/StatusPage";
import { safeRedirectPath } from "#app/domain/safe-redirect";
import { parseLogin } from "#app/domain/staff-forms";
import { useT } from "#app/i18n/context";
import { getT } from "#app/i18n/i18next.server";
import { passRetryAfter, readForm } from "#app/lib/http.server";
import { verifyPassword } from "#app/lib/password.server";
import { clearLoginFailures, loginBlockedFor, networkKey, recordLoginFailure } from "#app/lib/rate-limit.server";
import { getStaffUser, sessionCookie } from "#app/lib/staff-session.server";
import { createSession, findLoginUser } from "#app/models/staff.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

export const headers = passRetryAfter;

export async function loader({ request, context }: Route.LoaderArgs) {
  if (await getStaffUser(request)) throw redirect("/staff");
  return { title: getT(context)("staff.login.title") };
}

export async function action({ request }: Route.ActionArgs) {
  const form = await readForm(request);
  const parsed = parseLogin(form);
  const addressKey = networkKey(request);
  const values = { username: String(form.get("username") ?? "").slice(0, 100) };
  if (!parsed.ok) {
    return data({ error: Object.values(parsed.errors)[0] ?? "errors.loginMissing", values, wait: 0 }, { status: 400 });
  }
  const { username, password } = parsed.data;
  const wait = await loginBlockedFor(addressKey, username);
  if (wait > 0) {
    return data({ error: null, values, wait: Math.ceil(wait / 60) }, { status: 429, headers: { "Retry-After": String(wait) } });
  }
  const user = await findLoginUser(username);
  const ok = await verifyPassword(user?.active ? user.passwordHash : null, password);
  if (!user || !ok) {
    await recordLoginFailure(addressKey, username);
    // One message for an unknown name and a wrong password.
    return data({ error: "errors.loginFailed", values, wait: 0 }, { status: 401 });
  }
  await clearLoginFailures(addressKey, username);
  // Decided before the session is written: only a path of this site, else the default page.
  const next = user.mustChangePassword ? "/staff/password" : safeRedirectPath(new URL(request.url).searchParams.get("next"), "/staff");
  const id = await createSession(user.id);
  return redirect(next, { status: 303, headers: { "Set-Cookie": await sessionCookie.serialize(id) } });
}

export default function Login({ actionData }: Route.ComponentProps) {
  const { t } = useT();
  const error = actionData?.error ?? undefined;
  return (
    <article className="survey">
      <h1>{t("staff.login.title")}</h1>
      {actionData?.wait ? (
        <p className="error-summary" role="alert">
          {t("staff.login.slowDown", { minutes: actionData.wait })}
        </p>
      ) : (
        <ErrorSummary items={error ? [{ name: "username", label: t(error) }] : []} />
      )}
      <Form method="post" className="question">
        <TextField name="username" label={t("staff.login.username")} value={actionData?.values.username} autoComplete="username" maxLength={100} autoFocus />
        <div className="field">
          <label htmlFor="password" className="q-label">
            {t("staff.login.password")}
          </label>
          <input id="password" name="password" type="password" autoComplete="current-password" maxLength={200} />
        </div>
        <button type="submit" className="button primary submit">
          {t("staff.login.submit")}
        </button>
      </Form>
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
