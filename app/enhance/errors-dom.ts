// Validation messages drawn in the browser exactly as the server draws them (ErrorSummary in
// app/components/form-fields.tsx, QuestionField.tsx), so a page looks and reads the same whether
// the server or the script found the mistake.
import { DEFAULT_TEXT_MAX_LENGTH, fieldName, type FormQuestion } from "#app/domain/questions";
import type { FieldErrors } from "#app/domain/survey-form";
import { message, type Messages } from "./messages";

const SUMMARY_TITLE_ID = "error-summary-title";

function tokens(value: string | null): string[] {
  return (value ?? "").split(/\s+/).filter(Boolean);
}

/** Adds or removes one id in an element's aria-describedby (which the server orders condition, help, error). */
export function setDescribedBy(el: Element, id: string, on: boolean): void {
  const list = tokens(el.getAttribute("aria-describedby")).filter((t) => t !== id);
  if (on) list.push(id);
  if (list.length > 0) el.setAttribute("aria-describedby", list.join(" "));
  else el.removeAttribute("aria-describedby");
}

export function answerControlsOf(container: Element, name: string): HTMLElement[] {
  return Array.from(container.querySelectorAll<HTMLElement>("input, textarea, select")).filter(
    (el) => (el as HTMLInputElement).name === name,
  );
}

/** Shows (message) or clears (null) the error of one question. */
export function markQuestion(container: HTMLElement, name: string, text: string | null): void {
  const errorId = `${name}-error`;
  container.classList.toggle("has-error", text !== null);
  let p = container.querySelector<HTMLElement>(`p.field-error`);
  if (p && p.id !== errorId) p = null;
  if (text === null) {
    p?.remove();
  } else {
    if (!p) {
      p = document.createElement("p");
      p.id = errorId;
      p.className = "field-error";
      // After the question's label, condition and help, as the server places it.
      const before = Array.from(container.children).filter((c) => c.matches(".q-label, .q-condition, .q-help")).pop();
      if (before) before.after(p);
      else container.prepend(p);
    }
    p.textContent = text;
  }
  for (const el of answerControlsOf(container, name)) {
    if (text === null) el.removeAttribute("aria-invalid");
    else el.setAttribute("aria-invalid", "true");
    setDescribedBy(el, errorId, text !== null);
  }
}

export function errorText(messages: Messages, q: Pick<FormQuestion, "maxLength">, key: string): string {
  return message(messages, key, { max: q.maxLength ?? DEFAULT_TEXT_MAX_LENGTH });
}

/**
 * Draws the error summary in its slot (or empties the slot when there are no errors) and
 * returns it. Its links go to each question's first control (id q_<key>).
 */
export function drawSummary(
  slot: HTMLElement,
  items: readonly { name: string; label: string }[],
  messages: Messages,
): HTMLElement | null {
  slot.textContent = "";
  if (items.length === 0) return null;
  const box = document.createElement("div");
  box.className = "error-summary";
  box.setAttribute("role", "alert");
  box.setAttribute("aria-labelledby", SUMMARY_TITLE_ID);
  box.tabIndex = -1;
  const h2 = document.createElement("h2");
  h2.id = SUMMARY_TITLE_ID;
  h2.textContent = message(messages, "form.errorSummary", { count: items.length });
  const ul = document.createElement("ul");
  for (const item of items) {
    const a = document.createElement("a");
    a.href = `#${item.name}`;
    a.textContent = item.label;
    const li = document.createElement("li");
    li.append(a);
    ul.append(li);
  }
  box.append(h2, ul);
  slot.append(box);
  return box;
}

/**
 * Marks every question of the page with its error (or none) and draws the summary in form order.
 * Returns the summary when there were errors.
 */
export function showErrors(
  form: HTMLFormElement,
  slot: HTMLElement | null,
  questions: readonly FormQuestion[],
  errors: FieldErrors,
  labels: Readonly<Record<string, string>>,
  messages: Messages,
): HTMLElement | null {
  const items: { name: string; label: string }[] = [];
  for (const q of questions) {
    const name = fieldName(q.key);
    const container = form.querySelector<HTMLElement>(`[data-question="${CSS.escape(q.key)}"]`);
    const key = errors[name];
    if (container) markQuestion(container, name, key ? errorText(messages, q, key) : null);
    if (key) items.push({ name, label: labels[q.key] ?? q.key });
  }
  return slot ? drawSummary(slot, items, messages) : null;
}
