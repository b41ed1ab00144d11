// What an operator sees of a running server (issue 15; docs/operations.md, "Monitoring"): /metrics
// only with its token or from a listed address, and off without METRICS_TOKEN; its counters move
// with a citizen's rating and complaint; the JSON log has one line per request with its id, route
// pattern, status and duration, and none of what the citizen typed, their address or a link's
// token; /readyz says whether the server can take work.
import http from "node:http";
import Database from "better-sqlite3";
import { expect, hydrated, startServer, test } from "./support/fixtures";
import { addStaff } from "./support/security";
import { answerRequired } from "./support/survey";

const TOKEN = "e2e-metrics-token-0123456789abcdef";
// Requests from these loopback addresses: one inside METRICS_ALLOW, one outside.
const LISTED = "127.88.0.7";
const UNLISTED = "127.89.3.4";

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A GET from a chosen local address (the server sees it as the client's address). */
function get(base: string, path: string, opts: { headers?: Record<string, string>; from?: string } = {}): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, method: "GET", headers: opts.headers, localAddress: opts.from ?? UNLISTED }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** The sum of a metric's samples whose labels include `labels` (Prometheus text format). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

const logLines = (output: string) =>
  output
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

test.describe("metrics, logs and readiness of a server with METRICS_TOKEN", () => {
  let srv: Awaited<ReturnType<typeof startServer>>;
  let db: Database.Database;

  test.beforeAll(async ({}, testInfo) => {
    srv = await startServer(`ops-metrics-${testInfo.parallelIndex}`, { METRICS_TOKEN: TOKEN, METRICS_ALLOW: "127.88.0.0/24, ::1" });
    db = new Database(srv.dbFile);
    db.pragma("busy_timeout = 5000");
  });
  test.afterAll(async () => {
    db?.close();
    await srv?.terminate();
  });

  test("/metrics answers 401 without credentials, 403 for a wrong token, 200 for the token or a listed address", async () => {
    const none = await get(srv.url, "/metrics");
    expect(none.status).toBe(401);
    expect(none.headers["www-authenticate"]).toMatch(/^Bearer\b/);
    expect(none.headers["cache-control"]).toBe("no-store");
    expect(none.body).not.toContain("civic_");

    const wrong = await get(srv.url, "/metrics", { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(403);
    expect(wrong.body).not.toContain("civic_");
    expect((await get(srv.url, "/metrics", { headers: { authorization: "Basic b3BzOm9wcw==" } })).status).toBe(401);

    const right = await get(srv.url, "/metrics", { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(right.status).toBe(200);
    expect(right.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(right.headers["cache-control"]).toBe("no-store");
    expect(right.body).toMatch(/^civic_nodejs_eventloop_lag_seconds \S+$/m);
    expect(right.body).toMatch(/^civic_process_resident_memory_bytes \S+$/m);
    expect(sample(right.body, "civic_database_size_bytes")).toBeGreaterThan(0);

    const listed = await get(srv.url, "/metrics", { from: LISTED });
    expect(listed.status).toBe(200);
    expect(listed.body).toContain("civic_http_request_duration_seconds_bucket");
  });

  test("a rating and a complaint move the counters; the log has a line per request and nothing the citizen typed", async ({ page }) => {
    const scrape = async () => (await get(srv.url, "/metrics", { headers: { authorization: `Bearer ${TOKEN}` } })).body;
    const before = await scrape();

    // A citizen rates a unit in the browser (the survey page, then the post).
    await page.goto(`${srv.url}/s/satisfaction-2026?unit=C05&lng=en`);
    await hydrated(page);
    await answerRequired(page, "4");
    await page.getByRole("button", { name: "Submit my rating" }).click();
    await expect(page).toHaveURL(/\/s\/satisfaction-2026\/thanks\?unit=C05/);

    // And files a complaint with a contact, in words nobody else would use.
    const email = `ops.metrics.7731.${Date.now()}@example.cn`;
    const phone = "13977310042";
    const text = "The clerk at window 9 asked for a red envelope before stamping the licence";
    await page.goto(`${srv.url}/complaints/new?lng=en&unit=C05`);
    await hydrated(page);
    await page.getByLabel("Slow action (慢作为)").check();
    await page.getByLabel("What happened?").fill(text);
    await page.getByLabel("Yes, contact me").check();
    await page.getByLabel("Phone number").fill(phone);
    await page.getByLabel("E-mail address").fill(email);
    await page.getByLabel(/I confirm/).check();
    await page.getByRole("button", { name: "Send the complaint" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your complaint has been received");

    // A signed link's token in a query string, and a request id of the client's choosing.
    const token = "1.QUJDREVGR0hJSktMTU5PUFFSU1RVVldY.opsmetricstoken.QUJDREVGR0hJSktMTU5PUFFSU1RVVldY";
    expect((await get(srv.url, `/track/open?t=${token}`)).status).toBe(400);
    const chosen = await get(srv.url, "/healthz", { headers: { "x-request-id": "ops-e2e-req-42" } });
    expect(chosen.headers["x-request-id"]).toBe("ops-e2e-req-42");
    const refused = await get(srv.url, "/healthz", { headers: { "x-request-id": "not acceptable: spaces" } });
    expect(refused.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);

    // An office user runs the audit recomputation: a domain event in the log.
    const office = await addStaff(db, `ops.office.${Date.now()}`, [{ role: "office" }]);
    const audit = await fetch(`${srv.url}/staff/periods/2026?lng=en`, {
      method: "POST",
      headers: { cookie: office.cookie, origin: srv.url, "content-type": "application/x-www-form-urlencoded" },
      body: "intent=audit",
      redirect: "manual",
    });
    expect(audit.status).toBe(200);

    const after = await scrape();
    const moved = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);
    expect(moved("civic_survey_submissions_accepted_total")).toBe(1);
    expect(moved("civic_http_request_duration_seconds_count", { method: "POST", route: "/s/:slug", status: "303" })).toBe(1);
    expect(moved("civic_http_request_duration_seconds_count", { method: "GET", route: "/s/:slug", status: "200" })).toBeGreaterThanOrEqual(1);
    // The complaint form posts as a data request once the page's scripts run (/complaints/new.data).
    const complaintPosts = ["/complaints/new", "/complaints/new.data"].map((route) => moved("civic_http_request_duration_seconds_count", { method: "POST", route }));
    expect(complaintPosts[0]! + complaintPosts[1]!).toBe(1);
    expect(moved("civic_complaints", { status: "submitted" })).toBe(1);
    // The histogram's labels are route patterns: never a unit code, reference or query.
    expect(after).not.toMatch(/route="[^"]*(C05|satisfaction-2026|TS-\d{4}|\?)/);

    // The log: JSON lines, one per request, with its id, pattern, status and duration.
    await expect.poll(() => logLines(srv.output()).some((l) => l.reqId === "ops-e2e-req-42")).toBe(true);
    const lines = logLines(srv.output());
    const requests = lines.filter((l) => l.msg === "request");
    for (const l of requests) {
      expect(Object.keys(l)).toEqual(expect.arrayContaining(["reqId", "method", "route", "status", "ms", "bytes"]));
      expect(typeof l.ms).toBe("number");
    }
    expect(requests).toContainEqual(expect.objectContaining({ method: "POST", route: "/s/:slug", status: 303 }));
    expect(requests.filter((l) => l.method === "POST" && /^\/complaints\/new(\.data)?$/.test(String(l.route)))).toHaveLength(1);
    expect(requests).toContainEqual(expect.objectContaining({ route: "/track/open", status: 400 }));
    expect(requests).toContainEqual(expect.objectContaining({ reqId: "ops-e2e-req-42", route: "/healthz", status: 200 }));
    expect(requests.some((l) => l.route === "/assets")).toBe(true);
    expect(lines).toContainEqual(expect.objectContaining({ event: "audit.equal", period: "2026" }));

    // Nothing the citizen typed, no client address, no token.
    const output = srv.output();
    for (const secret of [email, phone, "138 0013", text, "red envelope", token, "opsmetricstoken", LISTED, UNLISTED]) {
      expect(output, `the log shows ${secret}`).not.toContain(secret);
    }
    expect(output).not.toMatch(/[?&]t=/);
    // The browser's address is the server's own loopback: only the start-up line names it.
    expect(output.split("\n").filter((l) => l.includes("127.0.0.1")).map((l) => JSON.parse(l).event)).toEqual(["listening"]);
  });

  test("/readyz: 200 on a current database, 503 naming a migration that is not applied; /healthz stays 200", async ({}, testInfo) => {
    const ready = await get(srv.url, "/readyz");
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ ok: true });
    expect(ready.headers["cache-control"]).toBe("no-store");

    // Another server on a database whose newest migration is not recorded as applied.
    const name = `ops-unready-${testInfo.parallelIndex}`;
    const first = await startServer(name, {}, { mail: false });
    await first.terminate();
    const raw = new Database(first.dbFile);
    const last = raw.prepare(`SELECT migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1`).pluck().get() as string;
    raw.prepare(`DELETE FROM _prisma_migrations WHERE migration_name = ?`).run(last);
    raw.close();
    const behind = await startServer(name, {}, { mail: false, reuse: true });
    try {
      const answer = await get(behind.url, "/readyz");
      expect(answer.status).toBe(503);
      expect(answer.headers["cache-control"]).toBe("no-store");
      expect(JSON.parse(answer.body)).toEqual({ ok: false, problems: [`migrations not applied: ${last}`] });
      expect(answer.body).not.toContain("/");
      expect((await get(behind.url, "/healthz")).status).toBe(200);
    } finally {
      await behind.terminate();
    }
  });
});

test("/metrics is off (404, like any unknown address) on a server without METRICS_TOKEN, even for a bearer token", async ({ server }) => {
  expect((await get(server.url, "/metrics")).status).toBe(404);
  expect((await get(server.url, "/metrics", { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  expect((await get(server.url, "/metrics", { from: LISTED })).status).toBe(404);
});
