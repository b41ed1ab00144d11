import { describe, expect, it } from "vitest";
import { backoffMs, earliestSend, maskContact, MAX_ATTEMPTS, newMessageId, normalizeContact, rateLimitedUntil } from "#app/domain/notifications";

const at = (iso: string) => new Date(iso);

describe("notification rules", () => {
  it("waits longer after each failure, up to an hour", () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffMs(20)).toBe(3_600_000);
    expect(MAX_ATTEMPTS).toBeGreaterThan(3);
  });

  it("holds SMS during the quiet hours (21:00-08:00 region time) and never holds e-mail", () => {
    // 22:30 in Urumqi/Beijing time is 14:30 UTC: waits until 08:00 the next morning (00:00 UTC).
    expect(earliestSend("sms", at("2026-12-01T14:30:00Z"))).toEqual(at("2026-12-02T00:00:00Z"));
    // 06:00 region time (22:00 UTC the day before): waits until 08:00 the same morning.
    expect(earliestSend("sms", at("2026-11-30T22:00:00Z"))).toEqual(at("2026-12-01T00:00:00Z"));
    // 20:59 region time goes at once; 08:00 sharp goes at once.
    expect(earliestSend("sms", at("2026-12-01T12:59:00Z"))).toEqual(at("2026-12-01T12:59:00Z"));
    expect(earliestSend("sms", at("2026-12-01T00:00:00Z"))).toEqual(at("2026-12-01T00:00:00Z"));
    expect(earliestSend("email", at("2026-12-01T14:30:00Z"))).toEqual(at("2026-12-01T14:30:00Z"));
    // Configurable: 13:00-14:00 (a lunch break) holds 13:30 until 14:00.
    expect(earliestSend("sms", at("2026-12-01T05:30:00Z"), { from: 13, to: 14 })).toEqual(at("2026-12-01T06:00:00Z"));
  });

  it("masks contacts for staff lists", () => {
    expect(maskContact("zhang.wei@example.cn")).toBe("z••••••••@example.cn");
    expect(maskContact("+8613912345678")).toBe("+86•••••••5678");
    expect(maskContact("13912345678")).toBe("139••••5678");
    expect(maskContact("1234")).toBe("••••");
  });

  it("makes message ids in e-mail's form", () => {
    expect(newMessageId("abc", "civic.example")).toBe("<abc@civic.example>");
  });

  it("writes each contact one way, so that an opt-out holds however it is typed", () => {
    expect(normalizeContact(" Zhang.Wei@Example.CN ")).toBe("zhang.wei@example.cn");
    expect(normalizeContact("+86 139-1234-5678")).toBe("13912345678");
    expect(normalizeContact("8613912345678")).toBe("13912345678");
    expect(normalizeContact("13912345678")).toBe("13912345678");
  });

  it("lets at most five messages an hour go to one recipient; the next waits until the oldest leaves the hour", () => {
    const now = at("2026-12-01T02:00:00Z");
    const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
    expect(rateLimitedUntil([minutesAgo(50), minutesAgo(40), minutesAgo(30), minutesAgo(20)], now)).toBeNull();
    expect(rateLimitedUntil([minutesAgo(50), minutesAgo(40), minutesAgo(30), minutesAgo(20), minutesAgo(10)], now)).toEqual(minutesAgo(-10));
    // Sends older than an hour do not count.
    expect(rateLimitedUntil([minutesAgo(90), minutesAgo(40), minutesAgo(30), minutesAgo(20), minutesAgo(10)], now)).toBeNull();
  });
});
