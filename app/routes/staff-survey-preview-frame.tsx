import { data } from "react-router";
import type { Route } from "./+types/staff-survey-preview-frame";
import type { PageHandle } from "#app/components/PageFrame";
import { StatusPage } from "#app/components/StatusPage";
import { SurveyForm } from "#app/components/SurveyForm";
import type { SurveyStep } from "#app/domain/questions";
import { readSubmittedValues } from "#app/domain/survey-form";
import { hasDetailStep, parseStep, questionsOfStep } from "#app/domain/survey-steps";
import { useT } from "#app/i18n/context";
import { getLocale } from "#app/i18n/i18next.server";
import { readForm } from "#app/lib/http.server";
import { requireOffice } from "#app/lib/staff-session.server";
import { localizeSurvey } from "#app/services/citizen-survey.server";
import { getAuthoringSurvey, previewSurvey } from "#app/services/survey-authoring.server";

// The citizen's survey as the preview shows it: the same footer and description, and the same
// lean page (no framework runtime; the survey pages' own script).
export const handle: PageHandle = { page: "survey", lean: true };

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

async function load(request: Request, slug: string) {
  await requireOffice(request);
  const survey = await getAuthoringSurvey(slug);
  if (!survey) throw data({ reason: "not_found" }, { status: 404 });
  return previewSurvey(survey.draft);
}

const STEP_FIELD = "previewStep";

// Inside the preview's phone frame: the citizen's survey page, drawn from the draft, in the
// language of ?lng= (which, with ?preview=1, is not remembered for the office's own pages).
// Sending step 1 checks the answers like the real page and shows step 2 (which carries step 1's
// answers in hidden fields, for its display conditions); nothing is stored.
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const survey = localizeSurvey(await load(request, params.slug), getLocale(context));
  return { title: survey.title, survey };
}

export async function action({ request, params }: Route.ActionArgs) {
  const preview = await load(request, params.slug);
  const form = await readForm(request);
  const questions = preview.version.questions;
  const step: SurveyStep = form.get(STEP_FIELD) === "2" ? 2 : 1;
  const given = step === 2 ? readSubmittedValues(form, questionsOfStep(questions, 1)) : {};
  const parsed = parseStep(readSubmittedValues(form, questionsOfStep(questions, step)), questions, step, given);
  if (!parsed.ok) return data({ step, given, errors: parsed.errors, values: parsed.values, accepted: null }, { status: 400 });
  if (step === 1 && hasDetailStep(questions)) {
    return { step: 2 as SurveyStep, given: readSubmittedValues(form, questionsOfStep(questions, 1)), errors: null, values: null, accepted: Object.keys(parsed.answers) };
  }
  return { step, given, errors: null, values: null, accepted: Object.keys(parsed.answers) };
}

export default function PreviewFrame({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const survey = loaderData.survey;
  const step = actionData?.step ?? 1;
  const given = actionData?.given ?? {};
  const steps = survey.questions.some((q) => q.step === 2) ? 2 : 1;
  // Step 2 posts step 1's answers along (hidden), as the real page knows them from the stored response.
  const hidden: Record<string, string> = { [STEP_FIELD]: String(step) };
  const givenFields = step === 2 ? Object.entries(given).flatMap(([name, v]) => (Array.isArray(v) ? v : [v]).map((value) => [name, value] as const)) : [];
  return (
    <>
      {actionData?.accepted ? (
        <p role="status" className="panel success">
          {t("surveys.preview.accepted", { count: actionData.accepted.length })}
        </p>
      ) : null}
      <SurveyForm
        survey={survey}
        step={step}
        steps={steps}
        unitName={t("surveys.preview.unitName")}
        hidden={hidden}
        extraHidden={givenFields}
        given={given}
        draftKey={`preview|${survey.slug}|${step}`}
        outbox={false}
        serverErrors={actionData?.errors ?? null}
        serverValues={actionData?.values ?? null}
      />
    </>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
