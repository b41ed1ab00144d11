import type { Route } from "./+types/api.v1.period-scores";
import { parseId } from "#app/domain/ids";
import { apiError, withApiToken } from "#app/lib/api.server";
import { languageCodes } from "#app/i18n/languages";
import { publishedRows, scoresCsvDownload } from "#app/services/score-export.server";
import { getPeriod } from "#app/models/period.server";
import { servedFigures, snapshotFigures } from "#app/services/snapshots.server";

// GET /api/v1/periods/:id/scores[?format=csv][&snapshot=ID]: every unit's satisfaction
// component. A closed period is served from its latest snapshot (or the one asked for); an open
// one live, with snapshot null.
export async function loader({ request, params }: Route.LoaderArgs) {
  return withApiToken(request, async () => {
    const url = new URL(request.url);
    const format = url.searchParams.get("format") ?? "json";
    if (format !== "json" && format !== "csv") return apiError("bad_request", 400);
    const period = await getPeriod(params.id);
    if (!period) return apiError("not_found", 404);
    const asked = url.searchParams.get("snapshot");
    let figures;
    if (asked) {
      const snapshotId = parseId(asked);
      const frozen = snapshotId === null ? null : await snapshotFigures(snapshotId);
      if (!frozen || frozen.snapshot.periodId !== period.id) return apiError("not_found", 404);
      figures = frozen;
    } else {
      figures = await servedFigures(period);
    }
    if (format === "csv") return scoresCsvDownload(period, figures, languageCodes);
    const { rows } = publishedRows(figures);
    return Response.json({
      period: { id: period.id, code: period.code, names: period.names, status: period.status },
      source: figures.snapshot ? "snapshot" : "live",
      snapshot: figures.snapshot
        ? { id: figures.snapshot.id, kind: figures.snapshot.kind, label: figures.snapshot.label, reason: figures.snapshot.reason, createdAt: figures.snapshot.createdAt.toISOString() }
        : null,
      methodVersion: figures.methodVersion,
      params: figures.params,
      exclusions: figures.exclusions,
      responses: figures.total,
      rows,
    });
  });
}
