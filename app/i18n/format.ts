// Numbers and dates in the reader's language. Intl knows zh-Hans, ug and en by their codes; a
// language whose script differs from Intl's default for its code names its Intl locale in its
// meta.json (Kazakh in Arabic script: "kk-Arab"). Formatters are costly to build, so one per
// language and style is kept.
import { intlLocale } from "./languages";

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function dateTimeFormat(lng: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `dt|${lng}|${withTime}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocale(lng), {
      dateStyle: "medium",
      ...(withTime ? { timeStyle: "short" } : {}),
      timeZone: "Asia/Shanghai",
    });
    cache.set(key, f);
  }
  return f;
}

export function formatDateTime(date: Date, lng: string): string {
  return dateTimeFormat(lng, true).format(date);
}

export function formatDate(date: Date, lng: string): string {
  return dateTimeFormat(lng, false).format(date);
}

export function formatNumber(n: number, lng: string, fractionDigits = 0): string {
  const key = `n|${lng}|${fractionDigits}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat(intlLocale(lng), { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits });
    cache.set(key, f);
  }
  return f.format(n);
}

/** Hours and minutes in region time (the anomalies page's first–last times of a day). */
export function formatTime(date: Date, lng: string): string {
  const key = `t|${lng}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocale(lng), { timeStyle: "short", timeZone: "Asia/Shanghai" });
    cache.set(key, f);
  }
  return f.format(date);
}

/** A share (0–1) as a percentage in the reader's language, whole percent. */
export function formatPercent(share: number, lng: string): string {
  const key = `p|${lng}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat(intlLocale(lng), { style: "percent", maximumFractionDigits: 0 });
    cache.set(key, f);
  }
  return f.format(share);
}
