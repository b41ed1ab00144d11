import { data } from "react-router";
import type { Route } from "./+types/metrics";
import { getEnv } from "#app/lib/env.server";
import { clientAddress } from "#app/lib/http.server";
import { metricsAccess } from "#app/lib/metrics-access.server";
import { METRICS_CONTENT_TYPE } from "#app/lib/metrics.server";
import { scrapeMetrics } from "#app/services/operations.server";

// GET /metrics: the process's figures in Prometheus text format, for the operator's scraper
// (docs/operations.md, "Monitoring"). Off (the same 404 as any unknown address) unless
// METRICS_TOKEN is set; then only with that bearer token or from an address in METRICS_ALLOW.
export async function loader({ request }: Route.LoaderArgs) {
  const env = getEnv();
  const access = metricsAccess({
    token: env.METRICS_TOKEN,
    allow: env.METRICS_ALLOW,
    authorization: request.headers.get("authorization"),
    address: clientAddress(request),
  });
  if (access === "off") throw data({ reason: "unknown_page" }, { status: 404 });
  const headers = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };
  if (access === "unauthorized") {
    return new Response("401 Unauthorized: send Authorization: Bearer <METRICS_TOKEN>\n", {
      status: 401,
      headers: { ...headers, "Content-Type": "text/plain; charset=utf-8", "WWW-Authenticate": 'Bearer realm="metrics"' },
    });
  }
  if (access === "forbidden") {
    return new Response("403 Forbidden\n", { status: 403, headers: { ...headers, "Content-Type": "text/plain; charset=utf-8" } });
  }
  return new Response(await scrapeMetrics(), { headers: { ...headers, "Content-Type": METRICS_CONTENT_TYPE } });
}
