import { useT } from "#app/i18n/context";
import type { Route } from "./+types/survey-thanks";
import type { PageHandle } from "#app/components/PageFrame";
import { StatusPage } from "#app/components/StatusPage";
import { pickText } from "#app/domain/localized";
import { getLocale } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { resolveSurveyContext } from "#app/services/citizen-survey.server";

export const handle: PageHandle = { page: "survey" };

export function meta({ data }: Route.MetaArgs) {
  // No timed redirect on kiosks: WCAG 2.2.1 forbids it; staff or the next citizen press "Next person".
  return data ? [{ title: data.title }] : [];
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const lng = getLocale(context);
  const ctx = await resolveSurveyContext(request, params.slug);
  const title = pickText(ctx.survey.titles, lng, defaultLanguage);
  if (ctx.step !== "answer") return { title, unitName: null, next: null };
  const next =
    ctx.channel === "kiosk"
      ? `/s/${ctx.survey.slug}?${new URLSearchParams({ unit: ctx.unit.code, kiosk: ctx.kioskToken ?? "" })}`
      : null;
  return { title, unitName: pickText(ctx.unit.names, lng, defaultLanguage), next };
}

export default function Thanks({ loaderData }: Route.ComponentProps) {
  const { t } = useT();
  return (
    <section className="panel thanks" aria-labelledby="thanks-title">
      <h1 id="thanks-title">{t("thanks.title")}</h1>
      <p>{loaderData.unitName ? t("thanks.bodyUnit", { unit: loaderData.unitName }) : t("thanks.body")}</p>
      {loaderData.next ? (
        <p>
          <a className="button primary" href={loaderData.next}>
            {t("thanks.nextCitizen")}
          </a>
        </p>
      ) : (
        <p>
          <a className="button" href="/">
            {t("nav.rateAnother")}
          </a>
        </p>
      )}
    </section>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
