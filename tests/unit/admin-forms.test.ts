import { describe, expect, it } from "vitest";
import { parseAccountCreate, parseAccountUpdate, parseAuditFilters, parseUnitCreate, parseUnitNames, parseUnitParent } from "#app/domain/admin-forms";

const form = (entries: [string, string][] | Record<string, string>) => new URLSearchParams(entries);
const languages = ["zh-Hans", "ug", "en"];
const names = { "name_zh-Hans": "新区", name_ug: "يېڭى رايون", name_en: "New District" };
const units = new Set(["REG", "C01", "D12"]);

describe("unit forms", () => {
  it("takes a new unit with its code in capitals and a name in every language", () => {
    const r = parseUnitCreate(form({ code: " c07 ", kind: "county", parent: "REG", ...names }), languages);
    expect(r).toEqual({
      ok: true,
      values: expect.objectContaining({ code: "C07" }),
      data: { code: "C07", kind: "county", parentCode: "REG", names: { "zh-Hans": "新区", ug: "يېڭى رايون", en: "New District" } },
    });
    const region = parseUnitCreate(form({ code: "REG2", kind: "region", parent: "", ...names }), languages);
    expect(region.ok && region.data.parentCode).toBeNull();
  });

  it("names each missing translation and keeps what was typed", () => {
    const r = parseUnitCreate(form({ code: "C07", kind: "county", parent: "REG", "name_zh-Hans": "新区", name_ug: " ", name_en: "" }), languages);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({ name_ug: "admin.errors.nameRequired", name_en: "admin.errors.nameRequired" });
    expect(r.values["name_zh-Hans"]).toBe("新区");
    expect(r.values.code).toBe("C07");
  });

  it("refuses a malformed code, an unknown kind and overlong names", () => {
    const r = parseUnitCreate(form({ code: "7up", kind: "ministry", parent: "REG", ...names, name_en: "x".repeat(101) }), languages);
    expect(r.ok ? null : r.errors).toEqual({ code: "admin.errors.unitCode", kind: "errors.invalidChoice", name_en: "errors.tooLong" });
  });

  it("renames in every language and moves under a named parent", () => {
    expect(parseUnitNames(form(names), languages)).toEqual({ ok: true, values: names, data: { names: { "zh-Hans": "新区", ug: "يېڭى رايون", en: "New District" } } });
    expect(parseUnitNames(form({ ...names, name_ug: "" }), languages).ok).toBe(false);
    expect(parseUnitParent(form({ parent: "C01" }))).toEqual({ ok: true, values: { parent: "C01" }, data: { parentCode: "C01" } });
    expect(parseUnitParent(form({ parent: "" })).ok).toBe(false);
  });
});

describe("account forms", () => {
  const base: [string, string][] = [
    ["username", " Wang.Li "],
    ["displayName", "王丽"],
  ];

  it("takes office-wide roles and unit roles with their units, skipping blank rows", () => {
    const r = parseAccountCreate(
      form([...base, ["role", "office"], ["grant_0_role", ""], ["grant_0_unit", ""], ["grant_1_role", "unit_head"], ["grant_1_unit", "c01"], ["grant_1_sub", "1"]]),
      units,
    );
    expect(r.ok && r.data).toEqual({
      username: "wang.li",
      displayName: "王丽",
      grants: [
        { role: "office", unitCode: null, includeSubunits: false },
        { role: "unit_head", unitCode: "C01", includeSubunits: true },
      ],
    });
    // The blank row is gone: the kept row is renumbered, so its errors would point at row 0.
    expect(r.values.rows).toEqual([{ role: "unit_head", unit: "C01", sub: true }]);
  });

  it("needs a role, and a unit for each unit role, known and not given twice", () => {
    expect(parseAccountCreate(form(base), units)).toMatchObject({ ok: false, errors: { roles: "admin.errors.noRole" } });
    const r = parseAccountCreate(
      form([
        ...base,
        ["grant_0_role", "unit_staff"],
        ["grant_0_unit", ""],
        ["grant_1_role", ""],
        ["grant_1_unit", "D12"],
        ["grant_2_role", "unit_staff"],
        ["grant_2_unit", "X99"],
        ["grant_3_role", "unit_staff"],
        ["grant_3_unit", "D12"],
        ["grant_4_role", "unit_staff"],
        ["grant_4_unit", "D12"],
        ["grant_5_role", "office"],
        ["grant_5_unit", "D12"],
      ]),
      units,
    );
    expect(r.ok ? null : r.errors).toEqual({
      grant_0_unit: "admin.errors.grantUnit",
      grant_1_role: "admin.errors.grantRole",
      grant_2_unit: "admin.errors.grantUnit",
      grant_4_unit: "admin.errors.duplicateGrant",
      grant_5_role: "admin.errors.grantRole",
    });
    expect(r.values.rows).toHaveLength(6);
  });

  it("refuses odd user names, empty display names and unknown roles", () => {
    const r = parseAccountCreate(form([["username", "w"], ["displayName", ""], ["role", "root"], ["role", "admin"]]), units);
    expect(r.ok ? null : r.errors).toEqual({ username: "admin.errors.username", displayName: "admin.errors.displayNameRequired", roles: "errors.invalidChoice" });
    expect(parseAccountCreate(form([["username", "wang li"], ["displayName", "x"], ["role", "admin"]]), units).ok).toBe(false);
  });

  it("an update changes the display name and roles, never the user name", () => {
    const r = parseAccountUpdate(form([["username", "someone.else"], ["displayName", "王丽"], ["role", "admin"]]), units);
    expect(r.ok && r.data).toEqual({ displayName: "王丽", grants: [{ role: "admin", unitCode: null, includeSubunits: false }] });
  });
});

describe("audit log filters", () => {
  it("keeps well-formed filters and drops the rest", () => {
    expect(parseAuditFilters(new URLSearchParams({ action: "unit.create", targetType: "unit", actor: "3", from: "2026-01-01", to: "2026-12-31", page: "2" }))).toEqual({
      action: "unit.create",
      targetType: "unit",
      actor: 3,
      from: "2026-01-01",
      to: "2026-12-31",
      page: 2,
    });
    expect(parseAuditFilters(new URLSearchParams({ action: "DROP TABLE", targetType: "x'y", actor: "-1", from: "2026-13-45", to: "tomorrow", page: "0" }))).toEqual({
      action: "",
      targetType: "",
      actor: null,
      from: "",
      to: "",
      page: 1,
    });
  });
});
