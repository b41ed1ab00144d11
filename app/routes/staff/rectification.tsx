// One rectification record (差评整改, issue 14): what it is about, the unit head's cause and measures
// (written while open or returned), the office's verification (accept, or return with a note) and
// publication of accepted measures on the unit's public page. A record the user may not read answers
// 404, exactly like a missing one.
import { useRef } from "react";
import { data, Form, Link } from "react-router";
import type { Route } from "./+types/rectification";
import { ErrorSummary, TextAreaField, useFocusFirstError } from "#app/components/form-fields";
import { StatusPage } from "#app/components/StatusPage";
import { UserText } from "#app/components/UserText";
import { parseId } from "#app/domain/ids";
import { pickText } from "#app/domain/localized";
import { isRectificationOverdue } from "#app/domain/rectification";
import { NOTE_MAX, parseRectificationDecision, parseRectificationSubmit, TEXT_MAX } from "#app/domain/rectification-forms";
import { useT } from "#app/i18n/context";
import { formatDate, formatDateTime } from "#app/i18n/format";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { readForm } from "#app/lib/http.server";
import { requireStaff } from "#app/lib/staff-session.server";
import { getPeriod } from "#app/models/period.server";
import { citedComplaint } from "#app/models/rectification.server";
import { unitIndex } from "#app/models/unit.server";
import { questionTexts } from "#app/services/dashboard.server";
import { decideFor, publishFor, rectificationFor, submitFor } from "#app/services/rectification.server";

export function meta({ data }: Route.MetaArgs) {
  return data && "title" in data ? [{ title: data.title }] : [];
}

async function recordFor(request: Request, idParam: string) {
  const { actor } = await requireStaff(request);
  const id = parseId(idParam);
  const found = id === null ? null : await rectificationFor(actor, id);
  if (!found) throw data({ reason: "unknown_page" }, { status: 404 });
  return { actor, found };
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { actor, found } = await recordFor(request, params.id);
  const r = found.record;
  const lng = getLocale(context);
  const [index, period, texts] = await Promise.all([unitIndex(), getPeriod(r.periodId), questionTexts(r.periodId)]);
  const unit = index.byId.get(r.unitId);
  const complaint = r.complaintId !== null ? await citedComplaint(r.complaintId) : undefined;
  const office = actor.grants.some((g) => g.role === "office");
  return {
    title: `${getT(context)("rectification.one", { id: r.id })}`,
    id: r.id,
    unit: unit ? pickText(unit.names, lng, defaultLanguage) : "",
    unitCode: unit?.code ?? "",
    period: period ? { code: period.code, name: pickText(period.names, lng, defaultLanguage) } : null,
    source: r.source,
    item: r.itemKey ? { label: pickText(texts.get(r.itemKey), lng, defaultLanguage) || r.itemKey, dissatisfied: r.evidence?.dissatisfied ?? null, graded: r.evidence?.graded ?? null } : null,
    complaint: complaint ?? null,
    status: r.status,
    openedAt: formatDate(r.openedAt, lng),
    dueAt: formatDateTime(r.dueAt, lng),
    overdue: isRectificationOverdue(r, new Date()),
    cause: r.cause,
    measures: r.measures,
    submittedAt: r.submittedAt ? formatDateTime(r.submittedAt, lng) : null,
    submissions: r.submissions,
    decisionNote: r.decisionNote,
    acceptedAt: r.acceptedAt ? formatDate(r.acceptedAt, lng) : null,
    publishedAt: r.publishedAt ? formatDate(r.publishedAt, lng) : null,
    mayWrite: found.mayWrite,
    mayDecide: found.mayDecide,
    mayPublish: found.mayPublish,
    office,
  };
}

type ActionResult = { intent: string; errors: Record<string, string>; values: Record<string, string>; done: boolean };

