import { describe, expect, it } from "vitest";
import {
  formatReference,
  normalizeAccessCode,
  normalizeReference,
  parseComplaint,
  readComplaintValues,
} from "#app/domain/complaint-form";

const valid = {
  unit: "D12",
  type: "slow_action",
  description: "Waited three weeks for a tax certificate.",
  anonymous: "yes",
  consent: "yes",
};
const parse = (v: Record<string, string>) => parseComplaint(readComplaintValues(new URLSearchParams(v)));

describe("complaint form", () => {
  it("accepts an anonymous complaint and drops any contact typed", () => {
    const r = parse({ ...valid, contactPhone: "13800138000", when: " last Monday " });
    expect(r.ok && r.data).toEqual({ ...valid, when: "last Monday", contactName: undefined, contactPhone: undefined, contactEmail: undefined });
  });

  it("needs a phone or an e-mail when the citizen wants to be contacted", () => {
    const r = parse({ ...valid, anonymous: "no" });
    expect(r.ok ? null : r.errors).toEqual({ contactPhone: "errors.contactNeeded" });
    const ok = parse({ ...valid, anonymous: "no", contactEmail: "a@b.cn", contactName: "王" });
    expect(ok.ok && ok.data.contactEmail).toBe("a@b.cn");
  });

  it("reports each problem as a translation key and keeps what was typed", () => {
    const r = parse({ type: "bribery", description: "short", anonymous: "no" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      unit: "errors.chooseUnit",
      type: "errors.invalidChoice",
      description: "errors.tooShort",
      consent: "errors.consent",
      contactPhone: "errors.contactNeeded", // reported along with the rest
    });
    expect(r.values).toEqual({ type: "bribery", description: "short", anonymous: "no" });
    const badPhone = parse({ ...valid, anonymous: "no", contactPhone: "abc" });
    expect(badPhone.ok ? null : badPhone.errors).toEqual({ contactPhone: "errors.phone" });
  });

  it("limits lengths", () => {
    const r = parse({ ...valid, description: "x".repeat(2001), where: "y".repeat(201) });
    expect(r.ok ? null : r.errors).toEqual({ description: "errors.tooLong", where: "errors.tooLong" });
  });

  it("formats and normalises references and codes", () => {
    expect(formatReference(2026, 123)).toBe("TS-2026-000123");
    expect(normalizeReference(" ts-2026-000123 ")).toBe("TS-2026-000123");
    expect(normalizeAccessCode("abcd-efgh")).toBe("ABCDEFGH");
  });
});
