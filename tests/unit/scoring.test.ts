// The published scoring method (docs/scoring.md): the worked example, edge cases and the
// statistics behind the interval.
import { describe, expect, it } from "vitest";
import {
  addMoments,
  type CaseForIndex,
  complaintIndex,
  composeScores,
  defaultParams,
  emptyMoments,
  exclusionReason,
  gradeCounts,
  median,
  type MomentsByK,
  paramsOf,
  responseMoments,
  surveyIndex,
  tQuantile,
} from "#app/domain/scoring";
import { responseTally } from "#app/domain/tally";
import { emptyCalendar } from "#app/domain/working-days";

const NA = null;
/** Tallies responses (core grades, flags) the way the write path does, keeping the counted ones. */
function counted(responses: { grades: (number | null)[]; flags?: string[] }[], params = defaultParams) {
  const byK: MomentsByK = new Map();
  const reasons: string[] = [];
  for (const r of responses) {
    const counts = gradeCounts(r.grades);
    const k = counts.reduce((a, b) => a + b, 0);
    const reason = exclusionReason(r.flags ?? [], k, params);
    if (reason) {
      reasons.push(reason);
      continue;
    }
    if (!byK.has(k)) byK.set(k, emptyMoments());
    addMoments(byK.get(k)!, responseMoments(counts));
  }
  return { byK, reasons };
}

const day = (iso: string) => new Date(iso);
const due = day("2026-05-10T15:59:59.999Z");

describe("the worked example of docs/scoring.md", () => {
  const responses = [
    { grades: [5, 5, 4, 4, NA] }, // (100+100+80+80)/4 = 90
    { grades: [4, 4, 4, 3, 3] }, // 360/5 = 72
    { grades: [3, 2, 3, NA, NA] }, // 150/3 = 50
    { grades: [5, 4, 5, 4, 5], flags: ["too_fast"] }, // excluded: too fast
    { grades: [NA, NA, NA, NA, NA] }, // excluded: no scored items
    { grades: [4, 4, 5, 4, 4] }, // 420/5 = 84
  ];
  const cases: CaseForIndex[] = [
    { status: "closed", replyDueAt: due, repliedAt: day("2026-05-08T02:00:00Z"), handlingGrade: 5, ratingExcluded: false },
    { status: "closed", replyDueAt: due, repliedAt: day("2026-05-12T02:00:00Z"), handlingGrade: 3, ratingExcluded: false },
    { status: "in_progress", replyDueAt: due, repliedAt: null, handlingGrade: null, ratingExcluded: false },
    { status: "rejected", replyDueAt: due, repliedAt: null, handlingGrade: null, ratingExcluded: false },
    { status: "closed", replyDueAt: due, repliedAt: day("2026-05-09T02:00:00Z"), handlingGrade: 1, ratingExcluded: true },
  ];

  it("gives S = 74 from four counted responses with its 95% interval", () => {
    const { byK, reasons } = counted(responses);
    expect(reasons).toEqual(["too_fast", "no_scored_items"]);
    const s = surveyIndex(byK, defaultParams);
    expect(s.n).toBe(4);
    expect(s.s).toBe(74);
    expect(s.sd).toBeCloseTo(Math.sqrt(312), 10);
    expect(s.ciLow).toBeCloseTo(74 - 3.182446 * (Math.sqrt(312) / 2), 4);
    expect(s.ciLow!.toFixed(2)).toBe("45.89");
    expect(s.ciHigh).toBe(100); // 102.11 clipped
  });

  it("gives T = 50, H = 80 and C = 65 from the unit's cases", () => {
    const c = complaintIndex(cases, defaultParams, day("2026-06-01T00:00:00Z"), emptyCalendar);
    expect(c).toMatchObject({ due: 4, onTime: 2, late: 2, pending: 0, ratings: 2, excludedRatings: 1, t: 50, h: 80, c: 65 });
  });

  it("gives Q = 71.3 and 14.26 points, marked insufficient and not ranked", () => {
    const { byK } = counted(responses);
    const [row] = composeScores(
      [{ unitId: 1, kind: "department", survey: surveyIndex(byK, defaultParams), complaints: complaintIndex(cases, defaultParams, day("2026-06-01T00:00:00Z"), emptyCalendar), exclusions: {} }],
      defaultParams,
    );
    expect(row!.q).toBeCloseTo(71.3, 10);
    expect(row!.points).toBeCloseTo(14.26, 10);
    expect(row!.flags).toEqual(["insufficient_sample"]);
    expect(row!.rank).toBeNull();
  });
});

