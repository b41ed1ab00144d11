import { describe, expect, it } from "vitest";
import { provesReference, TRACK_PROOF_SECONDS, trackPhotosPath, trackProof } from "#app/domain/track-proof";

describe("the proof that lets a browser load the photos of the complaint it opened", () => {
  const now = Date.parse("2026-11-27T09:00:00Z");
  const proof = trackProof("TS-2026-000123", now);

  it("holds for that reference for half an hour", () => {
    expect(provesReference(proof, "TS-2026-000123", now)).toBe(true);
    expect(provesReference(proof, "TS-2026-000123", now + TRACK_PROOF_SECONDS * 1000 - 1)).toBe(true);
    expect(provesReference(proof, "TS-2026-000123", now + TRACK_PROOF_SECONDS * 1000)).toBe(false);
  });
  it("proves nothing for another reference, from the future, or when malformed", () => {
    expect(provesReference(proof, "TS-2026-000124", now)).toBe(false);
    expect(provesReference(proof, "TS-2026-000123", now - 1000)).toBe(false);
    expect(provesReference(null, "TS-2026-000123", now)).toBe(false);
    expect(provesReference("TS-2026-000123", "TS-2026-000123", now)).toBe(false);
    expect(provesReference({ ref: "TS-2026-000123", at: String(now) }, "TS-2026-000123", now)).toBe(false);
    expect(provesReference({ ref: "../x", at: now }, "../x", now)).toBe(false);
  });
  it("is sent only with that complaint's photo requests", () => {
    expect(trackPhotosPath("TS-2026-000123")).toBe("/track/TS-2026-000123/photos");
  });
});
