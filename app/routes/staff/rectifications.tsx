// 差评整改 (issue 14): the rectification records of a period. The office sees every unit's, with the
// suggested candidates it may open (items most dissatisfied, complaints after a dissatisfied
// rating); unit staff and heads see their own units' records. Opening is the office's choice.
import { data, Form, Link } from "react-router";
import type { Route } from "./+types/rectifications";
import { StatusPage } from "#app/components/StatusPage";
import { pickText } from "#app/domain/localized";
import { canDecideRectifications } from "#app/domain/permissions";
import { isRectificationOverdue, subjectKeyOf } from "#app/domain/rectification";
import { useT } from "#app/i18n/context";
import { formatDate, formatPercent } from "#app/i18n/format";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { readForm } from "#app/lib/http.server";
import { requireStaff } from "#app/lib/staff-session.server";
import { getPeriod, listPeriods, periodForPage } from "#app/models/period.server";
import { findUnitByCode, unitIndex } from "#app/models/unit.server";
import { questionTexts } from "#app/services/dashboard.server";
import { openCandidate, rectificationCandidates, rectificationsFor } from "#app/services/rectification.server";

export function meta({ data }: Route.MetaArgs) {
  return data && "title" in data ? [{ title: data.title }] : [];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const { actor } = await requireStaff(request);
  const office = canDecideRectifications(actor);
  const index = await unitIndex();
  // Unit roles only see their units; anyone else (reviewers, administrators) has nothing here.
  if (!office && !actor.grants.some((g) => (g.role === "unit_staff" || g.role === "unit_head") && g.unitId !== null)) {
    throw data({ reason: "forbidden" }, { status: 403 });
  }
  const url = new URL(request.url);
  const period = await periodForPage(url.searchParams.get("period"));
  if (!period) throw data({ reason: "notFound" }, { status: 404 });
  const lng = getLocale(context);
  const now = new Date();
  const [records, texts, periods] = await Promise.all([rectificationsFor(actor, period.id), questionTexts(period.id), listPeriods()]);
  const unitName = (id: number) => {
    const u = index.byId.get(id);
    return u ? pickText(u.names, lng, defaultLanguage) : "";
  };
  const itemLabel = (key: string) => pickText(texts.get(key), lng, defaultLanguage) || key;
  const candidates = office ? await rectificationCandidates(period) : [];
  return {
    title: getT(context)("rectification.title"),
    office,
    period: { code: period.code, name: pickText(period.names, lng, defaultLanguage) },
    periods: periods.filter((p) => p.status !== "draft").map((p) => ({ code: p.code, name: pickText(p.names, lng, defaultLanguage) })),
    rectificationDays: period.params.rectificationDays,
    records: records.map((r) => ({
      id: r.id,
      unit: unitName(r.unitId),
      subject: r.itemKey ? itemLabel(r.itemKey) : null,
      source: r.source,
      status: r.status,
      dueAt: formatDate(r.dueAt, lng),
      overdue: isRectificationOverdue(r, now),
      published: r.publishedAt !== null,
    })),
    candidates: candidates.map((c) => ({
      unitCode: index.byId.get(c.unitId)?.code ?? "",
      unit: unitName(c.unitId),
      items: c.items.map((i) => ({ key: subjectKeyOf({ source: "item", itemKey: i.key }), label: itemLabel(i.key), share: formatPercent(i.share, lng), dissatisfied: i.dissatisfied, graded: i.graded })),
      complaints: c.complaints.map((x) => ({ key: subjectKeyOf({ source: "complaint", complaintId: x.complaintId }), reference: x.reference, type: x.type })),
    })),
  };
}

export async function action({ request }: Route.ActionArgs) {
  const { actor } = await requireStaff(request);
  if (!canDecideRectifications(actor)) throw data({ reason: "forbidden" }, { status: 403 });
  const form = await readForm(request);
  const code = form.get("period");
  const period = typeof code === "string" && code ? await getPeriod(code) : null;
  const unitCode = form.get("unit");
  const unit = typeof unitCode === "string" && unitCode ? await findUnitByCode(unitCode) : null;
  const subject = form.get("subject");
  if (!period || !unit || typeof subject !== "string" || !subject) return data({ error: "errors.invalidChoice" as string, opened: null }, { status: 400 });
  const result = await openCandidate(actor, period, unit.id, subject);
  if (!result.ok) return data({ error: result.reason === "exists" || result.reason === "not_candidate" ? "rectification.notCandidate" : "errors.invalidChoice", opened: null }, { status: result.reason === "forbidden" ? 403 : 409 });
  return { error: null, opened: result.id };
}

