import { data, Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/staff-case";
import { CaseTimeline } from "#app/components/CaseTimeline";
import { PhotoList } from "#app/components/PhotoList";
import { StatusPage } from "#app/components/StatusPage";
import { TextIn, UserText, WrittenIn } from "#app/components/UserText";
import { pickText } from "#app/domain/localized";
import { allowedActions, type CaseStatus } from "#app/domain/case-flow";
import { NOTE_MAX, parseCaseAction, type StaffCaseAction } from "#app/domain/case-action-form";
import { canRequestExtension, extensionEventDetail, pendingExtension } from "#app/domain/extensions";
import { canActOnCase, canAppealRating, canOfficeAct, canViewCase } from "#app/domain/permissions";
import { handlingRatingAppealable } from "#app/domain/rectification";
import { commentDetailFor } from "#app/domain/comment-detail";
import { FOLLOW_UP_INTENT, type FollowUpValues, toRegionDateTime } from "#app/domain/follow-up-form";
import { followUpMethods, followUpOutcomes, followUpState } from "#app/domain/rating-followup";
import { SelectField, TextAreaField, TextField } from "#app/components/form-fields";
import { deadlineRule } from "#app/models/complaint.server";
import { useT } from "#app/i18n/context";
import { formatDate, formatDateTime } from "#app/i18n/format";
import { getLocale } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { getDb } from "#app/lib/db.server";
import { readForm } from "#app/lib/http.server";
import { requireStaff } from "#app/lib/staff-session.server";
import { markRead } from "#app/models/staff-notice.server";
import { listUnits, unitIndex } from "#app/models/unit.server";
import { loadCaseFor, performCaseAction } from "#app/services/case-actions.server";
import { recordCallBack } from "#app/services/rating-followup.server";

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
    include: {
      unit: true,
      subjectUnit: true,
      events: { orderBy: [{ at: "asc" }, { id: "asc" }], include: { followUpCall: true } },
      photos: { select: { id: true, width: true, height: true }, orderBy: { id: "asc" } },
      extensions: { orderBy: { id: "asc" } },
      // The rating it followed (a dissatisfied one: no other is linked): its unit and time, never its answers.
      response: { select: { id: true, submittedAt: true, unit: { select: { names: true } } } },
    },
  });
  const index = await unitIndex();
  if (!c || !canViewCase(actor, c, index.ancestorsOf)) throw data({ reason: "unknown_page" }, { status: 404 });
  // Opening the case reads its notices (the staff menu's unread count drops).
  await markRead(actor.userId, { complaintId: c.id }, new Date());
  const flowActions = allowedActions(c.status as CaseStatus).filter((a) => a !== "reopen");
  const actions = [...flowActions, "note" as const].filter((a) => canActOnCase(actor, c, a, index.ancestorsOf));
  const units = actions.includes("transfer") ? await listUnits({ activeOnly: true }) : [];
  const rule = await deadlineRule(c.type);
  const pending = pendingExtension(c.extensions);
  return {
    extension: {
      canRequest: canActOnCase(actor, c, "request_extension", index.ancestorsOf) && canRequestExtension(c),
      maxDays: rule.maxExtensionDays,
      pending: pending ? { days: pending.days, reason: pending.reason } : null,
      history: c.extensions.map((e) => ({ id: e.id, days: e.days, status: e.status, reason: e.reason, note: e.decisionNote })),
      canDecide: Boolean(pending) && canOfficeAct(actor, "decide_extension"),
    },
    canSupervise: canOfficeAct(actor, "supervise"),
    // Unit staff get the rating's day only, as with comments (comment-detail.ts); the office also
    // its time and response number.
    followedRating: c.response
      ? {
          unitName: pickText(c.response.unit.names, lng, defaultLanguage),
          on: commentDetailFor(actor) === "full" ? formatDateTime(c.response.submittedAt, lng) : formatDate(c.response.submittedAt, lng),
          responseId: commentDetailFor(actor) === "full" ? c.response.id : null,
        }
      : null,
    // 差评回访: the call-back owed after a dissatisfied rating (staff only; never on /track).
    followUp: c.followUpDueAt
      ? {
          dueAt: formatDateTime(c.followUpDueAt, lng),
          state: followUpState({ dueAt: c.followUpDueAt, doneAt: c.followUpDoneAt }, new Date())!,
          doneAt: c.followUpDoneAt ? formatDateTime(c.followUpDoneAt, lng) : null,
          canRecord: canActOnCase(actor, c, "follow_up", index.ancestorsOf),
          attempts: c.events.filter((e) => e.followUpCall).length,
          now: toRegionDateTime(new Date()),
        }
      : null,
    rating: c.handlingGrade === null ? null : { grade: c.handlingGrade, excluded: c.ratingExcludedAt !== null, reason: c.ratingExcludedReason },
    // 申诉 (issue 14): a head of the handling unit may appeal the citizen's handling rating.
    appealRating: c.handlingGrade !== null && canAppealRating(actor, c.unitId, index.ancestorsOf) && handlingRatingAppealable(c) ? c.handlingGrade : null,
    actions,
    transferUnits: units
      .filter((u) => u.kind !== "region" && u.id !== c.unitId)
      .map((u) => ({ code: u.code, name: pickText(u.names, lng, defaultLanguage) })),
    reference: c.reference,
    type: c.type,
    status: c.status,
    unitName: pickText(c.unit.names, lng, defaultLanguage),
    subjectName: pickText(c.subjectUnit.names, lng, defaultLanguage),
    description: c.description,
    lang: c.lang,
    when: c.occurredWhen,
    where: c.occurredWhere,
    anonymous: c.anonymous,
    mayContact: !c.anonymous && !c.contactRemovedAt && canActOnCase(actor, c, "view_contact", index.ancestorsOf),
    // Erased at the citizen's request or by retention (issue 15): when, and why; never what.
    contactRemoved: c.contactRemovedAt ? { at: formatDateTime(c.contactRemovedAt, lng), byCitizen: c.contactRemovedBy === "citizen" } : null,
    photosRemovedAt: c.photosRemovedAt ? formatDateTime(c.photosRemovedAt, lng) : null,
    submittedAt: formatDateTime(c.submittedAt, lng),
    acceptDueAt: formatDateTime(c.acceptDueAt, lng),
    replyDueAt: formatDateTime(c.replyDueAt, lng),
    reply: c.publicReply,
    photos: c.photos,
    events: c.events.map((e) => ({
      id: e.id,
      at: formatDateTime(e.at, lng),
      action: e.action,
      internal: e.visibility === "internal",
      // Extension events name their working days in words, not as the stored "5: …".
      ...extensionEventDetail(e, c.extensions),
      ...(e.followUpCall
        ? {
            note: e.followUpCall.note,
            followUp: { calledAt: formatDateTime(e.followUpCall.calledAt, lng), method: e.followUpCall.method, outcome: e.followUpCall.outcome },
          }
        : {}),
    })),
  };
}

