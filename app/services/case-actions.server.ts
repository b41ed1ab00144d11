// Staff actions on a complaint. Every call checks, on the server: the case exists and the actor
// may see it (else 404, like a missing case), may take this action (403), and the case flow allows
// it now (409). Each change is stored with its immutable event in one transaction.
import { data } from "react-router";
import { type CaseStatus, nextStatus } from "#app/domain/case-flow";
import type { CaseActionInput } from "#app/domain/case-action-form";
import { canRequestExtension, pendingExtension, validExtensionDays } from "#app/domain/extensions";
import { type Actor, canActOnCase, canOfficeAct, canViewCase } from "#app/domain/permissions";
import { extendDeadline } from "#app/domain/working-days";
import { dueAfterWorkingDays } from "#app/domain/working-days";
import { getDb } from "#app/lib/db.server";
import { deadlineRule, getCalendar } from "#app/models/complaint.server";
import { findUnitByCode, unitIndex } from "#app/models/unit.server";
import { notificationRows } from "#app/models/notification.server";
import { excludeRating } from "./moderation.server";
import { type CaseForMessages, type CaseStep, caseUpdate } from "./notify/messages.server";
import { noticeContext, noticeCreateData, staffNoticeWrites } from "./notify/staff-notices.server";
import { newCaseKind } from "#app/domain/staff-notices";

export async function loadCaseFor(actor: Actor, reference: string) {
  const db = await getDb();
  const c = await db.complaint.findUnique({ where: { reference } });
  const index = await unitIndex();
  if (!c || !canViewCase(actor, c, index.ancestorsOf)) throw data({ reason: "unknown_page" }, { status: 404 });
  return { c, index };
}

export type ActionResult = { done: true; contact?: { name: string | null; phone: string | null; email: string | null } };

const officeIntents = new Set(["approve_extension", "refuse_extension", "supervise", "exclude_rating"]);

/** The staff actions a citizen is told of, and the step each one is. */
const CITIZEN_STEPS: Partial<Record<string, CaseStep>> = { accept: "accepted", transfer: "transferred", reply: "replied", reject: "rejected", close: "closed" };

export async function performCaseAction(actor: Actor, reference: string, input: CaseActionInput, now = new Date()): Promise<ActionResult> {
  const { c, index } = await loadCaseFor(actor, reference);
  const intent = input.intent;
  const allowed = officeIntents.has(intent)
    ? canOfficeAct(actor, intent === "supervise" ? "supervise" : "decide_extension")
    : canActOnCase(actor, c, intent as Exclude<typeof intent, "approve_extension" | "refuse_extension" | "supervise" | "exclude_rating">, index.ancestorsOf);
  if (!allowed) throw data({ reason: "forbidden" }, { status: 403 });
  const db = await getDb();
  const event = { complaintId: c.id, at: now, actorKind: "staff", actorId: actor.userId };

  if (intent === "supervise") {
    // The unit sees the office's note; the citizen sees that the office supervises; the unit's
    // handlers are told (issue 13).
    const staff = noticeCreateData(
      staffNoticeWrites(await noticeContext(), "staff_case_supervised", { c, params: { reference: c.reference, unitId: c.unitId }, key: `supervise:${c.id}:${now.getTime()}`, now }),
      now,
    );
    await db.$transaction([
      db.complaint.update({ where: { id: c.id }, data: { supervised: true } }),
      db.complaintEvent.create({ data: { ...event, action: "supervise", note: input.note ?? null, visibility: "public" } }),
      ...staffNoticeQueries(db, staff),
    ]);
    return { done: true };
  }
  if (intent === "exclude_rating") {
    // The office takes a citizen's rating of the handling out of the complaint index (audited).
    const result = await excludeRating(c.id, input.note ?? "", actor.userId, now);
    if (result !== "done") throw data({ reason: "conflict" }, { status: 409 });
    return { done: true };
  }
  if (intent === "request_extension" || intent === "approve_extension" || intent === "refuse_extension") {
    return extensionAction(c, intent, input, event, now);
  }

  if (intent === "view_contact") {
    // Anonymous, or erased (at the citizen's request or by retention): nothing to show, nothing to record.
    if (c.anonymous || c.contactRemovedAt) throw data({ reason: "bad_request" }, { status: 400 });
    // Every viewing of contact details is recorded.
    await db.complaintEvent.create({ data: { ...event, action: "contact_viewed", visibility: "internal" } });
    return { done: true, contact: { name: c.contactName, phone: c.contactPhone, email: c.contactEmail } };
  }
  if (intent === "note") {
    await db.complaintEvent.create({ data: { ...event, action: "note", note: input.note ?? null, visibility: "internal" } });
    return { done: true };
  }

  const to = nextStatus(c.status as CaseStatus, intent);
  if (!to) throw data({ reason: "conflict" }, { status: 409 });
  const update: Record<string, unknown> = { status: to };
  let toUnitId: number | null = null;
  let toUnitNames: unknown = null;
  switch (intent) {
    case "accept":
      update.acceptedAt = now;
      break;
    case "reply":
      update.publicReply = input.note;
      update.repliedAt = now;
      break;
    case "reject":
      update.rejectReason = input.note;
      update.closedAt = now;
      break;
    case "close":
      update.closedAt = now;
      break;
    case "transfer": {
      const unit = input.toUnit ? await findUnitByCode(input.toUnit) : null;
      if (!unit || !unit.active || unit.kind === "region" || unit.id === c.unitId) {
        throw data({ reason: "bad_request" }, { status: 400 });
      }
      toUnitId = unit.id;
      toUnitNames = unit.names;
      // The receiving unit gets its own time to accept.
      const [calendar, rule] = await Promise.all([getCalendar(), deadlineRule(c.type)]);
      update.unitId = unit.id;
      update.acceptDueAt = dueAfterWorkingDays(now, rule.acceptDays, calendar);
      update.acceptedAt = null;
      break;
    }
  }
  // The citizen who left a contact is told of each step, in the same transaction (issue 13).
  const step = CITIZEN_STEPS[intent];
  const messages = step ? notificationRows(caseUpdate(c, step, { unitNames: toUnitNames ?? undefined, reply: intent === "reply" ? input.note : undefined }), now) : [];
  // A transferred case is a new case for the receiving unit's staff.
  const staff = toUnitId
    ? noticeCreateData(
        staffNoticeWrites(await noticeContext(), newCaseKind(c.type), {
          c: { ...c, unitId: toUnitId },
          params: { reference: c.reference, unitId: toUnitId },
          key: `transfer:${c.id}:${now.getTime()}`,
          now,
        }),
        now,
      )
    : null;
  try {
    await db.$transaction([
      // Only if nobody changed the case meanwhile (else P2025 → 409 below).
      db.complaint.update({ where: { id: c.id, status: c.status }, data: update }),
      ...(messages.length ? [db.notification.createMany({ data: messages })] : []),
      ...(staff ? staffNoticeQueries(db, staff) : []),
    db.complaintEvent.create({
      data: {
        ...event,
        action: intent,
        fromStatus: c.status,
        toStatus: to,
        fromUnitId: toUnitId ? c.unitId : null,
        toUnitId,
        note: input.note ?? null,
        // The citizen sees every step; transfer reasons stay internal (see the tracking page).
        visibility: "public",
        },
      }),
    ]);
  } catch (error) {
    if ((error as { code?: string }).code === "P2025") throw data({ reason: "conflict" }, { status: 409 });
    throw error;
  }
  return { done: true };
}

