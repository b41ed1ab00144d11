// Answers kept while the citizen switches language (issue 12): the language links load the page
// anew, so the form's answers are parked in sessionStorage (this tab only) under the page's
// draftKey and put back, once, by the page in the new language. Pure parts; the DOM side is in
// app/enhance/form-values.ts.
import type { StorageLike } from "./outbox";

/** Field name → the values given (checked choices, or the text as typed). */
export type Draft = Record<string, string[]>;

/** Parks a draft; false when the storage refused it (the answers are then lost, as without scripts). */
export function saveDraft(storage: StorageLike | null, key: string, draft: Draft): boolean {
  if (!storage || !key) return false;
  try {
    storage.setItem(key, JSON.stringify(draft));
    return true;
  } catch {
    return false;
  }
}

/** Takes the parked draft out of storage (a draft is restored once); null when there is none. */
export function takeDraft(storage: StorageLike | null, key: string): Draft | null {
  if (!storage || !key) return null;
  let raw: string | null;
  try {
    raw = storage.getItem(key);
    if (raw !== null) storage.removeItem(key);
  } catch {
    return null;
  }
  if (!raw) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
  const draft: Draft = {};
  for (const [name, list] of Object.entries(parsed as Record<string, unknown>)) {
    if (Array.isArray(list)) draft[name] = list.filter((v): v is string => typeof v === "string");
  }
  return draft;
}