export async function action({ request, params }: Route.ActionArgs) {
  // The guard first: a record the user may not read is 404 whatever was posted.
  const { actor, found } = await recordFor(request, params.id);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const fail = (status: number, errors: Record<string, string>, values: Record<string, string> = {}) => data<ActionResult>({ intent, errors, values, done: false }, { status });
  // Who may take the step, before the form is read: a head of the unit writes, the office decides.
  const office = actor.grants.some((g) => g.role === "office");
  if (intent === "submit" && !found.mayWrite) {
    if (found.record.status === "open" || found.record.status === "returned") throw data({ reason: "forbidden" }, { status: 403 });
    return fail(409, { form: "errors.periodState" });
  }
  if ((intent === "decide" || intent === "publish" || intent === "unpublish") && !office) throw data({ reason: "forbidden" }, { status: 403 });
  let result: string;
  if (intent === "submit") {
    const parsed = parseRectificationSubmit(form);
    if (!parsed.ok) return fail(400, parsed.errors, parsed.values);
    result = await submitFor(actor, found.record.id, parsed.data);
  } else if (intent === "decide") {
    const parsed = parseRectificationDecision(form);
    if (!parsed.ok) return fail(400, parsed.errors, parsed.values);
    result = await decideFor(actor, found.record.id, parsed.data.decision, parsed.data.note);
  } else if (intent === "publish" || intent === "unpublish") {
    result = await publishFor(actor, found.record.id, intent === "publish");
  } else {
    return fail(400, { form: "errors.invalidChoice" });
  }
  if (result === "forbidden") throw data({ reason: "forbidden" }, { status: 403 });
  if (result !== "done") return fail(409, { form: "errors.periodState" });
  return { intent, errors: {}, values: {}, done: true } satisfies ActionResult;
}

