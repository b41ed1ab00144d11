import { createCookie } from "react-router";
import { provesReference, TRACK_PROOF_SECONDS, trackPhotosPath, trackProof } from "#app/domain/track-proof";
import { getEnv } from "./env.server";

const env = getEnv();

/**
 * Carries a just-filed complaint's reference and secret code from the post to the confirmation
 * page (post/redirect/get), signed, for ten minutes, sent only under /complaints.
 */
export const filedCookie = createCookie("filed", {
  // Not "/complaints/filed": the client-side data request goes to /complaints/filed.data.
  path: "/complaints",
  httpOnly: true,
  sameSite: "lax",
  secure: env.NODE_ENV === "production" && env.INSECURE_COOKIES !== "1",
  maxAge: 600,
  secrets: [env.SESSION_SECRET],
});

/**
 * Proof that this browser opened one complaint on /track with its reference and code (see
 * app/domain/track-proof.ts): signed, sent only with requests for that complaint's photos.
 */
const trackedCookie = createCookie("tracked", {
  httpOnly: true,
  sameSite: "lax",
  secure: env.NODE_ENV === "production" && env.INSECURE_COOKIES !== "1",
  maxAge: TRACK_PROOF_SECONDS,
  secrets: [env.SESSION_SECRET],
});

/** The Set-Cookie value that lets this browser load the complaint's photos for a while. */
export function grantTrackedPhotos(reference: string, now = Date.now()): Promise<string> {
  return trackedCookie.serialize(trackProof(reference, now), { path: trackPhotosPath(reference) });
}

/** Whether the request carries a valid proof for this reference. */
export async function mayViewTrackedPhotos(request: Request, reference: string, now = Date.now()): Promise<boolean> {
  const value: unknown = await trackedCookie.parse(request.headers.get("Cookie")).catch(() => null);
  return provesReference(value, reference, now);
}
