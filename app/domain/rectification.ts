// 差评整改 and 申诉 (issue 14): the rules of rectification records and appeals, as plain functions.
//
// Rectification. For each unit and period the office is shown candidates and opens the records it
// chooses (nothing opens by itself: a number on a dashboard is not yet a finding, and the office
// answers for each record it asks a unit to work on):
// - an item: a five-grade item with at least ITEM_MIN_GRADED counted answers of which at least
//   ITEM_SHARE_THRESHOLD are 不满意 or 非常不满意, the worst ITEM_MAX_CANDIDATES of the unit;
// - a complaint that followed a dissatisfied rating of the unit in the period (Complaint.responseId),
//   never an integrity complaint (the accused unit must never learn that one exists).
// A record is due rectificationDays working days (a parameter of the period, 15 by default as
// Sichuan's rule) after it was opened. The unit head writes the cause and the measures (submit);
// the office accepts them or returns them with a note; a returned record is revised and submitted
// again. Accepted measures may be published on the unit's public page (and withdrawn), by the office.
import { dueAfterWorkingDays, type HolidayCalendar } from "./working-days";

export const ITEM_SHARE_THRESHOLD = 0.2;
export const ITEM_MIN_GRADED = 10;
export const ITEM_MAX_CANDIDATES = 3;

export const rectificationStates = ["open", "submitted", "returned", "accepted"] as const;
export type RectificationState = (typeof rectificationStates)[number];
export type RectificationStep = "submit" | "accept" | "return";

/** The state a step leads to from a state, or null when the step is not allowed there. */
export function nextRectificationState(from: RectificationState, step: RectificationStep): RectificationState | null {
  if (step === "submit") return from === "open" || from === "returned" ? "submitted" : null;
  if (from !== "submitted") return null;
  return step === "accept" ? "accepted" : "returned";
}

/** When a record opened at `openedAt` is due. */
export function rectificationDue(openedAt: Date, rectificationDays: number, calendar: HolidayCalendar): Date {
  return dueAfterWorkingDays(openedAt, rectificationDays, calendar);
}

/** Overdue: the unit has not yet had its measures accepted and the due date has passed (waiting on the office counts as done). */
export function isRectificationOverdue(r: { status: string; dueAt: Date }, now: Date): boolean {
  return (r.status === "open" || r.status === "returned") && r.dueAt.getTime() < now.getTime();
}

/** Only accepted measures may be published. */
export function mayPublish(status: string): boolean {
  return status === "accepted";
}

export interface ItemCounts {
  key: string;
  /** Answers by grade 1..5 (index 0..4), counted responses only. */
  counts: readonly number[];
}

export interface ItemCandidate {
  key: string;
  dissatisfied: number;
  graded: number;
  share: number;
}

/** The items a unit is most dissatisfied with: enough answers, share of grades 1–2 at or above the threshold, worst first. */
export function itemCandidates(items: readonly ItemCounts[], opts = { threshold: ITEM_SHARE_THRESHOLD, minGraded: ITEM_MIN_GRADED, max: ITEM_MAX_CANDIDATES }): ItemCandidate[] {
  return items
    .map((i) => {
      const graded = i.counts.reduce((a, b) => a + b, 0);
      const dissatisfied = (i.counts[0] ?? 0) + (i.counts[1] ?? 0);
      return { key: i.key, dissatisfied, graded, share: graded ? dissatisfied / graded : 0 };
    })
    .filter((c) => c.graded >= opts.minGraded && c.share >= opts.threshold)
    .sort((a, b) => b.share - a.share || b.dissatisfied - a.dissatisfied || a.key.localeCompare(b.key))
    .slice(0, opts.max);
}

/** A complaint that may open a record: it cited a dissatisfied rating; integrity complaints never do. */
export function complaintMayOpen(c: { type: string; dissatisfied: boolean }): boolean {
  return c.type !== "integrity" && c.dissatisfied;
}

export const subjectKeyOf = (s: { source: "item"; itemKey: string } | { source: "complaint"; complaintId: number }) =>
  s.source === "item" ? `item:${s.itemKey}` : `complaint:${s.complaintId}`;

// ---------------------------------------------------------------------------------------------
// Appeals (申诉).

export const appealKinds = ["response", "handling"] as const;
export type AppealKind = (typeof appealKinds)[number];
export const appealGrounds = ["mistaken", "malicious"] as const;
export const appealStates = ["pending", "upheld", "rejected"] as const;
export type AppealState = (typeof appealStates)[number];

/** The office decides a pending appeal once. */
export function nextAppealState(from: AppealState, decision: "uphold" | "reject"): AppealState | null {
  if (from !== "pending") return null;
  return decision === "uphold" ? "upheld" : "rejected";
}

/**
 * Whether a complaint's handling rating may be appealed by its handling unit: rated, still counted,
 * and not an integrity complaint (its unit complained about never sees it).
 */
export function handlingRatingAppealable(c: { type: string; handlingGrade: number | null; ratingExcludedAt: Date | null }): boolean {
  return c.type !== "integrity" && c.handlingGrade !== null && c.ratingExcludedAt === null;
}

/** The exclusion reason an upheld appeal leaves on the rating (audited, shown to the office). */
export function appealExclusionReason(appealId: number, note: string): string {
  return `appeal #${appealId}: ${note}`.slice(0, 1000);
}
