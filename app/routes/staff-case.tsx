import { data } from "react-router";
import type { Route } from "./+types/staff-case";
import { StatusPage } from "#app/components/StatusPage";
import { pickText } from "#app/domain/localized";
import { canActOnCase, canViewCase } from "#app/domain/permissions";
import { useT } from "#app/i18n/context";
import { formatDateTime } from "#app/i18n/format";
import { getLocale } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { getDb } from "#app/lib/db.server";
import { requireStaff } from "#app/lib/staff-session.server";
import { unitIndex } from "#app/models/unit.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.reference }] : [];
}

// A case as staff see it. A case the user may not see answers 404, exactly like a missing one,
// so references of other units cannot be probed.
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { actor } = await requireStaff(request);
  const lng = getLocale(context);
  const db = await getDb();
  const c = await db.complaint.findUnique({
    where: { reference: params.reference },
    include: { unit: true, subjectUnit: true, events: { orderBy: [{ at: "asc" }, { id: "asc" }] } },
  });
  const index = await unitIndex();
  if (!c || !canViewCase(actor, c, index.ancestorsOf)) throw data({ reason: "unknown_page" }, { status: 404 });
  return {
    reference: c.reference,
    type: c.type,
    status: c.status,
    unitName: pickText(c.unit.names, lng, defaultLanguage),
    subjectName: pickText(c.subjectUnit.names, lng, defaultLanguage),
    description: c.description,
    when: c.occurredWhen,
    where: c.occurredWhere,
    anonymous: c.anonymous,
    mayContact: !c.anonymous && canActOnCase(actor, c, "view_contact", index.ancestorsOf),
    submittedAt: formatDateTime(c.submittedAt, lng),
    acceptDueAt: formatDateTime(c.acceptDueAt, lng),
    replyDueAt: formatDateTime(c.replyDueAt, lng),
    reply: c.publicReply,
    events: c.events.map((e) => ({ id: e.id, at: formatDateTime(e.at, lng), action: e.action, note: e.note, visibility: e.visibility })),
  };
}

export default function StaffCase({ loaderData: c }: Route.ComponentProps) {
  const { t } = useT();
  return (
    <article className="staff">
      <h1>
        {t("track.caseTitle")} <span dir="ltr">{c.reference}</span>
      </h1>
      <dl className="credentials">
        <dt>{t("track.status")}</dt>
        <dd>{t(`complaint.status.${c.status}`)}</dd>
        <dt>{t("complaint.field.type")}</dt>
        <dd>{t(`complaint.type.${c.type}`)}</dd>
        <dt>{t("complaint.field.unit")}</dt>
        <dd>{c.subjectName}</dd>
        <dt>{t("staff.case.handler")}</dt>
        <dd>{c.unitName}</dd>
        <dt>{t("staff.queue.submitted")}</dt>
        <dd>{c.submittedAt}</dd>
        <dt>{t("staff.case.acceptDue")}</dt>
        <dd>{c.acceptDueAt}</dd>
        <dt>{t("track.replyDue")}</dt>
        <dd>{c.replyDueAt}</dd>
        <dt>{t("staff.case.contact")}</dt>
        <dd>{c.anonymous ? t("staff.case.anonymous") : c.mayContact ? t("staff.case.contactAvailable") : t("staff.case.contactHidden")}</dd>
      </dl>
      <section className="panel" aria-labelledby="text-title">
        <h2 id="text-title">{t("complaint.field.description")}</h2>
        <p className="reply-text">{c.description}</p>
        {c.when ? <p>{t("complaint.field.when")}: {c.when}</p> : null}
        {c.where ? <p>{t("complaint.field.where")}: {c.where}</p> : null}
      </section>
      <section className="panel" aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t("track.timeline")}</h2>
        <ol className="timeline">
          {c.events.map((e) => (
            <li key={e.id}>
              <span className="when">{e.at}</span> {t(`track.event.${e.action}`)}
              {e.visibility === "internal" ? ` (${t("staff.case.internal")})` : null}
              {e.note ? <p className="reply-text">{e.note}</p> : null}
            </li>
          ))}
        </ol>
      </section>
      <p className="notice">{t("staff.case.actionsSoon")}</p>
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
