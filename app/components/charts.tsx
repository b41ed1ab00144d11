// Charts of the score pages, drawn by recharts on the server (no animation) so they appear without
// JavaScript. Every chart is a figure with a caption and, behind it, the same figures as a data
// table for screen readers and for copying. Right-to-left pages mirror the axes.
// The server's drawing and the browser's first drawing must be identical (else React throws the
// page away, error #418). recharts measures text in the browser but not on the server, so: every
// axis label is our own <text> (recharts' <Text> wraps by measuring), every axis says which ticks
// to draw (`interval`; by default recharts drops ticks it measures to overlap, in the browser
// only), each chart has its own id (recharts otherwise numbers its clip paths with a counter that
// runs on across the server's requests), and the width and text measure start from the same fixed
// values; only after hydration does a chart take its container's width and measure its labels
// with the page's font.
import { type ReactNode, type RefObject, useLayoutEffect, useRef, useState } from "react";
import { Bar, BarChart, CartesianGrid, ErrorBar, Line, LineChart, XAxis, YAxis, Tooltip } from "recharts";
import { useT } from "#app/i18n/context";
import { type Measure, categoryLayout, estimateWidth, LABEL_FONT_SIZE, LABEL_LINE_HEIGHT } from "./chart-layout";
import { fmt } from "./score-parts";

const BRAND = "#0b5394";
const ACCENT = "#b45309";
/** Text in charts and legends: the page's ink, well above 4.5:1 on white. */
const INK = "#1a1a1a";
/** Very satisfied … very dissatisfied, then "not applicable"; distinguishable without colour in the table. */
export const GRADE_COLOURS = ["#1b5e20", "#4caf50", "#9e9e9e", "#e57373", "#b00020", "#d7ccc8"];
/** The width a chart is drawn at on the server (and without JavaScript), and the least it takes. */
const SERVER_WIDTH = 760;
const MIN_WIDTH = 360;
/** Space the number axis takes under a horizontal bar chart, and the chart's top and bottom margins. */
const X_AXIS_HEIGHT = 30;
const MARGIN = { top: 8, right: 24, bottom: 8, left: 24 };
/** Air between two labels of a category axis along the bottom. */
const TICK_GAP = 10;

interface Frame {
  width: number;
  measure: Measure;
}

/** Measures label text with the font the chart's labels are drawn in. */
function fontMeasure(el: HTMLElement): Measure | null {
  const ctx = document.createElement("canvas").getContext("2d");
  if (!ctx) return null;
  ctx.font = `${LABEL_FONT_SIZE}px ${getComputedStyle(el).fontFamily}`;
  return (text) => ctx.measureText(text).width;
}

/**
 * The chart's drawing width and text measure: the server's fixed ones until the page has
 * hydrated, then the container's width (down to MIN_WIDTH; narrower screens scroll the chart) and
 * the font's measure, before the browser paints.
 */
function useChartFrame(): [RefObject<HTMLDivElement | null>, Frame] {
  const ref = useRef<HTMLDivElement>(null);
  const [frame, setFrame] = useState<Frame>({ width: SERVER_WIDTH, measure: estimateWidth });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = fontMeasure(el) ?? estimateWidth;
    const update = () => {
      const width = Math.max(MIN_WIDTH, Math.floor(el.clientWidth));
      setFrame((f) => (f.width === width && f.measure === measure ? f : { width, measure }));
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, frame];
}

interface LegendItem {
  name: string;
  colour: string;
}

/**
 * What each colour means, as text in the page's ink beside a swatch of the colour (recharts'
 * legend writes each name in its series' colour, which is unreadable for the light ones). It sits
 * outside the drawing, so screen readers read it too.
 */
function ChartLegend({ items }: { items: LegendItem[] }) {
  return (
    <ul className="chart-legend">
      {items.map((item) => (
        <li key={item.name}>
          <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">
            <rect x="0.5" y="0.5" width="13" height="13" fill={item.colour} stroke={INK} />
          </svg>
          {item.name}
        </li>
      ))}
    </ul>
  );
}

