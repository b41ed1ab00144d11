// Sign-in's `next` may only send the browser to a path of this site (app/domain/safe-redirect.ts).
import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "#app/domain/safe-redirect";

const fallback = "/staff";
// What searchParams.get("next") gives for each hostile query value.
const fromQuery = (raw: string) => new URLSearchParams(`next=${raw}`).get("next");

describe("safe redirect after sign-in", () => {
  it("keeps same-origin paths, with their query and fragment, normalised", () => {
    expect(safeRedirectPath("/staff/cases/TS-2026-000123", fallback)).toBe("/staff/cases/TS-2026-000123");
    expect(safeRedirectPath("/staff?status=submitted&page=2", fallback)).toBe("/staff?status=submitted&page=2");
    expect(safeRedirectPath("/staff/scores#top", fallback)).toBe("/staff/scores#top");
    expect(safeRedirectPath("/staff/./scores/../periods", fallback)).toBe("/staff/periods");
    expect(safeRedirectPath(fromQuery("%2Fstaff%2Fsurveys%3Fq%3D%E5%8C%97"), fallback)).toBe("/staff/surveys?q=%E5%8C%97");
  });

  it.each([
    ["/%5Cevil.example"],
    ["/%09/evil.example"],
    ["/%0D%0ASet-Cookie:%20sid=x"],
    ["/staff%0A"],
    ["%2F%2Fevil.example"],
    ["//evil.example"],
    ["///evil.example"],
    ["/\\evil.example"],
    ["%5C%5Cevil.example"],
    ["https://evil.example/staff"],
    ["http:evil.example"],
    ["javascript:alert(1)"],
    ["evil.example"],
    ["/.//evil.example"],
    ["/%00/evil.example"],
    ["/%7F"],
    ["/%E2%80%A8/evil.example"],
    [" /staff"],
    [""],
  ])("refuses %s", (raw) => {
    expect(safeRedirectPath(fromQuery(raw), fallback)).toBe(fallback);
  });

  it("refuses what is not a string, and over-long values", () => {
    expect(safeRedirectPath(null, fallback)).toBe(fallback);
    expect(safeRedirectPath(undefined, fallback)).toBe(fallback);
    expect(safeRedirectPath(`/${"a".repeat(5000)}`, fallback)).toBe(fallback);
  });

  it("never yields a value a browser would read as another origin or that breaks a header", () => {
    const hostile = ["/\t/x.example", "/\\/x.example", "/\r\n/x.example", "/.//x.example", "/..//x.example", "/%2e%2e//x.example"];
    for (const v of hostile) {
      const out = safeRedirectPath(v, fallback);
      expect(new URL(out, "https://site.example").origin, v).toBe("https://site.example");
      expect(out).not.toMatch(/[\u0000-\u001f\\]/);
      expect(() => new Headers({ Location: out })).not.toThrow();
    }
  });
});
