// The API's call log on the real data layer: refused calls (bogus tokens) are limited per
// network, so a flood writes a bounded number of rows; valid tokens are never slowed by it; and
// rows older than the retention are deleted as calls are logged.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "./support/test-db";

const { dir } = freshTestDatabase("api-call-log");

const { db, dbDateTime, getDb } = await import("#app/lib/db.server");
const { withApiToken } = await import("#app/lib/api.server");
const { API_REFUSED_PER_MINUTE } = await import("#app/lib/rate-limit.server");
const { API_CALL_RETENTION_DAYS, createToken, logApiCall } = await import("#app/models/api-token.server");

const call = (address: string, token: string) =>
  withApiToken(new Request("http://x/api/v1/periods", { headers: { authorization: `Bearer ${token}`, "x-civic-client-address": address } }), async () => Response.json({ ok: true }));
const rows = async () => (await getDb()).apiCall.count();

let valid = "";
beforeAll(async () => {
  valid = (await createToken("evaluation system", null)).token;
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("refused API calls", () => {
  it("a flood of bogus tokens from one network gets 429 after the limit and writes one row for the whole flood", async () => {
    const before = await rows();
    const statuses: number[] = [];
    for (let i = 0; i < API_REFUSED_PER_MINUTE + 70; i++) {
      const res = await call("203.0.113.9", `cst_bogus${i}`);
      statuses.push(res.status);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      if (res.status === 429) {
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
        expect((await res.json()).error.code).toBe("too_many_requests");
      }
    }
    expect(statuses.slice(0, API_REFUSED_PER_MINUTE).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(API_REFUSED_PER_MINUTE).every((s) => s === 429)).toBe(true);
    expect((await rows()) - before).toBe(API_REFUSED_PER_MINUTE + 1);
    const last = await (await getDb()).apiCall.findFirst({ orderBy: { id: "desc" } });
    expect(last?.status).toBe(429);
  });

  it("another network is not affected, and a valid token from the flooded network still works", async () => {
    expect((await call("203.0.113.10", "cst_bogus")).status).toBe(401);
    const ok = await call("203.0.113.9", valid);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("cache-control")).toBe("no-store");
  });
});

describe("call-log retention", () => {
  it(`rows older than ${API_CALL_RETENTION_DAYS} days are deleted as calls are logged; newer ones stay`, async () => {
    const now = new Date(Date.now() + 2 * 3600_000); // past the hourly pruning interval of earlier calls
    const day = 86_400_000;
    await db().write(async (tx) => {
      for (const age of [API_CALL_RETENTION_DAYS + 30, API_CALL_RETENTION_DAYS + 1, API_CALL_RETENTION_DAYS - 1, 10]) {
        await tx.run(`INSERT INTO ApiCall (tokenId, at, method, path, status, ipHash) VALUES (NULL, ?, 'GET', '/old', 401, NULL)`, dbDateTime(new Date(now.getTime() - age * day)));
      }
    });
    await logApiCall({ tokenId: null, method: "GET", path: "/api/v1/periods", status: 401, ipHash: null }, now);
    const prisma = await getDb();
    const cutoff = new Date(now.getTime() - API_CALL_RETENTION_DAYS * day);
    expect(await prisma.apiCall.count({ where: { at: { lt: cutoff } } })).toBe(0);
    expect(await prisma.apiCall.count({ where: { path: "/old" } })).toBe(2);
  });
});
