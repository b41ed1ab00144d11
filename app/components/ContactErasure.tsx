// The citizen's request to delete their contact details from a complaint (issue 15; docs/decisions/
// 0024), on the page a signed case link opened (/track/open). Three states, all drawn by the server
// so they work without JavaScript: the explanation with a button that opens the confirmation step
// (a GET: opening it deletes nothing, and mail scanners that follow links change nothing), the step
// itself, whose button alone posts confirm=1, and the page that says it was done.
import { useEffect, useRef } from "react";
import { Form, Link } from "react-router";
import { CONFIRM_FIELD } from "#app/domain/confirmation";
import { FORGET_CONTACT_INTENT, FORGET_STEP_PARAM } from "#app/domain/contact-erasure-form";
import { useT } from "#app/i18n/context";

/** A reference (TS-2026-000123) keeps its own order inside a right-to-left sentence. */
const ltr = (text: string) => `\u2066${text}\u2069`;

/** The section on the case page: why the contact is kept, what deleting it does, and the way to the step (or the step itself). */
export function ForgetContact({ token, reference, step, error }: { token: string; reference: string; step: boolean; error: string | null }) {
  const { t } = useT();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (step) ref.current?.focus();
  }, [step]);
  if (!step) {
    return (
      <section className="panel" aria-labelledby="forget-title">
        <h2 id="forget-title">{t("caseLinks.forget.title")}</h2>
        <p>{t("caseLinks.forget.lead")}</p>
        <p>{t("caseLinks.forget.effect")}</p>
        <Form method="get">
          <input type="hidden" name="t" value={token} />
          <input type="hidden" name={FORGET_STEP_PARAM} value="1" />
          <button type="submit" className="button">
            {t("caseLinks.forget.start")}
          </button>
        </Form>
      </section>
    );
  }
  return (
    <section ref={ref} id="forget-step" className="confirm-step" tabIndex={-1} aria-labelledby="forget-step-title" autoFocus>
      <h2 id="forget-step-title">{t("caseLinks.forget.confirmTitle")}</h2>
      {error ? (
        <p className="field-error" id="forget-error" role="alert">
          {t(error)}
        </p>
      ) : null}
      <p>{t("caseLinks.forget.confirmBody", { reference: ltr(reference) })}</p>
      <Form method="post" className="action-buttons">
        <input type="hidden" name="t" value={token} />
        <input type="hidden" name="intent" value={FORGET_CONTACT_INTENT} />
        <input type="hidden" name={CONFIRM_FIELD} value="1" />
        <button type="submit" className="button danger" aria-describedby={error ? "forget-error" : undefined}>
          {t("caseLinks.forget.confirm")}
        </button>
        <Link to={`?t=${encodeURIComponent(token)}`} className="button">
          {t("caseLinks.forget.cancel")}
        </Link>
      </Form>
    </section>
  );
}

/** After the deletion: what was deleted, that no further updates come, and how to follow the complaint now. */
export function ContactRemoved({ reference }: { reference: string }) {
  const { t } = useT();
  // The answer replaces the case page where the citizen was (near its end): start reading at the top.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <article className="survey">
      <h1 ref={heading} tabIndex={-1}>
        {t("caseLinks.forget.doneTitle")}
      </h1>
      <p className="intro" role="status" data-testid="contact-removed">
        {t("caseLinks.forget.doneBody", { reference: ltr(reference) })}
      </p>
      <p>{t("caseLinks.forget.doneTrack")}</p>
      <p>
        <a href={`/track?ref=${encodeURIComponent(reference)}`}>{t("track.title")}</a>
      </p>
    </article>
  );
}
