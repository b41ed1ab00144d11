import { describe, expect, it } from "vitest";
import { assessQuality } from "#app/domain/quality";
import { nextAllowedAt, windowStart } from "#app/domain/repeat";

const now = new Date("2026-06-01T12:00:00Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

describe("repeat rule", () => {
  it("lets a device answer when it has not answered within the window", () => {
    expect(nextAllowedAt(null, now, 24)).toBeNull();
    expect(nextAllowedAt(hoursAgo(25), now, 24)).toBeNull();
    expect(nextAllowedAt(hoursAgo(24), now, 24)).toBeNull();
  });

  it("refuses a device within the window and says when it may answer again", () => {
    expect(nextAllowedAt(hoursAgo(1), now, 24)).toEqual(new Date("2026-06-02T11:00:00Z"));
    expect(nextAllowedAt(hoursAgo(5), now, 6)).toEqual(new Date("2026-06-01T13:00:00Z"));
  });

  it("a window of 0 hours disables the rule", () => {
    expect(nextAllowedAt(hoursAgo(0), now, 0)).toBeNull();
  });

  it("computes the start of the window", () => {
    expect(windowStart(now, 24)).toEqual(hoursAgo(24));
  });
});

describe("quality flags", () => {
  const base = { honeypot: "", submittedAt: now, minSeconds: 8 };

  it("gives no flag to a plausible response", () => {
    expect(assessQuality({ ...base, startedAt: new Date(now.getTime() - 60_000) })).toEqual([]);
  });

  it("flags a response completed faster than the survey's minimum", () => {
    expect(assessQuality({ ...base, startedAt: new Date(now.getTime() - 7_999) })).toEqual(["too_fast"]);
    expect(assessQuality({ ...base, startedAt: new Date(now.getTime() - 8_000) })).toEqual([]);
  });

  it("flags a filled honeypot and a missing start token", () => {
    expect(assessQuality({ ...base, honeypot: "http://spam", startedAt: null })).toEqual([
      "honeypot",
      "unverified_start",
    ]);
    expect(assessQuality({ ...base, honeypot: "   ", startedAt: hoursAgo(1) })).toEqual([]);
  });
});