export default function Rectifications({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const { period } = loaderData;
  return (
    <article className="staff">
      <h1>{t("rectification.title")}</h1>
      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="period">{t("rectification.period")}</label>
          <select id="period" name="period" defaultValue={period.code}>
            {loaderData.periods.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          {t("rectification.show")}
        </button>
      </Form>
      <p className="hint">{t("rectification.intro", { days: loaderData.rectificationDays })}</p>
      <p>
        <Link to="/staff/appeals">{t("appeal.title")}</Link>
      </p>
      {actionData?.opened ? (
        <p className="notice" role="status">
          <Link to={`/staff/rectifications/${actionData.opened}`}>{t("rectification.opened", { id: actionData.opened })}</Link>
        </p>
      ) : null}
      {actionData?.error ? (
        <p className="error-summary" role="alert">
          {t(actionData.error)}
        </p>
      ) : null}
      <section className="panel" aria-labelledby="records-title">
        <h2 id="records-title">{t("rectification.records", { period: period.name })}</h2>
        {loaderData.records.length === 0 ? (
          <p role="status">{t("rectification.none")}</p>
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="records-title">
            <table className="queue" data-testid="rectification-records">
              <thead>
                <tr>
                  <th scope="col">{t("rectification.unit")}</th>
                  <th scope="col">{t("rectification.subject")}</th>
                  <th scope="col">{t("rectification.statusCol")}</th>
                  <th scope="col">{t("rectification.due")}</th>
                </tr>
              </thead>
              <tbody>
                {loaderData.records.map((r) => (
                  <tr key={r.id} className={r.overdue ? "overdue" : undefined} data-rectification={r.id}>
                    <td>{r.unit}</td>
                    <td>
                      <Link to={`/staff/rectifications/${r.id}`}>{r.subject ?? t(`rectification.source.${r.source}`)}</Link>
                    </td>
                    <td>
                      {t(`rectification.status.${r.status}`)}
                      {r.published ? ` · ${t("rectification.publishedMark")}` : ""}
                    </td>
                    <td>
                      {r.dueAt}
                      {r.overdue ? ` · ${t("rectification.overdue")}` : ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {loaderData.office ? (
        <section className="panel" aria-labelledby="candidates-title">
          <h2 id="candidates-title">{t("rectification.candidates")}</h2>
          <p className="hint">{t("rectification.candidatesHelp")}</p>
          {loaderData.candidates.length === 0 ? <p role="status">{t("rectification.noCandidates")}</p> : null}
          <ul className="candidates" data-testid="rectification-candidates">
            {loaderData.candidates.flatMap((c) => [
              ...c.items.map((i) => (
                <li key={`${c.unitCode}|${i.key}`} data-unit={c.unitCode}>
                  <CandidateForm period={period.code} unit={c.unitCode} subject={i.key}>
                    {t("rectification.itemCandidate", { unit: c.unit, item: i.label, share: i.share, dissatisfied: i.dissatisfied, graded: i.graded })}
                  </CandidateForm>
                </li>
              )),
              ...c.complaints.map((x) => (
                <li key={`${c.unitCode}|${x.key}`} data-unit={c.unitCode}>
                  <CandidateForm period={period.code} unit={c.unitCode} subject={x.key}>
                    {t("rectification.complaintCandidate", { unit: c.unit, reference: x.reference, type: t(`complaint.type.${x.type}`) })}
                  </CandidateForm>
                </li>
              )),
            ])}
          </ul>
        </section>
      ) : null}
    </article>
  );
}

function CandidateForm({ period, unit, subject, children }: { period: string; unit: string; subject: string; children: React.ReactNode }) {
  const { t } = useT();
  return (
    <Form method="post" className="inline-form">
      <span>{children}</span> <input type="hidden" name="period" value={period} />
      <input type="hidden" name="unit" value={unit} />
      <input type="hidden" name="subject" value={subject} />
      <button type="submit" className="button">
        {t("rectification.open")}
      </button>
    </Form>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
