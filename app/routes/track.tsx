import { useRef } from "react";
import { data, Form } from "react-router";
import type { Route } from "./+types/track";
import type { PageHandle } from "#app/components/PageFrame";
import { ErrorSummary, FieldMessages, TextAreaField, TextField, useFocusFirstError } from "#app/components/form-fields";
import { CaseTimeline } from "#app/components/CaseTimeline";
import { PhotoList } from "#app/components/PhotoList";
import { StatusPage } from "#app/components/StatusPage";
import { UserText } from "#app/components/UserText";
import { parseTracking } from "#app/domain/complaint-form";
import { pickText } from "#app/domain/localized";
import { grades } from "#app/domain/questions";
import { useT } from "#app/i18n/context";
import { formatDateTime } from "#app/i18n/format";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { passRetryAfter, readForm } from "#app/lib/http.server";
import { networkKey, recordTrackingFailure, trackingBlockedFor } from "#app/lib/rate-limit.server";
import { trackPhotosPath } from "#app/domain/track-proof";
import { grantTrackedPhotos } from "#app/lib/complaint-cookies.server";
import { canRate, type CitizenComplaint, findByReferenceAndCode, recordCitizenVerdict } from "#app/models/complaint.server";

export const handle: PageHandle = { page: "track" };

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

export const headers = passRetryAfter;

export async function loader({ request, context }: Route.LoaderArgs) {
  return { title: getT(context)("track.title"), reference: new URL(request.url).searchParams.get("ref") ?? "" };
}

