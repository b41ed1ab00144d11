import { data, Form, redirect } from "react-router";
import type { Route } from "./+types/staff-password";
import { ErrorSummary, FieldMessages } from "#app/components/form-fields";
import { StatusPage } from "#app/components/StatusPage";
import { PASSWORD_MIN_LENGTH, passwordProblem } from "#app/domain/password-policy";
import { parsePasswordChange } from "#app/domain/staff-forms";
import { useT } from "#app/i18n/context";
import { getT } from "#app/i18n/i18next.server";
import { passRetryAfter, readForm } from "#app/lib/http.server";
import { verifyPassword } from "#app/lib/password.server";
import { clearPasswordChangeFailures, networkKey, passwordChangeBlockedFor, recordPasswordChangeFailure } from "#app/lib/rate-limit.server";
import { requireStaff, sessionId } from "#app/lib/staff-session.server";
import { changePassword, findLoginUser } from "#app/models/staff.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

// A slowed-down attempt keeps its Retry-After on the document response.
export const headers = passRetryAfter;

export async function loader({ request, context }: Route.LoaderArgs) {
  const { user } = await requireStaff(request, { allowPasswordChange: true });
  return { title: getT(context)("staff.password.title"), forced: user.mustChangePassword };
}

export async function action({ request }: Route.ActionArgs) {
  const { user } = await requireStaff(request, { allowPasswordChange: true });
  const parsed = parsePasswordChange(await readForm(request));
  if (!parsed.ok) return data({ errors: parsed.errors as Record<string, string>, wait: 0 }, { status: 400 });
  const { current, password: next, repeat } = parsed.data;
  // Wrong current passwords are limited like sign-in (whoever holds a session left open must not
  // be able to guess the password and take the account over).
  const network = networkKey(request);
  const wait = await passwordChangeBlockedFor(network, user.id);
  if (wait > 0) {
    return data({ errors: {} as Record<string, string>, wait: Math.ceil(wait / 60) }, { status: 429, headers: { "Retry-After": String(wait) } });
  }
  const errors: Record<string, string> = {};
  const account = await findLoginUser(user.username);
  if (!(await verifyPassword(account?.passwordHash ?? null, current))) {
    errors.current = "errors.passwordWrong";
    await recordPasswordChangeFailure(network, user.id);
  } else {
    await clearPasswordChangeFailures(user.id);
  }
  const problem = passwordProblem(next, user.username);
  if (problem) errors.password = problem;
  else if (next === current) errors.password = "errors.passwordUnchanged";
  if (!errors.password && next !== repeat) errors.repeat = "errors.passwordMismatch";
  if (Object.keys(errors).length) return data({ errors, wait: 0 }, { status: 400 });
  await changePassword(user.id, next, await sessionId(request));
  return redirect("/staff?changed=1", { status: 303 });
}

export default function PasswordPage({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const errors: Record<string, string> = actionData?.errors ?? {};
  const fields = [
    { name: "current", label: t("staff.password.current"), auto: "current-password" },
    { name: "password", label: t("staff.password.new"), auto: "new-password" },
    { name: "repeat", label: t("staff.password.repeat"), auto: "new-password" },
  ];
  const first = fields.find((f) => errors[f.name])?.name;
  return (
    <article className="survey">
      <h1>{t("staff.password.title")}</h1>
      {loaderData.forced ? <p className="notice">{t("staff.password.forced")}</p> : null}
      {actionData?.wait ? (
        <p className="error-summary" role="alert">
          {t("staff.password.slowDown", { minutes: actionData.wait })}
        </p>
      ) : (
        <ErrorSummary items={fields.filter((f) => errors[f.name]).map((f) => ({ name: f.name, label: f.label }))} />
      )}
      <Form method="post" className="question">
        {fields.map((f) => (
          <div key={f.name} className={`field${errors[f.name] ? " has-error" : ""}`}>
            <label htmlFor={f.name} className="q-label">
              {f.label}
            </label>
            <FieldMessages
              name={f.name}
              help={f.name === "password" ? t("staff.password.rule", { min: PASSWORD_MIN_LENGTH }) : undefined}
              error={errors[f.name]}
              errorVars={{ min: PASSWORD_MIN_LENGTH, max: 200 }}
            />
            <input
              id={f.name}
              name={f.name}
              type="password"
              autoComplete={f.auto}
              maxLength={200}
              aria-invalid={errors[f.name] ? true : undefined}
              aria-describedby={[f.name === "password" ? "password-help" : "", errors[f.name] ? `${f.name}-error` : ""].filter(Boolean).join(" ") || undefined}
              autoFocus={first === f.name}
            />
          </div>
        ))}
        <button type="submit" className="button primary submit">
          {t("staff.password.submit")}
        </button>
      </Form>
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
