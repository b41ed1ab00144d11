// The one cache behind the score figures and the queue's counts: kept while the version stays,
// for at most an age, shared while in flight, failures dropped, and the oldest key evicted only to
// make room for a new key.
import { afterEach, describe, expect, it, vi } from "vitest";
import { versionedCache } from "#app/lib/versioned-cache";

afterEach(() => vi.useRealTimers());

function counter() {
  let n = 0;
  return { compute: () => ++n, get calls() { return n; } };
}

describe("versionedCache", () => {
  it("keeps a value while the version stays and recomputes when it moves", async () => {
    let version = 1;
    const cache = versionedCache({ version: () => version, maxAgeMs: 60_000 });
    const c = counter();
    expect(await cache.get("a", c.compute)).toBe(1);
    expect(await cache.get("a", c.compute)).toBe(1);
    version = 2;
    expect(await cache.get("a", c.compute)).toBe(2);
  });

  it("expires after its age, or a shorter one asked for", async () => {
    vi.useFakeTimers({ now: new Date("2026-06-01T00:00:00Z") });
    const cache = versionedCache({ version: () => "v", maxAgeMs: 30_000 });
    const c = counter();
    await cache.get("a", c.compute);
    vi.advanceTimersByTime(29_000);
    expect(await cache.get("a", c.compute)).toBe(1);
    expect(await cache.get("a", c.compute, 10_000)).toBe(2);
    vi.advanceTimersByTime(31_000);
    expect(await cache.get("a", c.compute)).toBe(3);
  });

  it("shares a computation in flight", async () => {
    const cache = versionedCache({ version: () => 1, maxAgeMs: 60_000 });
    let calls = 0;
    const slow = () => new Promise<number>((resolve) => setTimeout(() => resolve(++calls), 10));
    const [a, b] = await Promise.all([cache.get("k", slow), cache.get("k", slow)]);
    expect([a, b, calls]).toEqual([1, 1, 1]);
  });

  it("does not keep a failure", async () => {
    const cache = versionedCache({ version: () => 1, maxAgeMs: 60_000 });
    await expect(cache.get("a", () => Promise.reject(new Error("busy")))).rejects.toThrow("busy");
    expect(await cache.get("a", () => 7)).toBe(7);
  });

  it("evicts the oldest key for a new key, never for renewing a kept one", async () => {
    let version = 1;
    const cache = versionedCache({ version: () => version, maxAgeMs: 60_000, maxEntries: 2 });
    const c = counter();
    await cache.get("a", c.compute); // 1
    await cache.get("b", c.compute); // 2
    version = 2;
    await cache.get("b", c.compute); // 3: b renewed, a must stay
    await cache.get("a", c.compute); // 4: a renewed with the new version
    expect(await cache.get("a", c.compute)).toBe(4);
    expect(await cache.get("b", c.compute)).toBe(3);
    await cache.get("c", c.compute); // 5: a new key, the oldest (a) goes
    expect(await cache.get("b", c.compute)).toBe(3);
    expect(await cache.get("a", c.compute)).toBe(6);
  });
});
