// Ids from URLs and forms are bounded decimal strings (app/domain/ids.ts), in every parser that
// takes one: "1e300" is an integer to Number.isInteger and overflowed the database.
import { describe, expect, it } from "vitest";
import { parseAuditFilters } from "#app/domain/admin-forms";
import { parseKioskRevoke } from "#app/domain/distribution";
import { idField, parseId } from "#app/domain/ids";
import { parseModeration } from "#app/domain/score-forms";

const hostile = ["1e300", "1e3", "1E3", "0", "-1", "+1", " 1", "1 ", "01", "0x10", "1.0", "1.5", "Infinity", "NaN", "", "2147483648", "9007199254740991", "9007199254740992", "99999999999999999999", "12345678901234567", "１２", "1\n", "[1]"];

describe("parseId", () => {
  it("accepts positive decimal integers up to the largest id a table holds (PostgreSQL's integer)", () => {
    expect(parseId("1")).toBe(1);
    expect(parseId("42")).toBe(42);
    expect(parseId("2147483647")).toBe(2_147_483_647);
  });

  it.each(hostile)("refuses %j", (v) => {
    expect(parseId(v)).toBeNull();
  });

  it("refuses what is not a string", () => {
    for (const v of [1, 1e300, null, undefined, {}, ["1"]]) expect(parseId(v)).toBeNull();
  });

  it("idField gives the number or the error key", () => {
    expect(idField("errors.invalidChoice").safeParse("7")).toMatchObject({ success: true, data: 7 });
    const r = idField("errors.invalidChoice").safeParse("1e300");
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe("errors.invalidChoice");
  });
});

describe("forms that take an id", () => {
  // Form fields are trimmed before parsing (form-helpers), so " 1" is a fine "1" there.
  it.each(hostile.filter((v) => v.trim() === v))("moderation, tablet-link revocation and the audit filter refuse %j", (v) => {
    const mod = parseModeration(new URLSearchParams({ id: v, reason: "abusive words" }));
    expect(mod.ok).toBe(false);
    if (!mod.ok) expect(mod.errors.id).toBe("errors.invalidChoice");
    const kiosk = parseKioskRevoke(new URLSearchParams({ id: v, reason: "lost tablet" }));
    expect(kiosk.ok).toBe(false);
    expect(parseAuditFilters(new URLSearchParams({ actor: v })).actor).toBeNull();
  });

  it("and take a proper id", () => {
    expect(parseModeration(new URLSearchParams({ id: "12", reason: "abusive words" }))).toMatchObject({ ok: true, data: { id: 12 } });
    expect(parseKioskRevoke(new URLSearchParams({ id: "3", reason: "lost tablet" }))).toMatchObject({ ok: true, data: { id: 3 } });
    expect(parseAuditFilters(new URLSearchParams({ actor: "5" })).actor).toBe(5);
  });
});
