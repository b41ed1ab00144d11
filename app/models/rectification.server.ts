// The stored side of 差评整改 and 申诉 (issue 14): rectification records and appeals. Every change is
// one write transaction with its audit entry; nothing is ever deleted. The rules (states,
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
import { db, dbDateTime, getDb, type Sql, type WriteTx } from "#app/lib/db.server";
import { writeAudit } from "./audit.server";

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
  return db().write(async (tx) => {
    const found = await tx.value(`SELECT id FROM Rectification WHERE periodId = ? AND unitId = ? AND subjectKey = ?`, input.periodId, input.unitId, input.subjectKey);
    if (found !== undefined) return "exists" as const;
    const id = await tx.insert(
      `INSERT INTO Rectification (periodId, unitId, source, subjectKey, itemKey, complaintId, evidence, status, openedById, openedAt, dueAt)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?) RETURNING id`,
      input.periodId,
      input.unitId,
      input.source,
      input.subjectKey,
      input.itemKey,
      input.complaintId,
      input.evidence === undefined ? null : JSON.stringify(input.evidence),
      actorId,
      dbDateTime(now),
      dbDateTime(dueAt),
    );
    await writeAudit(tx, { actorId, action: "rectification.open", targetType: "rectification", targetId: id, at: now, data: { unitId: input.unitId, periodId: input.periodId, subject: input.subjectKey, dueAt: dueAt.toISOString() } });
    return { id };
  });
}

/** A record's state, read in the transaction that changes it. */
async function stateOf(tx: Sql, id: number): Promise<RectificationState | null> {
  return (await tx.value<RectificationState>(`SELECT status FROM Rectification WHERE id = ?`, id)) ?? null;
}

/** The unit head's cause and measures: from open or returned to submitted. */
export function submitRectification(id: number, input: { cause: string; measures: string }, actorId: number, now: Date): Promise<ChangeResult> {
  return db().write(async (tx) => {
    const from = await stateOf(tx, id);
    if (!from) return "not_found";
    if (!nextRectificationState(from, "submit")) return "state";
    await tx.run(
      `UPDATE Rectification SET status = 'submitted', cause = ?, measures = ?, submittedAt = ?, submittedById = ?, submissions = submissions + 1 WHERE id = ?`,
      input.cause,
      input.measures,
      dbDateTime(now),
      actorId,
      id,
    );
    await writeAudit(tx, { actorId, action: "rectification.submit", targetType: "rectification", targetId: id, at: now, data: { from, cause: input.cause, measures: input.measures } });
    return "done";
  });
}

/** The office accepts the measures or returns them with a note (the head then revises them). */
export function decideRectification(id: number, step: Exclude<RectificationStep, "submit">, note: string | null, actorId: number, now: Date): Promise<ChangeResult> {
  return db().write(async (tx) => {
    const from = await stateOf(tx, id);
    if (!from) return "not_found";
    const to = nextRectificationState(from, step);
    if (!to) return "state";
    const at = dbDateTime(now);
    await tx.run(`UPDATE Rectification SET status = ?, decidedAt = ?, decidedById = ?, decisionNote = ?, acceptedAt = ? WHERE id = ?`, to, at, actorId, note, to === "accepted" ? at : null, id);
    await writeAudit(tx, { actorId, action: step === "accept" ? "rectification.accept" : "rectification.return", targetType: "rectification", targetId: id, note, at: now });
    return "done";
  });
}

/** Publishes accepted measures on the unit's public page, or withdraws them. */
export function publishRectification(id: number, publish: boolean, actorId: number, now: Date): Promise<ChangeResult> {
  return db().write(async (tx) => {
    const row = await tx.get<{ status: string; publishedAt: string | null }>(`SELECT status, publishedAt FROM Rectification WHERE id = ?`, id);
    if (!row) return "not_found";
    if (publish ? !mayPublish(row.status) || row.publishedAt : !row.publishedAt) return "state";
    await tx.run(`UPDATE Rectification SET publishedAt = ?, publishedById = ? WHERE id = ?`, publish ? dbDateTime(now) : null, publish ? actorId : null, id);
    await writeAudit(tx, { actorId, action: publish ? "rectification.publish" : "rectification.unpublish", targetType: "rectification", targetId: id, at: now });
    return "done";
  });
}

/** The complaint a record cites (source complaint): what the record's page shows of it. */
export function citedComplaint(complaintId: number): Promise<{ reference: string; type: string } | undefined> {
  return db().read.get<{ reference: string; type: string }>(`SELECT reference, type FROM Complaint WHERE id = ?`, complaintId);
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
  return db().write(async (tx) => {
    const waiting =
      input.kind === "response"
        ? await tx.value(`SELECT id FROM Appeal WHERE responseId = ? AND kind = 'response' AND status = 'pending'`, input.responseId)
        : await tx.value(`SELECT id FROM Appeal WHERE complaintId = ? AND kind = 'handling' AND status = 'pending'`, input.complaintId);
    if (waiting !== undefined) return "pending" as const;
    const id = await tx.insert(
      `INSERT INTO Appeal (unitId, periodId, kind, responseId, complaintId, grounds, evidence, status, filedById, filedAt) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) RETURNING id`,
      input.unitId,
      input.periodId,
      input.kind,
      input.responseId,
      input.complaintId,
      input.grounds,
      input.evidence,
      actorId,
      dbDateTime(now),
    );
    await writeAudit(tx, { actorId, action: "appeal.file", targetType: "appeal", targetId: id, note: input.evidence, at: now, data: { unitId: input.unitId, kind: input.kind, grounds: input.grounds } });
    return { id };
  });
}

/**
 * The office's decision. Upheld: the rating is excluded through the moderation path (the response's
 * "excluded" flag, or the handling rating's exclusion), with the appeal as the reason, in the same
 * transaction as the decision; the exclusion can be lifted later by the usual reinstatement.
 * Rejected: nothing but the appeal changes.
 */
/**
 * The moderation path's exclusions, inside the appeal's write transaction (services/moderation):
 * "done", "already" (excluded meanwhile) or anything else for a rating that is gone.
 */
export interface AppealExclusions {
  response(tx: WriteTx, responseId: number, reason: string, data: unknown): Promise<string>;
  rating(tx: WriteTx, complaintId: number, reason: string, data: unknown): Promise<string>;
}

export function decideAppeal(id: number, decision: "uphold" | "reject", note: string, actorId: number, now: Date, exclude: AppealExclusions): Promise<ChangeResult | "already_excluded"> {
  return db().write(async (tx) => {
    const a = await tx.get<{ status: AppealState; kind: AppealKind; responseId: number | null; complaintId: number | null }>(
      `SELECT status, kind, responseId, complaintId FROM Appeal WHERE id = ?`,
      id,
    );
    if (!a) return "not_found";
    const to = nextAppealState(a.status, decision);
    if (!to) return "state";
    if (to === "upheld") {
      const reason = appealExclusionReason(id, note);
      const result = a.kind === "response" ? await exclude.response(tx, a.responseId!, reason, { appealId: id }) : await exclude.rating(tx, a.complaintId!, reason, { appealId: id });
      // Excluded meanwhile by other means: the office decides again (reject, with that as the note).
      if (result === "already") return "already_excluded";
      if (result !== "done") return "not_found";
    }
    await tx.run(`UPDATE Appeal SET status = ?, decidedById = ?, decidedAt = ?, decisionNote = ? WHERE id = ?`, to, actorId, dbDateTime(now), note, id);
    await writeAudit(tx, { actorId, action: decision === "uphold" ? "appeal.uphold" : "appeal.reject", targetType: "appeal", targetId: id, note, at: now });
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
