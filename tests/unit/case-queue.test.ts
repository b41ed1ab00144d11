// The staff queue opens on the cases that need action, nearest deadline first, with a count per
// status; a reopened case is owed a new answer by its type's rule; extension events read in words.
// The rules as plain functions, then on the stored data through the real models and services.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCaseAction } from "#app/domain/case-action-form";
import { parseComplaint } from "#app/domain/complaint-form";
import { reopenedReplyDue } from "#app/domain/deadlines";
import { extensionEventDetail } from "#app/domain/extensions";
import type { Actor } from "#app/domain/permissions";
import { calendarFrom, emptyCalendar } from "#app/domain/working-days";
import { tCount } from "#app/i18n/plural";
import { createTranslator } from "#app/i18n/translator";
import { freshTestDatabase } from "./support/test-db";

describe("the reply deadline of a reopened case", () => {
  // Friday 2026-03-06 10:00 in the region (UTC+8).
  const friday = new Date("2026-03-06T02:00:00.000Z");

  it("is the type's reply time again, in working days counted from the reopening", () => {
    // 5 working days after Friday: Mon 9 … Fri 13, to the end of that day (region time).
    expect(reopenedReplyDue(friday, { acceptDays: 1, replyDays: 5 }, emptyCalendar).toISOString()).toBe("2026-03-13T15:59:59.999Z");
    expect(reopenedReplyDue(friday, { acceptDays: 1, replyDays: 1 }, emptyCalendar).toISOString()).toBe("2026-03-09T15:59:59.999Z");
  });

  it("skips the region's holidays and counts its swapped working weekend days", () => {
    const calendar = calendarFrom([
      { date: "2026-03-09", kind: "holiday" },
      { date: "2026-03-07", kind: "workday" },
    ]);
    // Sat 7 (working), Tue 10, Wed 11.
    expect(reopenedReplyDue(friday, { acceptDays: 1, replyDays: 3 }, calendar).toISOString()).toBe("2026-03-11T15:59:59.999Z");
  });
});

describe("extension events on the timeline", () => {
  const at = new Date("2026-03-06T02:00:00.000Z");

  it("a request's days come out of its stored note, leaving the reason", () => {
    expect(extensionEventDetail({ action: "extension_requested", at, note: "5: waiting for the land office" }, [])).toEqual({
      days: 5,
      note: "waiting for the land office",
    });
    expect(extensionEventDetail({ action: "extension_requested", at, note: "3: " }, [])).toEqual({ days: 3, note: null });
  });

  it("an approval names the days of the request decided at that moment; other events are left alone", () => {
    const extensions = [
      { days: 2, decidedAt: new Date("2026-03-01T00:00:00.000Z") },
      { days: 7, decidedAt: at },
    ];
    expect(extensionEventDetail({ action: "extension_approved", at, note: "ok" }, extensions)).toEqual({ days: 7, note: "ok" });
    expect(extensionEventDetail({ action: "extension_refused", at, note: "no" }, extensions)).toEqual({ days: null, note: "no" });
    expect(extensionEventDetail({ action: "note", at, note: "5: not a count" }, extensions)).toEqual({ days: null, note: "5: not a count" });
  });

  it("reads 'extended by N working days' with the language's plural forms", () => {
    const load = (lng: string) => JSON.parse(fs.readFileSync(`locales/${lng}/common.json`, "utf8"));
    const en = createTranslator(load("en"));
    expect(tCount(en, "en", "staff.case.extendedBy", 5)).toBe("extended by 5 working days");
    expect(tCount(en, "en", "staff.case.extendedBy", 1)).toBe("extended by 1 working day");
    const zh = createTranslator(load("zh-Hans"));
    expect(tCount(zh, "zh-Hans", "staff.case.extendedBy", 1)).toBe("延长 1 个工作日");
    for (const lng of ["ug", "kk"]) {
      const t = createTranslator(load(lng));
      for (const n of [1, 5]) {
        const text = tCount(t, lng, "staff.case.extendedBy", n);
        expect(text, lng).toContain(String(n));
        expect(text, lng).not.toContain("staff.case");
      }
    }
  });
});

function caseAction(fields: Record<string, string>) {
  const parsed = parseCaseAction(new URLSearchParams(fields));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.data;
}

