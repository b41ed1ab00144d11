// The notification outbox for administrators (issue 13): what is waiting, what was sent, what
// failed and why, and what was skipped because its channel is not configured. Contacts are shown
// masked. A failed or skipped message can be sent again (same message id; audited).
import { data, Form, Link } from "react-router";
import type { Route } from "./+types/notifications";
import { Pager } from "#app/components/Pager";
import { StatusPage } from "#app/components/StatusPage";
import { parseId } from "#app/domain/ids";
import { maskContact, NOTIFICATION_STATUSES, type NotificationStatus } from "#app/domain/notifications";
import { canSeeNotifications } from "#app/domain/permissions";
import { useT } from "#app/i18n/context";
import { formatDateTime } from "#app/i18n/format";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { readForm } from "#app/lib/http.server";
import { requireAllowed } from "#app/lib/staff-session.server";
import { listNotifications, retryNotification } from "#app/models/notification.server";

export function meta({ data }: Route.MetaArgs) {
  return data && "title" in data ? [{ title: data.title }] : [];
}

function readQuery(request: Request): { status: NotificationStatus; page: number } {
  const search = new URL(request.url).searchParams;
  const status = NOTIFICATION_STATUSES.find((s) => s === search.get("status")) ?? "failed";
  const page = Math.min(Math.max(Number.parseInt(search.get("page") ?? "1", 10) || 1, 1), 10_000);
  return { status, page };
}

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireAllowed(request, canSeeNotifications);
  const lng = getLocale(context);
  const { status, page } = readQuery(request);
  const list = await listNotifications(status, page);
  return {
    title: getT(context)("admin.notifications.title"),
    status,
    page,
    more: list.more,
    counts: list.counts,
    rows: list.rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      channel: r.channel,
      recipient: maskContact(r.recipient),
      lang: r.lang,
      reference: r.reference,
      attempts: r.attempts,
      lastError: r.lastError,
      createdAt: formatDateTime(new Date(r.createdAt), lng),
      dueAt: formatDateTime(new Date(r.dueAt), lng),
      sentAt: r.sentAt ? formatDateTime(new Date(r.sentAt), lng) : null,
      retryable: r.status === "failed" || r.status === "skipped",
    })),
  };
}

export async function action({ request }: Route.ActionArgs) {
  const { user } = await requireAllowed(request, canSeeNotifications);
  const form = await readForm(request);
  const id = parseId(form.get("id"));
  if (form.get("intent") !== "retry" || id === null) return data({ error: "errors.invalidChoice", retried: null }, { status: 400 });
  if (!(await retryNotification(id, user.id, new Date()))) {
    return data({ error: "admin.notifications.notRetryable", retried: null }, { status: 409 });
  }
  return { error: null, retried: id };
}

export default function Notifications({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const { status, page } = loaderData;
  const link = (s: NotificationStatus, p = 1) => `/staff/notifications?status=${s}${p > 1 ? `&page=${p}` : ""}`;
  return (
    <article className="staff">
      <h1>{t("admin.notifications.title")}</h1>
      <p className="hint">{t("admin.notifications.help")}</p>
      {actionData?.error ? (
        <p className="error-summary" role="alert">
          {t(actionData.error)}
        </p>
      ) : actionData?.retried ? (
        <p className="notice" role="status">
          {t("admin.notifications.retried", { id: actionData.retried })}
        </p>
      ) : null}
      <ul className="tabs">
        {NOTIFICATION_STATUSES.map((s) => (
          <li key={s}>
            <Link to={link(s)} aria-current={s === status ? "page" : undefined}>
              {t(`admin.notifications.status.${s}`)} ({loaderData.counts[s]})
            </Link>
          </li>
        ))}
      </ul>
      {loaderData.rows.length === 0 ? (
        <p>{t("admin.notifications.none")}</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t("admin.notifications.title")}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("admin.notifications.col.created")}</th>
                <th scope="col">{t("admin.notifications.col.kind")}</th>
                <th scope="col">{t("admin.notifications.col.to")}</th>
                <th scope="col">{t("admin.notifications.col.attempts")}</th>
                <th scope="col">{t(status === "sent" ? "admin.notifications.col.sent" : status === "pending" ? "admin.notifications.col.due" : "admin.notifications.col.error")}</th>
                {status === "failed" || status === "skipped" ? <th scope="col">{t("admin.notifications.col.action")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {loaderData.rows.map((r) => (
                <tr key={r.id} data-notification={r.id}>
                  <td>{r.createdAt}</td>
                  <td>
                    {t(`admin.notifications.kind.${r.kind}`)}
                    {r.reference ? (
                      <>
                        {" · "}
                        <Link to={`/staff/cases/${r.reference}`} dir="ltr">
                          {r.reference}
                        </Link>
                      </>
                    ) : null}
                  </td>
                  <td>
                    {t(`admin.notifications.channel.${r.channel}`)} <span dir="ltr">{r.recipient}</span> ({r.lang})
                  </td>
                  <td>{r.attempts}</td>
                  <td dir={status === "failed" || status === "skipped" ? "auto" : undefined}>
                    {status === "sent" ? r.sentAt : status === "pending" ? r.dueAt : (r.lastError ?? "")}
                  </td>
                  {r.retryable ? (
                    <td>
                      <Form method="post">
                        <input type="hidden" name="intent" value="retry" />
                        <input type="hidden" name="id" value={r.id} />
                        <button type="submit" className="button">
                          {t("admin.notifications.retry")}
                        </button>
                      </Form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page > 1 || loaderData.more ? (
        <Pager
          label={t("admin.notifications.pages")}
          prev={page > 1 ? link(status, page - 1) : null}
          next={loaderData.more ? link(status, page + 1) : null}
          prevText={t("admin.notifications.previous")}
          nextText={t("admin.notifications.next")}
          pageText={t("admin.notifications.page", { page })}
        />
      ) : null}
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
