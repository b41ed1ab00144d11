import { Form, Link } from "react-router";
import type { Route } from "./+types/staff-audit";
import { AuditAction, AuditData } from "#app/components/AuditTrail";
import { Pager } from "#app/components/Pager";
import { StatusPage } from "#app/components/StatusPage";
import { UserText } from "#app/components/UserText";
import { parseAuditFilters } from "#app/domain/admin-forms";
import { auditActions, isKnownAuditAction, isKnownTargetType } from "#app/domain/audit-actions";
import { canAdminAccounts, canAdminUnits, canSeeAuditLog } from "#app/domain/permissions";
import { endOfLocalDay } from "#app/domain/working-days";
import { useT } from "#app/i18n/context";
import { formatDateTime } from "#app/i18n/format";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { requireAllowed } from "#app/lib/staff-session.server";
import { auditFacets, listAuditEvents } from "#app/models/audit-log.server";
import { listUnits } from "#app/models/unit.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

// The audit log for the evaluation office and administrators: every recorded staff change, newest
// first, filtered by action, kind of record, who and when (region calendar days, inclusive).
export async function loader({ request, context }: Route.LoaderArgs) {
  const { actor } = await requireAllowed(request, canSeeAuditLog);
  const lng = getLocale(context);
  const url = new URL(request.url);
  const filters = parseAuditFilters(url.searchParams);
  const [result, facets, units] = await Promise.all([
    listAuditEvents({
      action: filters.action || undefined,
      targetType: filters.targetType || undefined,
      actorId: filters.actor ?? undefined,
      from: filters.from ? new Date(`${filters.from}T00:00:00+08:00`) : undefined,
      to: filters.to ? endOfLocalDay(filters.to) : undefined,
      page: filters.page,
    }),
    auditFacets(),
    listUnits(),
  ]);
  const accountName = new Map(facets.accounts.map((a) => [a.id, `${a.displayName} (${a.username})`]));
  const username = new Map(facets.accounts.map((a) => [a.id, a.username]));
  const unitCode = new Map(units.map((u) => [u.id, u.code]));
  const linkUnits = canAdminUnits(actor);
  const linkAccounts = canAdminAccounts(actor);
  const target = (type: string, id: string) => {
    if (type === "unit") {
      const code = unitCode.get(Number(id));
      return { label: code ?? `#${id}`, to: code && linkUnits ? `/staff/units/${encodeURIComponent(code)}` : null };
    }
    if (type === "staff_user") return { label: username.get(Number(id)) ?? `#${id}`, to: linkAccounts ? `/staff/accounts/${id}` : null };
    return { label: `#${id}`, to: null };
  };
  const pageLink = (p: number) => {
    const q = new URLSearchParams(url.searchParams);
    q.set("page", String(p));
    return `/staff/audit?${q}`;
  };
  return {
    title: getT(context)("admin.audit.title"),
    filters,
    actions: [...new Set([...auditActions, ...facets.actions])],
    targetTypes: facets.targetTypes,
    accounts: facets.accounts.map((a) => ({ id: a.id, name: `${a.displayName} (${a.username})` })),
    page: result.page,
    prev: result.page > 1 ? pageLink(result.page - 1) : null,
    next: result.hasNext ? pageLink(result.page + 1) : null,
    events: result.rows.map((e) => ({
      id: e.id,
      at: formatDateTime(e.at, lng),
      action: e.action,
      actor: e.actorId === null ? null : (accountName.get(e.actorId) ?? `#${e.actorId}`),
      targetType: e.targetType,
      target: target(e.targetType, e.targetId),
      note: e.note,
      data: e.data,
    })),
  };
}

export default function AuditLog({ loaderData }: Route.ComponentProps) {
  const { t } = useT();
  const { filters } = loaderData;
  const typeLabel = (type: string) => (isKnownTargetType(type) ? t(`admin.targetTypes.${type}`) : type);
  return (
    <article className="staff">
      <h1>{t("admin.audit.title")}</h1>
      <p className="hint">{t("admin.audit.help")}</p>
      <Form method="get" className="filters question" aria-label={t("admin.audit.filters")}>
        <div className="field">
          <label htmlFor="f-action" className="q-label">
            {t("admin.audit.action")}
          </label>
          <select id="f-action" name="action" defaultValue={filters.action}>
            <option value="">{t("admin.audit.any")}</option>
            {loaderData.actions.map((a) => (
              <option key={a} value={a}>
                {isKnownAuditAction(a) ? t(`admin.auditActions.${a}`) : a}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-target" className="q-label">
            {t("admin.audit.targetType")}
          </label>
          <select id="f-target" name="targetType" defaultValue={filters.targetType}>
            <option value="">{t("admin.audit.any")}</option>
            {[...new Set([...loaderData.targetTypes, ...(filters.targetType ? [filters.targetType] : [])])].map((type) => (
              <option key={type} value={type}>
                {typeLabel(type)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-actor" className="q-label">
            {t("admin.audit.actor")}
          </label>
          <select id="f-actor" name="actor" defaultValue={filters.actor ?? ""}>
            <option value="">{t("admin.audit.any")}</option>
            {loaderData.accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-from" className="q-label">
            {t("admin.audit.from")}
          </label>
          <input id="f-from" name="from" type="date" defaultValue={filters.from} />
        </div>
        <div className="field">
          <label htmlFor="f-to" className="q-label">
            {t("admin.audit.to")}
          </label>
          <input id="f-to" name="to" type="date" defaultValue={filters.to} />
        </div>
        <button type="submit" className="button">
          {t("admin.audit.show")}
        </button>
      </Form>
      {loaderData.events.length === 0 ? (
        <p role="status">{t("admin.audit.none")}</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t("admin.audit.title")}>
          <table className="queue audit-log">
            <caption className="visually-hidden">{t("admin.audit.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("admin.audit.at")}</th>
                <th scope="col">{t("admin.audit.action")}</th>
                <th scope="col">{t("admin.audit.target")}</th>
                <th scope="col">{t("admin.audit.actor")}</th>
                <th scope="col">{t("admin.audit.what")}</th>
              </tr>
            </thead>
            <tbody>
              {loaderData.events.map((e) => (
                <tr key={e.id}>
                  <td>{e.at}</td>
                  <td>
                    <AuditAction action={e.action} />
                  </td>
                  <td>
                    {typeLabel(e.targetType)}{" "}
                    {e.target.to ? (
                      <Link to={e.target.to} dir="ltr">
                        {e.target.label}
                      </Link>
                    ) : (
                      <span dir="ltr">{e.target.label}</span>
                    )}
                  </td>
                  <td>{e.actor ? <UserText text={e.actor} /> : t("admin.audit.system")}</td>
                  <td>
                    {e.note ? <UserText as="p" className="reply-text" text={e.note} /> : null}
                    <AuditData data={e.data} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        label={t("admin.audit.pages")}
        prev={loaderData.prev}
        next={loaderData.next}
        prevText={t("admin.audit.prev")}
        nextText={t("admin.audit.next")}
        pageText={t("admin.audit.page", { page: loaderData.page })}
      />
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
