// The anomalies page's inputs: the overview's filters and the unit-day's action on clusters.
import { describe, expect, it } from "vitest";
import { isDay, parseClusterForm, parseOverviewQuery } from "#app/domain/anomaly-forms";

const flags = ["excluded", "network_burst"];
const form = (fields: [string, string][]) => new URLSearchParams(fields);

describe("the overview's filters", () => {
  it("takes real days only, in order", () => {
    expect([isDay("2026-11-12"), isDay("2026-02-30"), isDay("2026-1-2"), isDay("12/11/2026"), isDay("")]).toEqual([true, false, false, false, false]);
    const ok = parseOverviewQuery(new URLSearchParams("unit=C06&from=2026-11-01&to=2026-11-30&page=2"));
    expect(ok).toEqual({ query: { unit: "C06", from: "2026-11-01", to: "2026-11-30", page: 2 }, values: { unit: "C06", from: "2026-11-01", to: "2026-11-30" }, errors: {} });
    const bad = parseOverviewQuery(new URLSearchParams("from=2026-13-01&to=x&page=1e300"));
    expect(bad.errors).toEqual({ from: "errors.date", to: "errors.date" });
    expect(bad.query).toMatchObject({ from: "", to: "", page: 1 });
    expect(bad.values.from).toBe("2026-13-01");
    const reversed = parseOverviewQuery(new URLSearchParams("from=2026-11-30&to=2026-11-01"));
    expect(reversed.errors).toEqual({ to: "anomalies.errors.dateOrder" });
    expect(reversed.query).toMatchObject({ from: "", to: "" });
  });
});

describe("the action on clusters", () => {
  it("excludes chosen clusters with a reason", () => {
    const r = parseClusterForm(form([["intent", "exclude"], ["cluster", "network-1"], ["cluster", "all"], ["cluster", "network-1"], ["reason", "  one network, worst grades  "], ["seen", "42"]]), flags);
    expect(r).toEqual({ ok: true, data: { intent: "exclude", clusters: ["network-1", "all"], flag: null, reason: "one network, worst grades", seen: 42 } });
  });

  it("reinstates with a flag the office may lift", () => {
    const r = parseClusterForm(form([["intent", "reinstate"], ["cluster", "no-network"], ["flag", "network_burst"], ["reason", "a family at home"], ["seen", "7"]]), flags);
    expect(r).toMatchObject({ ok: true, data: { intent: "reinstate", flag: "network_burst" } });
    const honeypot = parseClusterForm(form([["intent", "reinstate"], ["cluster", "all"], ["flag", "honeypot"], ["reason", "a family at home"], ["seen", "7"]]), flags);
    expect(honeypot).toMatchObject({ ok: false, errors: { flag: "errors.invalidChoice" } });
  });

  it("refuses a post with any invalid field, keeping the typed reason and choices", () => {
    expect(parseClusterForm(form([["intent", "exclude"], ["reason", "why not"], ["seen", "7"]]), flags)).toEqual({
      ok: false,
      errors: { clusters: "anomalies.errors.noCluster" },
      values: { reason: "why not", flag: "", clusters: [] },
    });
    expect(parseClusterForm(form([["intent", "exclude"], ["cluster", "all"], ["reason", "ab"], ["seen", "7"]]), flags)).toMatchObject({ ok: false, errors: { reason: "errors.reasonRequired" }, values: { clusters: ["all"] } });
    expect(parseClusterForm(form([["intent", "exclude"], ["cluster", "all"], ["reason", "x".repeat(501)], ["seen", "7"]]), flags)).toMatchObject({ ok: false, errors: { reason: "errors.tooLong" } });
    // Network hashes, SQL or ids are not cluster names.
    for (const c of ["network-0", "network-01", "abc123", "' OR 1=1 --", "all,network-1", "network-9999999"]) {
      expect(parseClusterForm(form([["intent", "exclude"], ["cluster", c], ["reason", "a reason"], ["seen", "7"]]), flags), c).toMatchObject({ ok: false, errors: { clusters: "errors.invalidChoice" } });
    }
    for (const seen of ["", "0", "1e300", "-1", "9007199254740993"]) {
      expect(parseClusterForm(form([["intent", "exclude"], ["cluster", "all"], ["reason", "a reason"], ["seen", seen]]), flags), seen).toMatchObject({ ok: false, errors: { form: "anomalies.errors.stale" } });
    }
    expect(parseClusterForm(form([["intent", "delete"], ["cluster", "all"], ["reason", "a reason"], ["seen", "7"]]), flags)).toMatchObject({ ok: false, errors: { form: "errors.invalidChoice" } });
  });
});
