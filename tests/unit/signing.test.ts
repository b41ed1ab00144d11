import { describe, expect, it } from "vitest";
import { kioskPayload } from "#app/domain/kiosk";
import { hashAddress, keyedHash, sign, unsign } from "#app/lib/signing.server";

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

  it("hashes client addresses with a salt that changes every day", () => {
    const day = new Date("2026-06-01T10:00:00Z");
    const h = hashAddress("203.0.113.7", day)!;
    expect(h).not.toContain("203");
    expect(hashAddress("203.0.113.7", new Date("2026-06-01T23:00:00Z"))).toBe(h);
    expect(hashAddress("203.0.113.8", day)).not.toBe(h);
    // Not recomputable from the server secret, and different the next day.
    expect(h).not.toBe(keyedHash("ip", "203.0.113.7", secret).slice(0, 22));
    expect(hashAddress("203.0.113.7", new Date("2026-06-02T10:00:00Z"))).not.toBe(h);
    expect(hashAddress(null)).toBeNull();
  });
});
