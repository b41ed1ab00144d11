// The anomalies page's test (docs/decisions/0010, "Anomalies review"): does a unit's day of
// responses have another grade distribution than the rest of the unit's period? Each response is
// one observation, placed in one of three categories by the mean of its answered core grades; the
// day and the rest of the period form a 2 × 3 table, tested with Pearson's chi-square test of
// homogeneity, or, when an expected count is below 5 (where the chi-square approximation calls far
// too many days different), with the exact conditional test of the same table (Fisher–Freeman–
// Halton). Many unit-days are tested, so only a strict threshold calls a day different; the office
// then looks at the day's responses and decides. Nothing here reads the database.
import { logGamma } from "./scoring";

/** Categories of a response by its mean core grade (1 very dissatisfied … 5 very satisfied). */
export const gradeCategories = ["dissatisfied", "neutral", "satisfied"] as const;
export type GradeCategory = (typeof gradeCategories)[number];

/** Upper bounds (exclusive) of the mean grade of the first two categories. */
export const CATEGORY_BOUNDS = [2.5, 3.5] as const;
/** A day is called different only with at least this many categorised responses … */
export const MIN_DAY_RESPONSES = 10;
/** … and a p-value below this. */
export const SIGNIFICANCE = 0.001;
/** Below this expected count in a used category, the exact test replaces the chi-square (Cochran). */
export const MIN_EXPECTED = 5;
/** Above this many tables to enumerate, the exact test is not run (the chi-square is used). */
const MAX_EXACT_TABLES = 2_000_000;

/** The category index (0 dissatisfied, 1 neutral, 2 satisfied) of a mean core grade; null without one. */
export function gradeCategory(meanGrade: number | null): 0 | 1 | 2 | null {
  if (meanGrade === null || !Number.isFinite(meanGrade)) return null;
  if (meanGrade < CATEGORY_BOUNDS[0]) return 0;
  if (meanGrade < CATEGORY_BOUNDS[1]) return 1;
  return 2;
}

/**
 * The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a), for a > 0, x ≥ 0:
 * the series of P for x < a + 1, the continued fraction of Q otherwise (modified Lentz), both to
 * double precision (Numerical Recipes §6.2).
 */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0) || Number.isNaN(x)) return Number.NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  const logFront = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let ap = a;
    let term = 1 / a;
    let sum = term;
    for (let n = 0; n < 1000; n++) {
      ap += 1;
      term *= x / ap;
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return Math.min(1, Math.max(0, 1 - sum * Math.exp(logFront)));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.min(1, Math.max(0, Math.exp(logFront) * h));
}

/** P(X ≥ x) for X chi-square distributed with df degrees of freedom (the test's p-value). */
export function chiSquareSurvival(x: number, df: number): number {
  if (!(df > 0)) return Number.NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(df / 2, x / 2);
}

// ln n! for integers, from a table grown on demand (the exact test needs it up to a unit's period total).
let logFactorials = new Float64Array([0, 0]);
function logFactorial(n: number): number {
  if (n >= logFactorials.length) {
    const size = Math.max(n + 1, logFactorials.length * 2);
    const grown = new Float64Array(size);
    grown.set(logFactorials);
    for (let i = logFactorials.length; i < size; i++) grown[i] = grown[i - 1]! + Math.log(i);
    logFactorials = grown;
  }
  return logFactorials[n]!;
}

const logChoose = (n: number, k: number) => logFactorial(n) - logFactorial(k) - logFactorial(n - k);

/**
 * The exact conditional p-value of a 2 × K table (the day's counts against the rest's): with the
 * column totals and the day's total fixed, every possible day row has a hypergeometric
 * probability; p is the sum over the rows no more probable than the observed one. Null when there
 * would be more than MAX_EXACT_TABLES rows to enumerate.
 */
