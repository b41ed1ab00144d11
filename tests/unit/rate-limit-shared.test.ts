// Rate limits with several app servers (docs/decisions/0026 §2.7): on PostgreSQL every limiter
// counts in the RateLimit table, so two servers (two pools here, as two processes have) draw on one
// budget, even when their attempts arrive at once; a database that fails answers from memory
// instead of with an error; expired rows are deleted. On SQLite the limiters stay in memory and the
// table stays empty.
import fs from "node:fs";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { afterAll, describe, expect, it, vi } from "vitest";
import { freshTestDatabase, testDatabaseKind } from "./support/test-db";

const { dir } = freshTestDatabase("rate-limit-shared");

const { closeDatabases, db } = await import("#app/lib/db.server");
const { openPostgres } = await import("#app/lib/db/postgres.server");
const { clearLoginFailures, loginBlockedFor, makeLimiter, recordLoginFailure } = await import("#app/lib/rate-limit.server");

const onPostgres = testDatabaseKind === "postgres";
const POINTS = 5;
const options = (keyPrefix: string) => ({ keyPrefix, points: POINTS, duration: 60 });

/** The RateLimit rows whose key starts with prefix, as stored. */
const rows = (prefix: string) =>
  db().read.all<{ key: string; points: number; expire: number | null }>(
    "SELECT key, points, expire FROM RateLimit WHERE key LIKE ? ORDER BY key",
    `${prefix}%`,
  );

/** What a consume ended with: the points counted so far, and whether it was refused. */
const attempt = (limiter: { consume: (key: string) => Promise<RateLimiterRes> }, key: string) =>
  limiter.consume(key).then(
    (res) => ({ refused: false, consumed: res.consumedPoints }),
    (res: unknown) => {
      // A refusal is a RateLimiterRes; anything else (a database error) must not reach the caller.
      if (!(res instanceof RateLimiterRes)) throw res;
      return { refused: true, consumed: res.consumedPoints };
    },
  );

const opened: { close(): Promise<void> }[] = [];
/** Another app server's connections to the same database. */
function server(url = process.env.DATABASE_URL!) {
  const database = openPostgres(url, { poolSize: 2 });
  opened.push(database);
  return database;
}

afterAll(async () => {
  for (const database of opened) await database.close();
  await closeDatabases();
  fs.rmSync(dir, { recursive: true, force: true });
});

// Each project runs the tests of its own database (the other database's are not defined there,
// rather than reported as skipped).
// First in the file: the first limiter a process makes is the one that clears expired rows.
if (onPostgres) describe("expired counters on PostgreSQL", () => {
  it("rows that expired over an hour ago are deleted every 5 minutes; live ones stay", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      makeLimiter(options("clear"));
      const now = Date.now();
      await db().write(async (tx) => {
        await tx.run("INSERT INTO RateLimit (key, points, expire) VALUES (?, 3, ?)", "clear:old", now - 2 * 3600_000);
        await tx.run("INSERT INTO RateLimit (key, points, expire) VALUES (?, 3, ?)", "clear:recent", now - 60_000);
        await tx.run("INSERT INTO RateLimit (key, points, expire) VALUES (?, 3, ?)", "clear:live", now + 60_000);
      });
      await vi.advanceTimersByTimeAsync(4 * 60_000);
      expect((await rows("clear:")).map((row) => row.key)).toEqual(["clear:live", "clear:old", "clear:recent"]);
      await vi.advanceTimersByTimeAsync(60_000);
    } finally {
      vi.useRealTimers();
    }
    await expect.poll(async () => (await rows("clear:")).map((row) => row.key)).toEqual(["clear:live", "clear:recent"]);
  });
});

