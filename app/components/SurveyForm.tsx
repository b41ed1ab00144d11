// One step of the survey as a citizen answers it, drawn whole on the server: used by the survey
// page (step 1), the thanks page (step 2) and the office's preview, so the preview is exactly what
// citizens see. The page works without scripts; its own small script (app/enhance/survey.ts)
// reads the page data below and adds messages, display conditions, answers kept across a language
// switch and the offline outbox. No React state here: the page ships no framework runtime.
import { ErrorSummary } from "#app/components/form-fields";
import { QuestionField } from "#app/components/QuestionField";
import { ENHANCE_KEYS, type EnhanceKey, PAGE_DATA_ID, type SurveyPageData } from "#app/enhance/contract";
import type { FormQuestion, SurveyStep } from "#app/domain/questions";
import type { FieldErrors, SubmittedValues } from "#app/domain/survey-form";
import { formatNumber } from "#app/i18n/format";
import { useT } from "#app/i18n/context";
import { serializeForScript } from "#app/i18n/client-resources";
import type { LocalizedSurvey } from "#app/services/citizen-survey.server";

export const HONEYPOT_FIELD = "website";
export const SUBMISSION_ID_FIELD = "submissionId";
export const FINISHED_AT_FIELD = "finishedAt";

export function SurveyForm({
  survey,
  step,
  steps,
  unitName,
  hidden,
  serverErrors,
  serverValues,
  given = {},
  draftKey,
  notice = null,
  showIntro = step === 1,
  omit = [],
  headingLevel = 1,
  extraHidden = [],
  outbox = true,
}: {
  survey: LocalizedSurvey;
  step: SurveyStep;
  /** How many steps this survey has (1 when it has no detail step). */
  steps: 1 | 2;
  unitName: string;
  /** Hidden fields to post: started, submissionId, a kiosk visit, a rating code, step 2's ticket. */
  hidden: Record<string, string>;
  serverErrors: FieldErrors | null;
  serverValues: SubmittedValues | null;
  /** The other step's answers (step 2: step 1's, as stored): they decide display conditions. */
  given?: SubmittedValues;
  draftKey: string;
  /** Shown under the title: the verified rating, why a code could not be used, step 1 saved. */
  notice?: React.ReactNode;
  showIntro?: boolean;
  /** Questions of this step that the other step's answers already hide (their condition is decided). */
  omit?: readonly string[];
  /** 2 when the page has its own h1 above the form (the thanks page's step 2). */
  headingLevel?: 1 | 2;
  /** Hidden fields that may repeat a name (the preview's step 2 carries step 1's answers). */
  extraHidden?: readonly (readonly [string, string])[];
  /** Sends through the phone's outbox (false: the office's preview, which stores nothing). */
  outbox?: boolean;
}) {
  const Title = headingLevel === 2 ? "h2" : "h1";
  const { t, lng } = useT();
  const errors = serverErrors;
  const questions = survey.questions.filter((q) => q.step === step && !omit.includes(q.key));
  // The quick step's items are usually all required: said once, not on every item.
  const allRequired = questions.length > 1 && questions.every((q) => q.required);
  const pageData: SurveyPageData = {
    questions: survey.questions.map(({ key, kind, required, allowNa, options, maxLength, condition, step: s }): FormQuestion => ({
      key,
      kind,
      required,
      allowNa,
      options,
      maxLength,
      condition,
      step: s,
    })),
    labels: Object.fromEntries(survey.questions.map((q) => [q.key, q.text])),
    step,
    given,
    messages: Object.fromEntries(ENHANCE_KEYS.map((key) => [key, t(key)])) as Record<EnhanceKey, string>,
    draftKey,
    outbox,
  };

  return (
    <article className={`survey step-${step}`}>
      <header className="survey-header">
        <p className="unit-name">
          <span className="visually-hidden">{t("survey.unitLabel")} </span>
          {unitName}
        </p>
        <Title>{survey.title}</Title>
        {steps === 2 ? (
          <p className="progress">
            {t(step === 1 ? "survey.progress.quick" : "survey.progress.detail", { step: formatNumber(step, lng), steps: formatNumber(steps, lng) })}
          </p>
        ) : null}
        {showIntro && survey.intro ? <p className="intro">{survey.intro}</p> : null}
        <p className="hint">{t(step === 2 ? "survey.detailHint" : allRequired ? "survey.allRequiredHint" : "survey.anonymousHint")}</p>
        <noscript>
          <p className="hint">{t("survey.languageLosesAnswers")}</p>
        </noscript>
      </header>
      {notice}
      {/* After a refused submission the focus goes to this list (its links lead to each question). */}
      <div id="error-summary-slot">
        <ErrorSummary
          items={questions.filter((q) => errors?.[`q_${q.key}`]).map((q) => ({ name: `q_${q.key}`, label: q.text }))}
          focusOn={errors ?? undefined}
        />
      </div>
      <form method="post" noValidate data-survey-form="">
        {Object.entries(hidden).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        {extraHidden.map(([name, value], i) => (
          <input key={`${name}-${i}`} type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name={FINISHED_AT_FIELD} value="" />
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
            showCondition
            quietRequired={allRequired}
          />
        ))}
        <p id="send-status" className="notice send-status" role="status" hidden />
        <button type="submit" className="button primary submit">
          {t(step === 1 ? "survey.submit" : "survey.submitDetail")}
        </button>
      </form>
      <script
        type="application/json"
        id={PAGE_DATA_ID}
        // The script's data; not executed (a data block), so it needs no nonce.
        dangerouslySetInnerHTML={{ __html: serializeForScript(pageData) }}
      />
    </article>
  );
}
