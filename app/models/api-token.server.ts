// Bearer tokens of the performance-evaluation system. A token is shown once when made; only its
// SHA-256 is stored. Every API call, accepted or refused, is logged (ApiCall) and kept
// RETENTION_API_CALL_DAYS days (default API_CALL_RETENTION_DAYS; the daily retention pass deletes them too).
import { createHash, randomBytes } from "node:crypto";
import { getDb, getWriter, sqliteDateTime, withWriteLock } from "#app/lib/db.server";
import { getEnv } from "#app/lib/env.server";
import { writeAuditLegacy } from "./audit.server";

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
  return withWriteLock(() => {
    const at = sqliteDateTime(now);
    const { lastInsertRowid } = getWriter()
      .prepare(`INSERT INTO ApiToken (name, tokenHash, prefix, createdById, createdAt) VALUES (?, ?, ?, ?, ?)`)
      .run(name, sha256(token), token.slice(0, TOKEN_PREFIX.length + 6), actorId, at);
    const id = Number(lastInsertRowid);
    writeAuditLegacy({ actorId, action: "token.create", targetType: "api_token", targetId: id, note: name, at: now });
    return { id, name, token };
  });
}

export function revokeToken(id: number, actorId: number | null, now = new Date()): Promise<boolean> {
  return withWriteLock(() => {
    const at = sqliteDateTime(now);
    const { changes } = getWriter()
      .prepare(`UPDATE ApiToken SET revokedAt = ?, revokedById = ? WHERE id = ? AND revokedAt IS NULL`)
      .run(at, actorId, id);
    if (changes === 1) writeAuditLegacy({ actorId, action: "token.revoke", targetType: "api_token", targetId: id, at: now });
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
export function checkBearer(header: string | null): TokenCheck {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  if (!match) return { ok: false, tokenId: null, code: "missing_token" };
  const row = getWriter().prepare(`SELECT id, revokedAt FROM ApiToken WHERE tokenHash = ?`).get(sha256(match[1]!)) as
    | { id: number; revokedAt: string | null }
    | undefined;
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

/** Deletes up to API_CALL_PRUNE_BATCH call-log rows older than the retention; returns how many. Call under the write lock. */
export function pruneApiCalls(now = new Date(), days = getEnv().RETENTION_API_CALL_DAYS): number {
  const cutoff = sqliteDateTime(new Date(now.getTime() - days * 86_400_000));
  return getWriter()
    .prepare(`DELETE FROM ApiCall WHERE id IN (SELECT id FROM ApiCall WHERE at < ? ORDER BY at LIMIT ?)`)
    .run(cutoff, API_CALL_PRUNE_BATCH).changes;
}

/** Logs one API call (and the token's last use); committed before the answer is sent. Prunes old rows now and then. */
export function logApiCall(call: { tokenId: number | null; method: string; path: string; status: number; ipHash: string | null }, now = new Date()) {
  return withWriteLock(() => {
    const db = getWriter();
    const at = sqliteDateTime(now);
    db.prepare(`INSERT INTO ApiCall (tokenId, at, method, path, status, ipHash) VALUES (?, ?, ?, ?, ?, ?)`).run(
      call.tokenId,
      at,
      call.method,
      call.path.slice(0, 500),
      call.status,
      call.ipHash,
    );
    if (call.tokenId !== null && call.status < 400) db.prepare(`UPDATE ApiToken SET lastUsedAt = ? WHERE id = ?`).run(at, call.tokenId);
    if (Math.abs(now.getTime() - lastPrune) >= PRUNE_EVERY_MS) {
      lastPrune = now.getTime();
      pruneApiCalls(now);
    }
  });
}

export async function recentCalls(take = 50) {
  const db = await getDb();
  return db.apiCall.findMany({ orderBy: { id: "desc" }, take, include: { token: { select: { name: true, prefix: true } } } });
}
