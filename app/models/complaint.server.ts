// Complaints: filing, the citizen's view (tracking) and the citizen's rating of the handling.
// Staff handling goes through the same events table (issue 3, staff side).
import { randomInt } from "node:crypto";
import { pickText } from "#app/domain/localized";
import { defaultLanguage } from "#app/i18n/languages";
import { notificationRows } from "#app/models/notification.server";
import { caseUpdate, complaintReceived } from "#app/services/notify/messages.server";
import { noticeContext, noticeCreateData, staffNoticeWrites } from "#app/services/notify/staff-notices.server";
import { newCaseKind } from "#app/domain/staff-notices";
import { type ComplaintType } from "#app/domain/case-flow";
import {
  ACCESS_CODE_ALPHABET,
  ACCESS_CODE_LENGTH,
  type ComplaintInput,
  formatReference,
} from "#app/domain/complaint-form";
import { reopenedReplyDue } from "#app/domain/deadlines";
import { followUpDue, mayCite } from "#app/domain/rating-followup";
import { calendarFrom, dueAfterWorkingDays, type HolidayCalendar, localDate } from "#app/domain/working-days";
import type { Prisma } from "#app/generated/prisma/client";
import { getDb } from "#app/lib/db.server";
import { keyedHash, sameHash } from "#app/lib/signing.server";
import { announceChange, sharedTtlCache } from "#app/lib/shared-cache.server";
import { findRatedResponse, followUpDaysFor } from "./rating-followup.server";
import { contactKeys } from "./case-links.server";

export const DEFAULT_DEADLINES = { acceptDays: 1, replyDays: 5, maxExtensionDays: 10 };

const calendarCache = sharedTtlCache("calendar", 60_000, async (_: "all"): Promise<HolidayCalendar> => {
  const db = await getDb();
  return calendarFrom(await db.calendarDay.findMany());
});

export function getCalendar(): Promise<HolidayCalendar> {
  return calendarCache.get("all");
}

export async function listCalendarDays() {
  const db = await getDb();
  return db.calendarDay.findMany({ orderBy: { date: "asc" } });
}

/** Adds or changes one exception to Monday–Friday. New deadlines use it; existing ones stay. */
export async function setCalendarDay(date: string, kind: "holiday" | "workday" | "none") {
  const db = await getDb();
  if (kind === "none") await db.calendarDay.deleteMany({ where: { date } });
  else await db.calendarDay.upsert({ where: { date }, create: { date, kind }, update: { kind } });
  await announceChange("calendar");
}

export async function listDeadlineRules() {
  const db = await getDb();
  return db.deadlineRule.findMany({ orderBy: { type: "asc" } });
}

export async function setDeadlineRule(rule: { type: string; acceptDays: number; replyDays: number; maxExtensionDays: number }) {
  const db = await getDb();
  await db.deadlineRule.upsert({ where: { type: rule.type }, create: rule, update: rule });
}

/** The type's deadlines (or the defaults); `client` reads inside a transaction. */
export async function deadlineRule(type: string, client?: Pick<Prisma.TransactionClient, "deadlineRule">) {
  const db = client ?? (await getDb());
  return (await db.deadlineRule.findUnique({ where: { type } })) ?? { type, ...DEFAULT_DEADLINES };
}

function newAccessCode(): string {
  let code = "";
  for (let i = 0; i < ACCESS_CODE_LENGTH; i++) code += ACCESS_CODE_ALPHABET[randomInt(ACCESS_CODE_ALPHABET.length)];
  return code;
}

export interface NewComplaint {
  input: ComplaintInput;
  /** Photos already written to disk (see photos.server.ts), recorded in the same transaction. */
  photos?: { storedName: string; contentType: string; size: number; width: number; height: number }[];
  unitId: number;
  lang: string;
  deviceId: string | null;
  ipHash: string | null;
  /**
   * The survey response a signed rating reference named (rating-followup.server.ts): kept only
   * when, inside the filing transaction, it is still a dissatisfied rating of this unit.
   */
  responseId?: number | null;
  now?: Date;
}

