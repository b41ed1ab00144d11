import { data } from "react-router";
import type { Route } from "./+types/staff-survey-export";
import { requireOffice } from "#app/lib/staff-session.server";
import { exportDefinition, getAuthoringSurvey } from "#app/services/survey-authoring.server";

// The survey's definition as a JSON file, to move a survey tested on a staging install to
// production (import it on /staff/surveys). ?draft=1 exports the editor's draft instead.
export async function loader({ request, params }: Route.LoaderArgs) {
  await requireOffice(request);
  const survey = await getAuthoringSurvey(params.slug);
  if (!survey) throw data({ reason: "not_found" }, { status: 404 });
  const draft = new URL(request.url).searchParams.has("draft");
  if (!draft && !survey.published) throw data({ reason: "not_found" }, { status: 404 });
  const body = JSON.stringify(exportDefinition(survey, draft ? "draft" : "published"), null, 2);
  const name = `${survey.slug}${draft ? "-draft" : `-v${survey.currentVersion}`}.json`;
  return new Response(body + "\n", {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
    },
  });
}
