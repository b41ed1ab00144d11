// What a staff member may post on a case page. Messages are translation keys.
import { z } from "zod/mini";
import { actionsNeedingNote } from "./case-flow";

export const staffCaseActions = [
  "accept",
  "start",
  "transfer",
  "reject",
  "reply",
  "close",
  "note",
  "view_contact",
  "request_extension",
  "approve_extension",
  "refuse_extension",
  "supervise",
  "exclude_rating",
] as const;
const needNote = new Set(["note", "request_extension", "refuse_extension", "supervise", "exclude_rating"]);
export type StaffCaseAction = (typeof staffCaseActions)[number];
export const NOTE_MAX = 2000;

const schema = z.object({
  intent: z.enum(staffCaseActions, { error: "errors.invalidChoice" }),
  note: z.optional(z.string().check(z.maxLength(NOTE_MAX, { error: "errors.tooLong" }))),
  toUnit: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,32}$/, { error: "errors.chooseUnit" }))),
  days: z.optional(z.string().check(z.regex(/^\d{1,2}$/, { error: "errors.extensionDays" }))),
});

export type CaseActionInput = z.infer<typeof schema>;

export function parseCaseAction(form: { get(name: string): unknown }):
  | { ok: true; data: CaseActionInput }
  | { ok: false; errors: Record<string, string> } {
  const str = (k: string) => {
    const v = form.get(k);
    return typeof v === "string" && v.trim() !== "" ? v.replace(/\r\n/g, "\n").trim() : undefined;
  };
  const result = schema.safeParse({ intent: str("intent"), note: str("note"), toUnit: str("toUnit"), days: str("days") });
  if (!result.success) {
    const errors: Record<string, string> = {};
    for (const issue of result.error.issues) errors[String(issue.path[0] ?? "intent")] ??= issue.message;
    return { ok: false, errors };
  }
  const d = result.data;
  const errors: Record<string, string> = {};
  if ((actionsNeedingNote.has(d.intent as never) || needNote.has(d.intent)) && !d.note) errors.note = "errors.required";
  if (d.intent === "request_extension" && !d.days) errors.days = "errors.extensionDays";
  if (d.intent === "transfer" && !d.toUnit) errors.toUnit = "errors.chooseUnit";
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, data: d };
}
