import { describe, expect, it } from "vitest";
import { parseCalendarDay, parseDeadlineRule, parseLogin } from "#app/domain/staff-forms";

const form = (v: Record<string, string>) => new URLSearchParams(v);

describe("staff forms", () => {
  it("normalises the user name and refuses empty sign-ins", () => {
    expect(parseLogin(form({ username: "  C01.Staff ", password: "x" }))).toEqual({ ok: true, data: { username: "c01.staff", password: "x" } });
    expect(parseLogin(form({ username: "", password: "x" }))).toEqual({ ok: false, errors: { username: "errors.loginMissing" } });
  });

  it("takes real dates and known kinds for the calendar", () => {
    expect(parseCalendarDay(form({ date: "2026-10-01", kind: "holiday" }))).toEqual({ ok: true, data: { date: "2026-10-01", kind: "holiday" } });
    expect(parseCalendarDay(form({ date: "2026-13-45", kind: "holiday" })).ok).toBe(false);
    expect(parseCalendarDay(form({ date: "2026-10-01", kind: "party" })).ok).toBe(false);
  });

  it("keeps deadlines whole, bounded and consistent", () => {
    const rule = { type: "other", acceptDays: "1", replyDays: "5", maxExtensionDays: "10" };
    expect(parseDeadlineRule(form(rule))).toEqual({ ok: true, data: { type: "other", acceptDays: 1, replyDays: 5, maxExtensionDays: 10 } });
    expect(parseDeadlineRule(form({ ...rule, replyDays: "0" })).ok).toBe(false); // shorter than acceptance
    expect(parseDeadlineRule(form({ ...rule, acceptDays: "0" })).ok).toBe(false);
    expect(parseDeadlineRule(form({ ...rule, maxExtensionDays: "2.5" })).ok).toBe(false);
    expect(parseDeadlineRule(form({ ...rule, type: "bribery" })).ok).toBe(false);
  });
});
