import { data, Form } from "react-router";
import type { Route } from "./+types/staff-reviewers";
import { StatusPage } from "#app/components/StatusPage";
import { UserText } from "#app/components/UserText";
import { pickText } from "#app/domain/localized";
import { parseId } from "#app/domain/ids";
import { useT } from "#app/i18n/context";
import { formatDateTime } from "#app/i18n/format";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { readForm } from "#app/lib/http.server";
import { requireOffice } from "#app/lib/staff-session.server";
import { listStaffAccounts, setIntegrityReviewer } from "#app/models/staff.server";
import { recentAudit } from "#app/models/audit.server";
import { unitIndex } from "#app/models/unit.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

// The evaluation office names who handles integrity complaints (廉政), besides itself. Role
// changes are audited; the full account administration is a later issue.
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireOffice(request);
  const lng = getLocale(context);
  const [accounts, index, trail] = await Promise.all([listStaffAccounts(), unitIndex(), recentAudit("staff_user", ["role.grant", "role.revoke"])]);
  const nameOf = new Map(accounts.map((a) => [a.id, a.displayName]));
  return {
    title: getT(context)("staff.reviewers.title"),
    accounts: accounts.map((a) => ({
      id: a.id,
      username: a.username,
      displayName: a.displayName,
      reviewer: a.grants.some((g) => g.role === "integrity_reviewer"),
      roles: a.grants
        .filter((g) => g.role !== "integrity_reviewer")
        .map((g) => ({ role: g.role, unit: g.unitId ? pickText(index.byId.get(g.unitId)?.names, lng, defaultLanguage) : null })),
    })),
    trail: trail.map((e) => ({ id: e.id, action: e.action, at: formatDateTime(e.at, lng), who: nameOf.get(Number(e.targetId)) ?? e.targetId })),
  };
}

export async function action({ request }: Route.ActionArgs) {
  const { user } = await requireOffice(request);
  const form = await readForm(request);
  const userId = parseId(form.get("userId"));
  const on = form.get("intent") === "grant";
  if (userId === null || !["grant", "revoke"].includes(String(form.get("intent")))) {
    return data({ error: "errors.invalidChoice" }, { status: 400 });
  }
  if (!(await setIntegrityReviewer(userId, on, user.id, null))) return data({ error: "errors.periodState" }, { status: 409 });
  return { error: null };
}

export default function Reviewers({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  return (
    <article className="staff">
      <h1>{t("staff.reviewers.title")}</h1>
      <p className="hint">{t("staff.reviewers.help")}</p>
      {actionData?.error ? (
        <p className="error-summary" role="alert">
          {t(actionData.error)}
        </p>
      ) : null}
      <div className="table-scroll">
        <table className="queue">
          <caption className="visually-hidden">{t("staff.reviewers.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("staff.reviewers.account")}</th>
              <th scope="col">{t("staff.reviewers.roles")}</th>
              <th scope="col">{t("staff.reviewers.reviewer")}</th>
            </tr>
          </thead>
          <tbody>
            {loaderData.accounts.map((a) => (
              <tr key={a.id}>
                <td>
                  <UserText text={a.displayName} /> <span dir="ltr">({a.username})</span>
                </td>
                <td>{a.roles.map((r) => (r.unit ? `${t(`staff.roles.${r.role}`)} · ${r.unit}` : t(`staff.roles.${r.role}`))).join("; ")}</td>
                <td>
                  <Form method="post">
                    <input type="hidden" name="userId" value={a.id} />
                    <input type="hidden" name="intent" value={a.reviewer ? "revoke" : "grant"} />
                    <span>{a.reviewer ? t("staff.reviewers.yes") : t("staff.reviewers.no")} </span>
                    {/* The accessible name starts with the visible text (WCAG 2.5.3), then says whom. */}
                    <button type="submit" className="button">
                      {a.reviewer ? t("staff.reviewers.revoke") : t("staff.reviewers.grant")}
                      <span className="visually-hidden">
                        {" ("}
                        <UserText text={a.displayName} />)
                      </span>
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t("staff.reviewers.trail")}</h2>
      <ul>
        {loaderData.trail.map((e) => (
          <li key={e.id}>
            {e.at} · {t(`staff.audit.${e.action}`)} · <UserText text={e.who} />
          </li>
        ))}
      </ul>
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
