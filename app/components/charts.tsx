// Charts of the score pages, drawn by recharts on the server (fixed sizes, no animation) so they
// appear without JavaScript. Every chart is a figure with a caption and, behind it, the same
// figures as a data table for screen readers and for copying. Right-to-left pages mirror the axes.
import type { ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, ErrorBar, Legend, Line, LineChart, XAxis, YAxis, Tooltip } from "recharts";
import { useT } from "#app/i18n/context";
import { fmt } from "./score-parts";

const BRAND = "#0b5394";
const ACCENT = "#b45309";
/** Very satisfied … very dissatisfied, then "not applicable"; distinguishable without colour in the table. */
export const GRADE_COLOURS = ["#1b5e20", "#4caf50", "#9e9e9e", "#e57373", "#b00020", "#d7ccc8"];

function ChartFigure({ id, title, children, table, empty }: { id: string; title: string; children: ReactNode; table: ReactNode; empty: boolean }) {
  const { t } = useT();
  // recharts draws an empty chart differently on the server and in the browser (a hydration
  // mismatch), and an empty chart says nothing: say so in words instead.
  if (empty) return <EmptyChart id={id} title={title} />;
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <div className="chart-scroll" role="img" aria-label={title} tabIndex={0}>
        {children}
      </div>
      <details>
        <summary>{t("scores.chart.table")}</summary>
        <div className="table-scroll">{table}</div>
      </details>
    </figure>
  );
}


/**
 * A category axis label without recharts' own <Text>: that one wraps long labels by measuring
 * them in the browser, which the server cannot do, so the two drew different text (a hydration
 * mismatch). Long labels are shortened; the full text is the label's title.
 */
function CategoryTick(props: { x?: number; y?: number; payload?: { value: string }; textAnchor?: "start" | "middle" | "end" }) {
  const label = String(props.payload?.value ?? "");
  const short = label.length > 26 ? `${label.slice(0, 25)}…` : label;
  return (
    <text x={props.x} y={props.y} dy="0.355em" textAnchor={props.textAnchor ?? "end"} fontSize={12} fill="#333">
      <title>{label}</title>
      {short}
    </text>
  );
}

function EmptyChart({ id, title }: { id: string; title: string }) {
  const { t } = useT();
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <p className="muted">{t("scores.chart.noData")}</p>
    </figure>
  );
}

export interface IntervalDatum {
  label: string;
  value: number;
  low: number;
  high: number;
  n: number;
}

/**
 * Units' S as horizontal bars with their confidence intervals. The same figures are in the
 * page's score table, so the chart points there (tableId) instead of repeating a table of
 * hundreds of rows.
 */
export function IntervalBars({ id, title, data, tableId }: { id: string; title: string; data: IntervalDatum[]; tableId: string }) {
  const { t, dir } = useT();
  const rtl = dir === "rtl";
  const rows = data.map((d) => ({ ...d, err: [d.value - d.low, d.high - d.value] as [number, number] }));
  if (rows.length === 0) return <EmptyChart id={id} title={title} />;
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <div className="chart-scroll" role="img" aria-label={title} tabIndex={0}>
        <BarChart width={680} height={Math.max(120, 40 + rows.length * 32)} data={rows} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 24 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" domain={[0, 100]} reversed={rtl} />
          <YAxis type="category" dataKey="label" width={180} orientation={rtl ? "right" : "left"} interval={0} tick={<CategoryTick />} />
          <Bar dataKey="value" fill={BRAND} isAnimationActive={false} name={t("scores.col.s")}>
            <ErrorBar dataKey="err" width={4} strokeWidth={1.5} stroke={ACCENT} direction="x" />
          </Bar>
        </BarChart>
      </div>
      <p className="hint">
        <a href={`#${tableId}`}>{t("scores.chart.sameAsTable")}</a>
      </p>
    </figure>
  );
}

export interface TrendDatum {
  month: string;
  s: number | null;
  n: number;
}

