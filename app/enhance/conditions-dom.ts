// Display conditions in the browser: questions appear and disappear as the citizen answers, by
// the same rule the server applies (visibleQuestionKeys). A hidden question's controls are
// disabled, so its answer is not sent (and the server would ignore it anyway).
import { visibleQuestionKeys } from "#app/domain/conditions";
import { fieldName, type FormQuestion } from "#app/domain/questions";
import { readSubmittedValues, type SubmittedValues } from "#app/domain/survey-form";
import { markQuestion, setDescribedBy } from "./errors-dom";
import { answersInForm, asFormLike } from "./form-values";

export function questionElements(form: HTMLFormElement): HTMLElement[] {
  return Array.from(form.querySelectorAll<HTMLElement>("[data-question]"));
}

/**
 * The conditions in words are for pages without scripts: with the questions shown and hidden
 * live, they go (and leave the controls' descriptions).
 */
export function dropConditionNotes(form: HTMLFormElement): void {
  for (const p of Array.from(form.querySelectorAll<HTMLElement>("p.q-condition"))) {
    p.hidden = true;
    if (!p.id) continue;
    for (const el of Array.from(form.querySelectorAll(`[aria-describedby]`))) setDescribedBy(el, p.id, false);
  }
}

/**
 * Shows the questions whose conditions hold for the answers given (this step's, as in the form,
 * and the other step's, `given`) and hides the others.
 */
export function applyConditions(
  form: HTMLFormElement,
  questions: readonly FormQuestion[],
  stepQuestions: readonly FormQuestion[],
  given: SubmittedValues,
): void {
  if (!questions.some((q) => q.condition)) return;
  const current = readSubmittedValues(asFormLike(answersInForm(form)), stepQuestions);
  const visible = visibleQuestionKeys(questions, { ...given, ...current });
  for (const el of questionElements(form)) {
    const key = el.dataset.question ?? "";
    const hide = !visible.has(key);
    el.hidden = hide;
    if (el instanceof HTMLFieldSetElement) el.disabled = hide;
    for (const c of Array.from(el.querySelectorAll<HTMLInputElement>("input, textarea, select"))) c.disabled = hide;
    if (hide && el.classList.contains("has-error")) markQuestion(el, fieldName(key), null);
  }
}
