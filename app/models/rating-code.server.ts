// Single-use rating codes (一次一评) and their batches. A code is shown or printed once, when it is
// issued; only a keyed hash of it is stored, so neither the database nor a backup can print it
// again. The check and the use run inside the submission's own write transaction
// (app/models/response.server.ts).
import { randomInt } from "node:crypto";
import {
  type BatchKind,
  generateRatingCode,
  judgeRatingCode,
  normalizeRatingCode,
  type RatingCodeCheck,
} from "#app/domain/rating-codes";
import { db, dbDateTime, getDb, RetryableConflict, type Sql } from "#app/lib/db.server";
import { keyedHash } from "#app/lib/signing.server";
import { writeAudit } from "./audit.server";

/** The stored form of a code as typed, scanned or printed (case, spaces and dashes do not matter). */
export function hashRatingCode(code: string): string {
  return keyedHash("rating-code", normalizeRatingCode(code));
}

const CHECK = `SELECT c.id, c.usedAt, b.surveyId, b.unitId, b.expiresAt, b.revokedAt
  FROM RatingCode c JOIN RatingCodeBatch b ON b.id = c.batchId
  WHERE c.codeHash = ?`;
const USE = `UPDATE RatingCode SET usedAt = ?, responseId = ? WHERE id = ? AND usedAt IS NULL`;

type CheckRow = { id: number; usedAt: string | null; surveyId: number; unitId: number; expiresAt: string; revokedAt: string | null };

/**
 * Whether the code of this hash may verify a response to this survey for this unit at `now`.
 * The submission calls it inside its write transaction, right before useRatingCode; the citizen's
 * page calls it on `db().read` to show the form or the refusal.
 */
export async function checkRatingCode(sql: Sql, codeHash: string, surveyId: number, unitId: number, now: Date): Promise<RatingCodeCheck> {
  const row = await sql.get<CheckRow>(CHECK, codeHash);
  return judgeRatingCode(
    row
      ? {
          id: row.id,
          usedAt: row.usedAt ? new Date(row.usedAt) : null,
          surveyId: row.surveyId,
          unitId: row.unitId,
          expiresAt: new Date(row.expiresAt),
          revokedAt: row.revokedAt ? new Date(row.revokedAt) : null,
        }
      : null,
    surveyId,
    unitId,
    now,
  );
}

/** Marks a code used by a response; throws when it was used meanwhile (the transaction rolls back). */
export async function useRatingCode(tx: Sql, codeId: number, responseId: number, now: Date): Promise<void> {
  const { changes } = await tx.run(USE, dbDateTime(now), responseId, codeId);
  // Used meanwhile by a concurrent transaction (several writers on PostgreSQL): the write is run
  // again, and its check then answers "used".
  if (changes !== 1) throw new RetryableConflict(`Rating code ${codeId} is unknown or already used`);
}

export interface IssueInput {
  surveyId: number;
  surveySlug: string;
  unitId: number;
  unitCode: string;
  kind: BatchKind;
  size: number;
  label: string | null;
  expiresAt: Date;
  actorId: number;
  /** The issuer's newest batch id when the page was drawn (latestBatchIdBy): a resent form issues nothing. */
  after: number;
}

export type IssueResult = { ok: true; batchId: number; codes: string[] } | { ok: false; error: "codes.errors.repeated" };

/**
 * Issues a batch: the codes come back once, in this result, and are stored only as hashes. The
 * batch and its audit event are written in one transaction. Refused when the issuer has made a
 * batch since the page was drawn: reloading the page that shows codes must not make a second batch.
 */