export async function action({ request, params }: Route.ActionArgs) {
  const { actor } = await requireStaff(request);
  // A case the user may not see answers 404 whatever was posted, like its page: the form is
  // read only after that guard, so an invalid post cannot tell a hidden case from none.
  await loadCaseFor(actor, params.reference);
  const form = await readForm(request);
  if (form.get("intent") === FOLLOW_UP_INTENT) {
    const result = await recordCallBack(actor, params.reference, form);
    if (!result.ok) return data({ errors: null, intent: null, contact: null, followUp: { errors: result.errors, values: result.values } }, { status: 400 });
    return { errors: null, intent: FOLLOW_UP_INTENT, contact: null, followUp: null };
  }
  const parsed = parseCaseAction(form);
  if (!parsed.ok) return data({ errors: parsed.errors, intent: null, contact: null, followUp: null }, { status: 400 });
  const result = await performCaseAction(actor, params.reference, parsed.data);
  // After a transfer the case belongs to another unit: back to the queue.
  if (parsed.data.intent === "transfer") return redirect(`/staff?transferred=${encodeURIComponent(params.reference)}`, { status: 303 });
  return { errors: null, intent: parsed.data.intent, contact: result.contact ?? null, followUp: null };
}

export default function StaffCase({ loaderData: c, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const contact = actionData?.contact;
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
        {c.followedRating ? (
          <>
            <dt>{t("staff.case.followedRating")}</dt>
            <dd data-testid="followed-rating">
              {t("staff.case.ratingValue", { unit: c.followedRating.unitName, date: c.followedRating.on })}
              {c.followedRating.responseId !== null ? (
                <>
                  {" · "}
                  <span dir="ltr">#{c.followedRating.responseId}</span>
                </>
              ) : null}
              <br />
              <span className="hint">{t("staff.case.ratingHint")}</span>
            </dd>
          </>
        ) : null}
        <dt>{t("staff.case.acceptDue")}</dt>
        <dd>{c.acceptDueAt}</dd>
        <dt>{t("track.replyDue")}</dt>
        <dd>{c.replyDueAt}</dd>
        <dt>{t("staff.case.contact")}</dt>
        <dd>
          {c.anonymous ? (
            t("staff.case.anonymous")
          ) : c.contactRemoved ? (
            <span data-testid="contact-removed">
              {t(c.contactRemoved.byCitizen ? "staff.case.contactRemovedByCitizen" : "staff.case.contactRemovedByRetention", { date: c.contactRemoved.at })}
            </span>
          ) : contact ? (
            <span data-testid="contact">
              {contact.name ? <UserText text={contact.name} /> : null}
              {[contact.phone, contact.email]
                .filter(Boolean)
                .map((v) => (
                  <span key={v}>
                    {" · "}
                    <span dir="ltr">{v}</span>
                  </span>
                ))}
            </span>
          ) : c.mayContact ? (
            <Form method="post">
              <button type="submit" name="intent" value="view_contact" className="button">
                {t("staff.case.showContact")}
              </button>
            </Form>
          ) : (
            t("staff.case.contactHidden")
          )}
        </dd>
      </dl>
      <section className="panel" aria-labelledby="text-title">
        <h2 id="text-title">{t("complaint.field.description")}</h2>
        <WrittenIn text={c.description} stored={c.lang} />
        <UserText as="p" className="reply-text" text={c.description} stored={c.lang} testId="description" />
        {c.when ? (
          <p>
            {t("staff.case.when")}: <UserText text={c.when} stored={c.lang} />
          </p>
        ) : null}
        {c.where ? (
          <p>
            {t("staff.case.where")}: <UserText text={c.where} stored={c.lang} />
          </p>
        ) : null}
        <PhotoList
          photos={c.photos.map((p) => ({ ...p, src: `/staff/cases/${c.reference}/photos/${p.id}` }))}
          alt={(number) => t("staff.case.photo", { number })}
        />
        {c.photosRemovedAt ? (
          <p className="hint" data-testid="photos-removed">
            {t("staff.case.photosRemoved", { date: c.photosRemovedAt })}
          </p>
        ) : null}
      </section>
      {c.followUp ? <FollowUpPanel f={c.followUp} failed={actionData?.followUp ?? null} /> : null}
      <CaseTimeline events={c.events} />
      <CaseActions actions={c.actions} units={c.transferUnits} errors={actionData?.errors ?? null} />
      <OfficeAndExtensions c={c} />
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}

function CaseActions({
  actions,
  units,
  errors,
}: {
  actions: StaffCaseAction[];
  units: { code: string; name: string }[];
  errors: Record<string, string> | null;
}) {
  const { t } = useT();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  if (actions.length === 0) return null;
  const simple = actions.filter((a) => a === "accept" || a === "start" || a === "close");
  const withText = actions.filter((a) => a === "reply" || a === "reject" || a === "note");
  return (
    <section className="panel" aria-labelledby="actions-title">
      <h2 id="actions-title">{t("staff.case.actions")}</h2>
      {errors ? (
        <p className="field-error" role="alert">
          {Object.values(errors).map((e) => t(e, { max: NOTE_MAX })).join(" ")}
        </p>
      ) : null}
      {simple.length ? (
        <Form method="post" className="action-buttons">
          {simple.map((a) => (
            <button key={a} type="submit" name="intent" value={a} className="button primary" disabled={busy}>
              {t(`staff.action.${a}`)}
            </button>
          ))}
        </Form>
      ) : null}
      {withText.map((a) => (
        <Form key={a} method="post" className="field">
          <NoteField id={`note-${a}`} label={t(`staff.action.${a}Label`)} rows={3} />
          <button type="submit" name="intent" value={a} className="button" disabled={busy}>
            {t(`staff.action.${a}`)}
          </button>
        </Form>
      ))}
      {actions.includes("transfer") ? (
        <Form method="post" className="field">
          <label htmlFor="toUnit" className="q-label">
            {t("staff.action.transferTo")}
          </label>
          <select id="toUnit" name="toUnit" defaultValue="">
            <option value="">{t("complaint.field.unitPlaceholder")}</option>
            {units.map((u) => (
              <option key={u.code} value={u.code}>
                {u.name}
              </option>
            ))}
          </select>
          <NoteField id="note-transfer" label={t("staff.action.transferLabel")} />
          <button type="submit" name="intent" value="transfer" className="button" disabled={busy}>
            {t("staff.action.transfer")}
          </button>
        </Form>
      ) : null}
    </section>
  );
}

function OfficeAndExtensions({ c }: { c: Route.ComponentProps["loaderData"] }) {
  const { t } = useT();
  const ext = c.extension;
  if (!ext.canRequest && !ext.canDecide && !c.canSupervise && ext.history.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="ext-title">
      <h2 id="ext-title">{t("staff.extension.title")}</h2>
      {ext.history.length ? (
        <ul>
          {ext.history.map((e) => (
            <li key={e.id}>
              {t("staff.extension.item", { days: e.days, status: t(`staff.extension.status.${e.status}`) })} — <UserText text={e.reason} />
              {e.note ? (
                <>
                  {" ("}
                  <UserText text={e.note} />)
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {ext.canRequest ? (
        <Form method="post" className="field">
          <label htmlFor="days" className="q-label">
            {t("staff.extension.days", { max: ext.maxDays })}
          </label>
          <input id="days" name="days" type="number" min={1} max={ext.maxDays} inputMode="numeric" required />
          <NoteField id="note-ext" label={t("staff.extension.reason")} />
          <button type="submit" name="intent" value="request_extension" className="button">
            {t("staff.extension.request")}
          </button>
        </Form>
      ) : null}
      {ext.canDecide ? (
        <Form method="post" className="field">
          <NoteField id="note-decision" label={t("staff.extension.decisionNote")} />
          <div className="action-buttons">
            <button type="submit" name="intent" value="approve_extension" className="button primary">
              {t("staff.extension.approve")}
            </button>
            <button type="submit" name="intent" value="refuse_extension" className="button">
              {t("staff.extension.refuse")}
            </button>
          </div>
        </Form>
      ) : null}
      {c.appealRating !== null ? (
        <p className="field" data-testid="appeal-rating">
          {t("staff.rating.given", { grade: t(`grade.${c.appealRating}`) })}
          {" · "}
          <Link to={`/staff/appeals/new?case=${encodeURIComponent(c.reference)}`}>{t("appeal.thisRating")}</Link>
        </p>
      ) : null}
      {c.canSupervise && c.rating ? (
        <Form method="post" className="field">
          <p>
            {t("staff.rating.given", { grade: t(`grade.${c.rating.grade}`) })}
            {c.rating.excluded ? (
              <>
                {" · "}
                <TextIn sentence={(reason) => t("staff.rating.excluded", { reason })} text={c.rating.reason ?? ""} />
              </>
            ) : null}
          </p>
          {!c.rating.excluded ? (
            <>
              <NoteField id="note-exclude-rating" label={t("staff.rating.reason")} />
              <button type="submit" name="intent" value="exclude_rating" className="button">
                {t("staff.rating.exclude")}
              </button>
            </>
          ) : null}
        </Form>
      ) : null}
      {c.canSupervise ? (
        <Form method="post" className="field">
          <NoteField id="note-supervise" label={t("staff.supervise.label")} />
          <button type="submit" name="intent" value="supervise" className="button">
            {t("staff.supervise.submit")}
          </button>
        </Form>
      ) : null}
    </section>
  );
}

/**
 * 差评回访: the deadline and state of the call-back owed after a dissatisfied rating, and the form
 * to record an attempt. A refused form shows each field's error and keeps what was typed; after a
 * recorded attempt the form starts empty again (its key is the number of attempts).
 */
function FollowUpPanel({
  f,
  failed,
}: {
  f: NonNullable<Route.ComponentProps["loaderData"]["followUp"]>;
  failed: { errors: Record<string, string>; values: FollowUpValues } | null;
}) {
  const { t } = useT();
  const navigation = useNavigation();
  const errors = failed?.errors ?? {};
  const values = failed?.values ?? {};
  const choose = { value: "", label: t("staff.followUp.choose") };
  return (
    <section className="panel" aria-labelledby="follow-up-title" data-testid="follow-up">
      <h2 id="follow-up-title">{t("staff.followUp.title")}</h2>
      <p data-testid="follow-up-due">
        {t("staff.followUp.due", { date: f.dueAt })} — <strong data-testid="follow-up-state">{t(`staff.followUp.state.${f.state}`)}</strong>
        {f.doneAt ? <> ({t("staff.followUp.doneAt", { date: f.doneAt })})</> : null}
      </p>
      <p className="hint">{t("staff.followUp.hint")}</p>
      {f.canRecord ? (
        <Form method="post" key={f.attempts} noValidate aria-labelledby="follow-up-form-title">
          <h3 id="follow-up-form-title">{t("staff.followUp.record")}</h3>
          <TextField name="calledAt" type="datetime-local" label={t("staff.followUp.calledAtLabel")} value={values.calledAt ?? f.now} error={errors.calledAt} />
          <SelectField
            name="method"
            label={t("staff.followUp.methodLabel")}
            value={values.method}
            error={errors.method}
            options={[choose, ...followUpMethods.map((m) => ({ value: m, label: t(`staff.followUp.method.${m}`) }))]}
          />
          <SelectField
            name="outcome"
            label={t("staff.followUp.outcomeLabel")}
            value={values.outcome}
            error={errors.outcome}
            options={[choose, ...followUpOutcomes.map((o) => ({ value: o, label: t(`staff.followUp.outcome.${o}`) }))]}
          />
          <TextAreaField name="note" label={t("staff.followUp.noteLabel")} value={values.note} error={errors.note} errorVars={{ max: NOTE_MAX }} maxLength={NOTE_MAX} rows={3} />
          <button type="submit" name="intent" value={FOLLOW_UP_INTENT} className="button" disabled={navigation.state !== "idle"}>
            {t("staff.followUp.submit")}
          </button>
        </Form>
      ) : null}
    </section>
  );
}

/** The note of a case form: a labelled text the server reads as `note`. */
function NoteField({ id, label, rows = 2 }: { id: string; label: string; rows?: number }) {
  return (
    <>
      <label htmlFor={id} className="q-label">
        {label}
      </label>
      <textarea id={id} name="note" rows={rows} maxLength={NOTE_MAX} />
    </>
  );
}
