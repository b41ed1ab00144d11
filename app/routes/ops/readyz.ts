import { readiness } from "#app/services/operations.server";

// GET /readyz, for load balancers and orchestrators: 200 {ok:true} only when the database can be
// written and every migration of this version is applied; otherwise 503 with the problems in
// words (no paths, no stack). /healthz stays the cheap "the process answers" check.
export async function loader() {
  // From the first SIGTERM (server/shutdown.ts) the server drains: send new work elsewhere.
  const stopping = (globalThis as { __civicShuttingDown?: boolean }).__civicShuttingDown === true;
  const problems = stopping ? ["shutting down"] : await readiness();
  const headers = { "Cache-Control": "no-store" };
  if (problems.length) return Response.json({ ok: false, problems }, { status: 503, headers });
  return Response.json({ ok: true }, { headers });
}