/** Files a complaint with its first event in one transaction; returns the reference and the secret code. */
export async function fileComplaint(c: NewComplaint): Promise<{ reference: string; code: string }> {
  const db = await getDb();
  const now = c.now ?? new Date();
  const [calendar, rule, notices] = await Promise.all([getCalendar(), deadlineRule(c.input.type), noticeContext()]);
  const code = newAccessCode();
  const year = Number(localDate(now).slice(0, 4));
  const reference = await db.$transaction(async (tx) => {
    const counter = await tx.referenceCounter.upsert({
      where: { year },
      create: { year, last: 1 },
      update: { last: { increment: 1 } },
    });
    const reference = formatReference(year, counter.last);
    const cited = c.responseId ? await findRatedResponse(c.responseId, tx) : null;
    const citedId = mayCite(cited, c.unitId) ? cited.id : null;
    // 差评回访: a complaint after a dissatisfied rating is owed a call-back within the rating period's days.
    const followUpDueAt = citedId ? followUpDue(now, await followUpDaysFor(citedId, tx), calendar) : null;
    const complaint = await tx.complaint.create({
      data: {
        reference,
        accessCodeHash: keyedHash("complaint-code", `${reference}|${code}`),
        unitId: c.unitId,
        subjectUnitId: c.unitId,
        type: c.input.type,
        description: c.input.description,
        occurredWhen: c.input.when ?? null,
        occurredWhere: c.input.where ?? null,
        lang: c.lang,
        anonymous: c.input.anonymous === "yes",
        contactName: c.input.contactName ?? null,
        contactPhone: c.input.contactPhone ?? null,
        contactEmail: c.input.contactEmail ?? null,
        // "I lost my code" finds the complaint by these (app/models/case-links.server.ts).
        ...(c.input.anonymous === "yes" ? {} : contactKeys(c.input.contactEmail, c.input.contactPhone)),
        consentAt: now,
        submittedAt: now,
        acceptDueAt: dueAfterWorkingDays(now, rule.acceptDays, calendar),
        replyDueAt: dueAfterWorkingDays(now, rule.replyDays, calendar),
        deviceId: c.deviceId,
        ipHash: c.ipHash,
        responseId: citedId,
        followUpDueAt,
      },
      select: { id: true },
    });
    if (c.photos?.length) {
      await tx.complaintPhoto.createMany({ data: c.photos.map((p) => ({ ...p, complaintId: complaint.id })) });
    }
    await tx.complaintEvent.create({
      data: {
        complaintId: complaint.id,
        at: now,
        actorKind: "citizen",
        action: "submit",
        toStatus: "submitted",
        toUnitId: c.unitId,
        visibility: "public",
      },
    });
    // "Complaint received" to the contacts the citizen left, in the same transaction (issue 13).
    const contact = c.input.anonymous === "yes" ? null : { email: c.input.contactEmail ?? null, phone: c.input.contactPhone ?? null };
    if (contact && (contact.email || contact.phone)) {
      const unit = await tx.unit.findUnique({ where: { id: c.unitId }, select: { names: true } });
      const messages = complaintReceived({ complaintId: complaint.id, reference, unitName: pickText(unit?.names, c.lang, defaultLanguage), lang: c.lang, ...contact });
      await tx.notification.createMany({ data: notificationRows(messages, now) });
    }
    // "New case" to the unit's staff (or, for an integrity case, to the reviewers), as they chose.
    const staff = noticeCreateData(
      staffNoticeWrites(notices, newCaseKind(c.input.type), {
        c: { id: complaint.id, unitId: c.unitId, subjectUnitId: c.unitId, type: c.input.type },
        params: { reference, unitId: c.unitId },
        key: `new:${complaint.id}`,
        now,
      }),
      now,
    );
    if (staff.notices.length) await tx.staffNotice.createMany({ data: staff.notices });
    if (staff.messages.length) await tx.notification.createMany({ data: staff.messages });
    return reference;
  });
  return { reference, code };
}

