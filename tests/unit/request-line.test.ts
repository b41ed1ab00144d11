// The HTTP server's first check (app/lib/request-line.ts, used by server/index.ts): bad Host 400,
// other methods 405 with Allow. The end-to-end check against the real server is in
// tests/e2e/security.spec.ts.
import { describe, expect, it } from "vitest";
import { isValidHost, requestLineProblem } from "#app/lib/request-line";

describe("Host header", () => {
  it.each(["localhost", "localhost:3000", "127.0.0.1:8080", "[::1]:3000", "[::1]", "pingjia.gov.example", "pingjia.gov.example.", "my_host:80"])("accepts %s", (h) => {
    expect(isValidHost(h)).toBe(true);
  });
  it.each([undefined, "", " ", "a b", "evil.example/path", "evil.example?x", "user@evil.example", "host:99999", "host:", "host:abc", "[::1", "::1", "a..b", "-a.example", "%41.example", "host\r\nx", "\u0000", "例子.测试", "x".repeat(300)])("refuses %j", (h) => {
    expect(isValidHost(h)).toBe(false);
  });
});

describe("request line", () => {
  const ok = { method: "GET", host: "localhost:3000", target: "/" };
  it("lets GET, HEAD and POST through", () => {
    for (const method of ["GET", "HEAD", "POST"]) expect(requestLineProblem({ ...ok, method })).toBeNull();
  });
  it("answers 405 with Allow to every other method", () => {
    for (const method of ["PUT", "PATCH", "DELETE", "TRACE", "OPTIONS", "CONNECT", "PROPFIND", "FOO"]) {
      expect(requestLineProblem({ ...ok, method })).toEqual({ status: 405, allow: "GET, HEAD, POST" });
    }
  });
  it("answers 400 for a bad Host, a bad forwarded host or a target that is not a path", () => {
    expect(requestLineProblem({ ...ok, host: undefined })).toEqual({ status: 400 });
    expect(requestLineProblem({ ...ok, host: "a/b" })).toEqual({ status: 400 });
    expect(requestLineProblem({ ...ok, forwardedHost: "evil example" })).toEqual({ status: 400 });
    expect(requestLineProblem({ ...ok, target: "http://evil.example/" })).toEqual({ status: 400 });
    expect(requestLineProblem({ ...ok, target: "*" })).toEqual({ status: 400 });
    // A bad Host is reported before the method.
    expect(requestLineProblem({ ...ok, method: "TRACE", host: "" })).toEqual({ status: 400 });
  });
});
