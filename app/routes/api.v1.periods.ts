import type { Route } from "./+types/api.v1.periods";
import { withApiToken } from "#app/lib/api.server";
import { listPeriods } from "#app/models/period.server";
import { listSnapshots } from "#app/services/snapshots.server";

// GET /api/v1/periods: the evaluation periods, with the snapshot a closed one is served from.
export async function loader({ request }: Route.LoaderArgs) {
  return withApiToken(request, async () => {
    const periods = await listPeriods();
    return Response.json({
      periods: await Promise.all(
        periods.map(async (p) => {
          const [latest] = p.status === "closed" ? await listSnapshots(p.id) : [];
          return {
            id: p.id,
            code: p.code,
            names: p.names,
            startsOn: p.startsOn.toISOString(),
            endsOn: p.endsOn.toISOString(),
            status: p.status,
            snapshotId: latest?.id ?? null,
            scores: `/api/v1/periods/${p.id}/scores`,
          };
        }),
      ),
    });
  });
}
