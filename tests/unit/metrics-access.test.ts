// Who may read /metrics (app/lib/metrics-access.server.ts) and how METRICS_ALLOW is read.
import { describe, expect, it } from "vitest";
import { getEnv } from "#app/lib/env.server";
import { metricsAccess, parseAllowList, sameSecret } from "#app/lib/metrics-access.server";

const TOKEN = "m3tr1cs-t0ken-0123456789";
const access = (over: Partial<Parameters<typeof metricsAccess>[0]>) =>
  metricsAccess({ token: TOKEN, allow: "", authorization: null, address: "203.0.113.9", ...over });

describe("access to /metrics", () => {
  it("is off without METRICS_TOKEN, whatever the caller sends or where it comes from", () => {
    expect(access({ token: undefined })).toBe("off");
    expect(access({ token: undefined, authorization: `Bearer ${TOKEN}`, allow: "0.0.0.0/0", address: "127.0.0.1" })).toBe("off");
    expect(access({ token: "" })).toBe("off");
  });

  it("opens to the right bearer token, from anywhere", () => {
    expect(access({ authorization: `Bearer ${TOKEN}` })).toBe("allowed");
    expect(access({ authorization: `bearer ${TOKEN}` })).toBe("allowed");
    expect(access({ authorization: `Bearer ${TOKEN}`, address: null })).toBe("allowed");
  });

  it("asks for credentials (401) when none are sent, or not a bearer token", () => {
    expect(access({})).toBe("unauthorized");
    expect(access({ authorization: "" })).toBe("unauthorized");
    expect(access({ authorization: "Basic dXNlcjpwYXNz" })).toBe("unauthorized");
    expect(access({ authorization: "Bearer" })).toBe("unauthorized");
  });

  it("refuses (403) a wrong token from an address not listed", () => {
    expect(access({ authorization: "Bearer wrong" })).toBe("forbidden");
    expect(access({ authorization: `Bearer ${TOKEN}x` })).toBe("forbidden");
    expect(access({ authorization: `Bearer ${TOKEN.slice(0, -1)}` })).toBe("forbidden");
    expect(access({ authorization: "Bearer wrong", allow: "10.0.0.0/8", address: "11.0.0.1" })).toBe("forbidden");
  });

  it("opens to listed addresses and ranges without a token, IPv4 and IPv6, mapped IPv4 included", () => {
    const allow = "127.0.0.1, 10.20.0.0/16,fd00::/8 , 2001:db8::5";
    expect(access({ allow, address: "127.0.0.1" })).toBe("allowed");
    expect(access({ allow, address: "::ffff:127.0.0.1" })).toBe("allowed");
    expect(access({ allow, address: "10.20.255.1" })).toBe("allowed");
    expect(access({ allow, address: "fd12:3456::1" })).toBe("allowed");
    expect(access({ allow, address: "2001:db8::5" })).toBe("allowed");
    expect(access({ allow, address: "10.21.0.1" })).toBe("unauthorized");
    expect(access({ allow, address: "127.0.0.2" })).toBe("unauthorized");
    expect(access({ allow, address: "2001:db8::6" })).toBe("unauthorized");
    expect(access({ allow, address: "fe80::1" })).toBe("unauthorized");
    expect(access({ allow, address: "" })).toBe("unauthorized");
    expect(access({ allow, address: null })).toBe("unauthorized");
    // A listed address is enough, even with a wrong token.
    expect(access({ allow, address: "10.20.1.1", authorization: "Bearer wrong" })).toBe("allowed");
  });
});

describe("METRICS_ALLOW", () => {
  it("takes addresses and CIDR ranges, and nothing else", () => {
    expect(parseAllowList("")).not.toBeNull();
    expect(parseAllowList("127.0.0.1,::1,10.0.0.0/8,fd00::/8,0.0.0.0/0")).not.toBeNull();
    for (const bad of ["localhost", "10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0/8", "10.0.0.0/8/1", "10.0.0.0/x", "*"]) {
      expect(parseAllowList(bad), bad).toBeNull();
    }
  });

  it("is checked at start-up with the token, naming the variable", () => {
    const base = { SESSION_SECRET: "s".repeat(40) };
    expect(getEnv(base).METRICS_TOKEN).toBeUndefined();
    expect(getEnv(base).METRICS_ALLOW).toBe("");
    expect(getEnv({ ...base, METRICS_TOKEN: TOKEN, METRICS_ALLOW: "10.0.0.0/8" }).METRICS_ALLOW).toBe("10.0.0.0/8");
    expect(() => getEnv({ ...base, METRICS_ALLOW: "prometheus.lan" })).toThrowError(/METRICS_ALLOW: must be IP addresses or CIDR ranges/);
    expect(() => getEnv({ ...base, METRICS_TOKEN: "short" })).toThrowError(/METRICS_TOKEN: must be at least 16 characters/);
  });
});

describe("token comparison", () => {
  it("is equality, whatever the lengths", () => {
    expect(sameSecret(TOKEN, TOKEN)).toBe(true);
    expect(sameSecret("", TOKEN)).toBe(false);
    expect(sameSecret(TOKEN + TOKEN, TOKEN)).toBe(false);
  });
});
