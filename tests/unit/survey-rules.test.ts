import { describe, expect, it } from "vitest";
import { availabilityStatus, surveyAppliesTo, surveyAvailability } from "#app/domain/survey-availability";
import { searchUnits } from "#app/domain/unit-search";
import { buildTree } from "#app/models/unit.server";

const now = new Date("2026-06-01T00:00:00Z");

describe("survey availability", () => {
  const open = { status: "open", opensAt: new Date("2026-01-01"), closesAt: new Date("2027-01-01") };
  it("is open between its dates", () => {
    expect(surveyAvailability(open, now)).toBe("open");
    expect(surveyAvailability({ ...open, opensAt: null, closesAt: null }, now)).toBe("open");
  });
  it("answers with the right status outside them or when not published", () => {
    expect(surveyAvailability({ ...open, opensAt: new Date("2026-07-01") }, now)).toBe("not_yet_open");
    expect(surveyAvailability({ ...open, closesAt: now }, now)).toBe("ended");
    expect(surveyAvailability({ ...open, status: "closed" }, now)).toBe("closed");
    expect(surveyAvailability({ ...open, status: "draft" }, now)).toBe("draft");
    expect(["draft", "not_yet_open", "closed", "ended"].map((a) => availabilityStatus(a as never))).toEqual([404, 403, 410, 410]);
  });
});

describe("which units a survey applies to", () => {
  const county = { id: 2, kind: "county", active: true };
  const dept = { id: 3, kind: "department", active: true };
  it("all units (but not the region itself)", () => {
    const s = { targetMode: "all", targetKind: null, targetUnitIds: [] };
    expect(surveyAppliesTo(s, county)).toBe(true);
    expect(surveyAppliesTo(s, { id: 1, kind: "region", active: true })).toBe(false);
    expect(surveyAppliesTo(s, { ...county, active: false })).toBe(false);
  });
  it("all units of a kind, or chosen units", () => {
    expect(surveyAppliesTo({ targetMode: "kind", targetKind: "department", targetUnitIds: [] }, dept)).toBe(true);
    expect(surveyAppliesTo({ targetMode: "kind", targetKind: "department", targetUnitIds: [] }, county)).toBe(false);
    expect(surveyAppliesTo({ targetMode: "units", targetKind: null, targetUnitIds: [2] }, county)).toBe(true);
    expect(surveyAppliesTo({ targetMode: "units", targetKind: null, targetUnitIds: [2] }, dept)).toBe(false);
  });
});

describe("finding a unit by name", () => {
  const units = [
    { code: "D12", names: { "zh-Hans": "税务局", ug: "باج ئىدارىسى", en: "Tax Bureau" } },
    { code: "D03", names: { "zh-Hans": "教育局", ug: "مائارىپ ئىدارىسى", en: "Education Bureau" } },
    { code: "C01", names: { "zh-Hans": "北湖市", ug: "بېيخۇ شەھىرى", en: "Beihu City" } },
  ];
  it("matches part of a name in the page's language, ignoring case and width", () => {
    expect(searchUnits(units, "bureau", "en").map((u) => u.code)).toEqual(["D12", "D03"]);
    expect(searchUnits(units, "ＴＡＸ", "en").map((u) => u.code)).toEqual(["D12"]);
    expect(searchUnits(units, "ئىدارىسى", "ug").map((u) => u.code)).toEqual(["D12", "D03"]);
  });
  it("ranks names that start with the query first, then other languages' names", () => {
    expect(searchUnits(units, "局", "zh-Hans").map((u) => u.code)).toEqual(["D12", "D03"]);
    expect(searchUnits(units, "税务", "ug").map((u) => u.code)).toEqual(["D12"]);
    expect(searchUnits(units, "c01", "en").map((u) => u.code)).toEqual(["C01"]);
    expect(searchUnits(units, "  ", "en")).toEqual([]);
  });
});

describe("unit tree", () => {
  it("nests units under their parents", () => {
    const u = (id: number, parentId: number | null) => ({ id, parentId, code: `U${id}`, kind: "county", parentCode: null, names: {}, sortOrder: id, active: true });
    const tree = buildTree([u(1, null), u(2, 1), u(3, 1), u(4, 2)]);
    expect(tree.map((n) => n.code)).toEqual(["U1"]);
    expect(tree[0]!.children.map((n) => n.code)).toEqual(["U2", "U3"]);
    expect(tree[0]!.children[0]!.children.map((n) => n.code)).toEqual(["U4"]);
  });
});
