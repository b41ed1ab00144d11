// The route label of the request metrics and log lines (app/lib/route-label.ts): the pattern of
// the route that answers, never the path a client sent.
import { describe, expect, it } from "vitest";
import { MAX_REMEMBERED_PATH, methodLabel, routeLabeler, type LabelRoute } from "#app/lib/route-label";

// The shape of the build's manifest (build.routes), as app/routes.ts makes it.
const manifest: Record<string, LabelRoute> = {
  root: { id: "root", path: "" },
  "routes/home": { id: "routes/home", parentId: "root", index: true },
  "routes/survey": { id: "routes/survey", parentId: "root", path: "s/:slug" },
  "routes/survey-thanks": { id: "routes/survey-thanks", parentId: "root", path: "s/:slug/thanks" },
  "routes/track": { id: "routes/track", parentId: "root", path: "track" },
  "routes/track-open": { id: "routes/track-open", parentId: "root", path: "track/open" },
  "routes/staff-layout": { id: "routes/staff-layout", parentId: "root" },
  "routes/staff-queue": { id: "routes/staff-queue", parentId: "routes/staff-layout", path: "staff" },
  "routes/staff-case": { id: "routes/staff-case", parentId: "routes/staff-layout", path: "staff/cases/:reference" },
  "routes/staff-case-photo": { id: "routes/staff-case-photo", parentId: "root", path: "staff/cases/:reference/photos/:photoId" },
  "routes/ops/metrics": { id: "routes/ops/metrics", parentId: "root", path: "metrics" },
  "routes/not-found": { id: "routes/not-found", parentId: "root", path: "*" },
};

describe("route labels", () => {
  const label = routeLabeler(manifest);

  it("are the pattern of the route that answers, under pathless layouts too", () => {
    expect(label("/")).toBe("/");
    expect(label("/s/satisfaction-2026")).toBe("/s/:slug");
    expect(label("/s/satisfaction-2026/thanks")).toBe("/s/:slug/thanks");
    expect(label("/staff")).toBe("/staff");
    expect(label("/staff/cases/TS-2026-000123")).toBe("/staff/cases/:reference");
    expect(label("/staff/cases/TS-2026-000123/photos/7")).toBe("/staff/cases/:reference/photos/:photoId");
    expect(label("/metrics")).toBe("/metrics");
  });

  it("prefer a fixed segment to a parameter, as React Router does", () => {
    expect(label("/track/open")).toBe("/track/open");
    expect(label("/track")).toBe("/track");
  });

  it("name a page's data requests after the page", () => {
    expect(label("/s/satisfaction-2026.data")).toBe("/s/:slug.data");
    expect(label("/staff/cases/TS-2026-000123.data")).toBe("/staff/cases/:reference.data");
    expect(label("/_.data")).toBe("/_.data");
  });

  it("count hashed files as /assets and everything the catch-all answers as unmatched", () => {
    expect(label("/assets/entry.client-CtV_SpTg.js")).toBe("/assets");
    expect(label("/no/such/page")).toBe("unmatched");
    expect(label("/wp-login.php")).toBe("unmatched");
    expect(label("/no/such/page.data")).toBe("unmatched");
    expect(label("/%E0%A4%A")).toBe("unmatched");
  });

  it("never carry the path: a thousand different references give one label", () => {
    const labels = new Set(Array.from({ length: 1000 }, (_, i) => label(`/staff/cases/TS-2026-${String(i).padStart(6, "0")}`)));
    expect([...labels]).toEqual(["/staff/cases/:reference"]);
  });

  it("remember only short paths: long invented paths (up to 16 KB each) are labelled but never kept", () => {
    const known = new Map<string, string>();
    const remembering = routeLabeler(manifest, known);
    const long = (i: number) => `/no/such/${String(i).padStart(8, "0")}/${"x".repeat(16_000)}`;
    for (let i = 0; i < 100; i++) expect(remembering(long(i))).toBe("unmatched");
    expect(remembering(`/staff/cases/TS-2026-000001/${"y".repeat(MAX_REMEMBERED_PATH)}`)).toBe("unmatched");
    expect(remembering(`/s/${"z".repeat(MAX_REMEMBERED_PATH)}`)).toBe("/s/:slug");
    expect(known.size).toBe(0);
    expect(remembering("/s/satisfaction-2026")).toBe("/s/:slug");
    expect([...known.keys()]).toEqual(["/s/satisfaction-2026"]);
  });

  it("without any route but the catch-all, everything is unmatched", () => {
    const bare = routeLabeler({ root: { id: "root", path: "" }, nf: { id: "nf", parentId: "root", path: "*" } });
    expect(bare("/s/x")).toBe("unmatched");
    expect(bare("/assets/x.js")).toBe("/assets");
  });
});

describe("method labels", () => {
  it("keep GET, HEAD and POST, and put any other method together", () => {
    expect(["GET", "HEAD", "POST", "PUT", "DELETE", "FOO"].map(methodLabel)).toEqual(["GET", "HEAD", "POST", "OTHER", "OTHER", "OTHER"]);
  });
});
