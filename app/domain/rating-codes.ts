// Single-use rating codes (一次一评): a unit hands a citizen a code with the service, so the
// citizen's rating of that transaction is "verified". Plain rules here: the code's alphabet and
// form, the issuing and revoking forms, and the bounds; storage lives in
// app/models/rating-code.server.ts, where only a keyed hash of a code is ever kept.
import { z } from "zod/mini";
import { firstErrors, type FormLike, formString as str } from "./form-helpers";
import { parseId } from "./ids";
import { SLUG_PATTERN } from "./survey-definition";

/**
 * 31 symbols without look-alikes (no 0/O, 1/I/L): a code read aloud or typed from a slip is not
 * mistaken. 10 of them carry log2(31^10) ≈ 49.5 bits: guessing one of even a million live codes
 * takes ~10^9 tries on average.
 */
export const RATING_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const RATING_CODE_LENGTH = 10;
const codePattern = new RegExp(`^[${RATING_CODE_ALPHABET}]{${RATING_CODE_LENGTH}}$`);

/** A new code; `randomIndex(n)` must be a uniform cryptographic integer in [0, n) (crypto.randomInt). */
export function generateRatingCode(randomIndex: (n: number) => number): string {
  let code = "";
  for (let i = 0; i < RATING_CODE_LENGTH; i++) code += RATING_CODE_ALPHABET[randomIndex(RATING_CODE_ALPHABET.length)];
  return code;
}

/** As typed or scanned: upper case, without spaces or dashes (`k7qm 2xwd-h9` → `K7QM2XWDH9`). */
export function normalizeRatingCode(input: string): string {
  return input.slice(0, 64).toUpperCase().replace(/[\s\-‐-―]/g, "");
}

/** A normalised code that could have been issued (anything else is unknown without a lookup). */
export function isWellFormedRatingCode(normalized: string): boolean {
  return codePattern.test(normalized);
}

/** Shown and printed in groups of four: `K7QM-2XWD-H9`. */
export function formatRatingCode(code: string): string {
  return normalizeRatingCode(code).replace(/(.{4})(?=.)/g, "$1-");
}

/** What a slip's QR code holds: the unit's survey link with the code (`/s/<slug>?unit=<CODE>&c=<code>`). */
export function ratingCodeUrl(origin: string, slug: string, unitCode: string, code: string): string {
  return `${origin.replace(/\/$/, "")}/s/${encodeURIComponent(slug)}?${new URLSearchParams({ unit: unitCode, c: normalizeRatingCode(code) })}`;
}

export const ratingCodeRefusals = ["unknown", "used", "expired", "revoked", "other_unit"] as const;
export type RatingCodeRefusal = (typeof ratingCodeRefusals)[number];

export type RatingCodeCheck = { ok: true; codeId: number } | { ok: false; reason: RatingCodeRefusal };

/** What is stored about a code and its batch, as the check reads it. */
export interface StoredRatingCode {
  id: number;
  usedAt: Date | null;
  surveyId: number;
  unitId: number;
  expiresAt: Date;
  revokedAt: Date | null;
}

/**
 * Whether a stored code may verify a response to this survey for this unit now. Another survey's
 * code counts as another unit's: a code rates one transaction of one unit in one survey. A used
 * code says so even when its batch was revoked or has expired since.
 */
export function judgeRatingCode(code: StoredRatingCode | null, surveyId: number, unitId: number, now: Date): RatingCodeCheck {
  if (!code) return { ok: false, reason: "unknown" };
  if (code.surveyId !== surveyId || code.unitId !== unitId) return { ok: false, reason: "other_unit" };
  if (code.usedAt) return { ok: false, reason: "used" };
  if (code.revokedAt) return { ok: false, reason: "revoked" };
  if (code.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, codeId: code.id };
}

export const batchKinds = ["sheet", "counter"] as const;
export type BatchKind = (typeof batchKinds)[number];

/** Bounds of what one issuing may ask for. */
export const ratingCodeLimits = {
  sheet: { minSize: 1, maxSize: 500, defaultSize: 30, minDays: 1, maxDays: 90, defaultDays: 30 },
  counter: { minHours: 1, maxHours: 24, defaultHours: 2 },
} as const;

const HOUR = 3600_000;

export function batchExpiry(kind: BatchKind, amount: number, now: Date): Date {
  return new Date(now.getTime() + (kind === "sheet" ? amount * 24 : amount) * HOUR);
}

