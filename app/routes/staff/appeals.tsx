// 申诉 (issue 14): the appeals of the user's units (unit staff and heads), or of every unit (the
// office, pending first). Each one opens its page; the office decides there.
import { data, Link } from "react-router";
import type { Route } from "./+types/appeals";
import { StatusPage } from "#app/components/StatusPage";
import { pickText } from "#app/domain/localized";
import { canDecideRectifications } from "#app/domain/permissions";
import { useT } from "#app/i18n/context";
import { formatDate } from "#app/i18n/format";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { requireStaff } from "#app/lib/staff-session.server";
import { unitIndex } from "#app/models/unit.server";
import { appealsFor } from "#app/services/appeals.server";

export function meta({ data }: Route.MetaArgs) {
  return data && "title" in data ? [{ title: data.title }] : [];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const { actor } = await requireStaff(request);
  const office = canDecideRectifications(actor);
  if (!office && !actor.grants.some((g) => (g.role === "unit_staff" || g.role === "unit_head") && g.unitId !== null)) {
    throw data({ reason: "forbidden" }, { status: 403 });
  }
  const lng = getLocale(context);
  const index = await unitIndex();
  const rows = await appealsFor(actor);
  const filed = new URL(request.url).searchParams.get("filed");
  return {
    title: getT(context)("appeal.title"),
    office,
    filed: filed && rows.some((r) => String(r.id) === filed) ? filed : null,
    rows: rows.map((a) => ({
      id: a.id,
      unit: pickText(index.byId.get(a.unitId)?.names, lng, defaultLanguage),
      kind: a.kind,
      grounds: a.grounds,
      status: a.status,
      filedAt: formatDate(a.filedAt, lng),
      subject: a.kind === "handling" ? (a.reference ?? "") : (a.comment?.text ?? ""),
      excludedNow: a.excludedNow,
    })),
  };
}

export default function Appeals({ loaderData }: Route.ComponentProps) {
  const { t } = useT();
  return (
    <article className="staff">
      <h1>{t("appeal.title")}</h1>
      <p className="hint">{t(loaderData.office ? "appeal.introOffice" : "appeal.introUnit")}</p>
      <p>
        <Link to="/staff/rectifications">{t("rectification.title")}</Link>
      </p>
      {loaderData.filed ? (
        <p className="notice" role="status">
          {t("appeal.filed", { id: loaderData.filed })}
        </p>
      ) : null}
      {loaderData.rows.length === 0 ? (
        <p role="status">{t("appeal.none")}</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="appeals-caption">
          <table className="queue" data-testid="appeals">
            <caption id="appeals-caption" className="visually-hidden">
              {t("appeal.title")}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("appeal.number")}</th>
                <th scope="col">{t("rectification.unit")}</th>
                <th scope="col">{t("appeal.rating")}</th>
                <th scope="col">{t("appeal.field.grounds")}</th>
                <th scope="col">{t("appeal.statusCol")}</th>
              </tr>
            </thead>
            <tbody>
              {loaderData.rows.map((a) => (
                <tr key={a.id} data-appeal={a.id}>
                  <td>
                    <Link to={`/staff/appeals/${a.id}`}>
                      <span dir="ltr">#{a.id}</span>
                    </Link>{" "}
                    · {a.filedAt}
                  </td>
                  <td>{a.unit}</td>
                  <td>
                    {t(`appeal.kind.${a.kind}`)}: <span dir="auto">{a.subject.length > 60 ? `${a.subject.slice(0, 60)}…` : a.subject}</span>
                  </td>
                  <td>{t(`appeal.grounds.${a.grounds}`)}</td>
                  <td>
                    {t(`appeal.status.${a.status}`)}
                    {a.status === "upheld" && !a.excludedNow ? ` · ${t("appeal.reinstated")}` : ""}
                  </td>
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
