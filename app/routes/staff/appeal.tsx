// One appeal (申诉, issue 14): the rating contested, the unit's grounds and evidence, and the office's
// decision. Upheld: the rating is excluded with the appeal as its reason (the unit's exclusion
// counts show it; the usual reinstatement lifts it). Rejected: nothing but the appeal changes.
// An appeal the user may not read answers 404, like a missing one.
import { useRef } from "react";
import { data, Form, Link } from "react-router";
import type { Route } from "./+types/appeal";
import { ErrorSummary, TextAreaField, useFocusFirstError } from "#app/components/form-fields";
import { StatusPage } from "#app/components/StatusPage";
import { UserText } from "#app/components/UserText";
import { parseId } from "#app/domain/ids";
import { pickText } from "#app/domain/localized";
import { canDecideRectifications } from "#app/domain/permissions";
import { NOTE_MAX, parseAppealDecision, parseAppealReversal } from "#app/domain/rectification-forms";
import { startOfLocalDay } from "#app/domain/working-days";
import { useT } from "#app/i18n/context";
import { formatDate, formatDateTime } from "#app/i18n/format";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { readForm } from "#app/lib/http.server";
import { requireStaff } from "#app/lib/staff-session.server";
import { unitIndex } from "#app/models/unit.server";
import { appealFor, decideAppealFor, reverseAppealFor } from "#app/services/appeals.server";

export function meta({ data }: Route.MetaArgs) {
  return data && "title" in data ? [{ title: data.title }] : [];
}

async function appealOr404(request: Request, idParam: string) {
  const { actor } = await requireStaff(request);
  const id = parseId(idParam);
  const appeal = id === null ? null : await appealFor(actor, id);
  if (!appeal) throw data({ reason: "unknown_page" }, { status: 404 });
  return { actor, appeal };
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { actor, appeal: a } = await appealOr404(request, params.id);
  const lng = getLocale(context);
  const index = await unitIndex();
  const unit = index.byId.get(a.unitId);
  return {
    title: getT(context)("appeal.one", { id: a.id }),
    id: a.id,
    unit: unit ? pickText(unit.names, lng, defaultLanguage) : "",
    unitCode: unit?.code ?? "",
    kind: a.kind,
    grounds: a.grounds,
    evidence: a.evidence,
    status: a.status,
    filedAt: formatDateTime(a.filedAt, lng),
    decidedAt: a.decidedAt ? formatDateTime(a.decidedAt, lng) : null,
    decisionNote: a.decisionNote,
    comment: a.comment ? { text: a.comment.text, lang: a.comment.lang, day: formatDate(startOfLocalDay(a.comment.day), lng) } : null,
    // The response's number: the office only (the service leaves it out for unit readers).
    responseId: a.responseId,
    reference: a.reference,
    grade: a.grade,
    excludedNow: a.excludedNow,
    mayDecide: canDecideRectifications(actor) && a.status === "pending",
    // An upheld appeal is reversed by the usual reinstatement: the rating counts again.
    mayReverse: canDecideRectifications(actor) && a.status === "upheld" && a.excludedNow,
  };
}

export async function action({ request, params }: Route.ActionArgs) {
  const { actor, appeal } = await appealOr404(request, params.id);
  if (!canDecideRectifications(actor)) throw data({ reason: "forbidden" }, { status: 403 });
  const form = await readForm(request);
  if (form.get("intent") === "reverse") {
    const reversal = parseAppealReversal(form);
    if (!reversal.ok) return data({ errors: reversal.errors, values: reversal.values, done: false, reversed: false }, { status: 400 });
    const result = await reverseAppealFor(actor, appeal.id, reversal.data.note);
    if (result !== "done") return data({ errors: { form: "errors.periodState" } as Record<string, string>, values: { note: reversal.data.note } as Record<string, string>, done: false, reversed: false }, { status: 409 });
    return { errors: {} as Record<string, string>, values: {} as Record<string, string>, done: false, reversed: true };
  }
  const parsed = parseAppealDecision(form);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values, done: false, reversed: false }, { status: 400 });
  const result = await decideAppealFor(actor, appeal.id, parsed.data.decision, parsed.data.note);
  if (result === "already_excluded") return data({ errors: { form: "appeal.alreadyExcluded" } as Record<string, string>, values: { note: parsed.data.note } as Record<string, string>, done: false, reversed: false }, { status: 409 });
  if (result !== "done") return data({ errors: { form: "errors.periodState" } as Record<string, string>, values: { note: parsed.data.note } as Record<string, string>, done: false, reversed: false }, { status: 409 });
  return { errors: {} as Record<string, string>, values: {} as Record<string, string>, done: true, reversed: false };
}

