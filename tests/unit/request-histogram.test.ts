// The request histogram (app/lib/request-histogram.ts) reads in Prometheus as prom-client's own
// histogram would: cumulative buckets with le, +Inf equal to the count, the sum, per label set.
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { RequestHistogram } from "#app/lib/request-histogram";

describe("the request histogram", () => {
  it("exports cumulative buckets, +Inf, sum and count for each label set", async () => {
    const registry = new Registry();
    const h = new RequestHistogram("t_http_seconds", "Requests.", [0.01, 0.1, 1]);
    registry.registerMetric(h as unknown as Parameters<Registry["registerMetric"]>[0]);
    const labels = (status: string) => () => ({ method: "GET", route: "/s/:slug", status });
    for (const s of [0.005, 0.01, 0.05, 2]) h.observe("GET 200 /s/:slug", labels("200"), s);
    h.observe("GET 404 /s/:slug", labels("404"), 0.5);
    const text = await registry.metrics();
    const line = (name: string) => new RegExp(`^${name.replace(/[{}+.]/g, "\\$&")} (\\S+)$`, "m").exec(text)?.[1];
    expect(text).toContain("# TYPE t_http_seconds histogram");
    expect(line('t_http_seconds_bucket{method="GET",route="/s/:slug",status="200",le="0.01"}')).toBe("2");
    expect(line('t_http_seconds_bucket{method="GET",route="/s/:slug",status="200",le="0.1"}')).toBe("3");
    expect(line('t_http_seconds_bucket{method="GET",route="/s/:slug",status="200",le="1"}')).toBe("3");
    expect(line('t_http_seconds_bucket{method="GET",route="/s/:slug",status="200",le="+Inf"}')).toBe("4");
    expect(Number(line('t_http_seconds_sum{method="GET",route="/s/:slug",status="200"}'))).toBeCloseTo(2.065);
    expect(line('t_http_seconds_count{method="GET",route="/s/:slug",status="200"}')).toBe("4");
    expect(line('t_http_seconds_bucket{method="GET",route="/s/:slug",status="404",le="0.1"}')).toBe("0");
    expect(line('t_http_seconds_count{method="GET",route="/s/:slug",status="404"}')).toBe("1");
  });
});
