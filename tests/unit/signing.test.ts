import { describe, expect, it } from "vitest";
import { kioskPayload } from "#app/domain/kiosk";
import { hashAddress, sign, unsign } from "#app/lib/signing.server";

const secret = "unit-test-secret-unit-test-secret-0123";

describe("signed tokens", () => {
  it("round-trips a value for the same purpose and secret", () => {
    const token = sign("started", "1780000000000", secret);
    expect(unsign("started", token, secret)).toBe("1780000000000");
  });

  it("rejects a token for another purpose, another secret or an altered value", () => {
    const token = sign("visit", "abc", secret);
    expect(unsign("started", token, secret)).toBeNull();
    expect(unsign("visit", token, secret + "x")).toBeNull();
    expect(unsign("visit", token.replace("abc", "abd"), secret)).toBeNull();
    expect(unsign("visit", "abc", secret)).toBeNull();
    expect(unsign("visit", null, secret)).toBeNull();
  });

  it("binds a kiosk link to its survey and unit", () => {
    const token = sign("kiosk", kioskPayload("satisfaction-2026", "D13", "hall-1"), secret);
    const payload = unsign("kiosk", token, secret);
    expect(payload).toBe("satisfaction-2026|D13|hall-1");
    // Moving the signature to another unit's payload fails.
    const moved = `${kioskPayload("satisfaction-2026", "D12", "hall-1")}.${token.split(".").at(-1)}`;
    expect(unsign("kiosk", moved, secret)).toBeNull();
  });

  it("hashes client addresses without keeping them", () => {
    const h = hashAddress("203.0.113.7", secret)!;
    expect(h).not.toContain("203");
    expect(h).toBe(hashAddress("203.0.113.7", secret));
    expect(h).not.toBe(hashAddress("203.0.113.8", secret));
    expect(hashAddress(null, secret)).toBeNull();
  });
});
