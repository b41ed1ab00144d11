// The report's reading of figures (app/domain/period-report.ts): the change from the previous
// period and when it counts as beyond the interval, the units named, the previous period, and the
// items that pull a kind down.
import { describe, expect, it } from "vitest";
import { changeBeyondInterval, type ComparedFigures, periodChanges, previousPeriodOf, reportFlags, weakestItems } from "#app/domain/period-report";
import { defaultParams } from "#app/domain/scoring";

const unit = (over: Partial<ComparedFigures> = {}): ComparedFigures => ({
  unitId: 1,
  n: 100,
  s: 80,
  ciLow: 76,
  ciHigh: 84,
  q: 78,
  rank: 2,
  flags: [],
  ...over,
});

describe("a change in S beyond its interval", () => {
  it("is the previous S outside this period's interval, either way", () => {
    expect(changeBeyondInterval(unit(), unit({ s: 75.99 }))).toBe("up");
    expect(changeBeyondInterval(unit(), unit({ s: 84.01 }))).toBe("down");
    // On the interval's ends, or inside it: no mark.
    expect(changeBeyondInterval(unit(), unit({ s: 76 }))).toBeNull();
    expect(changeBeyondInterval(unit(), unit({ s: 84 }))).toBeNull();
    expect(changeBeyondInterval(unit(), unit({ s: 70.5, ciLow: 60, ciHigh: 81 }))).toBe("up");
  });

  it("compares published (2-decimal) values", () => {
    // 75.996 is published as 76.00: on the interval's end.
    expect(changeBeyondInterval(unit(), unit({ s: 75.996 }))).toBeNull();
    expect(changeBeyondInterval(unit({ ciLow: 75.994 }), unit({ s: 75.985 }))).toBeNull();
    expect(changeBeyondInterval(unit({ ciLow: 75.994 }), unit({ s: 75.984 }))).toBe("up");
  });

  it("is not judged on an insufficient sample, a missing S or interval, or without a previous period", () => {
    expect(changeBeyondInterval(unit({ flags: ["insufficient_sample"] }), unit({ s: 50 }))).toBeNull();
    expect(changeBeyondInterval(unit(), unit({ s: 50, flags: ["insufficient_sample"] }))).toBeNull();
    expect(changeBeyondInterval(unit({ ciLow: null, ciHigh: null }), unit({ s: 50 }))).toBeNull();
    expect(changeBeyondInterval(unit({ s: null }), unit({ s: 50 }))).toBeNull();
    expect(changeBeyondInterval(unit(), unit({ s: null }))).toBeNull();
    expect(changeBeyondInterval(unit(), null)).toBeNull();
  });
});

describe("each unit's change from the previous period", () => {
  it("matches units by id and gives the differences of published figures", () => {
    const now = [unit({ unitId: 1, s: 80.126, q: 70, rank: 1 }), unit({ unitId: 2, s: 60, ciLow: 55, ciHigh: 65, rank: 3 }), unit({ unitId: 3 })];
    const then = [unit({ unitId: 1, s: 70.114, q: 72.5, rank: 4 }), unit({ unitId: 2, s: 61, rank: null, flags: ["insufficient_sample"] }), unit({ unitId: 9 })];
    const changes = periodChanges(now, then);
    expect(changes.get(1)).toEqual({ previous: { n: 100, s: 70.114, q: 72.5, rank: 4 }, deltaS: 10.02, deltaQ: -2.5, rankMove: 3, beyond: "up" });
    expect(changes.get(2)).toMatchObject({ deltaS: -1, rankMove: null, beyond: null });
    // Unit 3 was not scored then.
    expect(changes.get(3)).toEqual({ previous: null, deltaS: null, deltaQ: null, rankMove: null, beyond: null });
    expect(changes.has(9)).toBe(false);
  });

  it("treats a unit without responses then as having no figures, and no previous period as none", () => {
    const changes = periodChanges([unit()], [unit({ n: 0, s: null, q: null, rank: null, ciLow: null, ciHigh: null })]);
    expect(changes.get(1)?.previous).toBeNull();
    expect(periodChanges([unit()], null).get(1)).toEqual({ previous: null, deltaS: null, deltaQ: null, rankMove: null, beyond: null });
  });
});

describe("the units the report names", () => {
  it("for an insufficient sample and for S below the office's threshold", () => {
    expect(reportFlags(unit({ s: 59.994 }), 60)).toEqual(["below_threshold"]);
    // 59.995 is published as 60.00: not below.
    expect(reportFlags(unit({ s: 59.995 }), 60)).toEqual([]);
    expect(reportFlags(unit({ s: 40, flags: ["insufficient_sample", "no_complaints"] }), 60)).toEqual(["insufficient_sample", "below_threshold"]);
    expect(reportFlags(unit({ s: null, flags: ["no_responses", "insufficient_sample"] }), 60)).toEqual(["insufficient_sample"]);
    expect(reportFlags(unit({ s: 0 }), 0)).toEqual([]);
    expect(reportFlags(unit({ s: 99.99 }), 100)).toEqual(["below_threshold"]);
  });

  it("with the threshold a method parameter of 60 by default", () => {
    expect(defaultParams.reportThreshold).toBe(60);
  });
});

describe("the previous period", () => {
  const p = (id: number, starts: string, ends: string, status = "closed") => ({ id, startsOn: new Date(starts), endsOn: new Date(ends), status });
  it("is the one that ended last before this one starts, drafts aside", () => {
    const y2026 = p(1, "2026-01-01", "2026-12-31", "open");
    const y2025 = p(2, "2025-01-01", "2025-12-31");
    const h2 = p(3, "2025-07-01", "2025-12-30");
    const draft = p(4, "2025-12-31", "2025-12-31T12:00:00Z", "draft");
    const overlapping = p(5, "2025-06-01", "2026-02-01");
    const all = [y2026, h2, y2025, draft, overlapping];
    expect(previousPeriodOf(y2026, all)?.id).toBe(2);
    expect(previousPeriodOf(y2025, all)).toBeNull();
    // Same end: the later start (the shorter, nearer period).
    expect(previousPeriodOf(y2026, [y2026, y2025, p(6, "2025-10-01", "2025-12-31")])?.id).toBe(6);
  });
});

describe("the items that pull a kind down", () => {
  it("sums the units' answers per item and puts the lowest mean first", () => {
    const a = [
      { key: "speed", core: true, counts: [2, 0, 0, 0, 8] },
      { key: "manner", core: true, counts: [0, 0, 0, 10, 0] },
      { key: "signs", core: false, counts: [0, 0, 0, 0, 0] },
    ];
    const b = [
      { key: "speed", core: true, counts: [3, 1, 0, 0, 6] },
      { key: "manner", core: true, counts: [0, 0, 0, 10, 0] },
      { key: "wait", core: false, counts: [0, 0, 5, 0, 0] },
    ];
    const items = weakestItems([a, b], defaultParams.gradePoints, 2);
    expect(items.map((i) => i.key)).toEqual(["wait", "speed"]);
    expect(items[0]).toEqual({ key: "wait", core: false, answers: 5, mean: 60, dissatisfied: 0 });
    // speed: 5×0 + 1×30 + 14×100 over 20 answers.
    expect(items[1]!.mean).toBeCloseTo(71.5, 10);
    expect(items[1]!.dissatisfied).toBeCloseTo(6 / 20, 10);
    expect(weakestItems([a, b], defaultParams.gradePoints, 10).map((i) => i.key)).toEqual(["wait", "speed", "manner"]);
    expect(weakestItems([], defaultParams.gradePoints, 3)).toEqual([]);
  });
});
