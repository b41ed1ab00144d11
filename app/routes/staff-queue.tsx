import { Form, Link, redirect } from "react-router";
import type { Route } from "./+types/staff-queue";
import { Pager } from "#app/components/Pager";
import { StatusPage } from "#app/components/StatusPage";
import { complaintTypes } from "#app/domain/case-flow";
import { pickText } from "#app/domain/localized";
import { staffNav } from "#app/domain/permissions";
import { openFollowUp } from "#app/domain/rating-followup";
import { endOfLocalDay, isCalendarDate, isOverdue, workingDaysLeft } from "#app/domain/working-days";
import { useT } from "#app/i18n/context";
import { formatDateTime } from "#app/i18n/format";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { requireStaff } from "#app/lib/staff-session.server";
import { listQueue, type QueueStatusChoice, queueStatusChoices } from "#app/models/case-queue.server";
import { getCalendar } from "#app/models/complaint.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const { actor } = await requireStaff(request);
  // Accounts without a complaint queue (administrators) start on their own first page.
  const nav = staffNav(actor, () => null);
  if (nav.length > 0 && !nav.some((item) => item.key === "queue")) throw redirect(nav[0]!.to);
  const lng = getLocale(context);
  const url = new URL(request.url);
  // The queue opens on the cases that need action; answered and closed ones are one tab away.
  const statusParam = url.searchParams.get("status") ?? "";
  const status: QueueStatusChoice = (queueStatusChoices as readonly string[]).includes(statusParam) ? (statusParam as QueueStatusChoice) : "open";
  const type = url.searchParams.get("type") ?? "";
  const overdue = url.searchParams.get("overdue") === "1";
  const sortParam = url.searchParams.get("sort");
  const sort = sortParam === "newest" || sortParam === "oldest" ? sortParam : "due";
  const pageNo = Math.min(Math.max(Number(url.searchParams.get("page")) || 1, 1), 10_000);
  // Dates are the region's calendar days (UTC+8), inclusive.
  const day = (name: string) => {
    const v = url.searchParams.get(name) ?? "";
    return isCalendarDate(v) ? v : "";
  };
  const from = day("from");
  const to = day("to");
  const now = new Date();
  const [queue, calendar] = await Promise.all([
    listQueue(actor, {
      status,
      type: (complaintTypes as readonly string[]).includes(type) ? type : undefined,
      overdue,
      sort,
      page: pageNo,
      from: from ? new Date(`${from}T00:00:00+08:00`) : undefined,
      to: to ? endOfLocalDay(to) : undefined,
    }, now),
    getCalendar(),
  ]);
  const rows = queue.rows;
  const pageLink = (p: number) => {
    const q = new URLSearchParams(url.searchParams);
    q.set("page", String(p));
    return `/staff?${q}`;
  };
  // A tab keeps the other filters and starts again at the first page.
  const tabLink = (choice: QueueStatusChoice) => {
    const q = new URLSearchParams(url.searchParams);
    q.delete("page");
    q.delete("transferred");
    if (choice === "open") q.delete("status");
    else q.set("status", choice);
    return q.size ? `/staff?${q}` : "/staff";
  };
  return {
    title: getT(context)("staff.queue.title"),
    filters: { status, type, overdue, sort, from, to },
    prev: queue.page > 1 ? pageLink(queue.page - 1) : null,
    next: queue.hasNext ? pageLink(queue.page + 1) : null,
    page: queue.page,
    transferred: url.searchParams.get("transferred"),
    tabs: queueStatusChoices.map((choice) => ({ choice, count: queue.counts[choice], to: tabLink(choice) })),
    rows: rows.map((r) => {
      const due = r.nextDueAt;
      return {
        reference: r.reference,
        type: r.type,
        status: r.status,
        unitName: pickText(r.unit.names, lng, defaultLanguage),
        submittedAt: formatDateTime(r.submittedAt, lng),
        due: due ? formatDateTime(due, lng) : null,
        daysLeft: due ? workingDaysLeft(now, due, calendar) : null,
        overdue: due !== null && isOverdue(now, due, null),
        supervised: r.supervised,
        callBack: openFollowUp({ dueAt: r.followUpDueAt, doneAt: r.followUpDoneAt }, now),
      };
    }),
  };
}

