// Which URLs take posts (app/lib/route-actions.ts): the route React Router would run the post
// on must have an action. The end-to-end check is the bad-input corpus (tests/e2e/bad-input.spec.ts).
import { describe, expect, it } from "vitest";
import { postTargets, type ManifestRoute } from "#app/lib/route-actions";

const action = () => null;
const manifest: Record<string, ManifestRoute> = {
  root: { id: "root", path: "", module: {} },
  "routes/home": { id: "routes/home", parentId: "root", index: true, module: {} },
  "routes/track": { id: "routes/track", parentId: "root", path: "track", module: { action } },
  "routes/layout": { id: "routes/layout", parentId: "root", module: {} },
  "routes/queue": { id: "routes/queue", parentId: "routes/layout", path: "staff", module: {} },
  "routes/case": { id: "routes/case", parentId: "routes/layout", path: "staff/cases/:reference", module: { action } },
  "routes/photo": { id: "routes/photo", parentId: "root", path: "staff/cases/:reference/photos/:photoId", module: {} },
  "routes/not-found": { id: "routes/not-found", parentId: "root", path: "*", module: {} },
};
const takesPosts = postTargets(manifest);

describe("posts", () => {
  it("reach routes with an action, under pathless layouts too, and as data requests", () => {
    expect(takesPosts("/track", "")).toBe(true);
    expect(takesPosts("/staff/cases/TS-2026-000001", "")).toBe(true);
    expect(takesPosts("/track.data", "")).toBe(true);
    expect(takesPosts("/staff/cases/TS-2026-000001.data", "?_routes=routes/case")).toBe(true);
  });
  it("do not reach pages, files and unknown URLs whose route has none", () => {
    expect(takesPosts("/", "")).toBe(false);
    expect(takesPosts("/", "?index")).toBe(false);
    expect(takesPosts("/_.data", "")).toBe(false);
    expect(takesPosts("/staff", "")).toBe(false);
    expect(takesPosts("/staff/cases/TS-2026-000001/photos/1", "")).toBe(false);
    expect(takesPosts("/no/such/page", "")).toBe(false);
  });
  it("go to an index route only with a bare ?index, like React Router", () => {
    const withIndexAction = postTargets({ ...manifest, "routes/home": { ...manifest["routes/home"]!, module: { action } } });
    expect(withIndexAction("/", "?index")).toBe(true);
    expect(withIndexAction("/", "?index=1")).toBe(false);
    expect(withIndexAction("/", "")).toBe(false);
  });
});
