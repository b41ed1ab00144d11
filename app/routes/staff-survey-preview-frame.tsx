import { data } from "react-router";
import type { Route } from "./+types/staff-survey-preview-frame";
import type { PageHandle } from "#app/components/PageFrame";
import { StatusPage } from "#app/components/StatusPage";
import { SurveyForm } from "#app/components/SurveyForm";
import { parseAnswers, readSubmittedValues } from "#app/domain/survey-form";
import { useT } from "#app/i18n/context";
import { getLocale } from "#app/i18n/i18next.server";
import { readForm } from "#app/lib/http.server";
import { requireOffice } from "#app/lib/staff-session.server";
import { localizeSurvey } from "#app/services/citizen-survey.server";
import { getAuthoringSurvey, previewSurvey } from "#app/services/survey-authoring.server";

// The citizen's survey as the preview shows it: the same footer and description.
export const handle: PageHandle = { page: "survey" };

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

async function load(request: Request, slug: string) {
  await requireOffice(request);
  const survey = await getAuthoringSurvey(slug);
  if (!survey) throw data({ reason: "not_found" }, { status: 404 });
  return previewSurvey(survey.draft);
}

// Inside the preview's phone frame: the citizen's survey page, drawn from the draft, in the
// language of ?lng= (which, with ?preview=1, is not remembered for the office's own pages).
// Sending the form checks the answers like the real page, and stores nothing.
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const survey = localizeSurvey(await load(request, params.slug), getLocale(context));
  return { title: survey.title, survey };
}

export async function action({ request, params }: Route.ActionArgs) {
  const preview = await load(request, params.slug);
  const form = await readForm(request);
  const questions = preview.version.questions;
  const parsed = parseAnswers(readSubmittedValues(form, questions), questions);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values, accepted: null }, { status: 400 });
  return { errors: null, values: null, accepted: Object.keys(parsed.answers) };
}

export default function PreviewFrame({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  return (
    <>
      {actionData?.accepted ? (
        <p role="status" className="panel success">
          {t("surveys.preview.accepted", { count: actionData.accepted.length })}
        </p>
      ) : null}
      <SurveyForm
        survey={loaderData.survey}
        unitName={t("surveys.preview.unitName")}
        visit={null}
        started=""
        serverErrors={actionData?.errors ?? null}
        serverValues={actionData?.values ?? null}
      />
    </>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