/** A batch's state for the lists: revoked wins over expired, which wins over active. */
export function batchState(batch: { revokedAt: Date | null; expiresAt: Date }, now: Date): "active" | "expired" | "revoked" {
  if (batch.revokedAt) return "revoked";
  return batch.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: Record<string, string>; values: Record<string, string> };

const unitCode = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,32}$/, { error: "codes.errors.unit" }));
const slug = z.string().check(z.regex(SLUG_PATTERN, { error: "codes.errors.survey" }));
/** The id of the issuer's newest batch when the page was drawn (0: none): a reload issues nothing. */
const after = z.pipe(
  z.string().check(z.refine((v) => v === "0" || parseId(v) !== null, { error: "codes.errors.repeated" })),
  z.transform((v: string) => parseId(v) ?? 0),
);
const { sheet, counter } = ratingCodeLimits;

export const sheetSchema = z.object({
  unit: unitCode,
  survey: slug,
  after,
  size: z.coerce.number({ error: "codes.errors.size" }).check(
    z.int({ error: "codes.errors.size" }),
    z.gte(sheet.minSize, { error: "codes.errors.size" }),
    z.lte(sheet.maxSize, { error: "codes.errors.size" }),
  ),
  days: z.coerce.number({ error: "codes.errors.days" }).check(
    z.int({ error: "codes.errors.days" }),
    z.gte(sheet.minDays, { error: "codes.errors.days" }),
    z.lte(sheet.maxDays, { error: "codes.errors.days" }),
  ),
  label: z.string().check(z.maxLength(60, { error: "codes.errors.label" })),
});

export const counterSchema = z.object({
  unit: unitCode,
  survey: slug,
  after,
  hours: z.coerce.number({ error: "codes.errors.hours" }).check(
    z.int({ error: "codes.errors.hours" }),
    z.gte(counter.minHours, { error: "codes.errors.hours" }),
    z.lte(counter.maxHours, { error: "codes.errors.hours" }),
  ),
});

export const revokeSchema = z.object({
  reason: z.string().check(z.minLength(2, { error: "codes.errors.reason" }), z.maxLength(200, { error: "codes.errors.reason" })),
});

// An empty number field is "missing", not zero (z.coerce would read "" as 0).
const numberText = (form: Pick<FormLike, "get">, name: string) => str(form, name) || "x";

/**
 * Errors of an issuing form. Unit, survey and the newest batch id are hidden fields with no place
 * of their own on the page: their error is also the form's, said above it.
 */
function issueErrors(issues: Parameters<typeof firstErrors>[0]): Record<string, string> {
  const errors = firstErrors(issues);
  const hidden = errors.unit ?? errors.survey ?? errors.after;
  if (hidden) errors.form ??= hidden;
  return errors;
}

export function parseSheetForm(form: Pick<FormLike, "get">): Parsed<z.infer<typeof sheetSchema>> {
  const values = { unit: str(form, "unit"), survey: str(form, "survey"), after: str(form, "after"), size: str(form, "size"), days: str(form, "days"), label: str(form, "label").replace(/\s+/g, " ") };
  const r = sheetSchema.safeParse({ ...values, after: values.after || "0", size: numberText(form, "size"), days: numberText(form, "days") });
  return r.success ? { ok: true, data: r.data } : { ok: false, errors: issueErrors(r.error.issues), values };
}

export function parseCounterForm(form: Pick<FormLike, "get">): Parsed<z.infer<typeof counterSchema>> {
  const values = { unit: str(form, "unit"), survey: str(form, "survey"), after: str(form, "after"), hours: str(form, "hours") };
  const r = counterSchema.safeParse({ ...values, after: values.after || "0", hours: numberText(form, "hours") });
  return r.success ? { ok: true, data: r.data } : { ok: false, errors: issueErrors(r.error.issues), values };
}

export function parseRevokeForm(form: Pick<FormLike, "get">): Parsed<z.infer<typeof revokeSchema>> {
  const values = { reason: str(form, "reason").replace(/\s+/g, " ") };
  const r = revokeSchema.safeParse(values);
  return r.success ? { ok: true, data: r.data } : { ok: false, errors: firstErrors(r.error.issues), values };
}

/** Every error key the forms above (and the issuing pages) can return, for the locale test. */
export const ratingCodeErrorKeys = ["unit", "survey", "size", "days", "hours", "label", "reason", "repeated", "state"].map((k) => `codes.errors.${k}`);
