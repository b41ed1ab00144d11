// Working days and complaint deadlines. One module decides what a working day is and when
// something is due; views and queries only ask it. The region keeps Beijing time (UTC+8, no
// daylight saving), so calendar dates are taken in that offset.
//
// Rule (as in the 12345 hotline rules): a deadline of N working days ends at 23:59:59.999 local
// time of the N-th working day after the day the clock started. Public holidays are days off even
// on weekdays; "swapped" weekend days (调休) are working days.

export const REGION_UTC_OFFSET_MINUTES = 8 * 60;
const DAY_MS = 86_400_000;
const OFFSET_MS = REGION_UTC_OFFSET_MINUTES * 60_000;

export interface HolidayCalendar {
  /** Local dates (YYYY-MM-DD) that are days off although they fall on Monday–Friday. */
  holidays: ReadonlySet<string>;
  /** Local dates (YYYY-MM-DD) that are working days although they fall on a weekend. */
  workdays: ReadonlySet<string>;
}

export const emptyCalendar: HolidayCalendar = { holidays: new Set(), workdays: new Set() };

export function calendarFrom(days: readonly { date: string; kind: string }[]): HolidayCalendar {
  return {
    holidays: new Set(days.filter((d) => d.kind === "holiday").map((d) => d.date)),
    workdays: new Set(days.filter((d) => d.kind === "workday").map((d) => d.date)),
  };
}

/**
 * A YYYY-MM-DD that names a day of the calendar. Date.parse accepts "2026-02-30" (as 2 March) and
 * "2026-02-31": stored as a holiday, such a date would never match a real day, so every form that
 * takes a date checks it here.
 */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === value;
}

/** The local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function dateOf(dayNo: number): string {
  return new Date(dayNo * DAY_MS).toISOString().slice(0, 10);
}

export function isWorkingDay(date: string, cal: HolidayCalendar): boolean {
  if (cal.workdays.has(date)) return true;
  if (cal.holidays.has(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
  return weekday !== 0 && weekday !== 6;
}

/** The N-th working day after the given local date (N ≥ 1); N = 0 gives the date itself. */
export function nthWorkingDayAfter(date: string, n: number, cal: HolidayCalendar): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0, not ${n}`);
  let day = dayNumber(date);
  let left = n;
  // A calendar cannot hold more than a few weeks of consecutive days off; the bound stops a
  // corrupt calendar from looping forever.
  for (let guard = 0; left > 0; guard++) {
    if (guard > n * 7 + 366) throw new Error("holiday calendar has no working days ahead");
    day += 1;
    if (isWorkingDay(dateOf(day), cal)) left -= 1;
  }
  return dateOf(day);
}

/** The last instant of a local date. */
/** The first instant of a local date (YYYY-MM-DD) in region time. */
export function startOfLocalDay(date: string): Date {
  return new Date(dayNumber(date) * DAY_MS - OFFSET_MS);
}

export function endOfLocalDay(date: string): Date {
  return new Date((dayNumber(date) + 1) * DAY_MS - OFFSET_MS - 1);
}

/** When something started at `start` is due, given N working days. */
export function dueAfterWorkingDays(start: Date, workingDays: number, cal: HolidayCalendar): Date {
  return endOfLocalDay(nthWorkingDayAfter(localDate(start), workingDays, cal));
}

/** A deadline moved by an approved extension of N working days, counted from the old deadline. */
export function extendDeadline(due: Date, extraWorkingDays: number, cal: HolidayCalendar): Date {
  return dueAfterWorkingDays(due, extraWorkingDays, cal);
}

/** Working days among the local dates with day numbers first..last (inclusive), in O(calendar). */
function countWorkingDays(first: number, last: number, cal: HolidayCalendar): number {
  if (last < first) return 0;
  const weekdayOf = (day: number) => (((day + 4) % 7) + 7) % 7; // day 0 (1970-01-01) was a Thursday
  const days = last - first + 1;
  let count = Math.floor(days / 7) * 5;
  for (let d = first + Math.floor(days / 7) * 7; d <= last; d++) {
    const w = weekdayOf(d);
    if (w !== 0 && w !== 6) count++;
  }
  // The calendar's exceptions inside the range: swapped weekend days add, weekday holidays remove.
  for (const date of cal.workdays) {
    const d = dayNumber(date);
    const w = weekdayOf(d);
    if (d >= first && d <= last && (w === 0 || w === 6)) count++;
  }
  for (const date of cal.holidays) {
    const d = dayNumber(date);
    const w = weekdayOf(d);
    if (d >= first && d <= last && w !== 0 && w !== 6 && !cal.workdays.has(date)) count--;
  }
  return count;
}

/** Working days left until a deadline: 0 on its last day, negative once it has passed. */
export function workingDaysLeft(now: Date, due: Date, cal: HolidayCalendar): number {
  const today = dayNumber(localDate(now));
  const last = dayNumber(localDate(due));
  if (now > due) return -Math.max(countWorkingDays(last + 1, today, cal), 1);
  return countWorkingDays(today + 1, last, cal);
}

export function isOverdue(now: Date, due: Date | null, doneAt: Date | null): boolean {
  if (!due) return false;
  return doneAt ? doneAt > due : now > due;
}
