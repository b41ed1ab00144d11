import { data } from "react-router";
import type { Route } from "./+types/staff-survey-qr";
import { parseQrFile } from "#app/domain/distribution";
import { requireOffice } from "#app/lib/staff-session.server";
import { originOf, qrDownload, requireDistributedUnit, requireSurvey } from "#app/services/distribution.server";

// A unit's QR code as a download: /staff/surveys/:slug/qr/<CODE>.svg or .png.
export async function loader({ request, params }: Route.LoaderArgs) {
  await requireOffice(request);
  const survey = await requireSurvey(params.slug);
  const file = parseQrFile(params.file);
  if (!file) throw data({ reason: "unknown_page" }, { status: 404 });
  const unit = await requireDistributedUnit(survey, file.unitCode);
  return qrDownload(originOf(request), survey, unit, file.format);
}
