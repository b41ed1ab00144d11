import { Link } from "react-router";
import type { Route } from "./+types/staff-overdue";
import { StatusPage } from "#app/components/StatusPage";
import { pickText } from "#app/domain/localized";
import { useT } from "#app/i18n/context";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { requireOffice } from "#app/lib/staff-session.server";
import { overdueByUnit } from "#app/models/case-queue.server";
import { unitIndex } from "#app/models/unit.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

// The evaluation office's overview of late complaints, unit by unit.
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireOffice(request);
  const lng = getLocale(context);
  const [rows, index] = await Promise.all([overdueByUnit(), unitIndex()]);
  return {
    title: getT(context)("staff.overdue.title"),
    rows: rows.map((r) => {
      const unit = index.byId.get(r.unitId);
      return { ...r, code: unit?.code ?? "", name: unit ? pickText(unit.names, lng, defaultLanguage) : "" };
    }),
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
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
