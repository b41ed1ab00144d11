// Assumed satisfaction (issue 13, ADR 0018): with the period's rule on, a reply left without a
// verdict for assumeSatisfiedDays working days counts in H as "satisfied", never written into the
// case; a citizen's own grade always wins; rejected cases and excluded ratings never become one.
import { describe, expect, it } from "vitest";
import {
  assumptionDeadline,
  type CaseForIndex,
  complaintIndex,
  defaultParams,
  handlingRating,
  type MethodParams,
} from "#app/domain/scoring";
import { calendarFrom, emptyCalendar } from "#app/domain/working-days";
import { clockKey } from "#app/services/scores.server";

const at = (iso: string) => new Date(iso);
const on: MethodParams = { ...defaultParams, assumeSatisfied: true, assumeSatisfiedDays: 5 };
// 2026-06-19 (a Friday) is the Dragon Boat Festival.
const calendar = calendarFrom([{ date: "2026-06-19", kind: "holiday" }]);
// Replied on Monday 15 June, 10:00 region time. Five working days after it, the holiday skipped:
// 16, 17, 18, 22, 23 June, so the rating is assumed from Wednesday 24 June, 00:00 region time.
const repliedAt = at("2026-06-15T02:00:00Z");
const lastMoment = at("2026-06-23T15:59:59.999Z");
const firstAssumed = at("2026-06-23T16:00:00Z");

function replied(over: Partial<CaseForIndex> = {}): CaseForIndex {
  return { status: "replied", replyDueAt: at("2026-06-20T15:59:59.999Z"), repliedAt, handlingGrade: null, ratedAt: null, ratingExcluded: false, ...over };
}