export function exactHomogeneityP(day: readonly number[], rest: readonly number[]): number | null {
  const columns = day.map((d, i) => d + rest[i]!).filter((c) => c > 0);
  const observed = day.filter((_, i) => day[i]! + rest[i]! > 0);
  const n = observed.reduce((a, b) => a + b, 0);
  const total = columns.reduce((a, b) => a + b, 0);
  let tables = 1;
  for (const c of columns.slice(0, -1)) tables *= Math.min(n, c) + 1;
  if (tables > MAX_EXACT_TABLES) return null;
  const logDenominator = logChoose(total, n);
  const logP = (row: readonly number[]) => row.reduce((s, x, i) => s + logChoose(columns[i]!, x), 0) - logDenominator;
  // Ties in probability (up to rounding) count as "no more probable".
  const cut = logP(observed) + 1e-7;
  const row = new Array<number>(columns.length).fill(0);
  let p = 0;
  // Columns still to fill from index i on can take at most this many responses.
  const room = columns.map((_, i) => columns.slice(i).reduce((a, b) => a + b, 0));
  const visit = (i: number, left: number) => {
    if (i === columns.length - 1) {
      if (left > columns[i]!) return;
      row[i] = left;
      const lp = logP(row);
      if (lp <= cut) p += Math.exp(lp);
      return;
    }
    const from = Math.max(0, left - room[i + 1]!);
    for (let x = from; x <= Math.min(left, columns[i]!); x++) {
      row[i] = x;
      visit(i + 1, left - x);
    }
  };
  visit(0, n);
  return Math.min(1, p);
}

export interface DayTest {
  /** Categorised responses of the day. */
  n: number;
  /** Categorised responses of the rest of the period. */
  restN: number;
  /** Pearson's statistic and its degrees of freedom (null: nothing to compare with). */
  chi2: number | null;
  df: number;
  /** The p-value, from the chi-square distribution or the exact test; null: no test. */
  p: number | null;
  method: "chi2" | "exact" | null;
  /** Expected counts of the day under "same distribution as the rest" (pooled shares). */
  expected: number[];
  significant: boolean;
}

/**
 * Pearson's chi-square test of homogeneity of the day's counts by category against the rest of the
 * period's (each an array of 3 counts). Expected counts come from the pooled shares; a category no
 * response of the period falls in has zero expected counts and is left out (df = categories used
 * − 1). When an expected count of a used category is below MIN_EXPECTED, p comes from the exact
 * test instead. Significant when the day has at least MIN_DAY_RESPONSES responses and
 * p < SIGNIFICANCE.
 */
export function dayDistributionTest(day: readonly number[], rest: readonly number[]): DayTest {
  const n = day.reduce((a, b) => a + b, 0);
  const restN = rest.reduce((a, b) => a + b, 0);
  const total = n + restN;
  const expected = day.map((d, i) => (total > 0 ? (n * (d + rest[i]!)) / total : 0));
  const none: DayTest = { n, restN, chi2: null, df: 0, p: null, method: null, expected, significant: false };
  if (n === 0 || restN === 0) return none;
  let chi2 = 0;
  let used = 0;
  let small = false;
  for (let i = 0; i < day.length; i++) {
    const column = day[i]! + rest[i]!;
    if (column === 0) continue;
    used += 1;
    const eDay = (n * column) / total;
    const eRest = (restN * column) / total;
    if (eDay < MIN_EXPECTED || eRest < MIN_EXPECTED) small = true;
    chi2 += (day[i]! - eDay) ** 2 / eDay + (rest[i]! - eRest) ** 2 / eRest;
  }
  const df = used - 1;
  if (df < 1) return { ...none, chi2: 0 };
  const exact = small ? exactHomogeneityP(day, rest) : null;
  const p = exact ?? chiSquareSurvival(chi2, df);
  return { n, restN, chi2, df, p, method: exact === null ? "chi2" : "exact", expected, significant: n >= MIN_DAY_RESPONSES && p < SIGNIFICANCE };
}
