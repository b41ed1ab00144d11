// Dates that do not exist (2026-02-30) are refused with a translated error wherever a date is typed:
// the office's calendar above all (a stored "holiday" on 30 February would never match a day).
import { describe, expect, it } from "vitest";
import { parseAuditFilters } from "#app/domain/admin-forms";
import { parsePeriodCreate } from "#app/domain/score-forms";
import { parseCalendarDay } from "#app/domain/staff-forms";
import { isCalendarDate } from "#app/domain/working-days";

const impossible = ["2026-02-30", "2026-02-31", "2026-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32"];

describe("calendar dates", () => {
  it("accepts days of the calendar, leap days included", () => {
    for (const d of ["2026-02-28", "2024-02-29", "2000-02-29", "2026-12-31", "2026-04-30"]) expect(isCalendarDate(d), d).toBe(true);
  });

  it.each(impossible)("refuses %s", (d) => {
    expect(isCalendarDate(d)).toBe(false);
  });

  it("refuses what is not YYYY-MM-DD", () => {
    for (const d of ["2026-2-3", "20260203", "2026-02-03T00:00:00Z", " 2026-02-03", "", "1900-02-29"]) expect(isCalendarDate(d), d).toBe(false);
  });
});

describe("the office's calendar form", () => {
  const day = (date: string) => parseCalendarDay(new URLSearchParams({ date, kind: "holiday" }));

  it.each(impossible)("answers a translated 'this date does not exist' for %s", (d) => {
    expect(day(d)).toEqual({ ok: false, error: "errors.impossibleDate" });
  });

  it("keeps the general message for a missing or malformed date, and accepts a real one", () => {
    expect(day("")).toEqual({ ok: false, error: "errors.calendarDay" });
    expect(day("next monday")).toEqual({ ok: false, error: "errors.calendarDay" });
    expect(day("2026-10-01")).toEqual({ ok: true, data: { date: "2026-10-01", kind: "holiday" } });
  });
});

describe("other date fields", () => {
  it("periods and the audit log's filters refuse impossible dates too", () => {
    const period = parsePeriodCreate(new URLSearchParams({ code: "2027", startsOn: "2027-01-01", endsOn: "2027-02-30", name_en: "2027" }), ["en"]);
    expect(period.ok).toBe(false);
    if (!period.ok) expect(period.errors.endsOn).toBe("errors.date");
    expect(parseAuditFilters(new URLSearchParams({ from: "2026-02-30", to: "2026-03-01" }))).toMatchObject({ from: "", to: "2026-03-01" });
  });
});