/** The complaint when the reference and code match; null otherwise (no hint which was wrong). */
export async function findByReferenceAndCode(reference: string, code: string) {
  const db = await getDb();
  const complaint = await db.complaint.findUnique({
    where: { reference },
    include: {
      unit: { select: { code: true, names: true } },
      events: { where: { visibility: "public" }, orderBy: [{ at: "asc" }, { id: "asc" }] },
      photos: { select: { id: true, width: true, height: true }, orderBy: { id: "asc" } },
    },
  });
  // Compute the hash even for an unknown reference, so both answers take the same time.
  const given = keyedHash("complaint-code", `${reference}|${code}`);
  if (!complaint || !sameHash(given, complaint.accessCodeHash)) return null;
  return complaint;
}

export type CitizenComplaint = NonNullable<Awaited<ReturnType<typeof findByReferenceAndCode>>>;

/** One photo of the complaint with this reference, or null (no such complaint, or not its photo). */
export async function findComplaintPhoto(reference: string, photoId: number) {
  const db = await getDb();
  return db.complaintPhoto.findFirst({
    where: { id: photoId, complaint: { reference } },
    select: { id: true, storedName: true, contentType: true },
  });
}

/**
 * The citizen gives one verdict per reply of the unit: a grade, or "not resolved". After a
 * "not resolved" the case goes back to the unit; its next reply can be judged again.
 */
export function canRate(c: { status: string; handlingGrade: number | null; ratedAt: Date | null; repliedAt: Date | null }): boolean {
  if (c.status !== "replied" && c.status !== "closed") return false;
  if (c.handlingGrade !== null) return false;
  return c.ratedAt === null || (c.repliedAt !== null && c.repliedAt > c.ratedAt);
}

/**
 * The citizen's verdict on the handling: a grade (closes a replied case) or "not resolved"
 * (sends it back to handling under the office's supervision). Once only.
 */
export async function recordCitizenVerdict(
  id: number,
  verdict: { grade: number } | { notResolved: true; note: string | null },
  now = new Date(),
): Promise<boolean> {
  const db = await getDb();
  const calendar = await getCalendar();
  return db.$transaction(async (tx) => {
    const c = await tx.complaint.findUniqueOrThrow({ where: { id } });
    if (!canRate(c)) return false;
    if ("grade" in verdict) {
      const close = c.status === "replied";
      await tx.complaint.update({
        where: { id },
        data: {
          handlingGrade: verdict.grade,
          ratedAt: now,
          ...(close ? { status: "closed", closedAt: now } : {}),
        },
      });
      await tx.complaintEvent.create({
        data: {
          complaintId: id,
          at: now,
          actorKind: "citizen",
          action: "rate",
          fromStatus: c.status,
          toStatus: close ? "closed" : c.status,
          note: String(verdict.grade),
          visibility: "public",
        },
      });
    } else {
      // The unit owes a new answer, within the type's reply time from now (deadlines.ts).
      const replyDueAt = reopenedReplyDue(now, await deadlineRule(c.type, tx), calendar);
      await tx.complaint.update({
        where: { id },
        // No grade: "not resolved" is not a rating of the handling but a request to go on.
        data: { ratedAt: now, status: "in_progress", supervised: true, closedAt: null, replyDueAt, extensionDays: 0 },
      });
      await tx.complaintEvent.create({
        data: {
          complaintId: id,
          at: now,
          actorKind: "citizen",
          action: "reopen",
          fromStatus: c.status,
          toStatus: "in_progress",
          note: verdict.note,
          visibility: "public",
        },
      });
      const messages = caseUpdate(c, "reopened", { dueAt: replyDueAt });
      if (messages.length) await tx.notification.createMany({ data: notificationRows(messages, now) });
    }
    return true;
  });
}

export type { ComplaintType };
