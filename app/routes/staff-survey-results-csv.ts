import type { Route } from "./+types/staff-survey-results-csv";
import { recordAudit } from "#app/models/audit.server";
import { getPeriod } from "#app/models/period.server";
import { responsesCsvStream } from "#app/services/response-export.server";
import { requireResultsScope } from "#app/services/survey-results.server";

// One survey's anonymised responses as CSV (the period export's columns), for the office or for
// a unit's own staff (their units only). Streamed; audited.
export async function loader({ request, params }: Route.LoaderArgs) {
  const scope = await requireResultsScope(request, params.slug);
  const period = (await getPeriod(scope.survey.periodId))!;
  await recordAudit({ actorId: scope.user.id, action: "responses.export", targetType: "survey", targetId: scope.survey.slug, data: { unit: scope.unit?.code ?? null } });
  const name = `responses-${scope.survey.slug}${scope.unit ? `-${scope.unit.code}` : ""}.csv`;
  return new Response(responsesCsvStream(period, period.params, { surveyId: scope.survey.id, unitIds: scope.unitIds, detail: scope.detail }), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
    },
  });
}
