import { listUnits } from "#app/models/unit.server";

// Public read API: the unit tree, for other systems and for printing QR codes.
export async function loader() {
  const units = await listUnits();
  return Response.json(
    {
      units: units.map((u) => ({
        code: u.code,
        kind: u.kind,
        parentCode: u.parentCode,
        names: u.names,
        active: u.active,
      })),
    },
    { headers: { "Cache-Control": "public, max-age=60" } },
  );
}
