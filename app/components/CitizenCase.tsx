// The citizen's view of their complaint, shared by /track (reference and access code) and
// /track/open (a signed link from a message): the rating forms send back the page's proof in
// hidden fields (the reference and code, or the link's token), and the server checks it again.
import type { ReactNode } from "react";
import { Form } from "react-router";
import { FieldMessages, TextAreaField } from "#app/components/form-fields";
import { CaseTimeline } from "#app/components/CaseTimeline";
import { PhotoList } from "#app/components/PhotoList";
import { UserText } from "#app/components/UserText";
import { grades } from "#app/domain/questions";
import { useT } from "#app/i18n/context";
import type { CitizenView } from "#app/services/citizen-case.server";

function ProofFields({ proof }: { proof: Record<string, string> }) {
  return (
    <>
      {Object.entries(proof).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
    </>
  );
}

/**
 * The complaint as its citizen sees it: state, what they filed, the answer, the timeline, and the
 * rating form while rating is possible; `children` (a link-opened page's own parts) come last.
 */
export function ComplaintStatus({ c, children }: { c: CitizenView; children?: ReactNode }) {
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
      {children}
    </article>
  );
}

/** What the citizen filed: their text, when and where, the photos; whether they left contact details, never the details. */
function YourComplaint({ c }: { c: CitizenView }) {
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
      {c.photosRemovedAt ? <p className="hint">{t("track.photosRemoved", { date: c.photosRemovedAt })}</p> : null}
      <p className="hint" data-testid="contact-state">
        {c.anonymous ? t("track.stayedAnonymous") : c.contactRemovedAt ? t("track.contactRemoved", { date: c.contactRemovedAt }) : t("track.contactKept")}
      </p>
    </section>
  );
}

function Verdict({ c }: { c: CitizenView }) {
  const { t } = useT();
  return (
    <section className="panel" aria-labelledby="rate-title">
      <h2 id="rate-title">{t("track.rateTitle")}</h2>
      <Form method="post">
        <ProofFields proof={c.proof} />
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
        <ProofFields proof={c.proof} />
        <TextAreaField name="note" label={t("track.notResolvedNote")} rows={3} maxLength={500} />
        <button type="submit" name="intent" value="not_resolved" className="button submit">
          {t("track.notResolved")}
        </button>
      </Form>
    </section>
  );
}
