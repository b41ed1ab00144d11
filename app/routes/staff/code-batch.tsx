import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/code-batch";
import { AuditTrail } from "#app/components/AuditTrail";
import { TextField } from "#app/components/form-fields";
import { StatusPage } from "#app/components/StatusPage";
import { TextIn, UserText } from "#app/components/UserText";
import { pickText } from "#app/domain/localized";
import { type BatchKind, parseRevokeForm } from "#app/domain/rating-codes";
import { useT } from "#app/i18n/context";
import { formatDateTime } from "#app/i18n/format";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { readForm } from "#app/lib/http.server";
import { requireStaff } from "#app/lib/staff-session.server";
import { auditTrail } from "#app/models/audit.server";
import { actorNames } from "#app/models/audit-log.server";
import { revokeRatingCodeBatch } from "#app/models/rating-code.server";
import { batchCounts, requireBatch, requireCodeUnits } from "#app/services/rating-codes.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

// One batch of rating codes: what was issued, for which unit and survey, how many were used, and
// revocation with a reason. The codes themselves were shown once, when issued, and are not stored.
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { actor } = await requireStaff(request);
  await requireCodeUnits(actor);
  const batch = await requireBatch(actor, params.batchId);
  const lng = getLocale(context);
  const trail = await auditTrail("rating_code_batch", batch.id);
  const names = await actorNames([batch.createdById, batch.revokedById, ...trail.map((e) => e.actorId)]);
  return {
    title: getT(context)("codes.batch.title", { id: batch.id }),
    done: new URL(request.url).searchParams.get("done") === "revoked",
    batch: {
      id: batch.id,
      kind: batch.kind as BatchKind,
      label: batch.label,
      unit: `${pickText(batch.unit.names, lng, defaultLanguage)} (${batch.unit.code})`,
      unitCode: batch.unit.code,
      survey: pickText(batch.survey.titles, lng, defaultLanguage),
      surveySlug: batch.survey.slug,
      createdAt: formatDateTime(batch.createdAt, lng),
      createdBy: batch.createdById ? (names.get(batch.createdById) ?? null) : null,
      expiresAt: formatDateTime(batch.expiresAt, lng),
      revokedAt: batch.revokedAt ? formatDateTime(batch.revokedAt, lng) : null,
      revokedBy: batch.revokedById ? (names.get(batch.revokedById) ?? null) : null,
      revokeReason: batch.revokeReason,
      ...batchCounts(batch),
    },
    trail: trail.map((e) => ({ id: e.id, action: e.action, at: formatDateTime(e.at, lng), actor: names.get(e.actorId ?? 0) ?? null, note: e.note, data: e.data })),
  };
}

export async function action({ request, params }: Route.ActionArgs) {
  const { user, actor } = await requireStaff(request);
  await requireCodeUnits(actor);
  const batch = await requireBatch(actor, params.batchId);
  const form = await readForm(request);
  if (form.get("intent") !== "revoke") return data({ errors: { form: "codes.errors.state" } as Record<string, string>, values: {} as Record<string, string> }, { status: 400 });
  const parsed = parseRevokeForm(form);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  if (!(await revokeRatingCodeBatch({ batchId: batch.id, reason: parsed.data.reason, actorId: user.id }))) {
    return data({ errors: { form: "codes.errors.state" } as Record<string, string>, values: {} as Record<string, string> }, { status: 409 });
  }
  return redirect(`/staff/codes/${batch.id}?done=revoked`, { status: 303 });
}

export default function RatingCodeBatch({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const { batch } = loaderData;
  const errors = actionData?.errors ?? {};
  const state = { active: t("codes.states.active"), expired: t("codes.states.expired"), revoked: t("codes.states.revoked") }[batch.state];
  return (
    <article className="staff">
      <p>
        <Link to={`/staff/codes?${new URLSearchParams({ unit: batch.unitCode, survey: batch.surveySlug })}`}>{t("codes.batch.back")}</Link>
      </p>
      <h1>{t("codes.batch.title", { id: batch.id })}</h1>
      {loaderData.done ? (
        <p className="notice" role="status">
          {t("codes.batch.revokedDone")}
        </p>
      ) : null}
      {errors.form ? (
        <p className="error-summary" role="alert">
          {t(errors.form)}
        </p>
      ) : null}
      <dl className="credentials">
        <dt>{t("codes.batches.unit")}</dt>
        <dd>{batch.unit}</dd>
        <dt>{t("codes.batches.survey")}</dt>
        <dd>{batch.survey}</dd>
        <dt>{t("codes.batches.kind")}</dt>
        <dd>{batch.kind === "sheet" ? t("codes.kinds.sheet") : t("codes.kinds.counter")}</dd>
        {batch.label ? (
          <>
            <dt>{t("codes.sheet.label")}</dt>
            <UserText as="dd" text={batch.label} />
          </>
        ) : null}
        <dt>{t("codes.batch.created")}</dt>
        <dd>{batch.createdBy ? <TextIn sentence={(name) => t("codes.batch.createdBy", { at: batch.createdAt, name })} text={batch.createdBy} /> : batch.createdAt}</dd>
        <dt>{t("codes.batch.expiresAt")}</dt>
        <dd>{batch.expiresAt}</dd>
        <dt>{t("codes.batches.state")}</dt>
        <dd data-testid="batch-state">{state}</dd>
        {batch.revokedAt ? (
          <>
            <dt>{t("codes.batch.revokedAt")}</dt>
            <dd>{batch.revokedBy ? <TextIn sentence={(name) => t("codes.batch.createdBy", { at: batch.revokedAt ?? "", name })} text={batch.revokedBy} /> : batch.revokedAt}</dd>
            <dt>{t("codes.batch.reason")}</dt>
            <UserText as="dd" text={batch.revokeReason ?? ""} />
          </>
        ) : null}
      </dl>
      <div className="table-scroll">
        <table className="queue">
          <caption>{t("codes.batch.counts")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("codes.batches.issued")}</th>
              <th scope="col">{t("codes.batches.used")}</th>
              <th scope="col">{t("codes.batches.unused")}</th>
              <th scope="col">{t("codes.batches.expired")}</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>{batch.issued}</td>
              <td>{batch.used}</td>
              <td>{batch.unused}</td>
              <td>{batch.expired + batch.revoked}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <p className="hint">{t("codes.batch.notShown")}</p>

      {batch.revokedAt ? null : (
        <section className="panel" aria-labelledby="revoke-title">
          <h2 id="revoke-title">{t("codes.batch.revoke")}</h2>
          <p className="hint">{t("codes.batch.revokeHelp")}</p>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="revoke" />
            <TextField name="reason" label={t("codes.batch.reason")} value={actionData?.values.reason} error={errors.reason} maxLength={200} errorVars={{ min: 2, max: 200 }} dir="auto" />
            <button type="submit" className="button">
              {t("codes.batch.revokeSubmit")}
            </button>
          </Form>
        </section>
      )}

      <AuditTrail title={t("codes.batch.history")} events={loaderData.trail} />
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
