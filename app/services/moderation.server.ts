// The evaluation office's moderation: a response or a citizen's handling rating excluded from the
// scores, an abusive comment hidden. Nothing is deleted; each change is audited, and the scores'
// tallies move in the same transaction as the flag.
import { responseTally } from "#app/domain/tally";
import { db, dbDateTime, type WriteTx } from "#app/lib/db.server";
import { writeAudit } from "#app/models/audit.server";
import { applyTally } from "#app/models/score-tally.server";

export type ModerationResult = "done" | "not_found" | "already";

/**
 * Adds a flag to a response or removes one, moving its score tallies from its old flag set to the
 * new one, inside the write transaction `tx`; false when there is nothing to change.
 */
async function changeResponseFlag(
  tx: WriteTx,
  responseId: number,
  flag: string,
  change: "add" | "remove",
  note: string | null,
  at: string,
): Promise<{ changed: boolean; found: boolean; previous?: { note: string | null; createdAt: string } }> {
  const r = await tx.get<{ id: number; periodId: number; unitId: number; submittedAt: string; channel: string; startsOn: string; endsOn: string }>(
    `SELECT r.id, r.periodId, r.unitId, r.submittedAt, r.channel, p.startsOn, p.endsOn
     FROM Response r JOIN EvaluationPeriod p ON p.id = r.periodId WHERE r.id = ?`,
    responseId,
  );
  if (!r) return { changed: false, found: false };
  const rows = await tx.all<{ flag: string; note: string | null; createdAt: string }>(`SELECT flag, note, createdAt FROM ResponseFlag WHERE responseId = ?`, responseId);
  const flags = rows.map((f) => f.flag);
  const present = rows.find((f) => f.flag === flag);
  if (change === "add" ? present : !present) return { changed: false, found: true };
  const answers = (
    await tx.all<{ key: string; kind: string; grade: number | null }>(
      `SELECT q.key, q.kind, a.grade FROM Answer a JOIN Question q ON q.id = a.questionId
       WHERE a.responseId = ? AND q.kind IN ('grade_core', 'grade_diagnostic')`,
      responseId,
    )
  ).map((a) => ({ questionKey: a.key, core: a.kind === "grade_core", grade: a.grade }));
  const base = { submittedAt: new Date(r.submittedAt), channel: r.channel, period: { startsOn: new Date(r.startsOn), endsOn: new Date(r.endsOn) }, answers };
  const after = change === "add" ? [...flags, flag] : flags.filter((f) => f !== flag);
  applyTally(tx, r.periodId, r.unitId, responseTally({ ...base, flags }), -1);
  applyTally(tx, r.periodId, r.unitId, responseTally({ ...base, flags: after }), 1);
  if (change === "add") await tx.run(`INSERT INTO ResponseFlag (responseId, flag, note, createdAt) VALUES (?, ?, ?, ?)`, responseId, flag, note, at);
  else await tx.run(`DELETE FROM ResponseFlag WHERE responseId = ? AND flag = ?`, responseId, flag);
  return { changed: true, found: true, previous: present ? { note: present.note, createdAt: present.createdAt } : undefined };
}

/** Excludes a response from the scores (flag "excluded" with the reason). */
export function excludeResponse(responseId: number, reason: string, actorId: number | null, now = new Date()): Promise<ModerationResult> {
  return db().write((tx) => excludeResponseLocked(tx, responseId, reason, actorId, now));
}

/** excludeResponse's work inside a caller's write transaction (an upheld appeal: one transaction). */
export async function excludeResponseLocked(tx: WriteTx, responseId: number, reason: string, actorId: number | null, now: Date, data?: unknown): Promise<ModerationResult> {
  const at = dbDateTime(now);
  const result = await changeResponseFlag(tx, responseId, "excluded", "add", reason, at);
  if (!result.found) return "not_found";
  if (!result.changed) return "already";
  await writeAudit(tx, { actorId, action: "response.exclude", targetType: "response", targetId: responseId, note: reason, at: now, data });
  return "done";
}

/**
 * Excludes a cluster of responses (the anomalies page) in one action and one transaction, with one
 * reason; each response gets its own audited exclusion. Responses already excluded are left as they
 * are. Returns how many were excluded now.
 */
export function excludeResponses(responseIds: readonly number[], reason: string, actorId: number | null, now = new Date()): Promise<number> {
  return db().write(async (tx) => {
    const at = dbDateTime(now);
    let count = 0;
    for (const id of responseIds) {
      if (!(await changeResponseFlag(tx, id, "excluded", "add", reason, at)).changed) continue;
      await writeAudit(tx, { actorId, action: "response.exclude", targetType: "response", targetId: id, note: reason, at: now, data: { cluster: responseIds.length } });
      count += 1;
    }
    return count;
  });
}

/** Flags the office may lift from a response: its own exclusion and the automatic stuffing checks. */
export const reinstatableFlags = ["excluded", "network_burst", "device_hopping", "same_answers", "code_burst", "duplicate"] as const;

/**
 * Reinstates responses: lifts a flag (an exclusion, or an automatic check the office finds
 * mistaken) so they count again. A new audited action that records the lifted flag, its note and
 * when it was set; the response itself never changed. Returns how many were reinstated.
 */
