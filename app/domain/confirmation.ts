// Actions on official numbers and on what citizens can reach (closing a period, new method
// parameters on an open period, removing a question, publishing scored questions into an open
// period, deactivating a unit) run in two steps. The first post changes nothing: the server
// answers with the page and a confirmation panel that spells out the consequence. The panel's
// button posts the same values again plus confirm=1, and only then does the action run. Being a
// page the server draws, the step works without JavaScript (no confirm() dialog) and cannot be
// skipped by a script that leaves the dialog out: without confirm=1 the server never acts.
import type { FormLike } from "./form-helpers";

export const CONFIRM_FIELD = "confirm";

/** The post says "yes, do it": confirm=1 exactly (anything else is the first step). */
export function isConfirmed(form: Pick<FormLike, "get">): boolean {
  return form.get(CONFIRM_FIELD) === "1";
}

/** Whether the action stops at the confirmation step: it needs one here and the post did not confirm. */
export function needsConfirmation(form: Pick<FormLike, "get">, required = true): boolean {
  return required && !isConfirmed(form);
}

/**
 * The fields the confirmation step posts again: every text field of the first post, in order,
 * except confirm itself (the panel adds it). Files are never carried (no action here takes one).
 */
export function carriedFields(form: Iterable<[string, unknown]>): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, value] of form) {
    if (name === CONFIRM_FIELD || typeof value !== "string") continue;
    out.push([name, value]);
  }
  return out;
}
