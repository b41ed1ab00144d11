// Bearer tokens of the performance-evaluation system. A token is shown once when made; only its
// SHA-256 is stored. Every API call, accepted or refused, is logged (ApiCall) and kept
// RETENTION_API_CALL_DAYS days (default API_CALL_RETENTION_DAYS; the daily retention pass deletes them too).
import { createHash, randomBytes } from "node:crypto";
import { db, dbDateTime, getDb, type Sql } from "#app/lib/db.server";
import { getEnv } from "#app/lib/env.server";
import { writeAudit } from "./audit.server";

const TOKEN_PREFIX = "cst_";
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export interface NewToken {
  id: number;
  name: string;
  /** The secret itself: shown once, never stored. */
  token: string;
}

export function createToken(name: string, actorId: number | null, now = new Date()): Promise<NewToken> {
  const token = TOKEN_PREFIX + randomBytes(30).toString("base64url");
  return db().write(async (tx) => {
    const at = dbDateTime(now);
    const id = await tx.insert(
      `INSERT INTO ApiToken (name, tokenHash, prefix, createdById, createdAt) VALUES (?, ?, ?, ?, ?) RETURNING id`,
      name,
      sha256(token),
      token.slice(0, TOKEN_PREFIX.length + 6),
      actorId,
      at,
    );
    await writeAudit(tx, { actorId, action: "token.create", targetType: "api_token", targetId: id, note: name, at: now });
    return { id, name, token };
  });
}

export function revokeToken(id: number, actorId: number | null, now = new Date()): Promise<boolean> {
  return db().write(async (tx) => {
    const at = dbDateTime(now);
    const { changes } = await tx.run(`UPDATE ApiToken SET revokedAt = ?, revokedById = ? WHERE id = ? AND revokedAt IS NULL`, at, actorId, id);
    if (changes === 1) await writeAudit(tx, { actorId, action: "token.revoke", targetType: "api_token", targetId: id, at: now });
    return changes === 1;
  });
}

export async function listTokens() {
  const db = await getDb();
  return db.apiToken.findMany({
    orderBy: { id: "desc" },
    select: { id: true, name: true, prefix: true, createdAt: true, revokedAt: true, lastUsedAt: true, _count: { select: { calls: true } } },
  });
}

export type TokenCheck =
  | { ok: true; tokenId: number }
  | { ok: false; tokenId: number | null; code: "missing_token" | "invalid_token" | "revoked_token" };

/** Checks an Authorization header ("Bearer <token>"). */
export async function checkBearer(header: string | null): Promise<TokenCheck> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  if (!match) return { ok: false, tokenId: null, code: "missing_token" };
  const row = await db().read.get<{ id: number; revokedAt: string | null }>(`SELECT id, revokedAt FROM ApiToken WHERE tokenHash = ?`, sha256(match[1]!));
  if (!row) return { ok: false, tokenId: null, code: "invalid_token" };
  if (row.revokedAt) return { ok: false, tokenId: row.id, code: "revoked_token" };
  return { ok: true, tokenId: row.id };
}

/**
 * The call log is kept RETENTION_API_CALL_DAYS days (by default API_CALL_RETENTION_DAYS). Older rows are deleted by logApiCall itself,
 * at most once an hour and at most API_CALL_PRUNE_BATCH rows at a time (a long backlog goes in
 * steps, never one long lock): no timer to start or stop, and a server that takes no calls has
 * nothing new to delete.
 */
export const API_CALL_RETENTION_DAYS = 180;
export const API_CALL_PRUNE_BATCH = 5000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;
let lastPrune = 0;

/** Deletes up to API_CALL_PRUNE_BATCH call-log rows older than the retention, in the write transaction `tx`; returns how many. */
export async function pruneApiCalls(tx: Sql, now = new Date(), days = getEnv().RETENTION_API_CALL_DAYS): Promise<number> {
  const cutoff = dbDateTime(new Date(now.getTime() - days * 86_400_000));
  return (await tx.run(`DELETE FROM ApiCall WHERE id IN (SELECT id FROM ApiCall WHERE at < ? ORDER BY at LIMIT ?)`, cutoff, API_CALL_PRUNE_BATCH)).changes;
}

/** Logs one API call (and the token's last use); committed before the answer is sent. Prunes old rows now and then. */
export async function logApiCall(call: { tokenId: number | null; method: string; path: string; status: number; ipHash: string | null }, now = new Date()): Promise<void> {
  // Decided outside the write: a piece may run again (PostgreSQL retries), and has no outside effects.
  const prune = Math.abs(now.getTime() - lastPrune) >= PRUNE_EVERY_MS;
  if (prune) lastPrune = now.getTime();
  await db().write(
    async (tx) => {
      const at = dbDateTime(now);
      await tx.run(
        `INSERT INTO ApiCall (tokenId, at, method, path, status, ipHash) VALUES (?, ?, ?, ?, ?, ?)`,
        call.tokenId,
        at,
        call.method,
        call.path.slice(0, 500),
        call.status,
        call.ipHash,
      );
      if (call.tokenId !== null && call.status < 400) await tx.run(`UPDATE ApiToken SET lastUsedAt = ? WHERE id = ?`, at, call.tokenId);
      if (prune) await pruneApiCalls(tx, now);
    },
    { hot: true },
  );
}

export async function recentCalls(take = 50) {
  const db = await getDb();
  return db.apiCall.findMany({ orderBy: { id: "desc" }, take, include: { token: { select: { name: true, prefix: true } } } });
}
