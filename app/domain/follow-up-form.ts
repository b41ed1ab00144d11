// The call-back record form of a case page (差评回访): when the citizen was called back, how, with
// what outcome, and a note. Messages are translation keys; a refused form hands back what was typed.
import { z } from "zod/mini";
import { NOTE_MAX } from "./case-action-form";
import { followUpMethods, followUpOutcomes, plausibleCallTime } from "./rating-followup";
import { isCalendarDate, REGION_UTC_OFFSET_MINUTES } from "./working-days";

export const FOLLOW_UP_INTENT = "follow_up";
export const followUpFields = ["calledAt", "method", "outcome", "note"] as const;
export type FollowUpValues = Partial<Record<(typeof followUpFields)[number], string>>;

const OFFSET_MS = REGION_UTC_OFFSET_MINUTES * 60_000;

const schema = z.object({
  calledAt: z.string({ error: "errors.required" }).check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { error: "errors.followUpTime" })),
  method: z.enum(followUpMethods, { error: "errors.invalidChoice" }),
  outcome: z.enum(followUpOutcomes, { error: "errors.invalidChoice" }),
  note: z.optional(z.string().check(z.maxLength(NOTE_MAX, { error: "errors.tooLong" }))),
});

export type FollowUpCallInput = { calledAt: Date; method: (typeof followUpMethods)[number]; outcome: (typeof followUpOutcomes)[number]; note: string | null };

/** A datetime-local value (YYYY-MM-DDTHH:MM) read as region time, or null when no such moment exists. */
export function fromRegionDateTime(value: string): Date | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m || !isCalendarDate(m[1]!) || Number(m[2]) > 23 || Number(m[3]) > 59) return null;
  return new Date(Date.parse(`${m[1]}T${m[2]}:${m[3]}:00Z`) - OFFSET_MS);
}

/** An instant as a datetime-local value in region time (the form's default: now). */
export function toRegionDateTime(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 16);
}

/**
 * Reads a posted call-back record. `filedAt` and `now` bound its time: not before the complaint,
 * not in the future. On failure, per-field message keys and the values as typed.
 */
export function parseFollowUpCall(
  form: { get(name: string): unknown },
  bounds: { filedAt: Date; now: Date },
): { ok: true; data: FollowUpCallInput } | { ok: false; errors: Record<string, string>; values: FollowUpValues } {
  const values: FollowUpValues = {};
  for (const k of followUpFields) {
    const v = form.get(k);
    if (typeof v === "string" && v.trim() !== "") values[k] = v.replace(/\r\n/g, "\n").trim();
  }
  const errors: Record<string, string> = {};
  const result = schema.safeParse(values);
  if (!result.success) {
    for (const issue of result.error.issues) errors[String(issue.path[0] ?? "outcome")] ??= issue.message;
  }
  const calledAt = values.calledAt && !errors.calledAt ? fromRegionDateTime(values.calledAt) : null;
  if (values.calledAt && !errors.calledAt) {
    if (!calledAt) errors.calledAt = "errors.followUpTime";
    else if (!plausibleCallTime(calledAt, bounds.filedAt, bounds.now)) errors.calledAt = "errors.followUpWhen";
  }
  if (!result.success || Object.keys(errors).length || !calledAt) return { ok: false, errors, values };
  return { ok: true, data: { calledAt, method: result.data.method, outcome: result.data.outcome, note: result.data.note ?? null } };
}
