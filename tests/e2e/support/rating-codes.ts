// Rating codes written straight into a worker's database for the tests that need one without
// going through the issuing pages: the code is made here and only its keyed hash is stored, as
// app/models/rating-code.server.ts does.
import { randomInt } from "node:crypto";
import type { TestDb } from "./db";
import { generateRatingCode, normalizeRatingCode } from "../../../app/domain/rating-codes";
import { keyedHash } from "../../../app/lib/signing.server";
import { TEST_SECRET } from "./paths";

const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");

export const ratingCodeHash = (code: string) => keyedHash("rating-code", normalizeRatingCode(code), TEST_SECRET);

/** A batch of `size` codes of a unit for a survey; returns its id and the codes (shown once, as issued). */
export function addRatingCodeBatch(
  db: TestDb,
  opts: { unit: string; survey?: string; size?: number; expiresAt?: Date; revoked?: boolean },
): { batchId: number; codes: string[] } {
  const now = new Date();
  const { surveyId } = db.prepare(`SELECT id AS surveyId FROM Survey WHERE slug = ?`).get(opts.survey ?? "satisfaction-2026") as { surveyId: number };
  const { unitId } = db.prepare(`SELECT id AS unitId FROM Unit WHERE code = ?`).get(opts.unit) as { unitId: number };
  const expiresAt = opts.expiresAt ?? new Date(now.getTime() + 86_400_000);
  const batchId = Number(
    db
      .prepare(`INSERT INTO RatingCodeBatch (surveyId, unitId, kind, label, size, expiresAt, createdAt, revokedAt, revokeReason) VALUES (?, ?, 'sheet', 'test', ?, ?, ?, ?, ?) RETURNING id`)
      .run(surveyId, unitId, opts.size ?? 1, iso(expiresAt), iso(now), opts.revoked ? iso(now) : null, opts.revoked ? "test" : null).lastInsertRowid,
  );
  const codes = Array.from({ length: opts.size ?? 1 }, () => generateRatingCode(randomInt));
  for (const code of codes) db.prepare(`INSERT INTO RatingCode (batchId, codeHash) VALUES (?, ?)`).run(batchId, ratingCodeHash(code));
  return { batchId, codes };
}
