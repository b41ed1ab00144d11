import { Link } from "react-router";
import type { Route } from "./+types/staff-overdue";
import { StatusPage } from "#app/components/StatusPage";
import { pickText } from "#app/domain/localized";
import { useT } from "#app/i18n/context";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { requireOffice } from "#app/lib/staff-session.server";
import { overdueByUnit } from "#app/models/case-queue.server";
import { overdueRectificationList } from "#app/services/rectification.server";
import { formatDate } from "#app/i18n/format";
import { unitIndex } from "#app/models/unit.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

// The evaluation office's overview of late complaints, unit by unit.
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireOffice(request);
  const lng = getLocale(context);
  const [rows, index, rectifications] = await Promise.all([overdueByUnit(), unitIndex(), overdueRectificationList()]);
  return {
    title: getT(context)("staff.overdue.title"),
    rows: rows.map((r) => {
      const unit = index.byId.get(r.unitId);
      return { ...r, code: unit?.code ?? "", name: unit ? pickText(unit.names, lng, defaultLanguage) : "" };
    }),
    // 差评整改 (issue 14): records a unit still owes past their due date.
    rectifications: rectifications.map((r) => ({
      id: r.id,
      unit: pickText(r.unitNames, lng, defaultLanguage),
      subject: r.itemTexts ? pickText(r.itemTexts, lng, defaultLanguage) || (r.itemKey ?? "") : null,
      source: r.source,
      complaintType: r.complaintType,
      status: r.status,
      dueAt: formatDate(r.dueAt, lng),
    })),
  };
}

export default function Overdue({ loaderData }: Route.ComponentProps) {
  const { t } = useT();
  return (
    <article className="staff">
      <h1>{t("staff.overdue.title")}</h1>
      <p>
        <Link to="/staff?overdue=1">{t("staff.overdue.list")}</Link>
      </p>
      {loaderData.rows.length === 0 ? (
        <p role="status">{t("staff.queue.empty")}</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="overdue-caption">
          <table className="queue">
            <caption id="overdue-caption" className="visually-hidden">{t("staff.overdue.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("complaint.field.unit")}</th>
                <th scope="col">{t("staff.overdue.open")}</th>
                <th scope="col">{t("staff.overdue.lateAccept")}</th>
                <th scope="col">{t("staff.overdue.lateReply")}</th>
              </tr>
            </thead>
            <tbody>
              {loaderData.rows.map((r) => (
                <tr key={r.unitId} className={r.lateReply + r.lateAccept > 0 ? "overdue" : undefined}>
                  <td>{r.name}</td>
                  <td>{r.open}</td>
                  <td>{r.lateAccept}</td>
                  <td>{r.lateReply}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section className="panel" aria-labelledby="overdue-rectifications">
        <h2 id="overdue-rectifications">{t("rectification.overdueTitle")}</h2>
        {loaderData.rectifications.length === 0 ? (
          <p role="status">{t("rectification.noneOverdue")}</p>
        ) : (
          <ul data-testid="overdue-rectifications">
            {loaderData.rectifications.map((r) => (
              <li key={r.id}>
                <Link to={`/staff/rectifications/${r.id}`}>
                  {r.unit} · {r.subject ?? t("rectification.complaintSubject", { type: t(`complaint.type.${r.complaintType ?? "other"}`) })}
                </Link>{" "}
                · {t(`rectification.status.${r.status}`)} · {t("rectification.dueOn", { date: r.dueAt })}
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