export default function Rectification({ loaderData: d, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const errors: Record<string, string> = actionData?.errors ?? {};
  const values: Record<string, string> = actionData?.values ?? {};
  const submitRef = useRef<HTMLFormElement>(null);
  const decideRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(submitRef, actionData?.intent === "submit" ? Object.keys(errors)[0] : undefined, actionData);
  useFocusFirstError(decideRef, actionData?.intent === "decide" ? Object.keys(errors)[0] : undefined, actionData);
  const label = (name: string) => t(`rectification.field.${name}`);
  return (
    <article className="staff">
      <h1>
        {t("rectification.one", { id: d.id })} · {d.unit}
      </h1>
      <p>
        <Link to={`/staff/rectifications${d.period ? `?period=${encodeURIComponent(d.period.code)}` : ""}`}>{t("rectification.title")}</Link>
      </p>
      {actionData?.done ? (
        <p className="notice" role="status">
          {t(`rectification.done.${actionData.intent}`)}
        </p>
      ) : null}
      {errors.form ? (
        <p className="error-summary" role="alert">
          {t(errors.form)}
        </p>
      ) : null}
      <dl className="facts">
        <dt>{t("rectification.period")}</dt>
        <dd>{d.period?.name}</dd>
        <dt>{t("rectification.subject")}</dt>
        <dd>
          {d.item ? t("rectification.itemSubject", { item: d.item.label, dissatisfied: d.item.dissatisfied ?? "—", graded: d.item.graded ?? "—" }) : null}
          {d.complaint ? (
            <>
              {t("rectification.complaintSubject", { type: t(`complaint.type.${d.complaint.type}`) })}{" "}
              <Link to={`/staff/cases/${d.complaint.reference}`}>
                <span dir="ltr">{d.complaint.reference}</span>
              </Link>
            </>
          ) : null}
        </dd>
        <dt>{t("rectification.statusCol")}</dt>
        <dd data-testid="rectification-status">
          {t(`rectification.status.${d.status}`)}
          {d.publishedAt ? ` · ${t("rectification.publishedOn", { date: d.publishedAt })}` : ""}
        </dd>
        <dt>{t("rectification.openedOn")}</dt>
        <dd>{d.openedAt}</dd>
        <dt>{t("rectification.due")}</dt>
        <dd>
          {d.dueAt}
          {d.overdue ? ` · ${t("rectification.overdue")}` : ""}
        </dd>
      </dl>
      {d.decisionNote && d.status !== "accepted" ? (
        <section className="panel" aria-labelledby="returned-title">
          <h2 id="returned-title">{t("rectification.returnedNote")}</h2>
          <UserText as="blockquote" className="reply-text" text={d.decisionNote} />
        </section>
      ) : null}
      {d.measures && !d.mayWrite ? (
        <section className="panel" aria-labelledby="written-title">
          <h2 id="written-title">{t("rectification.written", { n: d.submissions })}</h2>
          <h3>{label("cause")}</h3>
          <UserText as="blockquote" className="reply-text" text={d.cause ?? ""} />
          <h3>{label("measures")}</h3>
          <UserText as="blockquote" className="reply-text" text={d.measures} />
          {d.submittedAt ? <p className="muted">{t("rectification.submittedAt", { at: d.submittedAt })}</p> : null}
        </section>
      ) : null}
      {d.mayWrite ? (
        <section className="panel" aria-labelledby="write-title">
          <h2 id="write-title">{t("rectification.write")}</h2>
          {actionData?.intent === "submit" ? <ErrorSummary items={Object.keys(errors).filter((n) => n !== "form").map((name) => ({ name, label: label(name) }))} focusOn={errors} /> : null}
          <Form method="post" ref={submitRef} noValidate>
            <input type="hidden" name="intent" value="submit" />
            <TextAreaField name="cause" label={label("cause")} help={t("rectification.causeHelp")} value={actionData?.intent === "submit" ? values.cause : (d.cause ?? "")} error={actionData?.intent === "submit" ? errors.cause : undefined} maxLength={TEXT_MAX} />
            <TextAreaField name="measures" label={label("measures")} help={t("rectification.measuresHelp")} value={actionData?.intent === "submit" ? values.measures : (d.measures ?? "")} error={actionData?.intent === "submit" ? errors.measures : undefined} maxLength={TEXT_MAX} />
            <button type="submit" className="button primary">
              {t("rectification.submit")}
            </button>
          </Form>
        </section>
      ) : null}
      {d.mayDecide ? (
        <section className="panel" aria-labelledby="decide-title">
          <h2 id="decide-title">{t("rectification.verify")}</h2>
          {actionData?.intent === "decide" ? <ErrorSummary items={Object.keys(errors).filter((n) => n !== "form").map((name) => ({ name, label: label(name) }))} focusOn={errors} /> : null}
          <Form method="post" ref={decideRef} noValidate>
            <input type="hidden" name="intent" value="decide" />
            <TextAreaField name="note" rows={3} label={label("note")} help={t("rectification.noteHelp")} value={actionData?.intent === "decide" ? values.note : ""} error={actionData?.intent === "decide" ? errors.note : undefined} maxLength={NOTE_MAX} />
            {actionData?.intent === "decide" && errors.decision ? (
              <p className="field-error" role="alert">
                {t(errors.decision)}
              </p>
            ) : null}
            <button type="submit" name="decision" value="accept" className="button primary">
              {t("rectification.accept")}
            </button>{" "}
            <button type="submit" name="decision" value="return" className="button">
              {t("rectification.return")}
            </button>
          </Form>
        </section>
      ) : null}
      {d.mayPublish ? (
        <section className="panel" aria-labelledby="publish-title">
          <h2 id="publish-title">{t("rectification.publication")}</h2>
          <p className="hint">{t("rectification.publishHelp", { code: d.unitCode })}</p>
          <Form method="post">
            <input type="hidden" name="intent" value={d.publishedAt ? "unpublish" : "publish"} />
            <button type="submit" className="button">
              {d.publishedAt ? t("rectification.unpublish") : t("rectification.publish")}
            </button>
          </Form>
        </section>
      ) : null}
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