if (onPostgres) describe("two app servers on one PostgreSQL", () => {
  it("share one budget: the (N+1)th attempt across both is refused, and counts are stored once", async () => {
    const first = makeLimiter(options("shared"), server());
    const second = makeLimiter(options("shared"), server());
    const results = [];
    for (let i = 0; i < POINTS; i++) results.push(await attempt(i % 2 === 0 ? first : second, "203.0.113.7"));
    expect(results).toEqual(Array.from({ length: POINTS }, (_, i) => ({ refused: false, consumed: i + 1 })));
    // Each alone has counted fewer than N; together they refuse.
    expect(await attempt(second, "203.0.113.7")).toEqual({ refused: true, consumed: POINTS + 1 });
    expect(await attempt(first, "203.0.113.7")).toEqual({ refused: true, consumed: POINTS + 2 });
    // Another key has its own budget.
    expect(await attempt(first, "203.0.113.8")).toEqual({ refused: false, consumed: 1 });
    const stored = await rows("shared:");
    expect(stored.map(({ key, points }) => ({ key, points }))).toEqual([
      { key: "shared:203.0.113.7", points: POINTS + 2 },
      { key: "shared:203.0.113.8", points: 1 },
    ]);
    // The window's end, in epoch milliseconds, about a minute away.
    expect(stored[0]!.expire! - Date.now()).toBeGreaterThan(50_000);
    expect(stored[0]!.expire! - Date.now()).toBeLessThanOrEqual(60_000);
  });

  it("attempts arriving at once on both servers: exactly N pass", async () => {
    const first = makeLimiter(options("burst"), server());
    const second = makeLimiter(options("burst"), server());
    const results = await Promise.all(
      Array.from({ length: 3 * POINTS }, (_, i) => attempt(i % 2 === 0 ? first : second, "198.51.100.1")),
    );
    expect(results.filter((result) => !result.refused)).toHaveLength(POINTS);
    expect((await rows("burst:")).map((row) => row.points)).toEqual([3 * POINTS]);
  });

  it("a database that fails answers from memory: no error, and the server still limits on its own", async () => {
    const broken = makeLimiter(options("broken"), server(process.env.DATABASE_URL!.replace(/\/[^/]*$/, "/no_such_database")));
    const results = [];
    for (let i = 0; i <= POINTS; i++) results.push(await attempt(broken, "192.0.2.1"));
    expect(results.map((result) => result.refused)).toEqual([...Array<boolean>(POINTS).fill(false), true]);
    expect((await broken.get("192.0.2.1"))?.consumedPoints).toBe(POINTS + 1);
    expect(await broken.delete("192.0.2.1")).toBe(true);
    expect(await rows("broken:")).toEqual([]);
  });
});

if (!onPostgres) describe("one app server on SQLite", () => {
  it("counts in memory as before: the (N+1)th attempt is refused and the RateLimit table stays empty", async () => {
    const limiter = makeLimiter(options("memory"));
    expect(limiter).toBeInstanceOf(RateLimiterMemory);
    const results = [];
    for (let i = 0; i <= POINTS; i++) results.push(await attempt(limiter, "203.0.113.7"));
    expect(results.map((result) => result.refused)).toEqual([...Array<boolean>(POINTS).fill(false), true]);
    expect(await rows("")).toEqual([]);
  });
});

describe("the app's limiters on the configured database", () => {
  it("sign-in: wrong passwords lock the account on that network, a success clears it; counted in the table on PostgreSQL only", async () => {
    const network = "net-of-login-test";
    for (let i = 0; i < 5; i++) {
      expect(await loginBlockedFor(network, "clerk")).toBe(0);
      await recordLoginFailure(network, "clerk");
    }
    expect(await loginBlockedFor(network, "clerk")).toBeGreaterThan(0);
    expect(await loginBlockedFor(network, "other-clerk")).toBe(0);

    const stored = (await rows("login-")).map(({ key, points }) => ({ key, points }));
    expect(stored).toEqual(
      onPostgres
        ? [
            { key: `login-acct:clerk|${network}`, points: 5 },
            { key: `login-net:${network}`, points: 5 },
          ]
        : [],
    );

    await clearLoginFailures(network, "clerk");
    expect(await loginBlockedFor(network, "clerk")).toBe(0);
    if (onPostgres) expect((await rows("login-acct:")).length).toBe(0);
  });
});
