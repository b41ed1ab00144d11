// 差评整改 (issue 14): the candidates the office chooses from, opening, the unit head's submission,
// the office's verification and publication, and what other pages read (the overdue view, the
// period's report, the unit's public page). Rules: app/domain/rectification.ts.
import {
  complaintMayOpen,
  type ItemCandidate,
  isRectificationOverdue,
  itemCandidates,
  rectificationDue,
  subjectKeyOf,
} from "#app/domain/rectification";
import { type Actor, canDecideRectifications, canReadUnitRectifications, canWriteRectification, rectificationUnits } from "#app/domain/permissions";
import { db, sqlIdList } from "#app/lib/db.server";
import { getCalendar } from "#app/models/complaint.server";
import { getPeriod, type PeriodRecord } from "#app/models/period.server";
import {
  type ChangeResult,
  decideRectification,
  getRectification,
  listRectifications,
  openRectification,
  overdueRectifications,
  publishedRectifications,
  publishRectification,
  type RectificationRecord,
  submitRectification,
} from "#app/models/rectification.server";
import { listUnits, unitIndex } from "#app/models/unit.server";
import { itemBreakdown, questionTexts } from "./dashboard.server";

export interface ComplaintCandidate {
  complaintId: number;
  reference: string;
  type: string;
  submittedAt: Date;
}

export interface UnitCandidates {
  unitId: number;
  items: ItemCandidate[];
  complaints: ComplaintCandidate[];
}

/**
 * Complaints that followed a dissatisfied rating of the period, by the rated unit; never integrity
 * complaints. Starts from the few complaints with a responseId (its index), like rating-followup.
 */
async function citingComplaints(periodId: number, unitId?: number): Promise<Map<number, ComplaintCandidate[]>> {
  const rows = await db().read.all<{ unitId: number; id: number; reference: string; type: string; submittedAt: string; dissatisfied: number }>(
    `SELECT r.unitId AS unitId, c.id AS id, c.reference AS reference, c.type AS type, c.submittedAt AS submittedAt, r.dissatisfied AS dissatisfied
     FROM Complaint c CROSS JOIN Response r
     WHERE c.responseId IS NOT NULL AND r.id = c.responseId AND r.periodId = ?${unitId === undefined ? "" : " AND r.unitId = ?"} ORDER BY c.id`,
    ...(unitId === undefined ? [periodId] : [periodId, unitId]),
  );
  const out = new Map<number, ComplaintCandidate[]>();
  for (const { unitId: u, id, reference, type, submittedAt, dissatisfied } of rows) {
    if (!complaintMayOpen({ type, dissatisfied: dissatisfied === 1 })) continue;
    const list = out.get(u) ?? [];
    list.push({ complaintId: id, reference, type, submittedAt: new Date(submittedAt) });
    out.set(u, list);
  }
  return out;
}

/**
 * The office's suggestions for a period: per unit (or for one), the items it is most dissatisfied
 * with and the complaints after dissatisfied ratings, less the subjects that already have a record.
 */
export async function rectificationCandidates(period: PeriodRecord, unitId?: number): Promise<UnitCandidates[]> {
  const units = (await listUnits()).filter((u) => u.kind !== "region" && (unitId === undefined || u.id === unitId));
  const opened = new Set((await listRectifications({ unitIds: unitId === undefined ? null : [unitId], periodId: period.id })).map((r) => `${r.unitId}|${r.subjectKey}`));
  const complaints = await citingComplaints(period.id, unitId);
  const out: UnitCandidates[] = [];
  for (const u of units) {
    const items = itemCandidates(await itemBreakdown(period, period.params, u.id)).filter((c) => !opened.has(`${u.id}|${subjectKeyOf({ source: "item", itemKey: c.key })}`));
    const cited = (complaints.get(u.id) ?? []).filter((c) => !opened.has(`${u.id}|${subjectKeyOf({ source: "complaint", complaintId: c.complaintId })}`));
    if (items.length || cited.length) out.push({ unitId: u.id, items, complaints: cited });
  }
  return out;
}

export type OpenResult = { ok: true; id: number } | { ok: false; reason: "forbidden" | "not_candidate" | "exists" };

/** Opens a record for one of the current candidates (the office's choice), due rectificationDays working days later. */
export async function openCandidate(actor: Actor, period: PeriodRecord, unitId: number, subjectKey: string, now = new Date()): Promise<OpenResult> {
  if (!canDecideRectifications(actor)) return { ok: false, reason: "forbidden" };
  const [candidates] = await rectificationCandidates(period, unitId);
  const item = candidates?.items.find((c) => subjectKeyOf({ source: "item", itemKey: c.key }) === subjectKey);
  const complaint = candidates?.complaints.find((c) => subjectKeyOf({ source: "complaint", complaintId: c.complaintId }) === subjectKey);
  if (!item && !complaint) return { ok: false, reason: "not_candidate" };
  const dueAt = rectificationDue(now, period.params.rectificationDays, await getCalendar());
  const result = await openRectification(
    {
      periodId: period.id,
      unitId,
      source: item ? "item" : "complaint",
      subjectKey,
      itemKey: item?.key ?? null,
      complaintId: complaint?.complaintId ?? null,
      evidence: item ? { dissatisfied: item.dissatisfied, graded: item.graded } : null,
    },
    dueAt,
    actor.userId,
    now,
  );
  return result === "exists" ? { ok: false, reason: "exists" } : { ok: true, id: result.id };
}

