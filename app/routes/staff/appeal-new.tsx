// Filing an appeal (申诉, issue 14), by a head of the unit: against a complaint's handling rating
// (?case=<reference>, from the case page) or a survey response through its comment
// (?unit=<code>&period=<code>&comment=<handle>, from the unit's scores page, which names the comment
// by a keyed handle of its day and text: the head never learns the response's number or time).
import { useRef } from "react";
import { data, Form, redirect } from "react-router";
import type { Route } from "./+types/appeal-new";
import { ErrorSummary, SelectField, TextAreaField, useFocusFirstError } from "#app/components/form-fields";
import { StatusPage } from "#app/components/StatusPage";
import { UserText } from "#app/components/UserText";
import { pickText } from "#app/domain/localized";
import { type Actor, canAppealRating } from "#app/domain/permissions";
import { appealGrounds } from "#app/domain/rectification";
import { parseAppeal, TEXT_MAX } from "#app/domain/rectification-forms";
import { startOfLocalDay } from "#app/domain/working-days";
import { useT } from "#app/i18n/context";
import { formatDate } from "#app/i18n/format";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { readForm } from "#app/lib/http.server";
import { requireStaff } from "#app/lib/staff-session.server";
import { getPeriod } from "#app/models/period.server";
import { findUnitByCode, unitIndex } from "#app/models/unit.server";
import { type AppealTarget, fileAppealFor, handlingRatingTarget, responseByCommentHandle } from "#app/services/appeals.server";

export function meta({ data }: Route.MetaArgs) {
  return data && "title" in data ? [{ title: data.title }] : [];
}

const param = (v: unknown) => (typeof v === "string" && v.length > 0 && v.length <= 100 ? v : null);

/** What is appealed, from the link's (or the form's) fields; 404 when it is not there or not the user's to appeal. */
async function targetOf(actor: Actor, source: { get(name: string): unknown }): Promise<AppealTarget & { unitCode: string }> {
  const reference = param(source.get("case"));
  if (reference) {
    const target = await handlingRatingTarget(actor, reference);
    if (!target) throw data({ reason: "unknown_page" }, { status: 404 });
    const index = await unitIndex();
    return { ...target, unitCode: index.byId.get(target.unitId)?.code ?? "" };
  }
  const unitCode = param(source.get("unit"));
  const periodCode = param(source.get("period"));
  const handle = param(source.get("comment"));
  const unit = unitCode ? await findUnitByCode(unitCode) : null;
  if (!unit || !periodCode || !handle) throw data({ reason: "unknown_page" }, { status: 404 });
  const index = await unitIndex();
  // Not the user's unit: 403 before anything of the unit's comments is looked at.
  if (!canAppealRating(actor, unit.id, index.ancestorsOf)) throw data({ reason: "forbidden" }, { status: 403 });
  const period = await getPeriod(periodCode);
  const target = period ? await responseByCommentHandle(unit.id, period.id, handle) : null;
  if (!target) throw data({ reason: "unknown_page" }, { status: 404 });
  return { ...target, unitCode: unit.code };
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const { actor } = await requireStaff(request);
  const url = new URL(request.url);
  const target = await targetOf(actor, url.searchParams);
  const lng = getLocale(context);
  const index = await unitIndex();
  return {
    title: getT(context)("appeal.new"),
    unit: pickText(index.byId.get(target.unitId)?.names, lng, defaultLanguage),
    kind: target.kind,
    handling: target.handling,
    comment: target.comment ? { text: target.comment.text, lang: target.comment.lang, day: formatDate(startOfLocalDay(target.comment.day), lng) } : null,
    // Carried back by the form, as the link gave them.
    hidden: Object.fromEntries(["case", "unit", "period", "comment"].flatMap((k) => (url.searchParams.get(k) ? [[k, url.searchParams.get(k)!]] : []))),
  };
}

export async function action({ request }: Route.ActionArgs) {
  const { actor } = await requireStaff(request);
  const form = await readForm(request);
  // The guard first: a rating the user may not appeal is 404/403 whatever else was posted.
  const target = await targetOf(actor, form);
  const parsed = parseAppeal(form);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const result = await fileAppealFor(actor, target, parsed.data);
  if (!result.ok) {
    if (result.reason === "forbidden") throw data({ reason: "forbidden" }, { status: 403 });
    return data({ errors: { form: "appeal.alreadyPending" } as Record<string, string>, values: { grounds: parsed.data.grounds, evidence: parsed.data.evidence } as Record<string, string> }, { status: 409 });
  }
  throw redirect(`/staff/appeals?filed=${result.id}`);
}

export default function AppealNew({ loaderData: d, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const errors: Record<string, string> = actionData?.errors ?? {};
  const values: Record<string, string> = actionData?.values ?? {};
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, Object.keys(errors).find((k) => k !== "form"), actionData);
  return (
    <article className="staff">
      <h1>
        {t("appeal.new")} · {d.unit}
      </h1>
      <p className="hint">{t("appeal.newHelp")}</p>
      {errors.form ? (
        <p className="error-summary" role="alert">
          {t(errors.form)}
        </p>
      ) : null}
      <section className="panel" aria-labelledby="rating-title">
        <h2 id="rating-title">{t("appeal.rating")}</h2>
        {d.handling ? (
          <p>
            {t("appeal.handlingRating", { grade: t(`grade.${d.handling.grade}`) })} <span dir="ltr">{d.handling.reference}</span>
          </p>
        ) : null}
        {d.comment ? (
          <>
            <p>{t("appeal.responseRating", { day: d.comment.day })}</p>
            <UserText as="blockquote" className="reply-text" text={d.comment.text} stored={d.comment.lang} />
          </>
        ) : null}
      </section>
      <ErrorSummary items={Object.keys(errors).filter((n) => n !== "form").map((name) => ({ name, label: t(`appeal.field.${name}`) }))} focusOn={actionData?.errors} />
      <Form method="post" ref={formRef} noValidate>
        {Object.entries(d.hidden).map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
        <SelectField
          name="grounds"
          label={t("appeal.field.grounds")}
          value={values.grounds ?? ""}
          error={errors.grounds}
          options={[{ value: "", label: t("appeal.chooseGrounds") }, ...appealGrounds.map((g) => ({ value: g, label: t(`appeal.grounds.${g}`) }))]}
        />
        <TextAreaField name="evidence" label={t("appeal.field.evidence")} help={t("appeal.evidenceHelp")} value={values.evidence} error={errors.evidence} maxLength={TEXT_MAX} />
        <button type="submit" className="button primary">
          {t("appeal.file")}
        </button>
      </Form>
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
