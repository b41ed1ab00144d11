// The complaint form: one validation for the server (always) and the browser (enhancement).
// Messages are translation keys. The contact part is optional: a citizen may stay anonymous, or
// leave a phone number or an e-mail address (at least one) for the handling unit only.
import { z } from "zod/mini";
import { complaintTypes } from "./case-flow";

export const COMPLAINT_LIMITS = {
  descriptionMin: 10,
  descriptionMax: 2000,
  when: 100,
  where: 200,
  name: 50,
} as const;

export const PHONE = /^\+?[0-9][0-9 -]{5,19}$/;
export const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;

export const complaintFields = [
  "unit",
  "type",
  "description",
  "when",
  "where",
  "anonymous",
  "contactName",
  "contactPhone",
  "contactEmail",
  "consent",
] as const;
export type ComplaintField = (typeof complaintFields)[number];
export type ComplaintValues = Partial<Record<ComplaintField, string>>;

const text = (max: number) => z.string().check(z.maxLength(max, { error: "errors.tooLong" }));

const schema = z.object({
    unit: z.string({ error: "errors.chooseUnit" }).check(z.minLength(1, { error: "errors.chooseUnit" })),
    type: z.enum(complaintTypes, {
      error: (iss) => (iss.input === undefined ? "errors.required" : "errors.invalidChoice"),
    }),
    description: z
      .string({ error: "errors.required" })
      .check(
        z.minLength(1, { error: "errors.required" }),
        z.minLength(COMPLAINT_LIMITS.descriptionMin, { error: "errors.tooShort" }),
        z.maxLength(COMPLAINT_LIMITS.descriptionMax, { error: "errors.tooLong" }),
      ),
    when: z.optional(text(COMPLAINT_LIMITS.when)),
    where: z.optional(text(COMPLAINT_LIMITS.where)),
    anonymous: z.enum(["yes", "no"], { error: "errors.chooseContact" }),
    contactName: z.optional(text(COMPLAINT_LIMITS.name)),
    contactPhone: z.optional(z.string().check(z.regex(PHONE, { error: "errors.phone" }))),
    contactEmail: z.optional(z.string().check(z.regex(EMAIL, { error: "errors.email" }))),
    consent: z.literal("yes", { error: "errors.consent" }),
});

export type ComplaintInput = z.infer<typeof schema>;

export function readComplaintValues(form: { get(name: string): unknown }): ComplaintValues {
  const values: ComplaintValues = {};
  for (const f of complaintFields) {
    const raw = form.get(f);
    if (typeof raw !== "string") continue;
    const v = f === "description" ? raw.replace(/\r\n/g, "\n").trim() : raw.trim();
    if (v !== "") values[f] = v;
  }
  return values;
}

export type ComplaintParse =
  | { ok: true; data: ComplaintInput }
  | { ok: false; errors: Partial<Record<ComplaintField, string>>; values: ComplaintValues };

export function parseComplaint(values: ComplaintValues): ComplaintParse {
  const result = schema.safeParse(values);
  // Checked apart from the schema so that it is reported together with any other problem.
  const contactMissing = values.anonymous === "no" && !values.contactPhone && !values.contactEmail;
  if (result.success && !contactMissing) {
    const d = result.data;
    // An anonymous complaint keeps no contact details, whatever was typed.
    if (d.anonymous === "yes") return { ok: true, data: { ...d, contactName: undefined, contactPhone: undefined, contactEmail: undefined } };
    return { ok: true, data: d };
  }
  const errors: Partial<Record<ComplaintField, string>> = {};
  for (const issue of result.success ? [] : result.error.issues) {
    const field = String(issue.path[0] ?? "") as ComplaintField;
    if (field && !errors[field]) errors[field] = issue.message;
  }
  if (contactMissing) errors.contactPhone ??= "errors.contactNeeded";
  return { ok: false, errors, values };
}

export const COMPLAINT_FIELD_ORDER = complaintFields;

/** Tracking lookup: a reference like TS-2026-000123 and the code given with it. */
export const REFERENCE_PATTERN = /^TS-\d{4}-\d{6,}$/;
export const ACCESS_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const ACCESS_CODE_LENGTH = 8;

export function normalizeReference(s: string): string {
  return s.trim().toUpperCase().replace(/\s+/g, "");
}

export function normalizeAccessCode(s: string): string {
  return s.trim().toUpperCase().replace(/[\s-]+/g, "");
}

export function formatReference(year: number, n: number): string {
  return `TS-${year}-${String(n).padStart(6, "0")}`;
}

/** The tracking form: look a complaint up, then optionally judge its handling. */
const trackSchema = z.object({
  reference: z.string({ error: "errors.required" }).check(z.regex(REFERENCE_PATTERN, { error: "errors.reference" })),
  code: z.string({ error: "errors.required" }).check(z.regex(/^[A-Z0-9]{8}$/, { error: "errors.accessCode" })),
  intent: z.enum(["view", "rate", "not_resolved"], { error: "errors.invalidChoice" }),
  grade: z.optional(z.enum(["5", "4", "3", "2", "1"], { error: "errors.invalidChoice" })),
  note: z.optional(z.string().check(z.maxLength(500, { error: "errors.tooLong" }))),
});

export type TrackInput = z.infer<typeof trackSchema>;

export function parseTracking(form: { get(name: string): unknown }):
  | { ok: true; data: TrackInput }
  | { ok: false; errors: Record<string, string>; values: Record<string, string> } {
  const str = (k: string) => {
    const v = form.get(k);
    return typeof v === "string" && v.trim() !== "" ? v : undefined;
  };
  const values = {
    reference: str("reference") && normalizeReference(str("reference")!),
    code: str("code") && normalizeAccessCode(str("code")!),
    intent: str("intent") ?? "view",
    grade: str("grade"),
    note: str("note")?.trim(),
  };
  const result = trackSchema.safeParse(values);
  if (result.success) {
    if (result.data.intent === "rate" && !result.data.grade) {
      return { ok: false, errors: { grade: "errors.required" }, values: clean(values) };
    }
    return { ok: true, data: result.data };
  }
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "");
    if (field && !errors[field]) errors[field] = issue.message;
  }
  return { ok: false, errors, values: clean(values) };
}

function clean(v: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => e[1] !== undefined));
}