function ChartFigure({
  id,
  title,
  children,
  table,
  legend,
  after,
  empty,
}: {
  id: string;
  title: string;
  children: (frame: Frame) => ReactNode;
  table?: ReactNode;
  legend?: LegendItem[];
  after?: ReactNode;
  empty: boolean;
}) {
  const { t } = useT();
  const [ref, frame] = useChartFrame();
  // recharts draws an empty chart differently on the server and in the browser (a hydration
  // mismatch), and an empty chart says nothing: say so in words instead.
  if (empty) return <EmptyChart id={id} title={title} />;
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <div className="chart-scroll" role="img" aria-label={title} tabIndex={0} ref={ref}>
        {children(frame)}
      </div>
      {legend ? <ChartLegend items={legend} /> : null}
      {after}
      {table ? (
        <details>
          <summary>{t("scores.chart.table")}</summary>
          <div className="table-scroll">{table}</div>
        </details>
      ) : null}
    </figure>
  );
}

/**
 * A category axis label, drawn whole on as many lines as the label column needs (recharts' own
 * <Text> wraps by measuring in the browser, which the server cannot do). Right-to-left labels
 * are set right to left, and end at the axis' far edge so they read from the axis outwards.
 */
function CategoryTick(props: { x?: number; y?: number; payload?: { value: string }; lines: Map<string, string[]>; rtl: boolean }) {
  const label = String(props.payload?.value ?? "");
  const lines = props.lines.get(label) ?? [label];
  const first = LABEL_FONT_SIZE * 0.355 - ((lines.length - 1) / 2) * LABEL_LINE_HEIGHT;
  return (
    <text className="category-label" x={props.x} y={props.y} textAnchor="end" direction={props.rtl ? "rtl" : "ltr"} fontSize={LABEL_FONT_SIZE} fill={INK}>
      {lines.map((line, i) => (
        <tspan key={i} x={props.x} dy={i === 0 ? first : LABEL_LINE_HEIGHT}>
          {line}
        </tspan>
      ))}
    </text>
  );
}

/** A value axis' label (numbers, months), as recharts would place it but without measuring. */
function AxisTick(props: { x?: number; y?: number; payload?: { value: unknown }; textAnchor?: "start" | "middle" | "end"; verticalAnchor?: "start" | "middle" | "end"; unit?: string }) {
  const dy = props.verticalAnchor === "start" ? "0.71em" : props.verticalAnchor === "middle" ? "0.355em" : undefined;
  return (
    <text x={props.x} y={props.y} dy={dy} textAnchor={props.textAnchor ?? "middle"} fontSize={LABEL_FONT_SIZE} fill={INK}>
      {`${String(props.payload?.value ?? "")}${props.unit ?? ""}`}
    </text>
  );
}

/**
 * Every how many labels a category axis along the bottom draws one (recharts' `interval`: 0 is
 * every label), so that the drawn ones do not overlap.
 */
function bottomInterval(labels: string[], plotWidth: number, measure: Measure): number {
  const widest = Math.max(0, ...labels.map((l) => measure(l))) + TICK_GAP;
  return Math.max(0, Math.ceil((labels.length * widest) / Math.max(1, plotWidth)) - 1);
}

/**
 * The geometry of a horizontal bar chart whose categories are labels: the label column as wide
 * as the labels need (up to a share of the width), each row as tall as its wrapped label.
 */
function barsGeometry(labels: string[], frame: Frame, minRow: number) {
  const layout = categoryLayout(labels, frame.width, frame.measure, { minRow });
  return {
    width: frame.width,
    height: MARGIN.top + MARGIN.bottom + X_AXIS_HEIGHT + labels.length * layout.rowHeight,
    layout,
  };
}

