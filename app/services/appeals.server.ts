// 申诉 (issue 14): a unit head appeals a rating the unit believes mistaken or malicious; the office
// upholds it (the rating is excluded through the moderation path, with the appeal as the reason)
// or rejects it. Two kinds of rating can be appealed:
// - a survey response, through its comment on the unit's scores page. Unit readers see a comment's
//   text and day only (comment-detail.ts), so the appeal names it by a keyed handle of the unit,
//   period, day and text: the unit never learns the response's number or time;
// - a complaint's handling rating, from the case page of the unit handling it (never an integrity
//   complaint, which its unit complained about never sees).
import { commentMeta } from "#app/domain/comment-detail";
import { type Actor, canAppealRating, canDecideRectifications, rectificationUnits } from "#app/domain/permissions";
import { type AppealKind, handlingRatingAppealable } from "#app/domain/rectification";
import { db, getDb } from "#app/lib/db.server";
import { keyedHash } from "#app/lib/signing.server";
import { type AppealRecord, decideAppeal, fileAppeal, getAppeal, listAppeals } from "#app/models/rectification.server";
import { unitIndex } from "#app/models/unit.server";
import { excludeRatingLocked, excludeResponseLocked, reinstateRating, reinstateResponses } from "./moderation.server";

/** The handle of a comment as a unit reader sees it (day and text), for the appeal link. */
export function commentAppealHandle(unitId: number, periodId: number, day: string, text: string): string {
  return keyedHash("appeal", `${unitId}|${periodId}|${day}|${text}`).slice(0, 32);
}

export interface AppealTarget {
  kind: AppealKind;
  unitId: number;
  periodId: number | null;
  responseId: number | null;
  complaintId: number | null;
  /** What the unit head sees of it. */
  comment: { text: string; day: string; lang: string } | null;
  handling: { reference: string; grade: number } | null;
}

/**
 * The response behind a comment handle of a unit and period, as its readers see it (not hidden),
 * not excluded yet. Two identical comments of one day are one to the reader: the first counted one is taken.
 */
export async function responseByCommentHandle(unitId: number, periodId: number, handle: string): Promise<AppealTarget | null> {
  const rows = await db().read.all<{ answerId: number; responseId: number; submittedAt: string; text: string; lang: string }>(
    `SELECT a.id AS answerId, r.id AS responseId, r.submittedAt AS submittedAt, a.text AS text, r.lang AS lang
     FROM Answer a JOIN Question q ON q.id = a.questionId JOIN Response r ON r.id = a.responseId
     WHERE r.periodId = ? AND r.unitId = ? AND q.kind = 'text' AND a.text IS NOT NULL AND a.hiddenAt IS NULL
       AND NOT EXISTS (SELECT 1 FROM ResponseFlag f WHERE f.responseId = r.id AND f.flag = 'excluded')
     ORDER BY r.id`,
    periodId,
    unitId,
  );
  for (const { answerId, responseId, submittedAt, text, lang } of rows) {
    const { day } = commentMeta({ answerId, responseId, submittedAt: new Date(submittedAt) }, "day");
    if (commentAppealHandle(unitId, periodId, day, text) === handle) {
      return { kind: "response", unitId, periodId, responseId, complaintId: null, comment: { text, day, lang }, handling: null, };
    }
  }
  return null;
}

/** A case's handling rating the actor's unit may appeal, or null. */
export async function handlingRatingTarget(actor: Actor, reference: string): Promise<AppealTarget | null> {
  const db = await getDb();
  const c = await db.complaint.findUnique({
    where: { reference },
    select: { id: true, unitId: true, type: true, handlingGrade: true, ratingExcludedAt: true, reference: true },
  });
  if (!c || !handlingRatingAppealable(c)) return null;
  const index = await unitIndex();
  if (!canAppealRating(actor, c.unitId, index.ancestorsOf)) return null;
  return { kind: "handling", unitId: c.unitId, periodId: null, responseId: null, complaintId: c.id, comment: null, handling: { reference: c.reference, grade: c.handlingGrade! } };
}

export type FileResult = { ok: true; id: number } | { ok: false; reason: "forbidden" | "pending" };

export async function fileAppealFor(actor: Actor, target: AppealTarget, input: { grounds: string; evidence: string }, now = new Date()): Promise<FileResult> {
  const index = await unitIndex();
  if (!canAppealRating(actor, target.unitId, index.ancestorsOf)) return { ok: false, reason: "forbidden" };
  const result = await fileAppeal(
    { unitId: target.unitId, periodId: target.periodId, kind: target.kind, responseId: target.responseId, complaintId: target.complaintId, grounds: input.grounds, evidence: input.evidence },
    actor.userId,
    now,
  );
  return result === "pending" ? { ok: false, reason: "pending" } : { ok: true, id: result.id };
}

