// A unit's S over the published periods, with each interval, as a small SVG drawn on the server.
// The public pages send no script (docs/decisions/0020), so unlike the office's recharts charts
// (ADR 0014) nothing is measured in the browser: the drawing scales with its viewBox to any width,
// right-to-left pages run the periods from the right, and the same figures are in the table next
// to it.
import { useT } from "#app/i18n/context";
import { fmt } from "./score-parts";

export interface TrendPoint {
  label: string;
  s: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

const W = 320;
const H = 170;
/** The value axis' side (left, or right on right-to-left pages) is wider: it holds the numbers. */
const PAD = { axis: 34, far: 14, top: 12, bottom: 30 };

/** The value axis: from a round number below the lowest figure to 100. */
export function trendRange(points: readonly TrendPoint[]): [number, number] {
  const lows = points.flatMap((p) => [p.ciLow, p.s]).filter((v): v is number => v !== null);
  if (lows.length === 0) return [0, 100];
  const low = Math.max(0, Math.floor((Math.min(...lows) - 5) / 10) * 10);
  return [Math.min(low, 90), 100];
}

export function PublicTrend({ id, title, points }: { id: string; title: string; points: readonly TrendPoint[] }) {
  const { lng, dir } = useT();
  const [lo, hi] = trendRange(points);
  const rtl = dir === "rtl";
  const left = rtl ? PAD.far : PAD.axis;
  const right = W - (rtl ? PAD.axis : PAD.far);
  const plotW = right - left;
  const plotH = H - PAD.top - PAD.bottom;
  const step = points.length > 1 ? plotW / (points.length - 1) : 0;
  const x = (i: number) => {
    const pos = points.length > 1 ? i * step : plotW / 2;
    return left + (rtl ? plotW - pos : pos);
  };
  const y = (v: number) => PAD.top + plotH - ((v - lo) / (hi - lo)) * plotH;
  const ticks = [lo, (lo + hi) / 2, hi];
  // The outermost labels end at the plot's edges, so they are not cut off.
  const labelAnchor = (at: number) => (points.length < 2 ? "middle" : at <= left + 1 ? "start" : at >= right - 1 ? "end" : "middle");
  const line = points
    .map((p, i) => (p.s === null ? null : `${x(i).toFixed(1)},${y(p.s).toFixed(1)}`))
    .filter((v): v is string => v !== null)
    .join(" ");
  return (
    <figure className="public-trend" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title`} preserveAspectRatio="xMidYMid meet">
        {ticks.map((v) => (
          <g key={v}>
            <line x1={left} x2={right} y1={y(v)} y2={y(v)} stroke="#d0d0d0" strokeDasharray="3 3" />
            <text x={rtl ? right + 4 : left - 4} y={y(v) + 4} fontSize="10" textAnchor={rtl ? "start" : "end"} fill="#1a1a1a" direction="ltr">
              {fmt(v, lng, 0)}
            </text>
          </g>
        ))}
        {points.map((p, i) =>
          p.ciLow !== null && p.ciHigh !== null ? (
            <line key={`ci-${i}`} x1={x(i)} x2={x(i)} y1={y(p.ciLow)} y2={y(p.ciHigh)} stroke="#b45309" strokeWidth="2" />
          ) : null,
        )}
        {line ? <polyline points={line} fill="none" stroke="#0b5394" strokeWidth="2" /> : null}
        {points.map((p, i) => (
          <g key={`p-${i}`}>
            {p.s !== null ? <circle cx={x(i)} cy={y(p.s)} r="4" fill="#0b5394" /> : null}
            <text x={x(i)} y={H - 10} fontSize="10" textAnchor={labelAnchor(x(i))} fill="#1a1a1a" direction="ltr">
              {p.label}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}