/** S month by month. */
export function TrendLine({ id, title, data }: { id: string; title: string; data: TrendDatum[] }) {
  const { t, lng, dir } = useT();
  return (
    <ChartFigure
      id={id}
      title={title}
      empty={data.every((d) => d.s === null)}
      table={
        <table className="queue">
          <thead>
            <tr>
              <th scope="col">{t("scores.col.month")}</th>
              <th scope="col">{t("scores.col.s")}</th>
              <th scope="col">{t("scores.col.n")}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((d) => (
              <tr key={d.month}>
                <th scope="row" dir="ltr">
                  {d.month}
                </th>
                <td>{fmt(d.s, lng, 2)}</td>
                <td>{d.n}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <LineChart width={680} height={260} data={data} margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="month" reversed={dir === "rtl"} tick={{ fontSize: 12 }} />
        <YAxis domain={[0, 100]} orientation={dir === "rtl" ? "right" : "left"} />
        <Tooltip />
        <Line type="monotone" dataKey="s" stroke={BRAND} strokeWidth={2} dot isAnimationActive={false} name={t("scores.col.s")} connectNulls />
      </LineChart>
    </ChartFigure>
  );
}

export interface ItemDatum {
  label: string;
  unit: number | null;
  region: number | null;
}

/** Mean points per item for a unit, next to the region's. */
export function ItemBars({ id, title, data, unitName }: { id: string; title: string; data: ItemDatum[]; unitName: string }) {
  const { t, lng, dir } = useT();
  const rtl = dir === "rtl";
  return (
    <ChartFigure
      id={id}
      title={title}
      empty={data.every((d) => d.unit === null && d.region === null)}
      table={
        <table className="queue">
          <thead>
            <tr>
              <th scope="col">{t("scores.col.item")}</th>
              <th scope="col">{unitName}</th>
              <th scope="col">{t("scores.region")}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((d) => (
              <tr key={d.label}>
                <th scope="row">{d.label}</th>
                <td>{fmt(d.unit, lng, 1)}</td>
                <td>{fmt(d.region, lng, 1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <BarChart width={680} height={Math.max(140, 50 + data.length * 44)} data={data} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 24 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" domain={[0, 100]} reversed={rtl} />
        <YAxis type="category" dataKey="label" width={200} orientation={rtl ? "right" : "left"} interval={0} tick={<CategoryTick />} />
        <Legend />
        <Bar dataKey="unit" fill={BRAND} isAnimationActive={false} name={unitName} />
        <Bar dataKey="region" fill={ACCENT} isAnimationActive={false} name={t("scores.region")} />
      </BarChart>
    </ChartFigure>
  );
}

export interface DistributionDatum {
  label: string;
  /** Answers by grade 5..1, then "not applicable". */
  counts: number[];
}

/** Grade distribution per item as 100% stacked bars. */
export function GradeDistribution({ id, title, data }: { id: string; title: string; data: DistributionDatum[] }) {
  const { t, dir } = useT();
  const rtl = dir === "rtl";
  const names = ["5", "4", "3", "2", "1"].map((g) => t(`grade.${g}`)).concat(t("grade.na"));
  const rows = data.map((d) => {
    const total = d.counts.reduce((a, b) => a + b, 0) || 1;
    return { label: d.label, ...Object.fromEntries(d.counts.map((c, i) => [`g${i}`, Math.round((c / total) * 1000) / 10])) };
  });
  return (
    <ChartFigure
      id={id}
      title={title}
      empty={data.every((d) => d.counts.every((c) => c === 0))}
      table={
        <table className="queue">
          <thead>
            <tr>
              <th scope="col">{t("scores.col.item")}</th>
              {names.map((n) => (
                <th scope="col" key={n}>
                  {n}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.map((d) => (
              <tr key={d.label}>
                <th scope="row">{d.label}</th>
                {d.counts.map((c, i) => (
                  <td key={i}>{c}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <BarChart width={680} height={Math.max(140, 70 + data.length * 36)} data={rows} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 24 }}>
        <XAxis type="number" domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} unit="%" reversed={rtl} />
        <YAxis type="category" dataKey="label" width={200} orientation={rtl ? "right" : "left"} interval={0} tick={<CategoryTick />} />
        <Legend />
        {names.map((n, i) => (
          <Bar key={n} dataKey={`g${i}`} stackId="grades" fill={GRADE_COLOURS[i]} name={n} isAnimationActive={false} />
        ))}
      </BarChart>
    </ChartFigure>
  );
}

export interface VolumeDatum {
  label: string;
  onTime: number;
  late: number;
  pending: number;
  rejected: number;
}

/** Complaint volumes by type, split by timeliness. */
export function ComplaintVolumes({ id, title, data }: { id: string; title: string; data: VolumeDatum[] }) {
  const { t, lng, dir } = useT();
  const rtl = dir === "rtl";
  const parts = ["onTime", "late", "pending", "rejected"] as const;
  const colours = ["#1b5e20", "#b00020", "#9e9e9e", "#6d4c41"];
  return (
    <ChartFigure
      id={id}
      title={title}
      empty={data.every((d) => d.onTime + d.late + d.pending + d.rejected === 0)}
      table={
        <table className="queue">
          <thead>
            <tr>
              <th scope="col">{t("scores.col.type")}</th>
              {parts.map((p) => (
                <th scope="col" key={p}>
                  {t(`scores.volume.${p}`)}
                </th>
              ))}
              <th scope="col">{t("scores.volume.onTimeRate")}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((d) => (
              <tr key={d.label}>
                <th scope="row">{d.label}</th>
                {parts.map((p) => (
                  <td key={p}>{d[p]}</td>
                ))}
                <td>{d.onTime + d.late ? `${fmt((d.onTime / (d.onTime + d.late)) * 100, lng, 1)}%` : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <BarChart width={680} height={Math.max(140, 70 + data.length * 36)} data={data} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 24 }}>
        <XAxis type="number" allowDecimals={false} reversed={rtl} />
        <YAxis type="category" dataKey="label" width={160} orientation={rtl ? "right" : "left"} interval={0} tick={<CategoryTick />} />
        <Legend />
        {parts.map((p, i) => (
          <Bar key={p} dataKey={p} stackId="v" fill={colours[i]} name={t(`scores.volume.${p}`)} isAnimationActive={false} />
        ))}
      </BarChart>
    </ChartFigure>
  );
}

export interface CountDatum {
  label: string;
  count: number;
}

/**
 * Counts per category: months as columns (responses over time), or a choice question's options
 * as bars (`horizontal`).
 */
export function CountBars({ id, title, data, labelHeader, horizontal }: { id: string; title: string; data: CountDatum[]; labelHeader: string; horizontal?: boolean }) {
  const { t, lng, dir } = useT();
  const rtl = dir === "rtl";
  return (
    <ChartFigure
      id={id}
      title={title}
      empty={data.every((d) => d.count === 0)}
      table={
        <table className="queue">
          <thead>
            <tr>
              <th scope="col">{labelHeader}</th>
              <th scope="col">{t("scores.col.n")}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((d) => (
              <tr key={d.label}>
                <th scope="row">{d.label}</th>
                <td>{fmt(d.count, lng, 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      {horizontal ? (
        <BarChart width={680} height={Math.max(120, 50 + data.length * 36)} data={data} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 24 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} reversed={rtl} />
          <YAxis type="category" dataKey="label" width={200} orientation={rtl ? "right" : "left"} interval={0} tick={<CategoryTick />} />
          <Bar dataKey="count" fill={BRAND} isAnimationActive={false} name={t("scores.col.n")} />
        </BarChart>
      ) : (
        <BarChart width={680} height={240} data={data} margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" reversed={rtl} tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} orientation={rtl ? "right" : "left"} />
          <Bar dataKey="count" fill={BRAND} isAnimationActive={false} name={t("scores.col.n")} />
        </BarChart>
      )}
    </ChartFigure>
  );
}
