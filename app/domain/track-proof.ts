// The photos of a tracked complaint are separate requests (<img>), which carry no reference and
// access code. Opening the complaint on /track with both therefore leaves a signed proof in the
// browser, scoped to that one reference's photo addresses (complaint-cookies.server.ts), good for
// half an hour: the photos load like the rest of the page, and nobody without the code gets them.
import { REFERENCE_PATTERN } from "./complaint-form";

export const TRACK_PROOF_SECONDS = 30 * 60;

export interface TrackProof {
  ref: string;
  /** When the code was checked, in milliseconds since the epoch. */
  at: number;
}

export function trackProof(reference: string, now: number): TrackProof {
  return { ref: reference, at: now };
}

/** Whether a (verified, decoded) cookie value proves that its bearer opened this reference lately. */
export function provesReference(value: unknown, reference: string, now: number): boolean {
  if (!value || typeof value !== "object") return false;
  const { ref, at } = value as Partial<TrackProof>;
  if (typeof ref !== "string" || typeof at !== "number" || !REFERENCE_PATTERN.test(reference)) return false;
  return ref === reference && at <= now && now - at < TRACK_PROOF_SECONDS * 1000;
}

/** Where the photos of a tracked complaint are served: the proof cookie is sent only under this path. */
export function trackPhotosPath(reference: string): string {
  return `/track/${reference}/photos`;
}
