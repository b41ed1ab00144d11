// The stored side of 差评整改 and 申诉 (issue 14): rectification records and appeals. Every change is
// one withWriteLock transaction with its audit entry; nothing is ever deleted. The rules (states,
// due dates, candidates) are app/domain/rectification.ts.
import {
  type AppealKind,
  type AppealState,
  appealExclusionReason,
  isRectificationOverdue,
  mayPublish,
  nextAppealState,
  nextRectificationState,
  type RectificationState,
  type RectificationStep,
} from "#app/domain/rectification";
import { getDb, getWriter, sqliteDateTime, withWriteLock } from "#app/lib/db.server";
import { writeAuditLegacy } from "./audit.server";

export type ChangeResult = "done" | "not_found" | "state";

export interface RectificationRecord {
  id: number;
  periodId: number;
  unitId: number;
  source: "item" | "complaint";
  subjectKey: string;
  itemKey: string | null;
  complaintId: number | null;
  evidence: { dissatisfied?: number; graded?: number } | null;
  status: RectificationState;
  openedAt: Date;
  dueAt: Date;
  cause: string | null;
  measures: string | null;
  submittedAt: Date | null;
  submissions: number;
  decidedAt: Date | null;
  decisionNote: string | null;
  acceptedAt: Date | null;
  publishedAt: Date | null;
}

export interface OpenInput {
  periodId: number;
  unitId: number;
  source: "item" | "complaint";
  subjectKey: string;
  itemKey: string | null;
  complaintId: number | null;
  evidence: unknown;
}

/** Opens a record (the office's choice of a candidate); "exists" when that subject already has one. */
export function openRectification(input: OpenInput, dueAt: Date, actorId: number, now: Date): Promise<{ id: number } | "exists"> {
  return withWriteLock(() => {
    const db = getWriter();
    const found = db.prepare(`SELECT id FROM Rectification WHERE periodId = ? AND unitId = ? AND subjectKey = ?`).get(input.periodId, input.unitId, input.subjectKey);
    if (found) return "exists" as const;
    const at = sqliteDateTime(now);
    const r = db
      .prepare(
        `INSERT INTO Rectification (periodId, unitId, source, subjectKey, itemKey, complaintId, evidence, status, openedById, openedAt, dueAt)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)`,
      )
      .run(input.periodId, input.unitId, input.source, input.subjectKey, input.itemKey, input.complaintId, input.evidence === undefined ? null : JSON.stringify(input.evidence), actorId, at, sqliteDateTime(dueAt));
    const id = Number(r.lastInsertRowid);
    writeAuditLegacy({ actorId, action: "rectification.open", targetType: "rectification", targetId: id, at: now, data: { unitId: input.unitId, periodId: input.periodId, subject: input.subjectKey, dueAt: dueAt.toISOString() } });
    return { id };
  });
}

function stateOf(id: number): RectificationState | null {
  const row = getWriter().prepare(`SELECT status FROM Rectification WHERE id = ?`).get(id) as { status: RectificationState } | undefined;
  return row?.status ?? null;
}

/** The unit head's cause and measures: from open or returned to submitted. */
export function submitRectification(id: number, input: { cause: string; measures: string }, actorId: number, now: Date): Promise<ChangeResult> {
  return withWriteLock(() => {
    const from = stateOf(id);
    if (!from) return "not_found";
    if (!nextRectificationState(from, "submit")) return "state";
    const at = sqliteDateTime(now);
    getWriter()
      .prepare(`UPDATE Rectification SET status = 'submitted', cause = ?, measures = ?, submittedAt = ?, submittedById = ?, submissions = submissions + 1 WHERE id = ?`)
      .run(input.cause, input.measures, at, actorId, id);
    writeAuditLegacy({ actorId, action: "rectification.submit", targetType: "rectification", targetId: id, at: now, data: { from, cause: input.cause, measures: input.measures } });
    return "done";
  });
}

