// Numbers and dates in the reader's language. Intl knows zh-Hans, ug and en by their codes; a
// language whose script differs from Intl's default for its code names its Intl locale in its
// meta.json (Kazakh in Arabic script: "kk-Arab"). Formatters are costly to build, so one per
// language and style is kept.
import { intlLocale } from "./languages";

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

/** The formatter kept under this key, built once by `make`. */
function kept<F extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => F): F {
  let f = cache.get(key) as F | undefined;
  if (!f) cache.set(key, (f = make()));
  return f;
}

function dateTimeFormat(lng: string, withTime: boolean): Intl.DateTimeFormat {
  return kept(`dt|${lng}|${withTime}`, () =>
    new Intl.DateTimeFormat(intlLocale(lng), {
      dateStyle: "medium",
      ...(withTime ? { timeStyle: "short" } : {}),
      timeZone: "Asia/Shanghai",
    }),
  );
}

export function formatDateTime(date: Date, lng: string): string {
  return dateTimeFormat(lng, true).format(date);
}

export function formatDate(date: Date, lng: string): string {
  return dateTimeFormat(lng, false).format(date);
}

export function formatNumber(n: number, lng: string, fractionDigits = 0): string {
  return kept(`n|${lng}|${fractionDigits}`, () =>
    new Intl.NumberFormat(intlLocale(lng), { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }),
  ).format(n);
}

/** Hours and minutes in region time (the anomalies page's first–last times of a day). */
export function formatTime(date: Date, lng: string): string {
  return kept(`t|${lng}`, () => new Intl.DateTimeFormat(intlLocale(lng), { timeStyle: "short", timeZone: "Asia/Shanghai" })).format(date);
}

/** A share (0–1) as a percentage in the reader's language, whole percent. */
export function formatPercent(share: number, lng: string): string {
  return kept(`p|${lng}`, () => new Intl.NumberFormat(intlLocale(lng), { style: "percent", maximumFractionDigits: 0 })).format(share);
}
