// The forms of citizens' links (issue 13): the rating sent from a page a signed link opened
// (/track/open), and "I lost my code" (/track/lost). Messages are translation keys.
import { z } from "zod/mini";
import { EMAIL, PHONE } from "./complaint-form";
import { normalizeContact } from "./notifications";

const verdictSchema = z.object({
  t: z.string({ error: "errors.required" }).check(z.minLength(1, { error: "errors.required" }), z.maxLength(512, { error: "errors.tooLong" })),
  intent: z.enum(["rate", "not_resolved"], { error: "errors.invalidChoice" }),
  grade: z.optional(z.enum(["5", "4", "3", "2", "1"], { error: "errors.invalidChoice" })),
  note: z.optional(z.string().check(z.maxLength(500, { error: "errors.tooLong" }))),
});

export type LinkVerdictInput = z.infer<typeof verdictSchema>;

type Form = { get(name: string): unknown };
const str = (form: Form, k: string) => {
  const v = form.get(k);
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
};

function firstErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? "");
    if (field && !errors[field]) errors[field] = issue.message;
  }
  return errors;
}

/** The rating form of a link-opened page; the token `t` is checked again by the caller. */
export function parseLinkVerdict(form: Form):
  | { ok: true; data: LinkVerdictInput }
  | { ok: false; errors: Record<string, string>; values: Record<string, string> } {
  const values = { t: str(form, "t"), intent: str(form, "intent"), grade: str(form, "grade"), note: str(form, "note") };
  const kept = Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined));
  const result = verdictSchema.safeParse(values);
  if (!result.success) return { ok: false, errors: firstErrors(result.error.issues), values: kept };
  if (result.data.intent === "rate" && !result.data.grade) return { ok: false, errors: { grade: "errors.required" }, values: kept };
  return { ok: true, data: result.data };
}

const contactSchema = z.object({
  intent: z.literal("send", { error: "errors.invalidChoice" }),
  contact: z
    .string({ error: "errors.required" })
    .check(
      z.minLength(1, { error: "errors.required" }),
      z.maxLength(320, { error: "errors.tooLong" }),
      z.refine((v) => (v.includes("@") ? EMAIL.test(v) : PHONE.test(v)), { error: "caseLinks.badContact" }),
    ),
});

/** "I lost my code": an e-mail address or a phone number, as the complaint form accepts them. */
export function parseLostCode(form: Form): { ok: true; contact: string; normalized: string } | { ok: false; errors: Record<string, string>; values: Record<string, string> } {
  const contact = str(form, "contact");
  const result = contactSchema.safeParse({ intent: str(form, "intent"), contact });
  if (!result.success) return { ok: false, errors: firstErrors(result.error.issues), values: contact ? { contact } : {} };
  return { ok: true, contact: result.data.contact, normalized: normalizeContact(result.data.contact) };
}
