import { data } from "react-router";
import type { Route } from "./+types/staff-period-responses-csv";
import { requireOffice } from "#app/lib/staff-session.server";
import { recordAudit } from "#app/models/audit.server";
import { getPeriod } from "#app/models/period.server";
import { responsesCsvStream } from "#app/services/response-export.server";

// The office's download of a period's anonymised raw responses (streamed; audited).
export async function loader({ request, params }: Route.LoaderArgs) {
  const { user } = await requireOffice(request);
  const period = await getPeriod(params.code);
  if (!period) throw data({ reason: "notFound" }, { status: 404 });
  await recordAudit({ actorId: user.id, action: "responses.export", targetType: "period", targetId: period.id });
  return new Response(responsesCsvStream(period, period.params), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="responses-${period.code}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
