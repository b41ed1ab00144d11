// What every form parser in app/domain needs: the form as FormData or URLSearchParams, a field as
// trimmed text, and zod's issues as the first translation key per field.

export type FormLike = { get(name: string): unknown; getAll(name: string): unknown[] };

/** The form field of a name in one language ("name_ug"): units and periods are named in every language. */
export const nameField = (lng: string) => `name_${lng}`;

/** A field's value as trimmed text ("" when absent or a file). */
export function formString(form: Pick<FormLike, "get">, name: string): string {
  const v = form.get(name);
  return typeof v === "string" ? v.trim() : "";
}

/** The first message per top-level field ("form" for an issue without a path). */
export function firstErrors(issues: readonly { path: PropertyKey[]; message: string }[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
  return errors;
}
