// The complaints filed with one contact, opened by the link "I lost my code" sends to that contact
// (issue 13; docs/decisions/0016 "Citizens' links"): newest first, at most ten, each with its own
// signed link that lasts no longer than this one. Only complaints that carry the contact now.
import { data } from "react-router";
import type { Route } from "./+types/track-mine";
import type { PageHandle } from "#app/components/PageFrame";
import { LinkRefused } from "#app/components/LinkRefused";
import { StatusPage } from "#app/components/StatusPage";
import { useT } from "#app/i18n/context";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { LINK_REFUSAL_STATUS, openCaseList } from "#app/services/citizen-case.server";

export const handle: PageHandle = { page: "track" };

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

export function headers({ actionHeaders, loaderHeaders }: Route.HeadersArgs) {
  const headers = new Headers(actionHeaders.has("Set-Cookie") ? actionHeaders : loaderHeaders);
  headers.set("Cache-Control", "no-store");
  return headers;
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const t = getT(context);
  const result = await openCaseList(new URL(request.url).searchParams.get("t"), getLocale(context), new Date());
  if ("refused" in result) {
    return data({ title: t(`caseLinks.refused.${result.refused}.title`), refused: result.refused, complaints: null }, { status: LINK_REFUSAL_STATUS[result.refused] });
  }
  return { title: t("caseLinks.mine.title"), refused: null, complaints: result.complaints };
}

export default function TrackMine({ loaderData }: Route.ComponentProps) {
  const { t } = useT();
  if (!loaderData.complaints) return <LinkRefused reason={loaderData.refused!} />;
  const list = loaderData.complaints;
  return (
    <article className="survey">
      <h1>{t("caseLinks.mine.title")}</h1>
      <p className="intro">{list.length ? t("caseLinks.mine.lead") : t("caseLinks.mine.none")}</p>
      {list.length ? <p className="hint">{t("caseLinks.mine.forgetHint")}</p> : null}
      {list.length ? (
        <ul className="case-links" aria-label={t("caseLinks.mine.title")}>
          {list.map((c) => (
            <li key={c.reference} className="panel">
              <a href={c.href}>
                {t("track.caseTitle")} <span dir="ltr">{c.reference}</span>
              </a>
              <dl className="credentials">
                <dt>{t("complaint.field.unit")}</dt>
                <dd>{c.unitName}</dd>
                <dt>{t("complaint.field.type")}</dt>
                <dd>{t(`complaint.type.${c.type}`)}</dd>
                <dt>{t("track.status")}</dt>
                <dd>{t(`complaint.status.${c.status}`)}</dd>
                <dt>{t("caseLinks.mine.filed")}</dt>
                <dd>{c.submittedAt}</dd>
              </dl>
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <a href="/track">{t("track.title")}</a>
      </p>
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