describe("edge cases of the method", () => {
  it("n = 1 has a score but no interval", () => {
    const s = surveyIndex(counted([{ grades: [5, 4] }]).byK, defaultParams);
    expect(s).toMatchObject({ n: 1, s: 90, sd: null, ciLow: null, ciHigh: null });
  });

  it("all 'not applicable' or all flagged leaves no score and no rank", () => {
    const allNa = counted([{ grades: [NA, NA] }, { grades: [NA] }]);
    expect(allNa.reasons).toEqual(["no_scored_items", "no_scored_items"]);
    const allFlagged = counted([{ grades: [5], flags: ["honeypot"] }, { grades: [4], flags: ["excluded", "too_fast"] }]);
    expect(allFlagged.reasons).toEqual(["honeypot", "excluded"]);
    for (const { byK } of [allNa, allFlagged]) {
      const [row] = composeScores(
        [{ unitId: 1, kind: "county", survey: surveyIndex(byK, defaultParams), complaints: complaintIndex([], defaultParams, new Date(), emptyCalendar), exclusions: {} }],
        defaultParams,
      );
      expect(row).toMatchObject({ n: 0, s: null, q: null, points: null, rank: null, c: null });
      expect(row!.flags).toEqual(["no_responses", "insufficient_sample", "no_complaints"]);
    }
  });

  it("without complaints Q is S; with only ratings C is H; with only timeliness C is T", () => {
    const many = Array.from({ length: 30 }, () => ({ grades: [4, 4, 4] }));
    const survey = surveyIndex(counted(many).byK, defaultParams);
    const none = complaintIndex([], defaultParams, new Date(), emptyCalendar);
    expect(none.c).toBeNull();
    const [row] = composeScores([{ unitId: 1, kind: "county", survey, complaints: none, exclusions: {} }], defaultParams);
    expect(row!.q).toBe(80);
    expect(row!.points).toBe(16);
    expect(row!.rank).toBe(1);
    const pendingOnly = complaintIndex(
      [{ status: "accepted", replyDueAt: due, repliedAt: null, handlingGrade: null, ratingExcluded: false }],
      defaultParams,
      day("2026-05-01T00:00:00Z"),
      emptyCalendar,
    );
    expect(pendingOnly).toMatchObject({ due: 1, pending: 1, t: null, h: null, c: null });
  });

  it("an extended deadline counts a later reply as on time", () => {
    const extended = day("2026-05-24T15:59:59.999Z");
    const c = complaintIndex(
      [{ status: "replied", replyDueAt: extended, repliedAt: day("2026-05-20T02:00:00Z"), handlingGrade: null, ratingExcluded: false }],
      defaultParams,
      day("2026-06-01T00:00:00Z"),
      emptyCalendar,
    );
    expect(c).toMatchObject({ onTime: 1, late: 0, t: 100, c: 100 });
  });

  it("ranks within a kind, ties share a rank, insufficient samples are left out", () => {
    const idx = (grade: number, n = 30) => surveyIndex(counted(Array.from({ length: n }, () => ({ grades: [grade] }))).byK, defaultParams);
    const none = complaintIndex([], defaultParams, new Date(), emptyCalendar);
    const rows = composeScores(
      [
        { unitId: 1, kind: "county", survey: idx(4), complaints: none, exclusions: {} },
        { unitId: 2, kind: "county", survey: idx(5), complaints: none, exclusions: {} },
        { unitId: 3, kind: "county", survey: idx(4), complaints: none, exclusions: {} },
        { unitId: 4, kind: "county", survey: idx(5, 29), complaints: none, exclusions: {} },
        { unitId: 5, kind: "department", survey: idx(3), complaints: none, exclusions: {} },
      ],
      defaultParams,
    );
    expect(rows.map((r) => r.rank)).toEqual([2, 1, 2, null, 1]);
  });

  it("uses the period's parameters: grade points, weights, excluding flags", () => {
    const params = paramsOf({ gradePoints: { "5": 100, "4": 75, "3": 50, "2": 25, "1": 0 }, excludingFlags: ["honeypot"], surveyWeight: 1 });
    const { byK, reasons } = counted([{ grades: [4] }, { grades: [5], flags: ["too_fast"] }], params);
    expect(reasons).toEqual([]);
    expect(surveyIndex(byK, params).s).toBe(87.5);
    expect(paramsOf({ surveyWeight: 7 })).toEqual(defaultParams);
  });

  it("does not count a response submitted outside the period, whatever the parameters", () => {
    const t = responseTally({
      submittedAt: day("2027-01-01T00:00:00+08:00"),
      flags: [],
      channel: "link",
      period: { startsOn: day("2026-01-01T00:00:00+08:00"), endsOn: day("2026-12-31T23:59:59+08:00") },
      answers: [{ questionKey: "overall", core: true, grade: 5 }],
    });
    expect(t).toMatchObject({ month: "2027-01", flags: "outside_period,via:link", k: 1 });
    expect(exclusionReason(["outside_period"], 1, { ...defaultParams, excludingFlags: [] })).toBe("outside_period");
  });

  it("takes the median of an even and an odd list", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe("Student's t quantile", () => {
  it.each([
    [1, 12.7062],
    [2, 4.3027],
    [3, 3.1824],
    [10, 2.2281],
    [29, 2.0452],
    [100, 1.984],
    [10_000, 1.9602],
  ])("t(0.975, %i) = %f", (df, expected) => {
    expect(tQuantile(0.975, df)).toBeCloseTo(expected, 3);
  });
});
