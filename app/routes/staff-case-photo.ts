import { data } from "react-router";
import type { Route } from "./+types/staff-case-photo";
import { parseId } from "#app/domain/ids";
import { getDb } from "#app/lib/db.server";
import { photoResponse } from "#app/lib/photos.server";
import { requireStaff } from "#app/lib/staff-session.server";
import { loadCaseFor } from "#app/services/case-actions.server";

// A complaint photo, only for staff who may see the case (else 404, like a missing photo), with
// its real type, as an attachment-safe inline image, never cached by shared caches.
export async function loader({ request, params }: Route.LoaderArgs) {
  const { actor } = await requireStaff(request);
  const { c } = await loadCaseFor(actor, params.reference);
  const db = await getDb();
  const photoId = parseId(params.photoId);
  const photo = photoId === null ? null : await db.complaintPhoto.findFirst({ where: { id: photoId, complaintId: c.id } });
  if (!photo) throw data({ reason: "unknown_page" }, { status: 404 });
  return photoResponse(photo, c.reference);
}
