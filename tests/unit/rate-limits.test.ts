// Guessing limits (app/lib/rate-limit.server.ts): /track counts wrong codes per network only, so a
// stranger cannot lock a citizen out of their reference; a network is an IPv4 address or an IPv6
// /64; password changes and refused API calls are limited like sign-in.
import { describe, expect, it } from "vitest";
import { ACCESS_CODE_ALPHABET, ACCESS_CODE_LENGTH } from "#app/domain/complaint-form";
import {
  API_REFUSED_PER_MINUTE,
  clearPasswordChangeFailures,
  networkHash,
  networkKey,
  networkOf,
  passwordChangeBlockedFor,
  recordApiRefusal,
  recordPasswordChangeFailure,
  recordTrackingFailure,
  TRACK_CODE_SPACE,
  TRACK_FAILURES_PER_NETWORK,
  trackingBlockedFor,
} from "#app/lib/rate-limit.server";

const from = (address: string) => new Request("http://x/track", { headers: { "x-civic-client-address": address } });

describe("networks", () => {
  it("an IPv4 address is its own network; IPv6 addresses count by their /64", () => {
    expect(networkOf("203.0.113.7")).toBe("203.0.113.7");
    expect(networkOf("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(networkOf("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
    expect(networkOf("2001:0db8:0001:0002::1")).toBe("2001:db8:1:2::/64");
    expect(networkOf("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(networkOf("::1")).toBe("0:0:0:0::/64");
    expect(networkOf("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(networkOf(null)).toBeNull();
    expect(networkKey(from("2001:db8:1:2::5"))).toBe(networkKey(from("2001:db8:1:2:ffff::9")));
    expect(networkKey(from("2001:db8:1:2::5"))).not.toBe(networkKey(from("2001:db8:1:3::5")));
    // The key is a hash, never the address itself.
    expect(networkKey(from("203.0.113.7"))).not.toContain("203");
  });

  it("survey responses store the network's hash, so one phone's fresh IPv6 addresses are one network for the burst check", () => {
    // A phone on a mobile network has a /64 of its own and can answer from a new address each time.
    expect(networkHash(from("2001:db8:1:2::5"))).toBe(networkHash(from("2001:db8:1:2:9f3a:11:0:7")));
    expect(networkHash(from("2001:db8:1:2::5"))).not.toBe(networkHash(from("2001:db8:1:3::5")));
    expect(networkHash(from("203.0.113.7"))).not.toBe(networkHash(from("203.0.113.8")));
    expect(networkHash(new Request("http://x/s/survey"))).toBeNull();
  });
});

describe("/track", () => {
  it("the access code space makes per-network limits enough (2^40 codes)", () => {
    expect(TRACK_CODE_SPACE).toBe(ACCESS_CODE_ALPHABET.length ** ACCESS_CODE_LENGTH);
    expect(new Set(ACCESS_CODE_ALPHABET).size).toBe(ACCESS_CODE_ALPHABET.length);
    expect(TRACK_CODE_SPACE).toBeGreaterThanOrEqual(2 ** 40);
  });

  it("wrong codes from network A for a reference do not block network B for the same reference", async () => {
    const a = networkKey(from("198.51.100.1"));
    const b = networkKey(from("198.51.100.2"));
    for (let i = 0; i < TRACK_FAILURES_PER_NETWORK * 3; i++) await recordTrackingFailure(a);
    expect(await trackingBlockedFor(a)).toBeGreaterThan(0);
    expect(await trackingBlockedFor(b)).toBe(0);
  });

  it("a network is blocked after its own limit, not before", async () => {
    const c = networkKey(from("198.51.100.3"));
    for (let i = 0; i < TRACK_FAILURES_PER_NETWORK - 1; i++) await recordTrackingFailure(c);
    expect(await trackingBlockedFor(c)).toBe(0);
    await recordTrackingFailure(c);
    const wait = await trackingBlockedFor(c);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(15 * 60);
  });

  it("a whole IPv6 /64 is one network", async () => {
    for (let i = 0; i < TRACK_FAILURES_PER_NETWORK; i++) await recordTrackingFailure(networkKey(from(`2001:db8:9:9::${i + 1}`)));
    expect(await trackingBlockedFor(networkKey(from("2001:db8:9:9::ffff")))).toBeGreaterThan(0);
    expect(await trackingBlockedFor(networkKey(from("2001:db8:9:a::1")))).toBe(0);
  });
});

describe("password change", () => {
  it("five wrong current passwords lock the account's changes, from any network, until cleared", async () => {
    const n1 = networkKey(from("192.0.2.1"));
    const n2 = networkKey(from("192.0.2.2"));
    for (let i = 0; i < 4; i++) await recordPasswordChangeFailure(n1, 77);
    expect(await passwordChangeBlockedFor(n1, 77)).toBe(0);
    await recordPasswordChangeFailure(n2, 77);
    expect(await passwordChangeBlockedFor(n1, 77)).toBeGreaterThan(0);
    expect(await passwordChangeBlockedFor(n2, 77)).toBeGreaterThan(0);
    expect(await passwordChangeBlockedFor(n1, 78)).toBe(0);
    await clearPasswordChangeFailures(77);
    expect(await passwordChangeBlockedFor(n1, 77)).toBe(0);
  });
});

describe("refused API calls", () => {
  it("30 a minute per network are let through; then 429, with one log row for the whole flood", async () => {
    const n = networkKey(from("192.0.2.50"));
    const results = [];
    for (let i = 0; i < API_REFUSED_PER_MINUTE + 20; i++) results.push(await recordApiRefusal(n));
    expect(results.slice(0, API_REFUSED_PER_MINUTE).every((r) => !r.limited)).toBe(true);
    const limited = results.slice(API_REFUSED_PER_MINUTE);
    expect(limited.every((r) => r.limited)).toBe(true);
    expect(limited.filter((r) => r.limited && r.log)).toHaveLength(1);
    expect(await recordApiRefusal(networkKey(from("192.0.2.51")))).toEqual({ limited: false });
  });
});
