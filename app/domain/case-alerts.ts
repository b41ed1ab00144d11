// When time-based notifications are due (issue 13), as plain functions of the working-day
// calendar: a case due soon or overdue, the invitation to rate a reply, the daily digest. A sweep
// (app/services/notify/sweeper.server.ts) asks these every minute and raises each alert once.
import { endOfLocalDay, type HolidayCalendar, localDate, nthWorkingDayAfter, startOfLocalDay, workingDaysLeft } from "./working-days";

/**
 * Due within one working day: not yet passed, and its last day is today or the next working day
 * (a case due on Monday is due soon on the Friday before, or on the Thursday before a Friday holiday).
 */
export function isDueSoon(now: Date, due: Date, cal: HolidayCalendar): boolean {
  return now.getTime() <= due.getTime() && workingDaysLeft(now, due, cal) <= 1;
}

/** The last deadline that is due soon at `now`: the end of the next working day (isDueSoon up to it). */
export function dueSoonUntil(now: Date, cal: HolidayCalendar): Date {
  return endOfLocalDay(nthWorkingDayAfter(localDate(now), 1, cal));
}

/** The hour (region time) at which daily digests and the overdue summary go out. */
export const DIGEST_HOUR = 8;

/** The latest digest time at or before `now`: today's 08:00 region time, or yesterday's before it. */
export function lastDigestTime(now: Date, hour = DIGEST_HOUR): Date {
  const today = startOfLocalDay(localDate(now)).getTime() + hour * 3_600_000;
  return new Date(today <= now.getTime() ? today : today - 24 * 3_600_000);
}

/**
 * Overdue alerts are raised for deadlines passed within this time: after a long outage, older
 * ones are in the office's overdue summary rather than a burst of messages.
 */
export const OVERDUE_LOOKBACK_MS = 3 * 24 * 3_600_000;

/**
 * When a reply still unrated gets its one invitation to rate: N working days after the reply, at
 * the same time of day (a reply on Thursday 15:00 before a Friday holiday, N = 1: Monday 15:00).
 */
export function rateInvitationAt(repliedAt: Date, workingDays: number, cal: HolidayCalendar): Date {
  const day = localDate(repliedAt);
  const sinceMidnight = repliedAt.getTime() - startOfLocalDay(day).getTime();
  return new Date(startOfLocalDay(nthWorkingDayAfter(day, workingDays, cal)).getTime() + sinceMidnight);
}

/** Invitations are sent for replies at most this old (the sweep's look-back; later a rating is moot). */
export const RATE_INVITATION_LOOKBACK_MS = 60 * 24 * 3_600_000;