export default function Appeal({ loaderData: d, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const errors: Record<string, string> = actionData?.errors ?? {};
  const values: Record<string, string> = actionData?.values ?? {};
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, Object.keys(errors).find((k) => k !== "form"), actionData);
  return (
    <article className="staff">
      <h1>
        {t("appeal.one", { id: d.id })} · {d.unit}
      </h1>
      <p>
        <Link to="/staff/appeals">{t("appeal.title")}</Link>
      </p>
      {actionData?.done ? (
        <p className="notice" role="status">
          {t(`appeal.decided.${d.status}`)}
        </p>
      ) : null}
      {actionData?.reversed ? (
        <p className="notice" role="status">
          {t("appeal.reversed")}
        </p>
      ) : null}
      {errors.form ? (
        <p className="error-summary" role="alert">
          {t(errors.form)}
        </p>
      ) : null}
      <dl className="facts">
        <dt>{t("appeal.rating")}</dt>
        <dd>
          {d.kind === "handling" && d.reference ? (
            <>
              {t("appeal.handlingRating", { grade: d.grade ? t(`grade.${d.grade}`) : "—" })}{" "}
              <Link to={`/staff/cases/${d.reference}`}>
                <span dir="ltr">{d.reference}</span>
              </Link>
            </>
          ) : null}
          {d.kind === "response" ? (
            <>
              {t("appeal.responseRating", { day: d.comment?.day ?? "—" })}
              {d.responseId ? (
                <>
                  {" · "}
                  <Link to={`/staff/scores/${d.unitCode}`}>
                    <span dir="ltr">#{d.responseId}</span>
                  </Link>
                </>
              ) : null}
              {d.comment ? <UserText as="blockquote" className="reply-text" text={d.comment.text} stored={d.comment.lang} /> : null}
            </>
          ) : null}
        </dd>
        <dt>{t("appeal.field.grounds")}</dt>
        <dd>{t(`appeal.grounds.${d.grounds}`)}</dd>
        <dt>{t("appeal.field.evidence")}</dt>
        <dd>
          <UserText as="blockquote" className="reply-text" text={d.evidence} />
        </dd>
        <dt>{t("appeal.statusCol")}</dt>
        <dd data-testid="appeal-status">
          {t(`appeal.status.${d.status}`)}
          {d.decidedAt ? ` · ${d.decidedAt}` : ""}
          {d.status === "upheld" ? ` · ${d.excludedNow ? t("appeal.excludedNow") : t("appeal.reinstated")}` : ""}
        </dd>
        {d.decisionNote ? (
          <>
            <dt>{t("appeal.field.note")}</dt>
            <dd>
              <UserText text={d.decisionNote} />
            </dd>
          </>
        ) : null}
      </dl>
      {d.mayDecide ? (
        <section className="panel" aria-labelledby="decide-title">
          <h2 id="decide-title">{t("appeal.decide")}</h2>
          <p className="hint">{t("appeal.decideHelp")}</p>
          <ErrorSummary items={Object.keys(errors).filter((n) => n !== "form").map((name) => ({ name, label: t(`appeal.field.${name}`) }))} focusOn={actionData?.errors} />
          <Form method="post" ref={formRef} noValidate>
            <TextAreaField name="note" rows={3} label={t("appeal.field.note")} value={values.note} error={errors.note} maxLength={NOTE_MAX} />
            {errors.decision ? (
              <p className="field-error" role="alert">
                {t(errors.decision)}
              </p>
            ) : null}
            <button type="submit" name="decision" value="uphold" className="button primary">
              {t("appeal.uphold")}
            </button>{" "}
            <button type="submit" name="decision" value="reject" className="button">
              {t("appeal.reject")}
            </button>
          </Form>
        </section>
      ) : null}
      {d.mayReverse ? (
        <section className="panel" aria-labelledby="reverse-title">
          <h2 id="reverse-title">{t("appeal.reverse")}</h2>
          <p className="hint">{t("appeal.reverseHelp")}</p>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="reverse" />
            <TextAreaField name="note" rows={3} label={t("appeal.field.reverseNote")} value={values.note} error={errors.note} maxLength={NOTE_MAX} />
            <button type="submit" className="button">
              {t("appeal.reverseButton")}
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