describe("when an unrated reply's rating is assumed", () => {
  it("counts N working days after the reply's day, skipping a holiday", () => {
    expect(assumptionDeadline(repliedAt, on, calendar)).toEqual(lastMoment);
    // Without the holiday the fifth working day is Monday 22 June.
    expect(assumptionDeadline(repliedAt, on, emptyCalendar)).toEqual(at("2026-06-22T15:59:59.999Z"));
    expect(handlingRating(replied(), on, calendar, lastMoment)).toEqual({ kind: "none" });
    expect(handlingRating(replied(), on, calendar, firstAssumed)).toEqual({ kind: "assumed", grade: 4 });
    // The holiday matters: on 23 June (region time) the rule with no holiday already assumes.
    const tuesday = at("2026-06-23T01:00:00Z");
    expect(handlingRating(replied(), on, emptyCalendar, tuesday).kind).toBe("assumed");
    expect(handlingRating(replied(), on, calendar, tuesday).kind).toBe("none");
  });

  it("assumes nothing while the rule is off (the default)", () => {
    expect(defaultParams.assumeSatisfied).toBe(false);
    const later = at("2026-12-01T00:00:00Z");
    expect(handlingRating(replied(), defaultParams, calendar, later)).toEqual({ kind: "none" });
    expect(complaintIndex([replied(), replied({ status: "closed" })], defaultParams, later, calendar)).toMatchObject({
      ratings: 0,
      assumedRatings: 0,
      h: null,
    });
  });

  it("a citizen's grade counts, given before the N days or after an assumption was made", () => {
    const early = replied({ status: "closed", handlingGrade: 1, ratedAt: at("2026-06-16T02:00:00Z") });
    const late = replied({ status: "closed", handlingGrade: 2, ratedAt: at("2026-07-10T02:00:00Z") });
    const now = at("2026-08-01T00:00:00Z");
    expect(handlingRating(early, on, calendar, now)).toEqual({ kind: "rated", grade: 1 });
    // Before the late grade came (the case as it stood then), the figures assumed "satisfied";
    // the grade replaces that assumption.
    expect(handlingRating({ ...late, status: "replied", handlingGrade: null, ratedAt: null }, on, calendar, at("2026-07-01T00:00:00Z"))).toEqual({ kind: "assumed", grade: 4 });
    expect(handlingRating(late, on, calendar, now)).toEqual({ kind: "rated", grade: 2 });
    expect(complaintIndex([early, late], on, now, calendar)).toMatchObject({ ratings: 2, assumedRatings: 0, h: 15 });
  });

  it("never assumes for a rejected case, an unreplied one, or a reply the citizen called not resolved", () => {
    const now = at("2026-08-01T00:00:00Z");
    expect(handlingRating(replied({ status: "rejected" }), on, calendar, now)).toEqual({ kind: "none" });
    expect(handlingRating(replied({ status: "in_progress", repliedAt: null }), on, calendar, now)).toEqual({ kind: "none" });
    // "Not resolved" on 16 June: a verdict without a grade; the case went back to handling.
    const reopened = replied({ status: "in_progress", ratedAt: at("2026-06-16T02:00:00Z") });
    expect(handlingRating(reopened, on, calendar, now)).toEqual({ kind: "none" });
    // The unit's next reply (1 July) starts a new clock: assumed after 8 July (no holiday between).
    const again = replied({ status: "replied", ratedAt: at("2026-06-16T02:00:00Z"), repliedAt: at("2026-07-01T02:00:00Z") });
    expect(handlingRating(again, on, calendar, at("2026-07-08T15:00:00Z")).kind).toBe("none");
    expect(handlingRating(again, on, calendar, at("2026-07-08T16:00:00Z")).kind).toBe("assumed");
    expect(complaintIndex([replied({ status: "rejected" }), reopened], on, now, calendar)).toMatchObject({ due: 1, ratings: 0, assumedRatings: 0, h: null });
  });

  it("an excluded rating stays excluded and is never replaced by an assumption", () => {
    const excluded = replied({ status: "closed", handlingGrade: 1, ratedAt: at("2026-06-16T02:00:00Z"), ratingExcluded: true });
    const now = at("2026-08-01T00:00:00Z");
    expect(handlingRating(excluded, on, calendar, now)).toEqual({ kind: "excluded" });
    expect(complaintIndex([excluded], on, now, calendar)).toMatchObject({ ratings: 0, assumedRatings: 0, excludedRatings: 1, h: null });
  });

  it("H averages real and assumed ratings, the assumed ones at the points of 'satisfied'; counts by reason", () => {
    const cases = [
      replied({ status: "closed", handlingGrade: 5, ratedAt: at("2026-06-16T02:00:00Z") }), // 100
      replied({ status: "closed", handlingGrade: 3, ratedAt: at("2026-06-17T02:00:00Z") }), // 60
      replied({ status: "closed", handlingGrade: 1, ratedAt: at("2026-06-17T02:00:00Z"), ratingExcluded: true }),
      replied(), // assumed: 80
      replied({ status: "closed" }), // assumed: 80 (closed by staff without a verdict)
      replied({ status: "rejected", repliedAt: null }),
    ];
    const c = complaintIndex(cases, on, firstAssumed, calendar);
    expect(c).toMatchObject({ due: 5, onTime: 5, ratings: 2, assumedRatings: 2, excludedRatings: 1, t: 100, h: 80, c: 90 });
    // One moment earlier nothing is assumed yet.
    expect(complaintIndex(cases, on, lastMoment, calendar)).toMatchObject({ ratings: 2, assumedRatings: 0, h: 80 });
    // The points of grade 4 are the period's.
    const points = { ...on, gradePoints: { ...on.gradePoints, "4": 70 } };
    expect(complaintIndex(cases, points, firstAssumed, calendar).h).toBeCloseTo((100 + 60 + 70 + 70) / 4, 10);
  });
});

describe("the live figures' cache key", () => {
  it("is unchanged with the rule off, and moves with the region's date and the calendar with it on", () => {
    expect(clockKey(defaultParams, lastMoment, calendar)).toBe("");
    expect(clockKey(defaultParams, firstAssumed, calendar)).toBe("");
    expect(clockKey(on, lastMoment, calendar)).not.toBe(clockKey(on, firstAssumed, calendar));
    expect(clockKey(on, at("2026-06-23T00:00:00Z"), calendar)).toBe(clockKey(on, lastMoment, calendar));
    expect(clockKey(on, lastMoment, calendar)).not.toBe(clockKey(on, lastMoment, emptyCalendar));
  });
});