/** The category axis of a horizontal bar chart: on the reading side, labels whole. */
function categoryAxis(layout: { axisWidth: number; lines: Map<string, string[]> }, rtl: boolean) {
  return (
    <YAxis type="category" dataKey="label" width={layout.axisWidth} orientation={rtl ? "right" : "left"} interval={0} tick={<CategoryTick lines={layout.lines} rtl={rtl} />} />
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
  return (
    <ChartFigure
      id={id}
      title={title}
      empty={rows.length === 0}
      legend={[
        { name: t("scores.col.s"), colour: BRAND },
        { name: t("scores.col.ci"), colour: ACCENT },
      ]}
      after={
        <p className="hint">
          <a href={`#${tableId}`}>{t("scores.chart.sameAsTable")}</a>
        </p>
      }
    >
      {(frame) => {
        const g = barsGeometry(rows.map((r) => r.label), frame, 32);
        return (
          <BarChart id={`${id}-plot`} width={g.width} height={g.height} data={rows} layout="vertical" margin={MARGIN}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" domain={[0, 100]} reversed={rtl} interval={0} tick={<AxisTick />} />
            {categoryAxis(g.layout, rtl)}
            <Bar dataKey="value" fill={BRAND} isAnimationActive={false} name={t("scores.col.s")} maxBarSize={28}>
              <ErrorBar dataKey="err" width={4} strokeWidth={1.5} stroke={ACCENT} direction="x" />
            </Bar>
          </BarChart>
        );
      }}
    </ChartFigure>
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
      {(frame) => (
        <LineChart id={`${id}-plot`} width={frame.width} height={260} data={data} margin={MARGIN}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="month" reversed={dir === "rtl"} interval={bottomInterval(data.map((d) => d.month), frame.width - 100, frame.measure)} tick={<AxisTick />} />
          <YAxis domain={[0, 100]} orientation={dir === "rtl" ? "right" : "left"} interval={0} tick={<AxisTick />} />
          <Tooltip isAnimationActive={false} />
          <Line type="monotone" dataKey="s" stroke={BRAND} strokeWidth={2} dot isAnimationActive={false} name={t("scores.col.s")} connectNulls />
        </LineChart>
      )}
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
      legend={[
        { name: unitName, colour: BRAND },
        { name: t("scores.region"), colour: ACCENT },
      ]}
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
      {(frame) => {
        const g = barsGeometry(data.map((d) => d.label), frame, 44);
        return (
          <BarChart id={`${id}-plot`} width={g.width} height={g.height} data={data} layout="vertical" margin={MARGIN}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" domain={[0, 100]} reversed={rtl} interval={0} tick={<AxisTick />} />
            {categoryAxis(g.layout, rtl)}
            <Bar dataKey="unit" fill={BRAND} isAnimationActive={false} name={unitName} maxBarSize={20} />
            <Bar dataKey="region" fill={ACCENT} isAnimationActive={false} name={t("scores.region")} maxBarSize={20} />
          </BarChart>
        );
      }}
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
      legend={names.map((name, i) => ({ name, colour: GRADE_COLOURS[i]! }))}
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
      {(frame) => {
        const g = barsGeometry(rows.map((r) => r.label), frame, 36);
        return (
          <BarChart id={`${id}-plot`} width={g.width} height={g.height} data={rows} layout="vertical" margin={MARGIN}>
            <XAxis type="number" domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} reversed={rtl} interval={0} tick={<AxisTick unit="%" />} />
            {categoryAxis(g.layout, rtl)}
            {names.map((n, i) => (
              <Bar key={n} dataKey={`g${i}`} stackId="grades" fill={GRADE_COLOURS[i]} name={n} isAnimationActive={false} maxBarSize={28} />
            ))}
          </BarChart>
        );
      }}
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
      legend={parts.map((p, i) => ({ name: t(`scores.volume.${p}`), colour: colours[i]! }))}
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
      {(frame) => {
        const g = barsGeometry(data.map((d) => d.label), frame, 36);
        return (
          <BarChart id={`${id}-plot`} width={g.width} height={g.height} data={data} layout="vertical" margin={MARGIN}>
            <XAxis type="number" allowDecimals={false} reversed={rtl} interval={0} tick={<AxisTick />} />
            {categoryAxis(g.layout, rtl)}
            {parts.map((p, i) => (
              <Bar key={p} dataKey={p} stackId="v" fill={colours[i]} name={t(`scores.volume.${p}`)} isAnimationActive={false} maxBarSize={28} />
            ))}
          </BarChart>
        );
      }}
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
      {(frame) => {
        if (!horizontal) {
          return (
            <BarChart id={`${id}-plot`} width={frame.width} height={240} data={data} margin={MARGIN}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" reversed={rtl} interval={bottomInterval(data.map((d) => d.label), frame.width - 100, frame.measure)} tick={<AxisTick />} />
              <YAxis allowDecimals={false} orientation={rtl ? "right" : "left"} interval={0} tick={<AxisTick />} />
              <Bar dataKey="count" fill={BRAND} isAnimationActive={false} name={t("scores.col.n")} maxBarSize={48} />
            </BarChart>
          );
        }
        const g = barsGeometry(data.map((d) => d.label), frame, 32);
        return (
          <BarChart id={`${id}-plot`} width={g.width} height={g.height} data={data} layout="vertical" margin={MARGIN}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" allowDecimals={false} reversed={rtl} interval={0} tick={<AxisTick />} />
            {categoryAxis(g.layout, rtl)}
            <Bar dataKey="count" fill={BRAND} isAnimationActive={false} name={t("scores.col.n")} maxBarSize={24} />
          </BarChart>
        );
      }}
    </ChartFigure>
  );
}
