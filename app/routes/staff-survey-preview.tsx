import { data, Link } from "react-router";
import type { Route } from "./+types/staff-survey-preview";
import { StatusPage } from "#app/components/StatusPage";
import { SurveyTabs } from "#app/components/SurveyTabs";
import { pickText } from "#app/domain/localized";
import { useT } from "#app/i18n/context";
import { getLocale } from "#app/i18n/i18next.server";
import { defaultLanguage, isLanguage, languages } from "#app/i18n/languages";
import { requireOffice } from "#app/lib/staff-session.server";
import { getAuthoringSurvey } from "#app/services/survey-authoring.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

// The editor's draft as a citizen would see it on a phone, in each language: the frame loads the
// citizen page's own component (routes/staff-survey-preview-frame.tsx) at a phone's size.
export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireOffice(request);
  const survey = await getAuthoringSurvey(params.slug);
  if (!survey) throw data({ reason: "not_found" }, { status: 404 });
  const asked = new URL(request.url).searchParams.get("in");
  const lng = getLocale(context);
  return {
    title: pickText(survey.draft.titles, lng, defaultLanguage) || survey.slug,
    slug: survey.slug,
    language: isLanguage(asked) ? asked : lng,
  };
}

export default function SurveyPreview({ loaderData: d }: Route.ComponentProps) {
  const { t } = useT();
  const current = languages.find((l) => l.code === d.language)!;
  return (
    <article className="staff">
      <SurveyTabs slug={d.slug} title={d.title} />
      <h1>{t("surveys.preview.title")}</h1>
      <p className="hint">{t("surveys.preview.help")}</p>
      <nav aria-label={t("surveys.preview.languages")}>
        <ul className="tabs">
          {languages.map((l) => (
            <li key={l.code}>
              <Link to={`?in=${l.code}`} aria-current={l.code === d.language ? "page" : undefined} lang={l.code} dir={l.dir}>
                {l.name}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="phone-frame">
        <iframe
          key={d.language}
          src={`/staff/surveys/${d.slug}/preview/frame?lng=${d.language}&preview=1`}
          title={t("surveys.preview.frameTitle", { language: current.name })}
          width={390}
          height={780}
        />
      </div>
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
