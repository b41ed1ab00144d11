// /sitemap.xml: the public pages, for search engines: home, the method, the results of each
// published period and the pages of units with published figures. Read through the same service
// as the pages, so a period not published (or withdrawn) is not listed (docs/decisions/0020).
import type { Route } from "./+types/sitemap";
import { getEnv } from "#app/lib/env.server";
import { publicPaths } from "#app/services/public-results.server";

const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");

export async function loader({ request }: Route.LoaderArgs) {
  const origin = getEnv().PUBLIC_ORIGIN ?? new URL(request.url).origin;
  const paths = await publicPaths();
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...paths.map((p) => `  <url><loc>${escapeXml(origin + p)}</loc></url>`),
    "</urlset>",
    "",
  ].join("\n");
  return new Response(body, {
    headers: {
      "Content-Type": "application/xml; charset=utf-8",
      "Cache-Control": "public, max-age=300",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
