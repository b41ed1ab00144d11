import { describe, expect, it } from "vitest";
import { kioskPayload } from "#app/domain/kiosk";
import { adoptAddressSalt, currentAddressSalt, hashAddress, keyedHash, sign, unsign } from "#app/lib/signing.server";

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

  it("takes another app process's salt for the day when it is older, so both hash one address alike", () => {
    const now = new Date();
    const ours = currentAddressSalt(now);
    const before = hashAddress("198.51.100.4", now);
    // A newer salt from another process is refused; this process keeps hashing as before.
    expect(adoptAddressSalt({ day: ours.day, madeAt: ours.madeAt + 1000, salt: Buffer.alloc(32, 7) }, now)).toBe(false);
    expect(hashAddress("198.51.100.4", now)).toBe(before);
    // An older one is kept, and this process now hashes as that process does.
    const older = { day: ours.day, madeAt: ours.madeAt - 1000, salt: Buffer.alloc(32, 9) };
    expect(adoptAddressSalt(older, now)).toBe(true);
    const after = hashAddress("198.51.100.4", now);
    expect(after).not.toBe(before);
    expect(currentAddressSalt(now).salt.equals(older.salt)).toBe(true);
    // Another day's salt, or a malformed one, is never taken.
    expect(adoptAddressSalt({ day: "2001-01-01", madeAt: 0, salt: Buffer.alloc(32, 1) }, now)).toBe(false);
    expect(adoptAddressSalt({ day: ours.day, madeAt: 0, salt: Buffer.alloc(8, 1) }, now)).toBe(false);
    expect(hashAddress("198.51.100.4", now)).toBe(after);
  });
});
