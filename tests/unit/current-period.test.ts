// The period a staff page shows when none is asked for (app/models/period.server.ts currentPeriod).
import { describe, expect, it } from "vitest";

const { currentPeriod } = await import("#app/models/period.server");

const p = (code: string, from: string, to: string, status = "open") => ({ code, status, startsOn: new Date(`${from}T00:00:00+08:00`), endsOn: new Date(`${to}T23:59:59+08:00`) });
const now = new Date("2026-11-30T12:00:00+08:00");

describe("the current period", () => {
  it("is the one under way, not one set up for a far year nor a draft", () => {
    const periods = [p("2025", "2025-01-01", "2025-12-31", "closed"), p("2026", "2026-01-01", "2026-12-31"), p("2450", "2450-01-01", "2450-12-31", "closed"), p("2027", "2027-01-01", "2027-12-31", "draft")];
    expect(currentPeriod(periods, now)?.code).toBe("2026");
  });
  it("between periods: the latest that has begun; before any: the earliest to come", () => {
    const periods = [p("2025", "2025-01-01", "2025-12-31", "closed"), p("2027", "2027-01-01", "2027-12-31")];
    expect(currentPeriod(periods, now)?.code).toBe("2025");
    expect(currentPeriod([p("2030", "2030-01-01", "2030-12-31"), p("2028", "2028-01-01", "2028-12-31")], now)?.code).toBe("2028");
  });
  it("only drafts: the first of them; none: none", () => {
    expect(currentPeriod([p("D", "2027-01-01", "2027-12-31", "draft")], now)?.code).toBe("D");
    expect(currentPeriod([], now)).toBeNull();
  });
});
