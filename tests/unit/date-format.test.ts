// Dates read as a reader of each language writes them, the same on the server and in the browser
// (no Intl date data: its Uyghur and Kazakh differ between ICU builds).
import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatTime } from "#app/i18n/format";

// 30 November 2026, 19:48 in region time (UTC+8).
const evening = new Date("2026-11-30T11:48:00Z");
// 27 November 2026, 09:05: a one-digit day-of-hour and minute keep their leading zero.
const morning = new Date("2026-11-27T01:05:00Z");
// 23:30 UTC on 31 December is already 1 January in region time.
const newYear = new Date("2026-12-31T23:30:00Z");

describe("dates and times per language, in region time", () => {
  it("Chinese: year, month and day with their characters, then the time", () => {
    expect(formatDateTime(evening, "zh-Hans")).toBe("2026年11月30日 19:48");
    expect(formatDate(morning, "zh-Hans")).toBe("2026年11月27日");
    expect(formatDateTime(newYear, "zh-Hans")).toBe("2027年1月1日 07:30");
  });

  it("English: day, short month, year, 24-hour time", () => {
    expect(formatDateTime(evening, "en")).toBe("30 Nov 2026, 19:48");
    expect(formatDateTime(morning, "en")).toBe("27 Nov 2026, 09:05");
    expect(formatDate(newYear, "en")).toBe("1 Jan 2027");
  });

  it("Uyghur: ordinal day joined to the Uyghur month name, year, time, with the Arabic comma", () => {
    expect(formatDateTime(evening, "ug")).toBe("30-نويابىر، 2026، 19:48");
    expect(formatDate(morning, "ug")).toBe("27-نويابىر، 2026");
    expect(formatDate(newYear, "ug")).toBe("1-يانۋار، 2027");
  });

  it("Kazakh: year first as Kazakh writes it, then day and the Kazakh month name, time, no Latin comma or loose dash", () => {
    expect(formatDateTime(evening, "kk")).toBe("2026 جىلعى 30 قاراشا، 19:48");
    expect(formatDate(newYear, "kk")).toBe("2027 جىلعى 1 قاڭتار");
    expect(formatDateTime(evening, "kk")).not.toMatch(/[,]|-\s/);
  });

  it("times are 24-hour with two-digit hours in every language", () => {
    for (const lng of ["zh-Hans", "ug", "kk", "en"]) {
      expect(formatTime(morning, lng)).toBe("09:05");
      expect(formatTime(evening, lng)).toBe("19:48");
    }
  });

  it("an unknown language falls back to English rather than printing raw keys", () => {
    expect(formatDate(evening, "xx")).toBe("30 Nov 2026");
  });
});
