// /method: the published scoring method in the page's language (docs/method/<language>.md, a
// short public version of docs/scoring.md), with the version the platform computes with now.
// Each published period names the version it was computed with on its results page.
import type { Route } from "./+types/method";
import { Markdown } from "#app/components/Markdown";
import type { PageHandle } from "#app/components/PageFrame";
import { publicCacheHeaders } from "#app/components/public-results";
import { StatusPage } from "#app/components/StatusPage";
import { inlineText } from "#app/domain/markdown";
import { useT } from "#app/i18n/context";
import { getLocale } from "#app/i18n/i18next.server";
import { defaultLanguage, directionOf } from "#app/i18n/languages";
import { pageCacheKey } from "#app/lib/page-cache.server";
import { methodDocument } from "#app/services/method-doc.server";

export const handle: PageHandle = { page: "results", noScripts: true };

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

export function headers({ parentHeaders }: Route.HeadersArgs) {
  return publicCacheHeaders(parentHeaders);
}

export async function loader({ context }: Route.LoaderArgs) {
  const lng = getLocale(context);
  const doc = methodDocument(lng, defaultLanguage);
  const first = doc.blocks[0];
  const title = first?.type === "heading" ? inlineText(first.children) : "";
  return {
    title,
    lng: doc.lng,
    dir: directionOf(doc.lng),
    version: doc.version,
    blocks: doc.blocks,
    pageCache: {
      key: pageCacheKey("method", { lng, doc: doc.lng, v: doc.version }),
      perRequest: {},
    },
  };
}

export default function MethodPage({ loaderData }: Route.ComponentProps) {
  const { t } = useT();
  return (
    <article className="panel method-text" lang={loaderData.lng} dir={loaderData.dir}>
      <Markdown blocks={loaderData.blocks} />
      <p className="method-line" id="method-version">
        {t("results.methodVersion", { version: loaderData.version })}
      </p>
      <p>
        <a href="/results">{t("results.title")}</a>
      </p>
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
