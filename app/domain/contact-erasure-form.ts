// The citizen's request to delete their contact details from a complaint (issue 15; docs/decisions/
// 0024), posted from the page a signed case link opened (/track/open): the link's token, the
// intent, and confirm=1, which only the confirmation step's button sends. Without it nothing is
// deleted (400, the step shown again). Messages are translation keys.
import { CONFIRM_FIELD } from "./confirmation";

export const FORGET_CONTACT_INTENT = "forget_contact";
/** The query parameter that opens the confirmation step (a GET: opening it changes nothing). */
export const FORGET_STEP_PARAM = "forget";

type Form = { get(name: string): unknown };

export type ContactErasureInput =
  | { ok: true; t: string }
  | { ok: false; t: string | null; error: "errors.required" | "errors.tooLong" | "caseLinks.forget.confirmMissing" };

/** Whether a post is this form's (any other intent is the rating form's). */
export function isContactErasure(form: Form): boolean {
  return form.get("intent") === FORGET_CONTACT_INTENT;
}

export function parseContactErasure(form: Form): ContactErasureInput {
  const raw = form.get("t");
  const t = typeof raw === "string" && raw.trim() !== "" ? raw.trim() : null;
  if (t === null) return { ok: false, t, error: "errors.required" };
  if (t.length > 512) return { ok: false, t: null, error: "errors.tooLong" };
  if (form.get(CONFIRM_FIELD) !== "1") return { ok: false, t, error: "caseLinks.forget.confirmMissing" };
  return { ok: true, t };
}
