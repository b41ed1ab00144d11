import { data } from "react-router";
import type { Route } from "./+types/staff-period-scores-csv";
import { languageCodes } from "#app/i18n/languages";
import { requireOffice } from "#app/lib/staff-session.server";
import { getPeriod } from "#app/models/period.server";
import { scoresCsvDownload } from "#app/services/score-export.server";
import { servedFigures } from "#app/services/snapshots.server";

// The office's download of the served scores: the same CSV the API gives.
export async function loader({ request, params }: Route.LoaderArgs) {
  await requireOffice(request);
  const period = await getPeriod(params.code);
  if (!period) throw data({ reason: "notFound" }, { status: 404 });
  return scoresCsvDownload(period, await servedFigures(period), languageCodes);
}
