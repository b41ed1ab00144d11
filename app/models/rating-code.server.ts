// Single-use rating codes (一次一评) and their batches. A code is shown or printed once, when it is
// issued; only a keyed hash of it is stored, so neither the database nor a backup can print it
// again. The check and the use are synchronous prepared statements on the writer connection: the
// submission runs them inside its own write transaction (app/models/response.server.ts).
import { randomInt } from "node:crypto";
import type Database from "better-sqlite3";
import {
  type BatchKind,
  generateRatingCode,
  judgeRatingCode,
  normalizeRatingCode,
  type RatingCodeCheck,
} from "#app/domain/rating-codes";
import { getDb, getWriter, sqliteDateTime, withWriteLock } from "#app/lib/db.server";
import { keyedHash } from "#app/lib/signing.server";
import { writeAuditLegacy } from "./audit.server";

/** The stored form of a code as typed, scanned or printed (case, spaces and dashes do not matter). */
export function hashRatingCode(code: string): string {
  return keyedHash("rating-code", normalizeRatingCode(code));
}

type Statement = Database.Statement;
interface Statements {
  check: Statement;
  use: Statement;
}
const prepared = new WeakMap<Database.Database, Statements>();

function statements(): Statements {
  const db = getWriter();
  let st = prepared.get(db);
  if (!st) {
    st = {
      check: db.prepare(
        `SELECT c.id, c.usedAt, b.surveyId, b.unitId, b.expiresAt, b.revokedAt
         FROM RatingCode c JOIN RatingCodeBatch b ON b.id = c.batchId
         WHERE c.codeHash = ?`,
      ),
      use: db.prepare(`UPDATE RatingCode SET usedAt = ?, responseId = ? WHERE id = ? AND usedAt IS NULL`),
    };
    prepared.set(db, st);
  }
  return st;
}

type CheckRow = { id: number; usedAt: string | null; surveyId: number; unitId: number; expiresAt: string; revokedAt: string | null };

/**
 * Whether the code of this hash may verify a response to this survey for this unit at `now`.
 * Synchronous: the submission calls it inside its write transaction, right before useRatingCode;
 * the citizen's page calls it read-only to show the form or the refusal.
 */
export function checkRatingCode(codeHash: string, surveyId: number, unitId: number, now: Date): RatingCodeCheck {
  const row = statements().check.get(codeHash) as CheckRow | undefined;
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
export function useRatingCode(codeId: number, responseId: number, now: Date): void {
  const { changes } = statements().use.run(sqliteDateTime(now), responseId, codeId);
  if (changes !== 1) throw new Error(`Rating code ${codeId} is unknown or already used`);
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
  return withWriteLock((): IssueResult => {
    const db = getWriter();
    const newest = db.prepare(`SELECT COALESCE(MAX(id), 0) AS id FROM RatingCodeBatch WHERE createdById = ?`).get(input.actorId) as { id: number };
    if (newest.id !== input.after) return { ok: false, error: "codes.errors.repeated" };
    const { lastInsertRowid } = db
      .prepare(`INSERT INTO RatingCodeBatch (surveyId, unitId, kind, label, size, expiresAt, createdById, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(input.surveyId, input.unitId, input.kind, input.label, input.size, sqliteDateTime(input.expiresAt), input.actorId, sqliteDateTime(now));
    const batchId = Number(lastInsertRowid);
    const insert = db.prepare(`INSERT OR IGNORE INTO RatingCode (batchId, codeHash) VALUES (?, ?)`);
    const codes: string[] = [];
    while (codes.length < input.size) {
      const code = generateRatingCode(randomInt);
      // A code that already exists (about one chance in 10^14 per code) is drawn again.
      if (insert.run(batchId, hashRatingCode(code)).changes === 1) codes.push(code);
    }
    writeAuditLegacy({
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
  return withWriteLock(() => {
    const db = getWriter();
    const { changes } = db
      .prepare(`UPDATE RatingCodeBatch SET revokedAt = ?, revokedById = ?, revokeReason = ? WHERE id = ? AND revokedAt IS NULL`)
      .run(sqliteDateTime(now), input.actorId, input.reason, input.batchId);
    if (changes !== 1) return false;
    const unused = db.prepare(`SELECT COUNT(*) AS n FROM RatingCode WHERE batchId = ? AND usedAt IS NULL`).get(input.batchId) as { n: number };
    writeAuditLegacy({
      actorId: input.actorId,
      action: "rating_code.revoke",
      targetType: "rating_code_batch",
      targetId: input.batchId,
      note: input.reason,
      data: { unusedCodes: unused.n },
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