describe("the queue on the stored data", () => {
  const { dir } = freshTestDatabase("case-queue");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  let staff: Actor;
  let office: Actor;
  const refs: Record<string, string> = {};

  beforeAll(async () => {
    const { getDb } = await import("#app/lib/db.server");
    const { seedStructure } = await import("../../prisma/seed-lib");
    const { createStaffUser } = await import("#app/models/staff.server");
    const { findUnitByCode } = await import("#app/models/unit.server");
    const { fileComplaint } = await import("#app/models/complaint.server");
    const db = await getDb();
    await seedStructure(db);
    const unit = (await findUnitByCode("D07"))!;
    const head = await createStaffUser({
      username: "d07.head",
      displayName: "Head",
      password: "a long test password 2026",
      mustChangePassword: false,
      grants: [{ role: "unit_head", unitId: unit.id }],
    });
    staff = { userId: head.id, grants: [{ role: "unit_head", unitId: unit.id, includeSubunits: false }] };
    office = { userId: 0, grants: [{ role: "office", unitId: null, includeSubunits: false }] };
    const parsed = parseComplaint({ unit: "D07", type: "slow_action", description: "The permit took six weeks although the rules say ten days.", anonymous: "yes", consent: "yes" });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const file = async (name: string, daysAgo: number) => {
      const now = new Date(Date.now() - daysAgo * 86_400_000);
      refs[name] = (await fileComplaint({ input: parsed.data, unitId: unit.id, lang: "en", deviceId: null, ipHash: null, now })).reference;
    };
    // Filed long ago and answered, closed or rejected: nothing is due on them.
    await file("answered", 90);
    await file("closed", 80);
    await file("rejected", 70);
    // Still owed: the oldest is the most overdue.
    await file("lateAccepted", 40);
    await file("fresh", 0);
    const { performCaseAction } = await import("#app/services/case-actions.server");
    const act = (name: string, intent: string, note?: string) => performCaseAction(staff, refs[name]!, caseAction({ intent, ...(note ? { note } : {}) }));
    for (const name of ["answered", "closed"]) {
      await act(name, "accept");
      await act(name, "reply", "The permit was issued on Monday.");
    }
    await act("closed", "close");
    await act("rejected", "reject", "Not a matter for this office.");
    await act("lateAccepted", "accept");
  });

  it("opens on the cases that need action, most overdue first, newest answered ones out of the way", async () => {
    const { listQueue } = await import("#app/models/case-queue.server");
    const queue = await listQueue(staff, {});
    expect(queue.rows.map((r) => r.reference)).toEqual([refs.lateAccepted, refs.fresh]);
    expect(queue.rows[0]!.nextDueAt!.getTime()).toBeLessThan(Date.now());
  });

  it("counts every status for the tabs, and each tab lists what it counts", async () => {
    const { listQueue } = await import("#app/models/case-queue.server");
    const { counts } = await listQueue(staff, {});
    expect(counts).toMatchObject({ open: 2, submitted: 1, accepted: 1, in_progress: 0, replied: 1, closed: 1, rejected: 1, all: 5 });
    for (const [status, n] of Object.entries(counts)) {
      expect((await listQueue(staff, { status: status as keyof typeof counts })).rows, status).toHaveLength(n);
    }
    // The counts follow the other filters.
    expect((await listQueue(staff, { overdue: true })).counts).toMatchObject({ open: 1, accepted: 1, submitted: 0, all: 1 });
    expect((await listQueue(office, { overdue: true })).rows.map((r) => r.reference)).toEqual([refs.lateAccepted]);
  });

  it("the office's overdue overview counts the late case once per kind of lateness", async () => {
    const { overdueByUnit } = await import("#app/models/case-queue.server");
    const { findUnitByCode } = await import("#app/models/unit.server");
    const unit = (await findUnitByCode("D07"))!;
    expect((await overdueByUnit()).find((r) => r.unitId === unit.id)).toEqual({ unitId: unit.id, open: 2, lateAccept: 0, lateReply: 1 });
  });

  it("'not resolved' gives the case a new reply deadline by its type's rule and puts it back in the queue by that", async () => {
    const { getDb } = await import("#app/lib/db.server");
    const { recordCitizenVerdict, setDeadlineRule, getCalendar } = await import("#app/models/complaint.server");
    const { listQueue } = await import("#app/models/case-queue.server");
    await setDeadlineRule({ type: "slow_action", acceptDays: 1, replyDays: 7, maxExtensionDays: 10 });
    const db = await getDb();
    const before = await db.complaint.findUniqueOrThrow({ where: { reference: refs.answered } });
    const now = new Date();
    expect(await recordCitizenVerdict(before.id, { notResolved: true, note: "Still no permit." }, now)).toBe(true);
    const after = await db.complaint.findUniqueOrThrow({ where: { reference: refs.answered } });
    const expected = reopenedReplyDue(now, { acceptDays: 1, replyDays: 7 }, await getCalendar());
    expect(after.status).toBe("in_progress");
    expect(after.replyDueAt).toEqual(expected);
    expect(after.replyDueAt.getTime()).toBeGreaterThan(before.replyDueAt.getTime());
    expect(after.nextDueAt).toEqual(expected);
    const queue = await listQueue(staff, {});
    expect(queue.rows.map((r) => r.reference)).toEqual([refs.lateAccepted, refs.fresh, refs.answered]);
    expect(queue.counts).toMatchObject({ open: 3, in_progress: 1, replied: 0 });
  });
});
