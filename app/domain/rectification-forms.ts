// The forms of 差评整改 and 申诉 (issue 14): one zod/mini schema each, messages as translation keys,
// and the values as typed handed back when a form is refused.
import { z } from "zod/mini";
import { firstErrors, type FormLike, formString } from "./form-helpers";
import { appealGrounds } from "./rectification";

export const TEXT_MAX = 4000;
export const NOTE_MAX = 1000;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: Record<string, string>; values: Record<string, string> };

function read(form: Pick<FormLike, "get">, names: readonly string[]): Record<string, string> {
  // Text areas send CRLF; stored as LF, so a length check counts what is kept.
  return Object.fromEntries(names.map((n) => [n, formString(form, n).replace(/\r\n/g, "\n")]));
}

const text = (min: number, max: number, error: string) => z.string().check(z.minLength(min, { error }), z.maxLength(max, { error: "errors.textTooLong" }));

const submitSchema = z.object({
  cause: text(10, TEXT_MAX, "errors.rectificationCause"),
  measures: text(10, TEXT_MAX, "errors.rectificationMeasures"),
});

/** The unit head's cause found and measures taken. */
export function parseRectificationSubmit(form: Pick<FormLike, "get">): FormResult<{ cause: string; measures: string }> {
  const values = read(form, ["cause", "measures"]);
  const r = submitSchema.safeParse(values);
  return r.success ? { ok: true, data: r.data } : { ok: false, errors: firstErrors(r.error.issues), values };
}

const decisionSchema = z
  .object({
    decision: z.enum(["accept", "return"], { error: "errors.invalidChoice" }),
    note: z.string().check(z.maxLength(NOTE_MAX, { error: "errors.textTooLong" })),
  })
  .check(z.refine((v) => v.decision !== "return" || v.note.length >= 5, { error: "errors.returnNote", path: ["note"] }));

/** The office's verification: accept, or return with a note saying what is missing. */
export function parseRectificationDecision(form: Pick<FormLike, "get">): FormResult<{ decision: "accept" | "return"; note: string | null }> {
  const values = read(form, ["decision", "note"]);
  const r = decisionSchema.safeParse(values);
  return r.success ? { ok: true, data: { decision: r.data.decision, note: r.data.note || null } } : { ok: false, errors: firstErrors(r.error.issues), values };
}

const appealSchema = z.object({
  grounds: z.enum(appealGrounds, { error: "errors.invalidChoice" }),
  evidence: text(10, TEXT_MAX, "errors.appealEvidence"),
});

/** A unit head's appeal: why the rating is mistaken or malicious, with the evidence. */
export function parseAppeal(form: Pick<FormLike, "get">): FormResult<{ grounds: (typeof appealGrounds)[number]; evidence: string }> {
  const values = read(form, ["grounds", "evidence"]);
  const r = appealSchema.safeParse(values);
  return r.success ? { ok: true, data: r.data } : { ok: false, errors: firstErrors(r.error.issues), values };
}

const appealDecisionSchema = z.object({
  decision: z.enum(["uphold", "reject"], { error: "errors.invalidChoice" }),
  note: text(5, NOTE_MAX, "errors.appealNote"),
});

/** The office's decision on an appeal, always with a note (it becomes the exclusion's reason when upheld). */
export function parseAppealDecision(form: Pick<FormLike, "get">): FormResult<{ decision: "uphold" | "reject"; note: string }> {
  const values = read(form, ["decision", "note"]);
  const r = appealDecisionSchema.safeParse(values);
  return r.success ? { ok: true, data: r.data } : { ok: false, errors: firstErrors(r.error.issues), values };
}

const reversalSchema = z.object({ note: text(5, NOTE_MAX, "errors.appealNote") });

/** The office's reason for counting a rating again after an upheld appeal. */
export function parseAppealReversal(form: Pick<FormLike, "get">): FormResult<{ note: string }> {
  const values = read(form, ["note"]);
  const r = reversalSchema.safeParse(values);
  return r.success ? { ok: true, data: r.data } : { ok: false, errors: firstErrors(r.error.issues), values };
}
