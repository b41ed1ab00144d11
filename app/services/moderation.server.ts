// The evaluation office's moderation: a response or a citizen's handling rating excluded from the
// scores, an abusive comment hidden. Nothing is deleted; each change is audited, and the scores'
// tallies move in the same transaction as the flag.
import { responseTally } from "#app/domain/tally";
import { getWriter, sqliteDateTime, withWriteLock } from "#app/lib/db.server";
import { writeAudit } from "#app/models/audit.server";
import { applyTally } from "#app/models/score-tally.server";

export type ModerationResult = "done" | "not_found" | "already";

/** Excludes a response from the scores (flag "excluded" with the reason). */
export function excludeResponse(responseId: number, reason: string, actorId: number | null, now = new Date()): Promise<ModerationResult> {
  return withWriteLock(() => {
    const db = getWriter();
    const r = db
      .prepare(
        `SELECT r.id, r.periodId, r.unitId, r.submittedAt, p.startsOn, p.endsOn
         FROM Response r JOIN EvaluationPeriod p ON p.id = r.periodId WHERE r.id = ?`,
      )
      .get(responseId) as { id: number; periodId: number; unitId: number; submittedAt: string; startsOn: string; endsOn: string } | undefined;
    if (!r) return "not_found";
    const flags = (db.prepare(`SELECT flag FROM ResponseFlag WHERE responseId = ?`).all(responseId) as { flag: string }[]).map((f) => f.flag);
    if (flags.includes("excluded")) return "already";
    const answers = (
      db
        .prepare(
          `SELECT q.key, q.kind, a.grade FROM Answer a JOIN Question q ON q.id = a.questionId
           WHERE a.responseId = ? AND q.kind IN ('grade_core', 'grade_diagnostic')`,
        )
        .all(responseId) as { key: string; kind: string; grade: number | null }[]
    ).map((a) => ({ questionKey: a.key, core: a.kind === "grade_core", grade: a.grade }));
    const base = { submittedAt: new Date(r.submittedAt), period: { startsOn: new Date(r.startsOn), endsOn: new Date(r.endsOn) }, answers };
    applyTally(r.periodId, r.unitId, responseTally({ ...base, flags }), -1);
    applyTally(r.periodId, r.unitId, responseTally({ ...base, flags: [...flags, "excluded"] }), 1);
    db.prepare(`INSERT INTO ResponseFlag (responseId, flag, note, createdAt) VALUES (?, 'excluded', ?, ?)`).run(responseId, reason, sqliteDateTime(now));
    writeAudit({ actorId, action: "response.exclude", targetType: "response", targetId: responseId, note: reason, at: now });
    return "done";
  });
}

/** Excludes a citizen's rating of a complaint's handling from the complaint index. */
export function excludeRating(complaintId: number, reason: string, actorId: number | null, now = new Date()): Promise<ModerationResult> {
  return withWriteLock(() => {
    const db = getWriter();
    const c = db.prepare(`SELECT handlingGrade, ratingExcludedAt, status FROM Complaint WHERE id = ?`).get(complaintId) as
      | { handlingGrade: number | null; ratingExcludedAt: string | null; status: string }
      | undefined;
    if (!c || c.handlingGrade === null) return "not_found";
    if (c.ratingExcludedAt) return "already";
    const at = sqliteDateTime(now);
    db.prepare(`UPDATE Complaint SET ratingExcludedAt = ?, ratingExcludedReason = ?, updatedAt = ? WHERE id = ?`).run(at, reason, at, complaintId);
    db.prepare(
      `INSERT INTO ComplaintEvent (complaintId, at, actorKind, actorId, action, fromStatus, toStatus, note, visibility)
       VALUES (?, ?, 'staff', ?, 'exclude_rating', ?, ?, ?, 'internal')`,
    ).run(complaintId, at, actorId, c.status, c.status, reason);
    writeAudit({ actorId, action: "rating.exclude", targetType: "complaint", targetId: complaintId, note: reason, at: now });
    return "done";
  });
}

/** Hides an abusive comment from the unit's page (kept, with the reason). */
export function hideComment(answerId: number, reason: string, actorId: number | null, now = new Date()): Promise<ModerationResult> {
  return withWriteLock(() => {
    const db = getWriter();
    const a = db.prepare(`SELECT text, hiddenAt FROM Answer WHERE id = ?`).get(answerId) as { text: string | null; hiddenAt: string | null } | undefined;
    if (!a || a.text === null) return "not_found";
    if (a.hiddenAt) return "already";
    db.prepare(`UPDATE Answer SET hiddenAt = ?, hiddenReason = ? WHERE id = ?`).run(sqliteDateTime(now), reason, answerId);
    writeAudit({ actorId, action: "comment.hide", targetType: "answer", targetId: answerId, note: reason, at: now });
    return "done";
  });
}
