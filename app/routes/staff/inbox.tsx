// A staff account's own notifications (issue 13): every notice written for it, newest first, the
// unread ones marked; opening a case marks its notices read, and so do the buttons here. The
// sentence is the one its e-mail carried, in the language of this page.
import { data, Form, Link } from "react-router";
import type { Route } from "./+types/inbox";
import { Pager } from "#app/components/Pager";
import { StatusPage } from "#app/components/StatusPage";
import { parseId } from "#app/domain/ids";
import { useT } from "#app/i18n/context";
import { formatDateTime } from "#app/i18n/format";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { readForm } from "#app/lib/http.server";
import { requireStaff } from "#app/lib/staff-session.server";
import { listNotices, markRead } from "#app/models/staff-notice.server";
import { unitIndex } from "#app/models/unit.server";
import { type NoticeParams, noticeHref, noticeVars } from "#app/services/notify/staff-notices.server";

export function meta({ data }: Route.MetaArgs) {
  return data && "title" in data ? [{ title: data.title }] : [];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const { user } = await requireStaff(request);
  const lng = getLocale(context);
  const page = Math.min(Math.max(Number.parseInt(new URL(request.url).searchParams.get("page") ?? "1", 10) || 1, 1), 10_000);
  const [list, index] = await Promise.all([listNotices(user.id, page), unitIndex()]);
  return {
    title: getT(context)("staffNotices.inbox.title"),
    page,
    more: list.more,
    rows: list.rows.map((n) => {
      const params = (n.params ?? {}) as NoticeParams;
      return { id: n.id, kind: n.kind, vars: noticeVars(n.kind, params, lng, index.byId), href: noticeHref(n.kind, params), at: formatDateTime(n.createdAt, lng), unread: n.readAt === null };
    }),
  };
}

export async function action({ request }: Route.ActionArgs) {
  const { user } = await requireStaff(request);
  const form = await readForm(request);
  const intent = form.get("intent");
  const id = parseId(form.get("id"));
  if (intent === "readAll") await markRead(user.id, { all: true }, new Date());
  else if (intent === "read" && id !== null) await markRead(user.id, { id }, new Date());
  else return data({ error: "errors.invalidChoice" }, { status: 400 });
  return { error: null };
}

export default function Inbox({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const { page, rows } = loaderData;
  const link = (p: number) => `/staff/inbox${p > 1 ? `?page=${p}` : ""}`;
  return (
    <article className="staff">
      <h1>{t("staffNotices.inbox.title")}</h1>
      <p>
        <Link to="/staff/inbox/settings">{t("staffNotices.inbox.settings")}</Link>
      </p>
      {actionData?.error ? (
        <p className="error-summary" role="alert">
          {t(actionData.error)}
        </p>
      ) : null}
      {rows.length === 0 ? (
        <p>{t("staffNotices.inbox.empty")}</p>
      ) : (
        <>
          {rows.some((r) => r.unread) ? (
            <Form method="post">
              <input type="hidden" name="intent" value="readAll" />
              <button type="submit" className="button">
                {t("staffNotices.inbox.markAllRead")}
              </button>
            </Form>
          ) : null}
          <ul className="notice-list">
            {rows.map((r) => (
              <li key={r.id} data-notice={r.id} className={r.unread ? "unread" : undefined}>
                {r.unread ? <strong className="badge">{t("staffNotices.inbox.unread")}</strong> : null} <span className="hint">{r.at}</span>{" "}
                {/* Unit names and references come from the data; the sentence from the page's language. */}
                <Link to={r.href}>{t(`staffNotices.kind.${r.kind}`, r.vars)}</Link>
                {r.unread ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="read" />
                    <input type="hidden" name="id" value={r.id} />
                    <button type="submit" className="button small">
                      {t("staffNotices.inbox.markRead")}
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
      {page > 1 || loaderData.more ? (
        <Pager
          label={t("admin.notifications.pages")}
          prev={page > 1 ? link(page - 1) : null}
          next={loaderData.more ? link(page + 1) : null}
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
