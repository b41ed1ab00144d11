// The request-duration histogram, counted without prom-client's per-observation work (label
// validation and hashing cost a few microseconds, about 5 % of the survey page's fast path at
// 4,000 requests a second). It is registered in prom-client's registry as a custom metric and
// exported in the same text format: `_bucket{…,le}` (cumulative), `_sum`, `_count`.
// Label values come from fixed sets (app/lib/route-label.ts), so the series stay few.

interface Series {
  labels: Record<string, string>;
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  counts: Float64Array;
  sum: number;
  count: number;
}

interface ValuePair {
  labels: Record<string, string | number>;
  value: number;
  metricName: string;
}

export class RequestHistogram {
  readonly type = "histogram";
  readonly aggregator = "sum";
  private series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
  ) {}

  /** One request; `key` identifies the label values (e.g. "GET 200 /s/:slug"). */
  observe(key: string, labels: () => Record<string, string>, seconds: number): void {
    let s = this.series.get(key);
    if (!s) {
      s = { labels: labels(), counts: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && seconds > bounds[i]!) i++;
    s.counts[i]! += 1;
    s.sum += seconds;
    s.count += 1;
  }

  reset(): void {
    this.series.clear();
  }

  /** What prom-client's registry reads (the shape its own Histogram returns). */
  get(): { name: string; help: string; type: string; aggregator: string; values: ValuePair[] } {
    const values: ValuePair[] = [];
    for (const s of this.series.values()) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += s.counts[i]!;
        values.push({ labels: { ...s.labels, le }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { ...s.labels, le: "+Inf" }, value: s.count, metricName: `${this.name}_bucket` });
      values.push({ labels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: s.labels, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
