// zod schemas of the evaluation office's forms: periods, method parameters, snapshots,
// moderation and API tokens. Messages are translation keys; on an error the typed values are
// returned so the form shows them again.
import { z } from "zod/mini";
import { idField } from "./ids";
import { isCalendarDate } from "./working-days";
import { excludableFlags, type MethodParams, methodParamsSchema } from "./scoring";
import { firstErrors, type FormLike, formString as str, nameField } from "./form-helpers";


export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: Record<string, string>; values: Record<string, string | string[]> };

const isoDay = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/, { error: "errors.date" }),
  z.refine(isCalendarDate, { error: "errors.date" }),
);

export function parsePeriodCreate(form: FormLike, languageCodes: readonly string[]): Parsed<{ code: string; names: Record<string, string>; startsOn: Date; endsOn: Date }> {
  const values: Record<string, string> = { code: str(form, "code"), startsOn: str(form, "startsOn"), endsOn: str(form, "endsOn") };
  for (const l of languageCodes) values[nameField(l)] = str(form, nameField(l));
  const schema = z
    .object({
      code: z.string().check(z.regex(/^[A-Za-z0-9-]{2,20}$/, { error: "errors.periodCode" })),
      startsOn: isoDay,
      endsOn: isoDay,
      ...Object.fromEntries(languageCodes.map((l) => [nameField(l), z.string().check(z.minLength(1, { error: "errors.required" }), z.maxLength(100, { error: "errors.tooLong" }))])),
    })
    .check(z.refine((v) => v.endsOn > v.startsOn, { error: "errors.periodDates", path: ["endsOn"] }));
  const r = schema.safeParse(values);
  if (!r.success) return { ok: false, errors: firstErrors(r.error.issues), values };
  return {
    ok: true,
    data: {
      code: values.code!,
      names: Object.fromEntries(languageCodes.map((l) => [l, values[nameField(l)]!])),
      // Periods follow the region's calendar (UTC+8): from the first day's start to the last day's end.
      startsOn: new Date(`${values.startsOn}T00:00:00+08:00`),
      endsOn: new Date(`${values.endsOn}T23:59:59.999+08:00`),
    },
  };
}

const number = (error: string) => z.coerce.number({ error }).check(z.refine((n) => Number.isFinite(n), { error }));

export const paramFieldNames = [
  "p5",
  "p4",
  "p3",
  "p2",
  "p1",
  "surveyWeight",
  "timelinessWeight",
  "maxPoints",
  "minSample",
  "confidence",
  "verifiedWeight",
  "verifiedOnly",
  "ratingInviteDays",
  "assumeSatisfied",
  "assumeSatisfiedDays",
  "followUpDays",
  "reportThreshold",
  "rectificationDays",
] as const;

/** A whole number of working days within [min, max], or the field's message. */
const workingDays = (min: number, max: number, error: string) =>
  number(error).check(z.int({ error }), z.gte(min, { error }), z.lte(max, { error }));

