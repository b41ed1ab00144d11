// zod schemas of the staff forms (sign-in, password change, calendar and deadlines). Messages are
// translation keys.
import { z } from "zod/mini";
import { complaintTypes } from "./case-flow";
import { isCalendarDate } from "./working-days";
import { firstErrors } from "./form-helpers";

const str = (form: { get(name: string): unknown }, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : undefined;
};


export const loginSchema = z.object({
  username: z.string({ error: "errors.loginMissing" }).check(z.trim(), z.toLowerCase(), z.minLength(1, { error: "errors.loginMissing" }), z.maxLength(100, { error: "errors.loginMissing" })),
  password: z.string({ error: "errors.loginMissing" }).check(z.minLength(1, { error: "errors.loginMissing" }), z.maxLength(200, { error: "errors.loginFailed" })),
});

export function parseLogin(form: { get(name: string): unknown }) {
  const r = loginSchema.safeParse({ username: str(form, "username"), password: str(form, "password") });
  return r.success ? ({ ok: true, data: r.data } as const) : ({ ok: false, errors: firstErrors(r.error.issues) } as const);
}

export const passwordChangeSchema = z.object({
  current: z.string({ error: "errors.passwordWrong" }).check(z.maxLength(200, { error: "errors.passwordWrong" })),
  password: z.string({ error: "errors.passwordTooShort" }).check(z.maxLength(200, { error: "errors.tooLong" })),
  repeat: z.string({ error: "errors.passwordMismatch" }).check(z.maxLength(200, { error: "errors.passwordMismatch" })),
});

export function parsePasswordChange(form: { get(name: string): unknown }) {
  const r = passwordChangeSchema.safeParse({ current: str(form, "current") ?? "", password: str(form, "password") ?? "", repeat: str(form, "repeat") ?? "" });
  return r.success ? ({ ok: true, data: r.data } as const) : ({ ok: false, errors: firstErrors(r.error.issues) } as const);
}

const calendarDaySchema = z.object({
  date: z.string({ error: "errors.calendarDay" }).check(
    z.regex(/^\d{4}-\d{2}-\d{2}$/, { error: "errors.calendarDay" }),
    // 2026-02-30 has the right shape but is no day: say so, not "give a date".
    z.refine((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || isCalendarDate(d), { error: "errors.impossibleDate" }),
  ),
  kind: z.enum(["holiday", "workday", "none"], { error: "errors.calendarDay" }),
});

const days = z.coerce.number({ error: "errors.deadlineRule" }).check(z.int({ error: "errors.deadlineRule" }), z.gte(0, { error: "errors.deadlineRule" }), z.lte(60, { error: "errors.deadlineRule" }));
const deadlineRuleSchema = z
  .object({
    type: z.enum(complaintTypes, { error: "errors.deadlineRule" }),
    acceptDays: days,
    replyDays: days,
    maxExtensionDays: days,
  })
  .check(z.refine((r) => r.acceptDays >= 1 && r.replyDays >= r.acceptDays, { error: "errors.deadlineRule" }));

export function parseCalendarDay(form: { get(name: string): unknown }) {
  const r = calendarDaySchema.safeParse({ date: str(form, "date"), kind: str(form, "kind") });
  return r.success ? ({ ok: true, data: r.data } as const) : ({ ok: false, error: r.error.issues[0]?.message ?? "errors.calendarDay" } as const);
}

export function parseDeadlineRule(form: { get(name: string): unknown }) {
  const r = deadlineRuleSchema.safeParse({
    type: str(form, "type"),
    acceptDays: str(form, "acceptDays"),
    replyDays: str(form, "replyDays"),
    maxExtensionDays: str(form, "maxExtensionDays"),
  });
  return r.success ? ({ ok: true, data: r.data } as const) : ({ ok: false, error: "errors.deadlineRule" } as const);
}