export function reinstateResponses(responseIds: readonly number[], flag: (typeof reinstatableFlags)[number], reason: string, actorId: number | null, now = new Date()): Promise<number> {
  return db().write(async (tx) => {
    const at = dbDateTime(now);
    let count = 0;
    for (const id of responseIds) {
      const result = await changeResponseFlag(tx, id, flag, "remove", null, at);
      if (!result.changed) continue;
      await writeAudit(tx, {
        actorId,
        action: "response.reinstate",
        targetType: "response",
        targetId: id,
        note: reason,
        at: now,
        data: { flag, flagNote: result.previous?.note ?? null, flaggedAt: result.previous?.createdAt ?? null },
      });
      count += 1;
    }
    return count;
  });
}

/** The case's internal timeline entry for a change to its handling rating (the status stays). */
function ratingEvent(tx: WriteTx, complaintId: number, action: "exclude_rating" | "reinstate_rating", status: string, reason: string, actorId: number | null, at: string) {
  return tx.run(
    `INSERT INTO ComplaintEvent (complaintId, at, actorKind, actorId, action, fromStatus, toStatus, note, visibility)
     VALUES (?, ?, 'staff', ?, ?, ?, ?, ?, 'internal')`,
    complaintId,
    at,
    actorId,
    action,
    status,
    status,
    reason,
  );
}

/** Excludes a citizen's rating of a complaint's handling from the complaint index. */
export function excludeRating(complaintId: number, reason: string, actorId: number | null, now = new Date()): Promise<ModerationResult> {
  return db().write((tx) => excludeRatingLocked(tx, complaintId, reason, actorId, now));
}

/** excludeRating's work inside a caller's write transaction (an upheld appeal: one transaction). */
export async function excludeRatingLocked(tx: WriteTx, complaintId: number, reason: string, actorId: number | null, now: Date, data?: unknown): Promise<ModerationResult> {
  const c = await tx.get<{ handlingGrade: number | null; ratingExcludedAt: string | null; status: string }>(
    `SELECT handlingGrade, ratingExcludedAt, status FROM Complaint WHERE id = ?`,
    complaintId,
  );
  if (!c || c.handlingGrade === null) return "not_found";
  if (c.ratingExcludedAt) return "already";
  const at = dbDateTime(now);
  await tx.run(`UPDATE Complaint SET ratingExcludedAt = ?, ratingExcludedReason = ?, updatedAt = ? WHERE id = ?`, at, reason, at, complaintId);
  await ratingEvent(tx, complaintId, "exclude_rating", c.status, reason, actorId, at);
  await writeAudit(tx, { actorId, action: "rating.exclude", targetType: "complaint", targetId: complaintId, note: reason, at: now, data });
  return "done";
}

/**
 * Counts an excluded handling rating again (an upheld appeal reversed, or an exclusion found
 * mistaken): a new audited action that records the exclusion it lifts; the rating itself never changed.
 */
export function reinstateRating(complaintId: number, reason: string, actorId: number | null, now = new Date(), data?: Record<string, unknown>): Promise<ModerationResult> {
  return db().write(async (tx): Promise<ModerationResult> => {
    const c = await tx.get<{ handlingGrade: number | null; ratingExcludedAt: string | null; ratingExcludedReason: string | null; status: string }>(
      `SELECT handlingGrade, ratingExcludedAt, ratingExcludedReason, status FROM Complaint WHERE id = ?`,
      complaintId,
    );
    if (!c || c.handlingGrade === null) return "not_found";
    if (!c.ratingExcludedAt) return "already";
    const at = dbDateTime(now);
    await tx.run(`UPDATE Complaint SET ratingExcludedAt = NULL, ratingExcludedReason = NULL, updatedAt = ? WHERE id = ?`, at, complaintId);
    await ratingEvent(tx, complaintId, "reinstate_rating", c.status, reason, actorId, at);
    await writeAudit(tx, {
      actorId,
      action: "rating.reinstate",
      targetType: "complaint",
      targetId: complaintId,
      note: reason,
      at: now,
      data: { ...data, excludedReason: c.ratingExcludedReason, excludedAt: c.ratingExcludedAt },
    });
    return "done";
  });
}

/** Hides an abusive comment from the unit's page (kept, with the reason). */
export function hideComment(answerId: number, reason: string, actorId: number | null, now = new Date()): Promise<ModerationResult> {
  return db().write(async (tx): Promise<ModerationResult> => {
    const a = await tx.get<{ text: string | null; hiddenAt: string | null }>(`SELECT text, hiddenAt FROM Answer WHERE id = ?`, answerId);
    if (!a || a.text === null) return "not_found";
    if (a.hiddenAt) return "already";
    await tx.run(`UPDATE Answer SET hiddenAt = ?, hiddenReason = ? WHERE id = ?`, dbDateTime(now), reason, answerId);
    await writeAudit(tx, { actorId, action: "comment.hide", targetType: "answer", targetId: answerId, note: reason, at: now });
    return "done";
  });
}