export function parseMethodParams(form: FormLike): Parsed<MethodParams> {
  const values: Record<string, string | string[]> = Object.fromEntries(paramFieldNames.map((n) => [n, str(form, n)]));
  values.excludingFlags = form.getAll("excludingFlags").filter((v): v is string => typeof v === "string");
  const points = number("errors.gradePoints").check(z.gte(0, { error: "errors.gradePoints" }), z.lte(100, { error: "errors.gradePoints" }));
  const schema = z
    .object({
      p5: points,
      p4: points,
      p3: points,
      p2: points,
      p1: points,
      surveyWeight: number("errors.weight").check(z.gte(0, { error: "errors.weight" }), z.lte(1, { error: "errors.weight" })),
      timelinessWeight: number("errors.weight").check(z.gte(0, { error: "errors.weight" }), z.lte(1, { error: "errors.weight" })),
      maxPoints: number("errors.maxPoints").check(z.gt(0, { error: "errors.maxPoints" }), z.lte(1000, { error: "errors.maxPoints" })),
      minSample: number("errors.minSample").check(z.int({ error: "errors.minSample" }), z.gte(2, { error: "errors.minSample" }), z.lte(100_000, { error: "errors.minSample" })),
      confidence: number("errors.confidence").check(z.gte(0.5, { error: "errors.confidence" }), z.lte(0.999, { error: "errors.confidence" })),
      excludingFlags: z.array(z.enum(excludableFlags, { error: "errors.invalidChoice" })),
      verifiedWeight: number("errors.verifiedWeight").check(z.gte(1, { error: "errors.verifiedWeight" }), z.lte(10, { error: "errors.verifiedWeight" })),
      // A checkbox: present ("on") or absent.
      verifiedOnly: z.enum(["", "on"], { error: "errors.invalidChoice" }),
      // Handling of complaints (issue 13), in working days (ranges as methodParamsSchema).
      ratingInviteDays: workingDays(1, 30, "errors.ratingInviteDays"),
      assumeSatisfied: z.enum(["", "on"], { error: "errors.invalidChoice" }),
      assumeSatisfiedDays: workingDays(1, 60, "errors.assumeSatisfiedDays"),
      followUpDays: workingDays(1, 30, "errors.followUpDays"),
      // Rectification (issue 14): working days a unit has to answer a record.
      rectificationDays: workingDays(1, 60, "errors.rectificationDays"),
      // The report's threshold of S (issue 14): a value of S, not a working-day count.
      // Empty is refused rather than read as 0 (which is in range).
      reportThreshold: z.string().check(
        z.minLength(1, { error: "errors.reportThreshold" }),
        z.refine((v) => Number.isFinite(Number(v)) && Number(v) >= 0 && Number(v) <= 100, { error: "errors.reportThreshold" }),
      ),
    })
    .check(
      z.refine((v) => v.p5 >= v.p4 && v.p4 >= v.p3 && v.p3 >= v.p2 && v.p2 >= v.p1, { error: "errors.gradeOrder", path: ["p5"] }),
      // The citizen is invited to rate before an unrated reply would count as satisfied.
      z.refine((v) => v.assumeSatisfied !== "on" || v.ratingInviteDays < v.assumeSatisfiedDays, { error: "errors.inviteBeforeAssumed", path: ["ratingInviteDays"] }),
    );
  const r = schema.safeParse(values);
  if (!r.success) return { ok: false, errors: firstErrors(r.error.issues), values };
  const d = r.data;
  const params = methodParamsSchema.parse({
    gradePoints: { "5": d.p5, "4": d.p4, "3": d.p3, "2": d.p2, "1": d.p1 },
    excludingFlags: d.excludingFlags,
    surveyWeight: d.surveyWeight,
    timelinessWeight: d.timelinessWeight,
    maxPoints: d.maxPoints,
    minSample: d.minSample,
    confidence: d.confidence,
    verifiedOnly: d.verifiedOnly === "on",
    verifiedWeight: d.verifiedWeight,
    ratingInviteDays: d.ratingInviteDays,
    assumeSatisfied: d.assumeSatisfied === "on",
    assumeSatisfiedDays: d.assumeSatisfiedDays,
    followUpDays: d.followUpDays,
    reportThreshold: Number(d.reportThreshold),
    rectificationDays: d.rectificationDays,
  });
  return { ok: true, data: params };
}

const text = (min: number, max: number, error: string) => z.string().check(z.minLength(min, { error }), z.maxLength(max, { error: "errors.tooLong" }));

export function parseRecompute(form: FormLike): Parsed<{ label: string; reason: string }> {
  const values = { label: str(form, "label"), reason: str(form, "reason") };
  const r = z.object({ label: text(2, 100, "errors.snapshotLabel"), reason: text(5, 1000, "errors.reasonRequired") }).safeParse(values);
  return r.success ? { ok: true, data: r.data } : { ok: false, errors: firstErrors(r.error.issues), values };
}

/** A moderation: what is moderated (an id) and why. */
export function parseModeration(form: FormLike): Parsed<{ id: number; reason: string }> {
  const values = { id: str(form, "id"), reason: str(form, "reason") };
  const r = z
    .object({
      id: idField("errors.invalidChoice"),
      reason: text(3, 500, "errors.reasonRequired"),
    })
    .safeParse(values);
  return r.success ? { ok: true, data: r.data } : { ok: false, errors: firstErrors(r.error.issues), values };
}

export function parseTokenName(form: FormLike): Parsed<{ name: string }> {
  const values = { name: str(form, "name") };
  const r = z.object({ name: text(2, 100, "errors.tokenName") }).safeParse(values);
  return r.success ? { ok: true, data: r.data } : { ok: false, errors: firstErrors(r.error.issues), values };
}
