import { describe, expect, it } from "vitest";
import { isCrossSiteRequest } from "#app/lib/origin";

const url = "https://rate.example.gov.cn/s/satisfaction-2026?unit=C01";
const post = (origin: string | null, secFetchSite: string | null = null) =>
  isCrossSiteRequest({ method: "POST", url, origin, secFetchSite });

describe("cross-site post detection", () => {
  it("allows same-origin posts", () => {
    expect(post("https://rate.example.gov.cn")).toBe(false);
    expect(post("https://rate.example.gov.cn", "same-origin")).toBe(false);
  });

  it("refuses posts from another site, another port or an opaque origin", () => {
    expect(post("https://evil.example")).toBe(true);
    expect(post("https://rate.example.gov.cn:8443")).toBe(true);
    expect(post("null")).toBe(true);
    expect(post(null, "cross-site")).toBe(true);
    expect(post(null, "same-site")).toBe(true);
  });

  it("compares the scheme as well as the host (issue 10)", () => {
    expect(post("http://rate.example.gov.cn")).toBe(true);
    expect(post("http://rate.example.gov.cn:443")).toBe(true);
    expect(post("https://rate.example.gov.cn:443")).toBe(false); // the default port is the same origin
    expect(post("ftp://rate.example.gov.cn")).toBe(true);
    expect(post("file:///etc/passwd")).toBe(true);
    expect(post("not a url")).toBe(true);
    expect(isCrossSiteRequest({ method: "POST", url: "http://localhost:3000/track", origin: "https://localhost:3000", secFetchSite: null })).toBe(true);
    expect(isCrossSiteRequest({ method: "POST", url: "http://localhost:3000/track", origin: "http://localhost:3000", secFetchSite: null })).toBe(false);
  });

  it("allows requests that no browser form could have made (no Origin, no Sec-Fetch-Site)", () => {
    expect(post(null)).toBe(false);
  });

  it("never refuses reads", () => {
    expect(isCrossSiteRequest({ method: "GET", url, origin: "https://evil.example", secFetchSite: "cross-site" })).toBe(false);
  });
});