/** The office accepts the measures or returns them with a note (the head then revises them). */
export function decideRectification(id: number, step: Exclude<RectificationStep, "submit">, note: string | null, actorId: number, now: Date): Promise<ChangeResult> {
  return withWriteLock(() => {
    const from = stateOf(id);
    if (!from) return "not_found";
    const to = nextRectificationState(from, step);
    if (!to) return "state";
    const at = sqliteDateTime(now);
    getWriter()
      .prepare(`UPDATE Rectification SET status = ?, decidedAt = ?, decidedById = ?, decisionNote = ?, acceptedAt = ? WHERE id = ?`)
      .run(to, at, actorId, note, to === "accepted" ? at : null, id);
    writeAuditLegacy({ actorId, action: step === "accept" ? "rectification.accept" : "rectification.return", targetType: "rectification", targetId: id, note, at: now });
    return "done";
  });
}

/** Publishes accepted measures on the unit's public page, or withdraws them. */
export function publishRectification(id: number, publish: boolean, actorId: number, now: Date): Promise<ChangeResult> {
  return withWriteLock(() => {
    const db = getWriter();
    const row = db.prepare(`SELECT status, publishedAt FROM Rectification WHERE id = ?`).get(id) as { status: string; publishedAt: string | null } | undefined;
    if (!row) return "not_found";
    if (publish ? !mayPublish(row.status) || row.publishedAt : !row.publishedAt) return "state";
    db.prepare(`UPDATE Rectification SET publishedAt = ?, publishedById = ? WHERE id = ?`).run(publish ? sqliteDateTime(now) : null, publish ? actorId : null, id);
    writeAuditLegacy({ actorId, action: publish ? "rectification.publish" : "rectification.unpublish", targetType: "rectification", targetId: id, at: now });
    return "done";
  });
}

const recordSelect = {
  id: true,
  periodId: true,
  unitId: true,
  source: true,
  subjectKey: true,
  itemKey: true,
  complaintId: true,
  evidence: true,
  status: true,
  openedAt: true,
  dueAt: true,
  cause: true,
  measures: true,
  submittedAt: true,
  submissions: true,
  decidedAt: true,
  decisionNote: true,
  acceptedAt: true,
  publishedAt: true,
} as const;

export async function getRectification(id: number): Promise<RectificationRecord | null> {
  const db = await getDb();
  return (await db.rectification.findUnique({ where: { id }, select: recordSelect })) as RectificationRecord | null;
}

/** Records of some units (null: all) in a period (or every period), the most urgent first. */
export async function listRectifications(opts: { unitIds: readonly number[] | null; periodId?: number }): Promise<RectificationRecord[]> {
  const db = await getDb();
  return (await db.rectification.findMany({
    where: { ...(opts.unitIds ? { unitId: { in: [...opts.unitIds] } } : {}), ...(opts.periodId !== undefined ? { periodId: opts.periodId } : {}) },
    orderBy: [{ dueAt: "asc" }, { id: "asc" }],
    select: recordSelect,
  })) as RectificationRecord[];
}

/** Records the unit still owes (open or returned) past their due date, every unit. */
export async function overdueRectifications(now: Date): Promise<RectificationRecord[]> {
  const db = await getDb();
  const rows = (await db.rectification.findMany({
    where: { status: { in: ["open", "returned"] }, dueAt: { lt: now } },
    orderBy: [{ dueAt: "asc" }, { id: "asc" }],
    select: recordSelect,
  })) as RectificationRecord[];
  return rows.filter((r) => isRectificationOverdue(r, now));
}

/** A unit's published measures, newest first. */
export async function publishedRectifications(unitId: number): Promise<RectificationRecord[]> {
  const db = await getDb();
  return (await db.rectification.findMany({
    where: { unitId, publishedAt: { not: null }, status: "accepted" },
    orderBy: [{ acceptedAt: "desc" }, { id: "desc" }],
    select: recordSelect,
  })) as RectificationRecord[];
}

// ---------------------------------------------------------------------------------------------
// Appeals.

export interface AppealRecord {
  id: number;
  unitId: number;
  periodId: number | null;
  kind: AppealKind;
  responseId: number | null;
  complaintId: number | null;
  grounds: string;
  evidence: string;
  status: AppealState;
  filedAt: Date;
  decidedAt: Date | null;
  decisionNote: string | null;
}

const appealSelect = {
  id: true,
  unitId: true,
  periodId: true,
  kind: true,
  responseId: true,
  complaintId: true,
  grounds: true,
  evidence: true,
  status: true,
  filedAt: true,
  decidedAt: true,
  decisionNote: true,
} as const;