/** A record the actor may read (else null: the page answers 404, like a missing one), with what they may do. */
export async function rectificationFor(actor: Actor, id: number) {
  const r = await getRectification(id);
  if (!r) return null;
  const index = await unitIndex();
  if (!canReadUnitRectifications(actor, r.unitId, index.ancestorsOf)) return null;
  return {
    record: r,
    mayWrite: canWriteRectification(actor, r.unitId, index.ancestorsOf) && (r.status === "open" || r.status === "returned"),
    mayDecide: canDecideRectifications(actor) && r.status === "submitted",
    mayPublish: canDecideRectifications(actor) && r.status === "accepted",
  };
}

/** Records the actor may read, in a period (or all). */
export async function rectificationsFor(actor: Actor, periodId?: number): Promise<RectificationRecord[]> {
  const index = await unitIndex();
  return listRectifications({ unitIds: rectificationUnits(actor, index.descendantsOf), periodId });
}

export type StepResult = ChangeResult | "forbidden";

export async function submitFor(actor: Actor, id: number, input: { cause: string; measures: string }, now = new Date()): Promise<StepResult> {
  const found = await rectificationFor(actor, id);
  if (!found) return "not_found";
  if (!found.mayWrite) return found.record.status === "open" || found.record.status === "returned" ? "forbidden" : "state";
  return submitRectification(id, input, actor.userId, now);
}

export async function decideFor(actor: Actor, id: number, decision: "accept" | "return", note: string | null, now = new Date()): Promise<StepResult> {
  if (!canDecideRectifications(actor)) return "forbidden";
  return decideRectification(id, decision, note, actor.userId, now);
}

export async function publishFor(actor: Actor, id: number, publish: boolean, now = new Date()): Promise<StepResult> {
  if (!canDecideRectifications(actor)) return "forbidden";
  return publishRectification(id, publish, actor.userId, now);
}

export interface PeriodRectification {
  id: number;
  unitId: number;
  unitCode: string;
  unitNames: Record<string, string>;
  source: "item" | "complaint";
  /** The item's question texts by language (item), or the complaint's type (complaint). */
  itemKey: string | null;
  itemTexts: Record<string, string> | null;
  complaintType: string | null;
  status: string;
  dueAt: Date;
  overdue: boolean;
  acceptedAt: Date | null;
  published: boolean;
}

async function describe(records: readonly RectificationRecord[], now: Date): Promise<PeriodRectification[]> {
  const index = await unitIndex();
  const texts = new Map<number, Map<string, Record<string, string>>>();
  for (const periodId of new Set(records.map((r) => r.periodId))) texts.set(periodId, await questionTexts(periodId));
  const complaintIds = records.map((r) => r.complaintId).filter((x): x is number => x !== null);
  const types = new Map(
    complaintIds.length ? (await db().read.all<{ id: number; type: string }>(`SELECT id, type FROM Complaint WHERE id IN ${sqlIdList(complaintIds)}`)).map((c) => [c.id, c.type]) : [],
  );
  return records.map((r) => {
    const unit = index.byId.get(r.unitId);
    return {
      id: r.id,
      unitId: r.unitId,
      unitCode: unit?.code ?? "",
      unitNames: unit?.names ?? {},
      source: r.source,
      itemKey: r.itemKey,
      itemTexts: r.itemKey ? (texts.get(r.periodId)?.get(r.itemKey) ?? null) : null,
      complaintType: r.complaintId !== null ? (types.get(r.complaintId) ?? null) : null,
      status: r.status,
      dueAt: r.dueAt,
      overdue: isRectificationOverdue(r, now),
      acceptedAt: r.acceptedAt,
      published: r.publishedAt !== null,
    };
  });
}

/** Every record of a period, for the office's report (status, due date, overdue). */
export async function rectificationsForPeriod(periodId: number, now = new Date()): Promise<PeriodRectification[]> {
  return describe(await listRectifications({ unitIds: null, periodId }), now);
}

/** Records owed past their due date, every unit and period (the office's overdue view). */
export async function overdueRectificationList(now = new Date()): Promise<PeriodRectification[]> {
  return describe(await overdueRectifications(now), now);
}

export interface PublishedMeasure {
  unit: { code: string; names: Record<string, string> };
  period: { code: string; names: Record<string, string> };
  /** What was rectified: a survey item (its texts by language) or a topic (the complaint's type). */
  subject: { kind: "item"; key: string; texts: Record<string, string> | null } | { kind: "topic"; complaintType: string };
  measures: string;
  acceptedAt: Date;
}

/**
 * What the unit's public page shows: the accepted measures the office published, newest first.
 * Never the cause's internal notes beyond the measures, a complaint's reference or its text.
 */
export async function publishedMeasures(unitId: number): Promise<PublishedMeasure[]> {
  const records = await publishedRectifications(unitId);
  if (!records.length) return [];
  const described = new Map((await describe(records, new Date())).map((d) => [d.id, d]));
  const periods = new Map<number, PeriodRecord | null>();
  for (const id of new Set(records.map((r) => r.periodId))) periods.set(id, await getPeriod(id));
  return records.flatMap((r) => {
    const d = described.get(r.id)!;
    const period = periods.get(r.periodId);
    if (!period || !r.measures || !r.acceptedAt) return [];
    return [
      {
        unit: { code: d.unitCode, names: d.unitNames },
        period: { code: period.code, names: period.names },
        subject: r.source === "item" ? { kind: "item" as const, key: r.itemKey ?? "", texts: d.itemTexts } : { kind: "topic" as const, complaintType: d.complaintType ?? "other" },
        measures: r.measures,
        acceptedAt: r.acceptedAt,
      },
    ];
  });
}