export async function issueRatingCodes(input: IssueInput, now = new Date()): Promise<IssueResult> {
  return db().write(async (tx): Promise<IssueResult> => {
    const newest = Number(await tx.value(`SELECT COALESCE(MAX(id), 0) FROM RatingCodeBatch WHERE createdById = ?`, input.actorId));
    if (newest !== input.after) return { ok: false, error: "codes.errors.repeated" };
    const batchId = await tx.insert(
      `INSERT INTO RatingCodeBatch (surveyId, unitId, kind, label, size, expiresAt, createdById, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      input.surveyId,
      input.unitId,
      input.kind,
      input.label,
      input.size,
      dbDateTime(input.expiresAt),
      input.actorId,
      dbDateTime(now),
    );
    const codes: string[] = [];
    while (codes.length < input.size) {
      const code = generateRatingCode(randomInt);
      // A code that already exists (about one chance in 10^14 per code) is drawn again.
      const { changes } = await tx.run(`INSERT INTO RatingCode (batchId, codeHash) VALUES (?, ?) ON CONFLICT DO NOTHING`, batchId, hashRatingCode(code));
      if (changes === 1) codes.push(code);
    }
    await writeAudit(tx, {
      actorId: input.actorId,
      action: "rating_code.issue",
      targetType: "rating_code_batch",
      targetId: batchId,
      note: input.label,
      data: { survey: input.surveySlug, unit: input.unitCode, kind: input.kind, size: input.size, expiresAt: input.expiresAt.toISOString() },
      at: now,
    });
    return { ok: true, batchId, codes };
  });
}

/** The id of the newest batch this account issued (0: none), posted back by the issuing forms. */
export async function latestBatchIdBy(actorId: number): Promise<number> {
  const db = await getDb();
  const row = await db.ratingCodeBatch.findFirst({ where: { createdById: actorId }, orderBy: { id: "desc" }, select: { id: true } });
  return row?.id ?? 0;
}

/** Revokes a batch with a reason (audited): its unused codes verify nothing any more. False when already revoked. */
export async function revokeRatingCodeBatch(input: { batchId: number; reason: string; actorId: number }, now = new Date()): Promise<boolean> {
  return db().write(async (tx) => {
    const { changes } = await tx.run(
      `UPDATE RatingCodeBatch SET revokedAt = ?, revokedById = ?, revokeReason = ? WHERE id = ? AND revokedAt IS NULL`,
      dbDateTime(now),
      input.actorId,
      input.reason,
      input.batchId,
    );
    if (changes !== 1) return false;
    const unused = Number(await tx.value(`SELECT COUNT(*) FROM RatingCode WHERE batchId = ? AND usedAt IS NULL`, input.batchId));
    await writeAudit(tx, {
      actorId: input.actorId,
      action: "rating_code.revoke",
      targetType: "rating_code_batch",
      targetId: input.batchId,
      note: input.reason,
      data: { unusedCodes: unused },
      at: now,
    });
    return true;
  });
}

const batchSelect = {
  id: true,
  kind: true,
  label: true,
  size: true,
  expiresAt: true,
  createdAt: true,
  createdById: true,
  revokedAt: true,
  revokedById: true,
  revokeReason: true,
  unit: { select: { id: true, code: true, names: true } },
  survey: { select: { id: true, slug: true, titles: true } },
  _count: { select: { codes: { where: { usedAt: { not: null } } } } },
} as const;

export const BATCH_LIST_SIZE = 100;

/** Batches, newest first: of these units (null: every unit), optionally one survey or kind. */
export async function listRatingCodeBatches(q: { unitIds: number[] | null; surveyId?: number; kind?: BatchKind; take?: number }) {
  const db = await getDb();
  const rows = await db.ratingCodeBatch.findMany({
    where: {
      ...(q.unitIds ? { unitId: { in: q.unitIds } } : {}),
      ...(q.surveyId ? { surveyId: q.surveyId } : {}),
      ...(q.kind ? { kind: q.kind } : {}),
    },
    orderBy: { id: "desc" },
    take: q.take ?? BATCH_LIST_SIZE,
    select: batchSelect,
  });
  return rows.map(({ _count, ...b }) => ({ ...b, used: _count.codes }));
}

export async function getRatingCodeBatch(id: number) {
  const db = await getDb();
  const row = await db.ratingCodeBatch.findUnique({ where: { id }, select: batchSelect });
  if (!row) return null;
  const { _count, ...b } = row;
  return { ...b, used: _count.codes };
}

export type RatingCodeBatchRecord = NonNullable<Awaited<ReturnType<typeof getRatingCodeBatch>>>;
