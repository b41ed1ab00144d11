import { data, Form } from "react-router";
import type { Route } from "./+types/staff-tokens";
import { ErrorSummary, TextField } from "#app/components/form-fields";
import { StatusPage } from "#app/components/StatusPage";
import { UserText } from "#app/components/UserText";
import { parseTokenName } from "#app/domain/score-forms";
import { parseId } from "#app/domain/ids";
import { useT } from "#app/i18n/context";
import { formatDateTime } from "#app/i18n/format";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { readForm } from "#app/lib/http.server";
import { requireOffice } from "#app/lib/staff-session.server";
import { createToken, listTokens, recentCalls, revokeToken } from "#app/models/api-token.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

// Bearer tokens for the performance-evaluation system: create (shown once), revoke, and the log
// of recent calls.
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireOffice(request);
  const lng = getLocale(context);
  const [tokens, calls] = await Promise.all([listTokens(), recentCalls(20)]);
  return {
    title: getT(context)("staff.tokens.title"),
    tokens: tokens.map((tk) => ({
      id: tk.id,
      name: tk.name,
      prefix: tk.prefix,
      createdAt: formatDateTime(tk.createdAt, lng),
      lastUsedAt: tk.lastUsedAt ? formatDateTime(tk.lastUsedAt, lng) : null,
      revokedAt: tk.revokedAt ? formatDateTime(tk.revokedAt, lng) : null,
      calls: tk._count.calls,
    })),
    calls: calls.map((c) => ({ id: c.id, at: formatDateTime(c.at, lng), token: c.token?.name ?? null, path: c.path, status: c.status })),
  };
}

export async function action({ request }: Route.ActionArgs) {
  const { user } = await requireOffice(request);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "create") {
    const parsed = parseTokenName(form);
    if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values, created: null }, { status: 400 });
    const created = await createToken(parsed.data.name, user.id);
    return { errors: {}, values: {}, created: { name: created.name, token: created.token } };
  }
  if (intent === "revoke") {
    const id = parseId(form.get("id"));
    if (id === null) return data({ errors: { form: "errors.invalidChoice" }, values: {}, created: null }, { status: 400 });
    if (!(await revokeToken(id, user.id))) {
      return data({ errors: { form: "errors.periodState" }, values: {}, created: null }, { status: 409 });
    }
    return { errors: {}, values: {}, created: null };
  }
  return data({ errors: { form: "errors.invalidChoice" }, values: {}, created: null }, { status: 400 });
}

export default function Tokens({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const errors: Record<string, string> = actionData?.errors ?? {};
  const values = (actionData?.values ?? {}) as Record<string, string>;
  return (
    <article className="staff">
      <h1>{t("staff.tokens.title")}</h1>
      <p className="hint">{t("staff.tokens.help")}</p>
      {errors.form ? (
        <p className="error-summary" role="alert">
          {t(errors.form)}
        </p>
      ) : null}
      {actionData?.created ? (
        <div className="notice" role="status">
          <p>{t("staff.tokens.created", { name: actionData.created.name })}</p>
          <p>
            <code className="token" dir="ltr">
              {actionData.created.token}
            </code>
          </p>
        </div>
      ) : null}
      <section className="panel" aria-labelledby="token-new">
        <h2 id="token-new">{t("staff.tokens.create")}</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="create" />
          <ErrorSummary items={errors.name ? [{ name: "name", label: t("staff.tokens.name") }] : []} />
          <TextField name="name" label={t("staff.tokens.name")} value={values.name} error={errors.name} />
          <button type="submit" className="button">
            {t("staff.tokens.createSubmit")}
          </button>
        </Form>
      </section>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="tokens-caption">
        <table className="queue">
          <caption id="tokens-caption">{t("staff.tokens.list")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("staff.tokens.name")}</th>
              <th scope="col">{t("staff.tokens.prefix")}</th>
              <th scope="col">{t("staff.tokens.createdAt")}</th>
              <th scope="col">{t("staff.tokens.lastUsed")}</th>
              <th scope="col">{t("staff.tokens.calls")}</th>
              <th scope="col">{t("staff.tokens.state")}</th>
            </tr>
          </thead>
          <tbody>
            {loaderData.tokens.map((tk) => (
              <tr key={tk.id}>
                <UserText as="td" text={tk.name} />
                <td dir="ltr">
                  <code>{tk.prefix}…</code>
                </td>
                <td>{tk.createdAt}</td>
                <td>{tk.lastUsedAt ?? "—"}</td>
                <td>{tk.calls}</td>
                <td>
                  {tk.revokedAt ? (
                    t("staff.tokens.revokedAt", { at: tk.revokedAt })
                  ) : (
                    <Form method="post">
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="id" value={tk.id} />
                      <button type="submit" className="button" aria-label={t("staff.tokens.revokeNamed", { name: tk.name })}>
                        {t("staff.tokens.revoke")}
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="calls-caption">
        <table className="queue">
          <caption id="calls-caption">{t("staff.tokens.recentCalls")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("staff.tokens.at")}</th>
              <th scope="col">{t("staff.tokens.name")}</th>
              <th scope="col">{t("staff.tokens.path")}</th>
              <th scope="col">{t("staff.tokens.status")}</th>
            </tr>
          </thead>
          <tbody>
            {loaderData.calls.map((c) => (
              <tr key={c.id}>
                <td>{c.at}</td>
                <td>{c.token ? <UserText text={c.token} /> : "—"}</td>
                <td dir="ltr">
                  <code>{c.path}</code>
                </td>
                <td>{c.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
