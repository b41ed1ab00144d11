// When a complaint's reply is due after the citizen says "not resolved". The numbers of working
// days come from the complaint type's rule (DeadlineRule, set by the office); what counts as a
// working day is working-days.ts.
import { dueAfterWorkingDays, type HolidayCalendar } from "./working-days";

export interface DeadlineDays {
  acceptDays: number;
  replyDays: number;
}

/**
 * A reopened case is owed a new answer: the type's full reply time again, counted from the
 * reopening (the old deadline has passed or was met by the answer the citizen did not accept).
 * An extension granted for the first answer does not carry over.
 */
export function reopenedReplyDue(reopenedAt: Date, rule: DeadlineDays, calendar: HolidayCalendar): Date {
  return dueAfterWorkingDays(reopenedAt, rule.replyDays, calendar);
}