export interface AppealInput {
  unitId: number;
  periodId: number | null;
  kind: AppealKind;
  responseId: number | null;
  complaintId: number | null;
  grounds: string;
  evidence: string;
}

/** Files an appeal; "pending" when the same rating already has one waiting for the office. */
export function fileAppeal(input: AppealInput, actorId: number, now: Date): Promise<{ id: number } | "pending"> {
  return withWriteLock(() => {
    const db = getWriter();
    const waiting =
      input.kind === "response"
        ? db.prepare(`SELECT id FROM Appeal WHERE responseId = ? AND kind = 'response' AND status = 'pending'`).get(input.responseId)
        : db.prepare(`SELECT id FROM Appeal WHERE complaintId = ? AND kind = 'handling' AND status = 'pending'`).get(input.complaintId);
    if (waiting) return "pending" as const;
    const r = db
      .prepare(`INSERT INTO Appeal (unitId, periodId, kind, responseId, complaintId, grounds, evidence, status, filedById, filedAt) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`)
      .run(input.unitId, input.periodId, input.kind, input.responseId, input.complaintId, input.grounds, input.evidence, actorId, sqliteDateTime(now));
    const id = Number(r.lastInsertRowid);
    writeAuditLegacy({ actorId, action: "appeal.file", targetType: "appeal", targetId: id, note: input.evidence, at: now, data: { unitId: input.unitId, kind: input.kind, grounds: input.grounds } });
    return { id };
  });
}

/**
 * The office's decision. Upheld: the rating is excluded through the moderation path (the response's
 * "excluded" flag, or the handling rating's exclusion), with the appeal as the reason, in the same
 * transaction as the decision; the exclusion can be lifted later by the usual reinstatement.
 * Rejected: nothing but the appeal changes.
 */
export function decideAppeal(
  id: number,
  decision: "uphold" | "reject",
  note: string,
  actorId: number,
  now: Date,
  exclude: { response: (responseId: number, reason: string, data: unknown) => string; rating: (complaintId: number, reason: string, data: unknown) => string },
): Promise<ChangeResult | "already_excluded"> {
  return withWriteLock(() => {
    const db = getWriter();
    const a = db.prepare(`SELECT status, kind, responseId, complaintId FROM Appeal WHERE id = ?`).get(id) as
      | { status: AppealState; kind: AppealKind; responseId: number | null; complaintId: number | null }
      | undefined;
    if (!a) return "not_found";
    const to = nextAppealState(a.status, decision);
    if (!to) return "state";
    if (to === "upheld") {
      const reason = appealExclusionReason(id, note);
      const result = a.kind === "response" ? exclude.response(a.responseId!, reason, { appealId: id }) : exclude.rating(a.complaintId!, reason, { appealId: id });
      // Excluded meanwhile by other means: the office decides again (reject, with that as the note).
      if (result === "already") return "already_excluded";
      if (result !== "done") return "not_found";
    }
    db.prepare(`UPDATE Appeal SET status = ?, decidedById = ?, decidedAt = ?, decisionNote = ? WHERE id = ?`).run(to, actorId, sqliteDateTime(now), note, id);
    writeAuditLegacy({ actorId, action: decision === "uphold" ? "appeal.uphold" : "appeal.reject", targetType: "appeal", targetId: id, note, at: now });
    return "done";
  });
}

export async function getAppeal(id: number): Promise<AppealRecord | null> {
  const db = await getDb();
  return (await db.appeal.findUnique({ where: { id }, select: appealSelect })) as AppealRecord | null;
}

/** Appeals of some units (null: all), pending first, newest first. */
export async function listAppeals(unitIds: readonly number[] | null): Promise<AppealRecord[]> {
  const db = await getDb();
  const rows = (await db.appeal.findMany({
    where: unitIds ? { unitId: { in: [...unitIds] } } : {},
    orderBy: [{ filedAt: "desc" }, { id: "desc" }],
    take: 500,
    select: appealSelect,
  })) as AppealRecord[];
  return [...rows.filter((r) => r.status === "pending"), ...rows.filter((r) => r.status !== "pending")];
}
