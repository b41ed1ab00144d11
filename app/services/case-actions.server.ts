// Staff actions on a complaint. Every call checks, on the server: the case exists and the actor
// may see it (else 404, like a missing case), may take this action (403), and the case flow allows
// it now (409). Each change is stored with its immutable event in one transaction.
import { data } from "react-router";
import { type CaseStatus, nextStatus } from "#app/domain/case-flow";
import type { CaseActionInput } from "#app/domain/case-action-form";
import { type Actor, canActOnCase, canViewCase } from "#app/domain/permissions";
import { dueAfterWorkingDays } from "#app/domain/working-days";
import { getDb } from "#app/lib/db.server";
import { deadlineRule, getCalendar } from "#app/models/complaint.server";
import { findUnitByCode, unitIndex } from "#app/models/unit.server";

export async function loadCaseFor(actor: Actor, reference: string) {
  const db = await getDb();
  const c = await db.complaint.findUnique({ where: { reference } });
  const index = await unitIndex();
  if (!c || !canViewCase(actor, c, index.ancestorsOf)) throw data({ reason: "unknown_page" }, { status: 404 });
  return { c, index };
}

export type ActionResult = { done: true; contact?: { name: string | null; phone: string | null; email: string | null } };

export async function performCaseAction(actor: Actor, reference: string, input: CaseActionInput, now = new Date()): Promise<ActionResult> {
  const { c, index } = await loadCaseFor(actor, reference);
  if (!canActOnCase(actor, c, input.intent, index.ancestorsOf)) throw data({ reason: "forbidden" }, { status: 403 });
  const db = await getDb();
  const event = { complaintId: c.id, at: now, actorKind: "staff", actorId: actor.userId };

  if (input.intent === "view_contact") {
    if (c.anonymous) throw data({ reason: "bad_request" }, { status: 400 });
    // Every viewing of contact details is recorded.
    await db.complaintEvent.create({ data: { ...event, action: "contact_viewed", visibility: "internal" } });
    return { done: true, contact: { name: c.contactName, phone: c.contactPhone, email: c.contactEmail } };
  }
  if (input.intent === "note") {
    await db.complaintEvent.create({ data: { ...event, action: "note", note: input.note ?? null, visibility: "internal" } });
    return { done: true };
  }

  const to = nextStatus(c.status as CaseStatus, input.intent);
  if (!to) throw data({ reason: "conflict" }, { status: 409 });
  const update: Record<string, unknown> = { status: to };
  let toUnitId: number | null = null;
  switch (input.intent) {
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
      // The receiving unit gets its own time to accept.
      const [calendar, rule] = await Promise.all([getCalendar(), deadlineRule(c.type)]);
      update.unitId = unit.id;
      update.acceptDueAt = dueAfterWorkingDays(now, rule.acceptDays, calendar);
      update.acceptedAt = null;
      break;
    }
  }
  try {
    await db.$transaction([
      // Only if nobody changed the case meanwhile (else P2025 → 409 below).
      db.complaint.update({ where: { id: c.id, status: c.status }, data: update }),
    db.complaintEvent.create({
      data: {
        ...event,
        action: input.intent,
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
