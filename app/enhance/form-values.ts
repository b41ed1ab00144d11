// Reading and writing the survey form's answers straight from its controls.
import type { Draft } from "./draft";

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

const ANSWER_PREFIX = "q_";

function answerControls(form: HTMLFormElement): Control[] {
  const list: Control[] = [];
  for (const el of Array.from(form.elements)) {
    if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) {
      if (el.name.startsWith(ANSWER_PREFIX)) list.push(el);
    }
  }
  return list;
}

const isChoice = (el: Control): el is HTMLInputElement => el instanceof HTMLInputElement && (el.type === "radio" || el.type === "checkbox");

/**
 * Every answer in the form, including those of questions hidden (and so disabled) by their display
 * condition: the conditions themselves ignore an answer whose question is hidden, and a question
 * shown again gets its answer back.
 */
export function answersInForm(form: HTMLFormElement): Draft {
  const values: Draft = {};
  for (const el of answerControls(form)) {
    if (isChoice(el) && !el.checked) continue;
    (values[el.name] ??= []).push(el.value);
  }
  return values;
}

/** The answers as the FormData-like object readSubmittedValues reads. */
export function asFormLike(values: Draft): { get(name: string): string | null; getAll(name: string): string[] } {
  return { get: (name) => values[name]?.[0] ?? null, getAll: (name) => values[name] ?? [] };
}

/** Puts answers back into the form: choices checked as listed, texts filled; others cleared. */
export function fillForm(form: HTMLFormElement, values: Draft): void {
  for (const el of answerControls(form)) {
    const given = values[el.name] ?? [];
    if (isChoice(el)) el.checked = given.includes(el.value);
    else el.value = given[0] ?? "";
  }
}
