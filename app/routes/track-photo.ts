import { data } from "react-router";
import type { Route } from "./+types/track-photo";
import { parseId } from "#app/domain/ids";
import { mayViewTrackedPhotos } from "#app/lib/complaint-cookies.server";
import { photoResponse } from "#app/lib/photos.server";
import { findComplaintPhoto } from "#app/models/complaint.server";

// A photo of the citizen's own complaint, for the browser that has just opened it on /track with
// its reference and access code (the proof cookie, app/domain/track-proof.ts). Without the proof,
// for another complaint's photo, or for no photo at all, the same 404: nothing tells which.
export async function loader({ request, params }: Route.LoaderArgs) {
  const photoId = parseId(params.photoId);
  if (photoId === null || !(await mayViewTrackedPhotos(request, params.reference))) {
    throw data({ reason: "unknown_page" }, { status: 404 });
  }
  const photo = await findComplaintPhoto(params.reference, photoId);
  if (!photo) throw data({ reason: "unknown_page" }, { status: 404 });
  return photoResponse(photo, params.reference);
}
