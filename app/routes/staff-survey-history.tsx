import { data } from "react-router";
import type { Route } from "./+types/staff-survey-history";
import { StatusPage } from "#app/components/StatusPage";
import { SurveyTabs } from "#app/components/SurveyTabs";
import { UserText } from "#app/components/UserText";
import { pickText } from "#app/domain/localized";
import { useT } from "#app/i18n/context";
import { formatDateTime, formatNumber } from "#app/i18n/format";
import { getLocale } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { requireOffice } from "#app/lib/staff-session.server";
import { auditTrail } from "#app/models/audit.server";
import { getAuthoringSurvey, versionHistory } from "#app/services/survey-authoring.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

// Every published version of a survey, what changed in its questions, and how many responses
// each version received; then the survey's audit trail (publishing, closing, drafts dropped).
export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireOffice(request);
  const lng = getLocale(context);
  const survey = await getAuthoringSurvey(params.slug);
  if (!survey) throw data({ reason: "not_found" }, { status: 404 });
  const [versions, trail] = await Promise.all([versionHistory(survey), auditTrail("survey", survey.slug)]);
  return {
    title: pickText(survey.titles, lng, defaultLanguage) || survey.slug,
    slug: survey.slug,
    current: survey.currentVersion,
    versions: versions.map((v) => ({ ...v, publishedAt: v.publishedAt ? formatDateTime(v.publishedAt, lng) : null })),
    trail: trail.map((e) => ({ id: e.id, action: e.action, at: formatDateTime(e.at, lng) })),
  };
}

export default function SurveyHistory({ loaderData: d }: Route.ComponentProps) {
  const { t, lng } = useT();
  const keys = (list: string[]) => (list.length ? list.map((k) => <code key={k}>{k} </code>) : "—");
  return (
    <article className="staff">
      <SurveyTabs slug={d.slug} title={d.title} />
      <h1 id="history-title">{t("surveys.history.title")}</h1>
      <p className="hint">{t("surveys.history.help")}</p>
      {d.versions.length === 0 ? (
        <p>{t("surveys.editor.neverPublished")}</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="history-title">
          <table className="queue">
            <thead>
              <tr>
                <th scope="col">{t("surveys.history.version")}</th>
                <th scope="col">{t("surveys.history.published")}</th>
                <th scope="col">{t("surveys.history.questions")}</th>
                <th scope="col">{t("surveys.history.responses")}</th>
                <th scope="col">{t("surveys.history.changes")}</th>
              </tr>
            </thead>
            <tbody>
              {d.versions.map((v) => (
                <tr key={v.version}>
                  <th scope="row">
                    {formatNumber(v.version, lng)}
                    {v.version === d.current ? <span className="badge"> {t("surveys.history.current")}</span> : null}
                  </th>
                  <td>
                    {v.publishedAt ?? "—"}
                    {v.publishedBy ? <br /> : null}
                    {v.publishedBy ? <UserText text={v.publishedBy} /> : null}
                  </td>
                  <td>{formatNumber(v.questions, lng)}</td>
                  <td>{formatNumber(v.responses, lng)}</td>
                  <td>
                    {v.changes ? (
                      <dl className="changes">
                        <dt>{t("surveys.history.added")}</dt>
                        <dd>{keys(v.changes.added)}</dd>
                        <dt>{t("surveys.history.removed")}</dt>
                        <dd>{keys(v.changes.removed)}</dd>
                        <dt>{t("surveys.history.changed")}</dt>
                        <dd>{keys(v.changes.changed)}</dd>
                        {/* Versions published before steps existed have no such list. */}
                        {v.changes.stepMoved ? (
                          <>
                            <dt>{t("surveys.history.stepMoved")}</dt>
                            <dd>{keys(v.changes.stepMoved)}</dd>
                          </>
                        ) : null}
                        {v.changes.reordered ? <dd>{t("surveys.history.reordered")}</dd> : null}
                      </dl>
                    ) : (
                      t("surveys.history.first")
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t("surveys.history.trail")}</h2>
      <ul>
        {d.trail.map((e) => (
          <li key={e.id}>
            {e.at} · {t(`admin.auditActions.${e.action}`)}
          </li>
        ))}
      </ul>
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
