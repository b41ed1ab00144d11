// The published form of a period's figures, one shape for the API's JSON, its CSV and the office's
// download: numbers rounded as the method publishes them (docs/scoring.md), the snapshot named.
import { stringify } from "csv-stringify/sync";
import { type ChannelFigures, channels, round2 } from "#app/domain/scoring";
import type { PeriodRecord } from "#app/models/period.server";
import type { PeriodFigures, ScoredUnit } from "./scores.server";

const r2 = (x: number | null) => (x === null ? null : round2(x));

/**
 * n and S per channel, every channel named (n 0, S null when none came by it); null for figures
 * frozen before channels were kept apart (method 2026.1), which must not read as "no responses".
 */
function byChannel(figures: ChannelFigures | undefined) {
  if (!figures) return null;
  return Object.fromEntries(channels.map((ch) => [ch, { n: figures?.[ch]?.n ?? 0, s: r2(figures?.[ch]?.s ?? null) }])) as Record<
    (typeof channels)[number],
    { n: number; s: number | null }
  >;
}

export function publishedRow(u: ScoredUnit, snapshotId: number | null) {
  return {
    unitCode: u.code,
    names: u.names,
    kind: u.kind,
    n: u.n,
    s: r2(u.s),
    sCiLow: r2(u.ciLow),
    sCiHigh: r2(u.ciHigh),
    c: r2(u.c),
    t: r2(u.t),
    h: r2(u.h),
    q: r2(u.q),
    points: r2(u.points),
    rank: u.rank,
    flags: u.flags,
    complaints: { due: u.due, onTime: u.onTime, late: u.late, pending: u.pending, ratings: u.ratings, assumedRatings: u.assumedRatings, excludedRatings: u.excludedRatings },
    exclusions: u.exclusions,
    byChannel: byChannel(u.byChannel),
    snapshotId,
  };
}
export type PublishedRow = ReturnType<typeof publishedRow>;

/** Rows in the order the evaluation uses: by kind, then rank, then code. */
export function sortForPublication<T extends { kind: string; rank: number | null; unitCode: string }>(rows: T[]): T[] {
  const kindOrder = (k: string) => (k === "county" ? 0 : k === "department" ? 1 : 2);
  return [...rows].sort(
    (a, b) => kindOrder(a.kind) - kindOrder(b.kind) || (a.rank ?? 1e9) - (b.rank ?? 1e9) || a.unitCode.localeCompare(b.unitCode),
  );
}

/** CSV with a UTF-8 byte order mark, so spreadsheet programs read Chinese and Uyghur names. */
export function scoresCsv(rows: readonly PublishedRow[], languageCodes: readonly string[]): string {
  const header = [
    "unit_code",
    ...languageCodes.map((l) => `name_${l}`),
    "kind",
    "n",
    "s",
    "s_ci_low",
    "s_ci_high",
    "c",
    "t",
    "h",
    // H's ratings by reason: given by citizens, assumed "satisfied" (ADR 0018), excluded by the office.
    "ratings",
    "assumed_ratings",
    "excluded_ratings",
    "q",
    "points",
    "rank",
    "flags",
    ...channels.flatMap((ch) => [`n_${ch}`, `s_${ch}`]),
    "snapshot_id",
  ];
  const body = rows.map((r) => [
    r.unitCode,
    ...languageCodes.map((l) => r.names[l] ?? ""),
    r.kind,
    r.n,
    r.s,
    r.sCiLow,
    r.sCiHigh,
    r.c,
    r.t,
    r.h,
    r.complaints.ratings,
    r.complaints.assumedRatings,
    r.complaints.excludedRatings,
    r.q,
    r.points,
    r.rank,
    r.flags.join(" "),
    ...channels.flatMap((ch): (string | number | null)[] => (r.byChannel ? [r.byChannel[ch].n, r.byChannel[ch].s] : ["", ""])),
    r.snapshotId ?? "live",
  ]);
  return "\uFEFF" + stringify([header, ...body], { cast: { number: (v) => String(v) } });
}

export function csvResponse(body: string, filename: string): Response {
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      // Evaluation figures for the office and the evaluation system only: never kept by a cache.
      "Cache-Control": "no-store",
      "Content-Disposition": `attachment; filename="${filename}"`,
    },
  });
}

/** A period's figures as the published rows, with the snapshot they come from (null: live). */
export function publishedRows(figures: PeriodFigures & { snapshot: { id: number } | null }) {
  const snapshotId = figures.snapshot?.id ?? null;
  return { snapshotId, rows: sortForPublication(figures.units.map((u) => publishedRow(u, snapshotId))) };
}

/** The scores CSV download (the API's `?format=csv` and the office's button alike). */
export function scoresCsvDownload(period: PeriodRecord, figures: PeriodFigures & { snapshot: { id: number } | null }, languageCodes: readonly string[]): Response {
  const { snapshotId, rows } = publishedRows(figures);
  return csvResponse(scoresCsv(rows, languageCodes), `scores-${period.code}-${snapshotId ?? "live"}.csv`);
}
