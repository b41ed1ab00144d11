// Numbers and dates in the reader's language (Intl knows zh-Hans, ug and en).

export function formatDateTime(date: Date, lng: string): string {
  return new Intl.DateTimeFormat(lng, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "Asia/Shanghai",
  }).format(date);
}

export function formatDate(date: Date, lng: string): string {
  return new Intl.DateTimeFormat(lng, { dateStyle: "medium", timeZone: "Asia/Shanghai" }).format(date);
}

export function formatNumber(n: number, lng: string, fractionDigits = 0): string {
  return new Intl.NumberFormat(lng, {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(n);
}
