// Numbers and dates in the reader's language. Intl knows zh-Hans, ug and en by their codes; a
// language whose script differs from Intl's default for its code names its Intl locale in its
// meta.json (Kazakh in Arabic script: "kk-Arab"). Formatters are costly to build, so one per
// language and style is kept.
//
// Dates and times are not left to Intl: its Uyghur and Arabic-script Kazakh data are thin (Kazakh
// came out as "2026، 30- قاراشا, 19:48") and differ between the ICU of Node and of the browser,
// which would make the server's page and the hydrated one disagree. Each language's pattern and
// month names are its own translation keys (the "date" section of common.json), filled from the
// date's parts in region time, so server and browser write the same string.
import { REGION_UTC_OFFSET_MINUTES } from "#app/domain/working-days";
import { intlLocale } from "./languages";

const cache = new Map<string, Intl.NumberFormat>();

/** The formatter kept under this key, built once by `make`. */
function kept<F extends Intl.NumberFormat>(key: string, make: () => F): F {
  let f = cache.get(key) as F | undefined;
  if (!f) cache.set(key, (f = make()));
  return f;
}

interface DateWords {
  month: Record<string, string>;
  pattern: { date: string; dateTime: string };
}

const dateWords: Record<string, DateWords> = Object.fromEntries(
  Object.entries(
    import.meta.glob<DateWords>("../../locales/*/common.json", { eager: true, import: "date" }),
  ).map(([path, words]) => [path.split("/").at(-2)!, words]),
);

// Region time: the offset the deadlines are counted in (working-days.ts).
const REGION_OFFSET_MS = REGION_UTC_OFFSET_MINUTES * 60_000;

function regionParts(date: Date) {
  const d = new Date(date.getTime() + REGION_OFFSET_MS);
  const two = (n: number) => String(n).padStart(2, "0");
  return {
    year: String(d.getUTCFullYear()),
    month: d.getUTCMonth() + 1,
    day: String(d.getUTCDate()),
    time: `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`,
  };
}

const fill = (pattern: string, values: Record<string, string>) =>
  pattern.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => values[name] ?? "");

function wordsOf(lng: string): DateWords {
  return dateWords[lng] ?? dateWords.en!;
}

/** Day, month and year in region time, as a reader of `lng` writes them ("30 Nov 2026", "2026年11月30日"). */
export function formatDate(date: Date, lng: string): string {
  const p = regionParts(date);
  const words = wordsOf(lng);
  return fill(words.pattern.date, { year: p.year, month: words.month[String(p.month)] ?? String(p.month), day: p.day });
}

/** The date and the 24-hour time in region time ("30 Nov 2026, 19:48", "2026年11月30日 19:48"). */
export function formatDateTime(date: Date, lng: string): string {
  return fill(wordsOf(lng).pattern.dateTime, { date: formatDate(date, lng), time: regionParts(date).time });
}

export function formatNumber(n: number, lng: string, fractionDigits = 0): string {
  return kept(`n|${lng}|${fractionDigits}`, () =>
    new Intl.NumberFormat(intlLocale(lng), { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }),
  ).format(n);
}

/** Hours and minutes in region time, 24-hour in every language (the anomalies page's first–last times of a day). */
export function formatTime(date: Date, _lng: string): string {
  return regionParts(date).time;
}

/** A share (0–1) as a percentage in the reader's language, whole percent. */
export function formatPercent(share: number, lng: string): string {
  return kept(`p|${lng}`, () => new Intl.NumberFormat(intlLocale(lng), { style: "percent", maximumFractionDigits: 0 })).format(share);
}