async function extensionAction(
  c: CaseForMessages & { status: string; type: string; replyDueAt: Date; unitId: number; subjectUnitId: number },
  intent: "request_extension" | "approve_extension" | "refuse_extension",
  input: CaseActionInput,
  event: { complaintId: number; at: Date; actorKind: string; actorId: number },
  now: Date,
): Promise<ActionResult> {
  const db = await getDb();
  const extensions = await db.extensionRequest.findMany({ where: { complaintId: c.id }, orderBy: { id: "asc" } });
  if (intent === "request_extension") {
    const rule = await deadlineRule(c.type);
    const days = Number(input.days);
    if (!validExtensionDays(days, rule.maxExtensionDays)) throw data({ reason: "bad_request" }, { status: 400 });
    if (!canRequestExtension({ status: c.status, extensions })) throw data({ reason: "conflict" }, { status: 409 });
    await db.$transaction([
      db.extensionRequest.create({
        data: { complaintId: c.id, days, reason: input.note ?? "", requestedBy: event.actorId, requestedAt: now },
      }),
      db.complaintEvent.create({ data: { ...event, action: "extension_requested", note: `${days}: ${input.note ?? ""}`, visibility: "internal" } }),
    ]);
    return { done: true };
  }
  const pending = pendingExtension(extensions);
  if (!pending) throw data({ reason: "conflict" }, { status: 409 });
  const approve = intent === "approve_extension";
  const calendar = await getCalendar();
  const replyDueAt = extendDeadline(c.replyDueAt, pending.days, calendar);
  // An approved extension moves the deadline the citizen was given: they are told (issue 13).
  const messages = approve ? notificationRows(caseUpdate(c, "extended", { dueAt: replyDueAt }), now) : [];
  // The head who asked is told the answer (issue 13).
  const staff = noticeCreateData(
    staffNoticeWrites(await noticeContext(), "staff_extension_decided", {
      c: { id: c.id, unitId: c.unitId, subjectUnitId: c.subjectUnitId, type: c.type },
      params: { reference: c.reference, unitId: c.unitId, decision: approve ? "approved" : "refused", ...(approve ? { dueAt: replyDueAt.toISOString() } : {}) },
      key: `extension:${pending.id}`,
      now,
      to: [pending.requestedBy],
    }),
    now,
  );
  // The request's own change first: a second decision on it (another tab, a double click) fails
  // there (P2025), and a notice it would write twice (P2002) never comes first; both are a 409.
  await conflictAs409(() => db.$transaction([
    db.extensionRequest.update({
      where: { id: pending.id, status: "pending" },
      data: { status: approve ? "approved" : "refused", decidedBy: event.actorId, decidedAt: now, decisionNote: input.note ?? null },
    }),
    ...(messages.length ? [db.notification.createMany({ data: messages })] : []),
    ...staffNoticeQueries(db, staff),
    ...(approve
      ? [
          db.complaint.update({
            where: { id: c.id },
            data: { replyDueAt, extensionDays: pending.days },
          }),
        ]
      : []),
    db.complaintEvent.create({
      data: { ...event, action: approve ? "extension_approved" : "extension_refused", note: input.note ?? null, visibility: "internal" },
    }),
  ]));
  return { done: true };
}

/** A write that lost a race (the record changed meanwhile, P2025; written already, P2002) is a 409, not a 500. */
async function conflictAs409<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "P2025" || code === "P2002") throw data({ reason: "conflict" }, { status: 409 });
    throw error;
  }
}

/** An event's staff notices and their messages, as queries of its batch transaction. */
function staffNoticeQueries(db: Awaited<ReturnType<typeof getDb>>, staff: ReturnType<typeof noticeCreateData>) {
  return [
    ...(staff.notices.length ? [db.staffNotice.createMany({ data: staff.notices })] : []),
    ...(staff.messages.length ? [db.notification.createMany({ data: staff.messages })] : []),
  ];
}