/** The office upholds (the rating is excluded, reason "appeal #id: note") or rejects an appeal. */
export async function decideAppealFor(actor: Actor, id: number, decision: "uphold" | "reject", note: string, now = new Date()) {
  if (!canDecideRectifications(actor)) return "forbidden" as const;
  return decideAppeal(id, decision, note, actor.userId, now, {
    response: (tx, responseId, reason, data) => excludeResponseLocked(tx, responseId, reason, actor.userId, now, data),
    rating: (tx, complaintId, reason, data) => excludeRatingLocked(tx, complaintId, reason, actor.userId, now, data),
  });
}

/**
 * Reverses an upheld appeal: the rating counts again, through the usual reinstatement (audited,
 * recording the exclusion it lifts). The appeal stays decided as it was; its page then says the
 * rating counts again.
 */
export async function reverseAppealFor(actor: Actor, id: number, note: string, now = new Date()): Promise<"done" | "forbidden" | "not_found" | "state"> {
  if (!canDecideRectifications(actor)) return "forbidden";
  const a = await getAppeal(id);
  if (!a) return "not_found";
  if (a.status !== "upheld") return "state";
  if (a.kind === "response" && a.responseId !== null) {
    return (await reinstateResponses([a.responseId], "excluded", `appeal #${id} reversed: ${note}`, actor.userId, now)) === 1 ? "done" : "state";
  }
  if (a.complaintId === null) return "not_found";
  return (await reinstateRating(a.complaintId, `appeal #${id} reversed: ${note}`, actor.userId, now, { appealId: id })) === "done" ? "done" : "state";
}

export interface AppealView extends AppealRecord {
  /** The comment (response appeals) as the unit saw it; the office also gets the response number. */
  comment: { text: string; day: string; lang: string } | null;
  reference: string | null;
  grade: number | null;
  /** Whether the rating is excluded now (after an uphold; a reinstatement lifts it). */
  excludedNow: boolean;
}

/** Appeals the actor may read: the office all, unit staff and heads their units'. */
export async function appealsFor(actor: Actor): Promise<AppealView[]> {
  const index = await unitIndex();
  const rows = await listAppeals(rectificationUnits(actor, index.descendantsOf));
  return Promise.all(rows.map((a) => describeAppeal(a, canDecideRectifications(actor))));
}

async function describeAppeal(a: AppealRecord, office: boolean): Promise<AppealView> {
  if (a.kind === "response" && a.responseId !== null) {
    const c = await db().read.get<{ text: string | null; submittedAt: string; lang: string; answerId: number | null; excluded: number }>(
      `SELECT a.text AS text, r.submittedAt AS submittedAt, r.lang AS lang, a.id AS answerId,
         EXISTS (SELECT 1 FROM ResponseFlag f WHERE f.responseId = r.id AND f.flag = 'excluded') AS excluded
       FROM Response r LEFT JOIN Answer a ON a.responseId = r.id AND a.text IS NOT NULL AND a.questionId IN (SELECT id FROM Question WHERE kind = 'text')
       WHERE r.id = ? LIMIT 1`,
      a.responseId,
    );
    const day = c ? commentMeta({ answerId: c.answerId ?? 0, responseId: a.responseId, submittedAt: new Date(c.submittedAt) }, "day").day : "";
    return {
      ...a,
      responseId: office ? a.responseId : null,
      comment: c ? { text: c.text ?? "", day, lang: c.lang } : null,
      reference: null,
      grade: null,
      excludedNow: c ? c.excluded === 1 : false,
    };
  }
  const c = await db().read.get<{ reference: string; handlingGrade: number | null; ratingExcludedAt: string | null }>(
    `SELECT reference, handlingGrade, ratingExcludedAt FROM Complaint WHERE id = ?`,
    a.complaintId,
  );
  return { ...a, comment: null, reference: c?.reference ?? null, grade: c?.handlingGrade ?? null, excludedNow: Boolean(c?.ratingExcludedAt) };
}

export async function appealFor(actor: Actor, id: number): Promise<AppealView | null> {
  const a = await getAppeal(id);
  if (!a) return null;
  const index = await unitIndex();
  const units = rectificationUnits(actor, index.descendantsOf);
  if (units && !units.includes(a.unitId)) return null;
  return describeAppeal(a, canDecideRectifications(actor));
}
