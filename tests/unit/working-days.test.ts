import { describe, expect, it } from "vitest";
import {
  calendarFrom,
  dueAfterWorkingDays,
  emptyCalendar,
  extendDeadline,
  isOverdue,
  isWorkingDay,
  localDate,
  nthWorkingDayAfter,
  workingDaysLeft,
} from "#app/domain/working-days";

// 2026: National Day holiday 1–7 October (Thu–Wed), with Saturday 10 October worked instead;
// New Year's Day 2027 on a Friday.
const cal = calendarFrom([
  ...["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"].map((date) => ({ date, kind: "holiday" })),
  { date: "2026-10-10", kind: "workday" },
  { date: "2027-01-01", kind: "holiday" },
]);
const local = (s: string) => new Date(`${s}+08:00`);

describe("working days", () => {
  it("weekdays work, weekends rest, unless the calendar says otherwise", () => {
    expect(isWorkingDay("2026-06-01", emptyCalendar)).toBe(true); // Monday
    expect(isWorkingDay("2026-06-06", emptyCalendar)).toBe(false); // Saturday
    expect(isWorkingDay("2026-10-01", cal)).toBe(false); // holiday on a Thursday
    expect(isWorkingDay("2026-10-10", cal)).toBe(true); // swapped Saturday
  });

  it("counts working days after a date, skipping weekends and holidays", () => {
    expect(nthWorkingDayAfter("2026-06-01", 1, emptyCalendar)).toBe("2026-06-02");
    expect(nthWorkingDayAfter("2026-06-05", 1, emptyCalendar)).toBe("2026-06-08"); // Friday → Monday
    expect(nthWorkingDayAfter("2026-06-06", 1, emptyCalendar)).toBe("2026-06-08"); // Saturday → Monday
    expect(nthWorkingDayAfter("2026-09-30", 1, cal)).toBe("2026-10-08"); // over the Golden Week
    expect(nthWorkingDayAfter("2026-09-30", 3, cal)).toBe("2026-10-10"); // the swapped Saturday counts
    expect(nthWorkingDayAfter("2026-06-01", 0, cal)).toBe("2026-06-01");
  });

  it("crosses the year boundary", () => {
    expect(nthWorkingDayAfter("2026-12-31", 1, cal)).toBe("2027-01-04"); // Fri 1 Jan holiday, weekend
    expect(nthWorkingDayAfter("2026-12-30", 5, cal)).toBe("2027-01-07"); // Thu 31, then Mon 4 … Thu 7
  });

  it("dates are taken in the region's time (UTC+8)", () => {
    expect(localDate(new Date("2026-06-01T16:30:00Z"))).toBe("2026-06-02"); // 00:30 local next day
    expect(localDate(new Date("2026-06-01T15:59:59Z"))).toBe("2026-06-01");
  });
});

describe("deadlines", () => {
  it("a 1-working-day deadline ends at midnight of the next working day", () => {
    expect(dueAfterWorkingDays(local("2026-06-05T17:00:00"), 1, cal)).toEqual(local("2026-06-08T23:59:59.999"));
  });

  it("a 5-working-day reply deadline over a holiday", () => {
    // Wed 30 Sep, Thu 8, Fri 9, the swapped Sat 10, Mon 12 October.
    expect(dueAfterWorkingDays(local("2026-09-29T09:00:00"), 5, cal)).toEqual(local("2026-10-12T23:59:59.999"));
  });

  it("an approved extension adds working days to the old deadline", () => {
    const due = local("2026-06-08T23:59:59.999");
    expect(extendDeadline(due, 10, cal)).toEqual(local("2026-06-22T23:59:59.999"));
    expect(extendDeadline(local("2026-12-29T23:59:59.999"), 3, cal)).toEqual(local("2027-01-04T23:59:59.999"));
  });

  it("tells working days left, and lateness once passed", () => {
    const due = local("2026-06-10T23:59:59.999"); // Wednesday
    expect(workingDaysLeft(local("2026-06-05T10:00:00"), due, cal)).toBe(3); // Mon, Tue, Wed
    expect(workingDaysLeft(local("2026-06-10T10:00:00"), due, cal)).toBe(0);
    expect(workingDaysLeft(local("2026-06-11T00:00:01"), due, cal)).toBe(-1);
    expect(workingDaysLeft(local("2026-06-15T09:00:00"), due, cal)).toBe(-3); // Thu, Fri, Mon
  });

  it("is overdue only past the deadline and while not done (or done late)", () => {
    const due = local("2026-06-10T23:59:59.999");
    expect(isOverdue(local("2026-06-10T23:00:00"), due, null)).toBe(false);
    expect(isOverdue(local("2026-06-11T08:00:00"), due, null)).toBe(true);
    expect(isOverdue(local("2026-06-12T08:00:00"), due, local("2026-06-10T12:00:00"))).toBe(false);
    expect(isOverdue(local("2026-06-12T08:00:00"), due, local("2026-06-11T12:00:00"))).toBe(true);
    expect(isOverdue(local("2026-06-12T08:00:00"), null, null)).toBe(false);
  });

  it("refuses nonsense", () => {
    expect(() => nthWorkingDayAfter("2026-06-01", -1, cal)).toThrow(RangeError);
    const allOff = { holidays: new Set<string>(), workdays: new Set<string>() };
    const everyDayOff = { ...allOff, holidays: { has: () => true } as unknown as Set<string> };
    expect(() => nthWorkingDayAfter("2026-06-01", 1, everyDayOff)).toThrow(/no working days/);
  });
});

describe("counting working days over long spans", () => {
  it("agrees with counting day by day, across holidays, swapped days and years", () => {
    const due = local("2026-01-02T23:59:59.999");
    let expected = 0;
    for (let d = new Date("2026-01-03T00:00:00Z"); d <= new Date("2027-03-01T00:00:00Z"); d = new Date(d.getTime() + 86_400_000)) {
      if (isWorkingDay(d.toISOString().slice(0, 10), cal)) expected++;
    }
    expect(workingDaysLeft(local("2027-03-01T12:00:00"), due, cal)).toBe(-expected);
    expect(workingDaysLeft(local("2026-01-02T12:00:00"), local("2027-03-01T23:59:59.999"), cal)).toBe(expected);
  });
});
