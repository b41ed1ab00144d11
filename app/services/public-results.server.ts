// What the public pages show (ADR 0020): only periods the office published, and of each only the
// snapshot its publication names, never the live figures nor a later recompute it did not publish.
// Every public page (results, a unit's page, the sitemap) reads through here, so nothing
// unpublished has another way out.
import { round2 } from "#app/domain/scoring";
import { listPeriods, type PeriodRecord } from "#app/models/period.server";
import { activePublications, type Publication } from "#app/models/publication.server";
import { listUnits } from "#app/models/unit.server";
import { sortForPublication } from "./score-export.server";
import { snapshotFigures } from "./snapshots.server";

export interface PublishedPeriod {
  period: PeriodRecord;
  publication: Publication;
}

/** A unit's published figures: the public subset of the published row. */
export interface PublicRow {
  unitId: number;
  unitCode: string;
  names: Record<string, string>;
  kind: string;
  n: number;
  s: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** Complaint timeliness T (%), and the cases it is of (replied on time + late). */
  t: number | null;
  timed: number;
  q: number | null;
  rank: number | null;
  insufficientSample: boolean;
}

const r2 = (x: number | null) => (x === null ? null : round2(x));

/** Published periods, the latest period first (by its start). */
export async function publishedPeriods(): Promise<PublishedPeriod[]> {
  const [periods, publications] = await Promise.all([listPeriods(), activePublications()]);
  return periods.flatMap((period) => {
    const publication = publications.get(period.id);
    // A publication names a closed period's snapshot; a period not closed is never shown.
    return publication && period.status === "closed" ? [{ period, publication }] : [];
  });
}

export interface PublishedFigures {
  methodVersion: string;
  minSample: number;
  confidence: number;
  rows: PublicRow[];
}

/** The figures of the snapshot a publication names, in the order of the evaluation (kind, rank, code). */
export async function publishedFigures(publication: Publication): Promise<PublishedFigures | null> {
  const figures = await snapshotFigures(publication.snapshotId);
  if (!figures || figures.snapshot.periodId !== publication.periodId) return null;
  const rows = figures.units.map((u): PublicRow => ({
    unitId: u.unitId,
    unitCode: u.code,
    names: u.names,
    kind: u.kind,
    n: u.n,
    s: r2(u.s),
    ciLow: r2(u.ciLow),
    ciHigh: r2(u.ciHigh),
    t: r2(u.t),
    timed: u.onTime + u.late,
    q: r2(u.q),
    rank: u.rank,
    insufficientSample: u.flags.includes("insufficient_sample"),
  }));
  return { methodVersion: figures.methodVersion, minSample: figures.params.minSample, confidence: figures.params.confidence, rows: sortForPublication(rows) };
}

/** A unit's published figures in every published period, oldest first (its trend). */
export async function unitHistory(
  unitId: number,
): Promise<{ period: PeriodRecord; publication: Publication; methodVersion: string; confidence: number; minSample: number; row: PublicRow }[]> {
  const published = await publishedPeriods();
  const history = [];
  for (const p of [...published].reverse()) {
    const figures = await publishedFigures(p.publication);
    const row = figures?.rows.find((r) => r.unitId === unitId);
    if (figures && row) history.push({ ...p, methodVersion: figures.methodVersion, confidence: figures.confidence, minSample: figures.minSample, row });
  }
  return history;
}

/** The public pages for the sitemap: home, the method, results per published period, units with published figures. */
export async function publicPaths(): Promise<string[]> {
  const published = await publishedPeriods();
  const unitIds = new Set<number>();
  for (const p of published) for (const r of (await publishedFigures(p.publication))?.rows ?? []) unitIds.add(r.unitId);
  const units = (await listUnits()).filter((u) => unitIds.has(u.id));
  return [
    "/",
    "/method",
    ...(published.length > 0 ? ["/results"] : []),
    ...published.map((p) => `/results?period=${encodeURIComponent(p.period.code)}`),
    ...units.map((u) => `/units/${encodeURIComponent(u.code)}`),
  ];
}
