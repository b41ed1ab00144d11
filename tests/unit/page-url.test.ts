// The page a request stands for (app/lib/page-url.ts): a data request's sign-in redirect must
// send the user back to the page, not to its data.
import { describe, expect, it } from "vitest";
import { pagePath, pageUrl } from "#app/lib/page-url";

describe("page URL of a request", () => {
  it("is the page itself for pages", () => {
    expect(pageUrl(new URL("http://x/staff/overdue"))).toBe("/staff/overdue");
    expect(pageUrl(new URL("http://x/staff?status=submitted&page=2"))).toBe("/staff?status=submitted&page=2");
  });
  it("drops .data and _routes from data requests", () => {
    expect(pageUrl(new URL("http://x/staff/overdue.data"))).toBe("/staff/overdue");
    expect(pageUrl(new URL("http://x/staff.data?status=submitted&_routes=routes%2Fstaff-queue"))).toBe("/staff?status=submitted");
    expect(pagePath("/_.data")).toBe("/");
    expect(pagePath("/staff/cases/.data")).toBe("/staff/cases/");
  });
});
