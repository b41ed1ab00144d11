// The request observer (server/observe.ts): a request id for every request, one log line and one
// histogram observation under the route's pattern, and nothing of the path, query, address or
// headers in the line.
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const lines: { level: string; line: Record<string, unknown> }[] = [];
vi.mock("../../app/lib/log.server", () => {
  const logger = {
    info: (line: Record<string, unknown>) => lines.push({ level: "info", line }),
    error: (line: Record<string, unknown>) => lines.push({ level: "error", line }),
  };
  // The request line's fields are put together as JSON text (app/lib/log.server.ts infoLineWriter):
  // parsing them here checks they are valid JSON.
  const infoLineWriter = () => (fields: string) => lines.push({ level: "info", line: JSON.parse(`{${fields}}`) as Record<string, unknown> });
  return { log: logger, logFor: () => logger, infoLineWriter };
});

const { finishedLabel, observeRequests, pathOf, requestIdFor } = await import("../../server/observe");
const { metricsText } = await import("#app/lib/metrics.server");

describe("request ids", () => {
  it("take the client's X-Request-Id only when it is short and plain", () => {
    expect(requestIdFor("abc-123_x.y")).toBe("abc-123_x.y");
    expect(requestIdFor("a".repeat(64))).toBe("a".repeat(64));
    for (const bad of ["a".repeat(65), "", "x y", "x\ny", "ünï", "a/b", "<script>", "id;drop"]) {
      const id = requestIdFor(bad);
      expect(id, bad).not.toBe(bad);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(requestIdFor(["a", "b"])).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFor(undefined)).not.toBe(requestIdFor(undefined));
  });
});

describe("the parts of a request target", () => {
  it("keep the path and drop the query", () => {
    expect(pathOf("/track/open?t=secret.token")).toBe("/track/open");
    expect(pathOf("/s/x")).toBe("/s/x");
    expect(pathOf("/?")).toBe("/");
  });
  it("count files found outside /assets as static, unknown addresses as unmatched", () => {
    expect(finishedLabel("unmatched", 200)).toBe("static");
    expect(finishedLabel("unmatched", 304)).toBe("static");
    expect(finishedLabel("unmatched", 404)).toBe("unmatched");
    expect(finishedLabel("/s/:slug", 404)).toBe("/s/:slug");
  });
});

describe("the middleware", () => {
  let server: http.Server;
  let base = "";
  let routes: Record<string, { id: string; parentId?: string; path?: string; index?: boolean }> | undefined;

  beforeAll(async () => {
    const app = express();
    app.use(observeRequests(() => routes));
    app.get("/s/:slug", (req, res) => res.type("text/plain").send(`id ${req.headers["x-request-id"]}`));
    app.get("/staff/cases/:reference", (_req, res) => res.status(500).send("boom"));
    app.get("/favicon.ico", (_req, res) => res.send("icon"));
    app.use((_req, res) => res.status(404).send("not found"));
    server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  const lineFor = async (id: string) => {
    for (let i = 0; i < 50 && !lines.some((l) => l.line.reqId === id); i++) await new Promise((r) => setTimeout(r, 10));
    return lines.find((l) => l.line.reqId === id)!;
  };

  it("before the build's routes are there, names no pattern (and still no path); takes them once they are", async () => {
    routes = undefined;
    const res = await fetch(`${base}/s/early?unit=C01`, { headers: { "x-request-id": "early-1" } });
    expect(res.headers.get("x-request-id")).toBe("early-1");
    expect((await lineFor("early-1")).line.route).toBe("static");
  });

  it("gives every request an id, passes it to the app, and logs one line under the route's pattern", async () => {
    routes = {
      root: { id: "root", path: "" },
      survey: { id: "survey", parentId: "root", path: "s/:slug" },
      staffCase: { id: "staffCase", parentId: "root", path: "staff/cases/:reference" },
      nf: { id: "nf", parentId: "root", path: "*" },
    };
    const res = await fetch(`${base}/s/satisfaction-2026?unit=C01&t=secret-token-123`, { headers: { "x-request-id": "bad id with spaces", cookie: "civic_device=abc" } });
    const id = res.headers.get("x-request-id")!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.text()).toBe(`id ${id}`);
    const { level, line } = await lineFor(id);
    expect(level).toBe("info");
    expect(Object.keys(line).sort()).toEqual(["bytes", "method", "ms", "reqId", "route", "status"]);
    expect(line).toMatchObject({ method: "GET", route: "/s/:slug", status: 200 });
    expect(line.ms).toBeGreaterThanOrEqual(0);
    expect(line.bytes).toBeGreaterThan(0);
    const text = JSON.stringify(line);
    for (const secret of ["satisfaction-2026", "C01", "secret-token-123", "127.0.0.1", "civic_device"]) expect(text).not.toContain(secret);
  });

  it("logs a 5xx as an error, a found file as static, an unknown address as unmatched", async () => {
    const ids = ["five-1", "file-1", "nf-1"];
    await fetch(`${base}/staff/cases/TS-2026-000123`, { headers: { "x-request-id": ids[0]! } });
    await fetch(`${base}/favicon.ico`, { headers: { "x-request-id": ids[1]! } });
    await fetch(`${base}/wp-login.php?x=1`, { headers: { "x-request-id": ids[2]! } });
    const [five, file, nf] = await Promise.all(ids.map(lineFor));
    expect(five).toMatchObject({ level: "error", line: { route: "/staff/cases/:reference", status: 500 } });
    expect(file).toMatchObject({ level: "info", line: { route: "static", status: 200 } });
    expect(nf).toMatchObject({ level: "info", line: { route: "unmatched", status: 404 } });
  });

  it("observes the request histogram under method, route and status", async () => {
    const count = async () => Number(/civic_http_request_duration_seconds_count\{method="GET",route="\/s\/:slug",status="200"\} (\d+)/.exec(await metricsText())?.[1] ?? 0);
    const before = await count();
    const id = "hist-1";
    await (await fetch(`${base}/s/other-survey`, { headers: { "x-request-id": id } })).text();
    await lineFor(id);
    expect(await count()).toBe(before + 1);
    expect(await metricsText()).not.toContain("other-survey");
  });
});
