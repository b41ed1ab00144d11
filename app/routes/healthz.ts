import { getDb } from "#app/lib/db.server";

// For load balancers and operators: the process answers and the database can be read.
export async function loader() {
  const db = await getDb();
  await db.$queryRawUnsafe("SELECT 1");
  return Response.json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
}
