// What the survey pages (the rating's two steps) hand to their own small script
// (app/enhance/survey.ts), which runs without the framework's client runtime
// (docs/decisions/0015). The page is complete without it; the script adds validation messages,
// display conditions, answers kept across a language switch and the offline outbox.
//
// Markup the script relies on (drawn by app/components/SurveyForm.tsx):
// - <script type="application/json" id={PAGE_DATA_ID}>: a SurveyPageData.
// - <form method="post" data-survey-form> with hidden fields `submissionId`, `started` and an
//   empty `finishedAt` (the script fills it with the phone's clock when the citizen sends).
// - Each question: an element with data-question="<key>" (fieldset or div, class "question");
//   inside it, its inputs named q_<key>, an optional p.q-condition (the display condition in
//   words, for pages without scripts) and p.q-help; errors go in p.field-error#q_<key>-error.
// - div#error-summary-slot: where the error summary goes (div.error-summary as the server draws it).
// - p#send-status (role=status, hidden until used): what happened to a send.
// - The language links: nav.lang-switcher a.
// - When the script has set up the page: <html data-enhanced="true"> (end-to-end tests wait on it).
import type { FormQuestion, SurveyStep } from "#app/domain/questions";
import type { SubmittedValues } from "#app/domain/survey-form";

export const PAGE_DATA_ID = "page-data";

/** The strings the script shows, as translation keys; the page embeds their text (SurveyPageData.messages). */
export const ENHANCE_KEYS = [
  "errors.required",
  "errors.invalidChoice",
  "errors.tooLong",
  "form.errorSummary",
  "survey.submit",
  "survey.submitting",
  "survey.outbox.saved",
  "survey.outbox.retrying",
  "survey.outbox.sentEarlier",
] as const;
export type EnhanceKey = (typeof ENHANCE_KEYS)[number];

export interface SurveyPageData {
  /** Every question of the survey version, in order (with its step). */
  questions: FormQuestion[];
  /** Question key → its text in the page's language (the error summary links to each). */
  labels: Record<string, string>;
  /** The step this page's form sends. */
  step: SurveyStep;
  /** The answers given in the other step, as form values: they take part in display conditions. */
  given: SubmittedValues;
  /** Texts of ENHANCE_KEYS in the page's language ({{name}} placeholders as in the locales). */
  messages: Record<EnhanceKey, string>;
  /** sessionStorage key for the answers kept while the citizen switches language (survey, version, unit, step). */
  draftKey: string;
  /**
   * Whether a valid send goes through the outbox (kept on the phone until the server has it).
   * False for the office's preview, which stores nothing and answers with a page, not a redirect:
   * its form is posted the ordinary way once valid.
   */
  outbox?: boolean;
}
