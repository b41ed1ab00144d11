// /robots.txt: what crawlers may read. Public pages yes; never the staff pages, the tracking pages
// (their links carry a citizen's signed token) or the rating pages (a rating is not for crawlers);
// the sitemap named with the platform's public address (issue 14).
import type { Route } from "./+types/robots";
import { getEnv } from "#app/lib/env.server";

export function loader({ request }: Route.LoaderArgs) {
  const origin = getEnv().PUBLIC_ORIGIN ?? new URL(request.url).origin;
  const body = ["User-agent: *", "Disallow: /s/", "Disallow: /api/", "Disallow: /staff", "Disallow: /track", "Disallow: /complaints/", "Disallow: /notify/", "", `Sitemap: ${origin}/sitemap.xml`, ""].join("\n");
  return new Response(body, {
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff" },
  });
}