/** What the citizen may see of their complaint: never contact details or internal notes. */
function citizenView(c: CitizenComplaint, code: string, lng: string) {
  return {
    reference: c.reference,
    code,
    unitName: pickText(c.unit.names, lng, defaultLanguage),
    type: c.type,
    status: c.status,
    // What the citizen wrote, in the language it was written on; contact details stay out (the
    // code is a bearer secret: whoever holds it must not learn the citizen's phone number).
    description: c.description,
    when: c.occurredWhen,
    where: c.occurredWhere,
    lang: c.lang,
    anonymous: c.anonymous,
    photos: c.photos.map((p) => ({ id: p.id, src: `${trackPhotosPath(c.reference)}/${p.id}`, width: p.width, height: p.height })),
    submittedAt: formatDateTime(c.submittedAt, lng),
    replyDueAt: formatDateTime(c.replyDueAt, lng),
    reply: c.publicReply,
    rejectReason: c.rejectReason,
    grade: c.handlingGrade,
    canRate: canRate(c),
    events: c.events.map((e) => ({
      id: e.id,
      at: formatDateTime(e.at, lng),
      action: e.action,
      // Reasons for transfers stay internal; replies and rejections are for the citizen.
      note: e.action === "reply" || e.action === "reject" || e.action === "reopen" ? e.note : null,
      grade: e.action === "rate" ? e.note : null,
    })),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const lng = getLocale(context);
  const form = await readForm(request);
  let parsed = parseTracking(form);
  // A verdict without a grade (or with a too long note): show the case again with the error.
  let verdictError: string | null = null;
  if (!parsed.ok && !parsed.errors.reference && !parsed.errors.code) {
    verdictError = parsed.errors.grade ?? parsed.errors.note ?? "errors.invalidChoice";
    parsed = parseTracking(new URLSearchParams({ reference: parsed.values.reference ?? "", code: parsed.values.code ?? "", intent: "view" }));
  }
  if (!parsed.ok) {
    return data({ errors: parsed.errors as Record<string, string>, values: parsed.values, complaint: null, wait: 0 }, { status: 400 });
  }
  const { reference, code, intent } = parsed.data;
  // Counted per network only: nobody can lock a citizen out of their own reference (rate-limit.server.ts).
  const network = networkKey(request);
  const wait = await trackingBlockedFor(network);
  if (wait > 0) {
    return data(
      { errors: null, values: { reference } as Record<string, string>, complaint: null, wait: Math.ceil(wait / 60) },
      { status: 429, headers: { "Retry-After": String(wait) } },
    );
  }
  let complaint = await findByReferenceAndCode(reference, code);
  if (!complaint) {
    await recordTrackingFailure(network);
    // The same answer for an unknown reference and a wrong code.
    return data(
      { errors: { code: "errors.notFound" } as Record<string, string>, values: { reference } as Record<string, string>, complaint: null, wait: 0 },
      { status: 404 },
    );
  }
  if (intent !== "view") {
    const done =
      intent === "rate"
        ? await recordCitizenVerdict(complaint.id, { grade: Number(parsed.data.grade) })
        : await recordCitizenVerdict(complaint.id, { notResolved: true, note: parsed.data.note ?? null });
    if (done) complaint = (await findByReferenceAndCode(reference, code))!;
  }
  const view = { ...citizenView(complaint, code, lng), verdictError };
  // Proof for the photos' own requests (they carry no code): see app/domain/track-proof.ts.
  const headers = { "Set-Cookie": await grantTrackedPhotos(complaint.reference) };
  return data({ errors: null, values: null, complaint: view, wait: 0 }, { status: verdictError ? 400 : 200, headers });
}

export default function Track({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const formRef = useRef<HTMLFormElement>(null);
  const errors: Record<string, string> = actionData?.errors ?? {};
  const first = ["reference", "code"].find((f) => errors[f]);
  useFocusFirstError(formRef, first, errors);
  const complaint = actionData?.complaint;
  if (complaint) return <ComplaintStatus c={complaint} />;
  const values: Record<string, string> = actionData?.values ?? { reference: loaderData.reference };
  return (
    <article className="survey">
      <h1>{t("track.title")}</h1>
      <p className="intro">{t("track.lead")}</p>
      {actionData?.wait ? (
        <p className="error-summary" role="alert">
          {t("track.slowDown", { minutes: actionData.wait })}
        </p>
      ) : (
        <ErrorSummary
          items={["reference", "code"].filter((f) => errors[f]).map((f) => ({ name: f, label: t(`complaint.field.${f}`) }))}
        />
      )}
      <Form method="post" ref={formRef} noValidate className="question">
        <input type="hidden" name="intent" value="view" />
        <TextField name="reference" label={t("complaint.field.reference")} help={t("track.referenceHelp")} error={errors.reference} value={values.reference} maxLength={20} autoFocus={first === "reference"} />
        <TextField name="code" label={t("complaint.field.code")} error={errors.code} value="" maxLength={12} autoFocus={first === "code"} />
        <button type="submit" className="button primary submit">
          {t("track.submit")}
        </button>
      </Form>
      <p>
        <a href="/complaints/new">{t("home.fileComplaint")}</a>
      </p>
    </article>
  );
}

type View = ReturnType<typeof citizenView> & { verdictError: string | null };

function ComplaintStatus({ c }: { c: View }) {
  const { t } = useT();
  return (
    <article className="survey">
      <h1>
        {t("track.caseTitle")} <span dir="ltr">{c.reference}</span>
      </h1>
      <dl className="credentials">
        <dt>{t("complaint.field.unit")}</dt>
        <dd>{c.unitName}</dd>
        <dt>{t("complaint.field.type")}</dt>
        <dd>{t(`complaint.type.${c.type}`)}</dd>
        <dt>{t("track.status")}</dt>
        <dd data-testid="status">{t(`complaint.status.${c.status}`)}</dd>
        <dt>{t("track.replyDue")}</dt>
        <dd>{c.replyDueAt}</dd>
      </dl>
      <YourComplaint c={c} />
      {c.reply ? (
        <section className="panel" aria-labelledby="reply-title">
          <h2 id="reply-title">{t("track.reply")}</h2>
          <UserText as="p" className="reply-text" text={c.reply} testId="reply" />
        </section>
      ) : null}
      {c.rejectReason ? (
        <section className="panel" aria-labelledby="reject-title">
          <h2 id="reject-title">{t("track.rejected")}</h2>
          <UserText as="p" className="reply-text" text={c.rejectReason} />
        </section>
      ) : null}
      <CaseTimeline events={c.events} />
      {c.grade ? <p className="notice">{t("track.rated", { grade: t(`grade.${c.grade}`) })}</p> : null}
      {c.canRate ? <Verdict c={c} /> : null}
    </article>
  );
}

/** What the citizen filed: their text, when and where, the photos; whether they left contact details, never the details. */
function YourComplaint({ c }: { c: View }) {
  const { t } = useT();
  return (
    <section className="panel" aria-labelledby="text-title">
      <h2 id="text-title">{t("track.yourComplaint")}</h2>
      <UserText as="p" className="complaint-text" text={c.description} stored={c.lang} testId="description" />
      {c.when || c.where ? (
        <dl className="credentials">
          {c.when ? (
            <>
              <dt>{t("track.when")}</dt>
              <UserText as="dd" text={c.when} stored={c.lang} />
            </>
          ) : null}
          {c.where ? (
            <>
              <dt>{t("track.where")}</dt>
              <UserText as="dd" text={c.where} stored={c.lang} />
            </>
          ) : null}
        </dl>
      ) : null}
      <PhotoList photos={c.photos} alt={(number) => t("track.photo", { number })} />
      <p className="hint">{c.anonymous ? t("track.stayedAnonymous") : t("track.contactKept")}</p>
    </section>
  );
}

function Verdict({ c }: { c: View }) {
  const { t } = useT();
  return (
    <section className="panel" aria-labelledby="rate-title">
      <h2 id="rate-title">{t("track.rateTitle")}</h2>
      <Form method="post">
        <input type="hidden" name="reference" value={c.reference} />
        <input type="hidden" name="code" value={c.code} />
        <fieldset className="question">
          <legend className="q-label">{t("track.rateQuestion")}</legend>
          <FieldMessages name="grade" error={c.verdictError ?? undefined} />
          <div className="choices grades">
            {grades.map((g, i) => (
              <label key={g} className="choice">
                <input
                  type="radio"
                  name="grade"
                  value={String(g)}
                  id={i === 0 ? "grade" : undefined}
                  aria-invalid={c.verdictError ? true : undefined}
                  aria-describedby={c.verdictError ? "grade-error" : undefined}
                  autoFocus={Boolean(c.verdictError) && i === 0}
                />
                <span>{t(`grade.${g}`)}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <button type="submit" name="intent" value="rate" className="button primary submit">
          {t("track.rateSubmit")}
        </button>
      </Form>
      <Form method="post" className="not-resolved">
        <input type="hidden" name="reference" value={c.reference} />
        <input type="hidden" name="code" value={c.code} />
        <TextAreaField name="note" label={t("track.notResolvedNote")} rows={3} maxLength={500} />
        <button type="submit" name="intent" value="not_resolved" className="button submit">
          {t("track.notResolved")}
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