export default function Queue({ loaderData }: Route.ComponentProps) {
  const { t } = useT();
  const { filters, rows } = loaderData;
  return (
    <article className="staff">
      <h1>{t("staff.queue.title")}</h1>
      {loaderData.transferred ? (
        <p className="notice" role="status">
          {t("staff.queue.transferred", { reference: loaderData.transferred })}
        </p>
      ) : null}
      <nav aria-label={t("staff.queue.tabs")}>
        <ul className="tabs">
          {loaderData.tabs.map((tab) => (
            <li key={tab.choice}>
              <Link to={tab.to} aria-current={tab.choice === filters.status ? "page" : undefined} data-status={tab.choice}>
                {t(`staff.queue.tab.${tab.choice}`)} <span className="badge">{tab.count}</span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Form method="get" className="filters question" aria-label={t("staff.queue.filters")}>
        {filters.status === "open" ? null : <input type="hidden" name="status" value={filters.status} />}
        <div className="field">
          <label htmlFor="f-type">{t("complaint.field.type")}</label>
          <select id="f-type" name="type" defaultValue={filters.type}>
            <option value="">{t("staff.queue.all")}</option>
            {complaintTypes.map((c) => (
              <option key={c} value={c}>
                {t(`complaint.type.${c}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-from">{t("staff.queue.from")}</label>
          <input id="f-from" name="from" type="date" defaultValue={filters.from} />
        </div>
        <div className="field">
          <label htmlFor="f-to">{t("staff.queue.to")}</label>
          <input id="f-to" name="to" type="date" defaultValue={filters.to} />
        </div>
        <div className="field">
          <label htmlFor="f-sort">{t("staff.queue.sort")}</label>
          <select id="f-sort" name="sort" defaultValue={filters.sort}>
            {(["due", "newest", "oldest"] as const).map((s) => (
              <option key={s} value={s}>
                {t(`staff.queue.sortBy.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <label className="choice">
          <input type="checkbox" name="overdue" value="1" defaultChecked={filters.overdue} />
          <span>{t("staff.queue.overdueOnly")}</span>
        </label>
        <button type="submit" className="button">
          {t("staff.queue.apply")}
        </button>
      </Form>
      {rows.length === 0 ? (
        <p role="status">{t("staff.queue.empty")}</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t("staff.queue.title")}>
          <table className="queue">
            <caption className="visually-hidden">{t("staff.queue.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("complaint.field.reference")}</th>
                <th scope="col">{t("complaint.field.unit")}</th>
                <th scope="col">{t("complaint.field.type")}</th>
                <th scope="col">{t("track.status")}</th>
                <th scope="col">{t("staff.queue.submitted")}</th>
                <th scope="col">{t("staff.queue.nextDue")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.reference} className={r.overdue ? "overdue" : undefined}>
                  <td dir="ltr">
                    <Link to={`/staff/cases/${r.reference}`}>{r.reference}</Link>
                  </td>
                  <td>{r.unitName}</td>
                  <td>{t(`complaint.type.${r.type}`)}</td>
                  <td>
                    {t(`complaint.status.${r.status}`)}
                    {r.supervised ? ` · ${t("staff.queue.supervised")}` : null}
                    {r.callBack ? (
                      <>
                        {" · "}
                        <span className={r.callBack === "overdue" ? "late" : undefined} data-testid="call-back">
                          {t(`staff.queue.callBack.${r.callBack}`)}
                        </span>
                      </>
                    ) : null}
                  </td>
                  <td>{r.submittedAt}</td>
                  <td>
                    {r.due ? (
                      <>
                        {r.due}
                        <br />
                        {r.overdue ? (
                          <strong className="late">{t("staff.queue.overdue", { days: -(r.daysLeft ?? 0) })}</strong>
                        ) : (
                          t("staff.queue.daysLeft", { days: r.daysLeft ?? 0 })
                        )}
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {loaderData.prev || loaderData.next ? (
        <Pager
          label={t("staff.queue.pages")}
          prev={loaderData.prev}
          next={loaderData.next}
          prevText={t("staff.queue.prev")}
          nextText={t("staff.queue.next")}
          pageText={t("staff.queue.page", { page: loaderData.page })}
        />
      ) : null}
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
