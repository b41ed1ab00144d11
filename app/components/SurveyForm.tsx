// The survey as a citizen answers it: used by the survey page and by the office's preview, so
// the preview is exactly what citizens see.
import { useEffect, useRef, useState } from "react";
import { Form, useNavigation } from "react-router";
import { ErrorSummary } from "#app/components/form-fields";
import { QuestionField } from "#app/components/QuestionField";
import {
  type FieldErrors,
  parseAnswers,
  readSubmittedValues,
  shownQuestions,
  type SubmittedValues,
} from "#app/domain/survey-form";
import { useT } from "#app/i18n/context";
import type { LocalizedSurvey } from "#app/services/citizen-survey.server";

export const HONEYPOT_FIELD = "website";

export function SurveyForm({
  survey,
  unitName,
  visit,
  started,
  serverErrors,
  serverValues,
  hidden = {},
  notice = null,
}: {
  survey: LocalizedSurvey;
  unitName: string;
  visit: string | null;
  started: string;
  serverErrors: FieldErrors | null;
  serverValues: SubmittedValues | null;
  /** More hidden fields to post (a valid single-use rating code from the citizen's link). */
  hidden?: Record<string, string>;
  /** Shown under the title: the verified rating, or why a code could not be used. */
  notice?: React.ReactNode;
}) {
  const { t } = useT();
  const navigation = useNavigation();
  const [clientErrors, setClientErrors] = useState<FieldErrors | null>(null);
  const errors = clientErrors ?? serverErrors;
  const formRef = useRef<HTMLFormElement>(null);
  const questions = survey.questions;

  // Display conditions: without scripts every question is shown with its condition stated (and
  // the server ignores answers the conditions hide); with scripts, questions appear and disappear
  // as the citizen answers. Before hydration both renders agree: everything shown.
  const conditional = questions.some((q) => q.condition);
  const [current, setCurrent] = useState<SubmittedValues | null>(null);
  useEffect(() => {
    if (conditional && formRef.current) setCurrent(readSubmittedValues(new FormData(formRef.current), questions));
  }, [conditional, questions]);
  const shown = conditional && current ? new Set(shownQuestions(questions, current).map((q) => q.key)) : null;
  function trackAnswers(event: React.FormEvent<HTMLFormElement>) {
    if (conditional) setCurrent(readSubmittedValues(new FormData(event.currentTarget), questions));
  }

  function validateInBrowser(event: React.FormEvent<HTMLFormElement>) {
    const result = parseAnswers(readSubmittedValues(new FormData(event.currentTarget), questions), questions);
    if (!result.ok) {
      event.preventDefault();
      setClientErrors(result.errors);
    } else {
      setClientErrors(null);
    }
  }

  return (
    <article className="survey">
      <header className="survey-header">
        <p className="unit-name">
          <span className="visually-hidden">{t("survey.unitLabel")} </span>
          {unitName}
        </p>
        <h1>{survey.title}</h1>
        {survey.intro ? <p className="intro">{survey.intro}</p> : null}
        <p className="hint">{t("survey.anonymousHint")}</p>
      </header>
      {notice}
      {/* After a refused submission the focus goes to this list (its links lead to each question). */}
      <ErrorSummary
        items={questions.filter((q) => errors?.[`q_${q.key}`]).map((q) => ({ name: `q_${q.key}`, label: q.text }))}
        focusOn={errors ?? undefined}
      />
      <Form method="post" noValidate ref={formRef} onSubmit={validateInBrowser} onChange={trackAnswers}>
        <input type="hidden" name="started" value={started} />
        {visit ? <input type="hidden" name="visit" value={visit} /> : null}
        {Object.entries(hidden).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <div className="hp" aria-hidden="true">
          <label>
            {t("survey.honeypot")}
            <input type="text" name={HONEYPOT_FIELD} tabIndex={-1} autoComplete="off" defaultValue="" />
          </label>
        </div>
        {questions.map((q, i) => (
          <QuestionField
            key={q.key}
            question={q}
            number={i + 1}
            error={errors?.[`q_${q.key}`]}
            value={serverValues?.[`q_${q.key}`]}
            hidden={shown ? !shown.has(q.key) : false}
            showCondition={!shown}
          />
        ))}
        <button type="submit" className="button primary submit" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? t("survey.submitting") : t("survey.submit")}
        </button>
      </Form>
    </article>
  );
}
