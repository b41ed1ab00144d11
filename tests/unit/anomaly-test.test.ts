// The anomalies page's test: the chi-square survival function against published table values and
// SciPy, the grade categories, the day-against-rest test of homogeneity, and the exact test that
// replaces the chi-square when expected counts are small (reference values: SciPy, and a direct
// enumeration in Python with exact integer binomials).
import { describe, expect, it } from "vitest";
import { chiSquareSurvival, dayDistributionTest, exactHomogeneityP, gradeCategory, regularizedGammaQ } from "#app/domain/anomaly-test";

describe("chi-square survival function", () => {
  it("matches the critical values of the chi-square table", () => {
    // (χ², df, p) from the usual table of critical values.
    const table: [number, number, number][] = [
      [3.841, 1, 0.05],
      [6.635, 1, 0.01],
      [10.828, 1, 0.001],
      [5.991, 2, 0.05],
      [9.21, 2, 0.01],
      [13.816, 2, 0.001],
      [7.815, 3, 0.05],
      [16.266, 3, 0.001],
      [9.488, 4, 0.05],
      [18.467, 4, 0.001],
      [18.307, 10, 0.05],
    ];
    for (const [x, df, p] of table) expect(chiSquareSurvival(x, df), `χ²=${x}, df=${df}`).toBeCloseTo(p, 4);
  });

  it("equals SciPy's chi2.sf to many digits, deep in the tail too", () => {
    const cases: [number, number, number][] = [
      [13.816, 2, 0.0009997553089238827],
      [5.991, 2, 0.05001161502657909],
      [0.5, 3, 0.9188914116546758],
      [1e-6, 1, 0.9992021155721779],
      [30, 2, 3.0590232050182594e-7],
      [70, 1, 5.930445850082478e-17],
      [100, 2, 1.9287498479639183e-22],
    ];
    for (const [x, df, p] of cases) expect(Math.abs(chiSquareSurvival(x, df) - p) / p, `χ²=${x}, df=${df}`).toBeLessThan(1e-8);
  });

  it("is exp(-x/2) for two degrees of freedom, 1 at zero and 0 at infinity", () => {
    for (const x of [0.1, 1, 2.5, 7, 20, 60]) expect(chiSquareSurvival(x, 2)).toBeCloseTo(Math.exp(-x / 2), 12);
    expect(chiSquareSurvival(0, 2)).toBe(1);
    expect(regularizedGammaQ(1.5, Infinity)).toBe(0);
    expect(chiSquareSurvival(5, 0)).toBeNaN();
  });
});

describe("grade categories", () => {
  it("splits the mean core grade at 2.5 and 3.5", () => {
    expect([1, 2.49, 2.5, 3, 3.49, 3.5, 5].map(gradeCategory)).toEqual([0, 0, 1, 1, 1, 2, 2]);
    expect(gradeCategory(null)).toBeNull();
  });
});

describe("a day against the rest of the period", () => {
  it("gives SciPy's chi2_contingency statistic and p-value (without continuity correction)", () => {
    const t = dayDistributionTest([30, 40, 50], [300, 200, 700]);
    expect(t.method).toBe("chi2");
    expect(t.chi2).toBeCloseTo(22, 9);
    expect(t.df).toBe(2);
    expect(t.expected[1]).toBeCloseTo(21.818181818, 6);
    expect(t.p! / 1.6701700790245632e-5).toBeCloseTo(1, 8);
    expect(t.significant).toBe(true);
    const d = dayDistributionTest([60, 40, 50], [300, 200, 700]);
    expect(d.chi2).toBeCloseTo(33.75, 9);
    expect(d.p! / 4.691164021834422e-8).toBeCloseTo(1, 8);
  });

  it("uses the exact test when an expected count is below 5", () => {
    const t = dayDistributionTest([12, 5, 13], [20, 40, 240]);
    expect(t.chi2).toBeCloseTo(36.254830917874386, 9);
    expect(t.method).toBe("exact");
    expect(t.p! / 1.6312424753582238e-6).toBeCloseTo(1, 8);
    expect(t.significant).toBe(true);
    // One dissatisfied citizen among 15 at a unit that rarely has any is not a different day (the
    // chi-square alone would say p < 0.001).
    const one = dayDistributionTest([1, 0, 14], [1, 10, 989]);
    expect(one.chi2!).toBeGreaterThan(20);
    expect(one.method).toBe("exact");
    expect(one.p! / 0.0377053383709216).toBeCloseTo(1, 8);
    expect(one.significant).toBe(false);
  });

  it("computes the exact p-value of 2 × 3 and 2 × 2 tables as a direct enumeration does", () => {
    const cases: [number[], number[], number][] = [
      [[12, 0, 0], [10, 20, 200], 1.2102698071442182e-14],
      [[1, 2, 12], [5, 40, 300], 0.22879145620643015],
      [[3, 4, 5], [20, 2, 30], 0.016881641198856365],
      [[2, 1, 12], [3, 30, 250], 0.025395955139143153],
    ];
    for (const [day, rest, p] of cases) expect(exactHomogeneityP(day, rest)! / p, `${day} | ${rest}`).toBeCloseTo(1, 8);
    // With an empty category: Fisher's exact test of the 2 × 2 table (SciPy's fisher_exact).
    expect(exactHomogeneityP([12, 0, 0], [12, 0, 200])! / 1.095473725375244e-13).toBeCloseTo(1, 8);
    expect(exactHomogeneityP([3, 0, 7], [30, 0, 160])! / 0.21638815952540286).toBeCloseTo(1, 8);
  });

  it("calls 30 worst grades at a unit whose other days are satisfied significant, leaving out the unused category", () => {
    const t = dayDistributionTest([30, 0, 0], [0, 0, 40]);
    expect(t.df).toBe(1);
    expect(t.chi2).toBeCloseTo(70, 9);
    expect(t.method).toBe("chi2");
    expect(t.p! / 5.930445850082478e-17).toBeCloseTo(1, 6);
    expect(t.significant).toBe(true);
  });

  it("finds nothing in a day that looks like the rest", () => {
    const t = dayDistributionTest([10, 20, 30], [100, 200, 300]);
    expect(t.chi2).toBeCloseTo(0, 12);
    expect(t.p).toBeCloseTo(1, 12);
    expect(t.significant).toBe(false);
  });

  it("needs at least 10 responses on the day, and something to compare with", () => {
    // 9 dissatisfied against 200 satisfied: p is tiny, but too few responses to call it.
    const small = dayDistributionTest([9, 0, 0], [0, 0, 200]);
    expect(small.p! / 5.679215555562448e-16).toBeCloseTo(1, 6);
    expect(small.significant).toBe(false);
    expect(dayDistributionTest([20, 0, 0], [0, 0, 0])).toMatchObject({ p: null, significant: false });
    expect(dayDistributionTest([0, 0, 0], [5, 5, 5])).toMatchObject({ p: null, significant: false });
    // Only one category in the whole period: df would be 0, no test.
    expect(dayDistributionTest([0, 0, 12], [0, 0, 40])).toMatchObject({ df: 0, p: null, significant: false });
  });

  it("with a large rest, has the statistic of the goodness-of-fit test against the rest's shares", () => {
    const day = [6, 4, 10];
    const rest = [100_000, 200_000, 700_000];
    const share = rest.map((r) => r / 1_000_000);
    const gof = day.reduce((s, d, i) => s + (d - 20 * share[i]!) ** 2 / (20 * share[i]!), 0);
    expect(dayDistributionTest(day, rest).chi2).toBeCloseTo(gof, 3);
  });
});
