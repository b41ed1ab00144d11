// 差评回访 (issue 13): the call-back owed after a complaint that followed a dissatisfied rating. The
// rules (deadline in working days, done at the first reach, the four states), the record form,
// and on a real database: the deadline set at filing from the rating period's followUpDays and the
// CalendarDay calendar, the records and who may write them, and the office's counts. (The SQLite
// migration's backfill replayed against the TypeScript rule: follow-up-backfill.test.ts.)
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromRegionDateTime, parseFollowUpCall, toRegionDateTime } from "#app/domain/follow-up-form";
import {
  countFollowUps,
  followUpDoneAt,
  followUpDue,
  followUpState,
  openFollowUp,
  plausibleCallTime,
  sumFollowUpCounts,
} from "#app/domain/rating-followup";
import { calendarFrom } from "#app/domain/working-days";
import { freshTestDatabase } from "./support/test-db";

const { dir } = freshTestDatabase("follow-up");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const { getDb } = await import("#app/lib/db.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { fileComplaint, setCalendarDay } = await import("#app/models/complaint.server");
const { recordCallBack, followUpsByUnit } = await import("#app/services/rating-followup.server");
const { defaultParams } = await import("#app/domain/scoring");

// National Day 2026 (Thursday 1 – Wednesday 7 October) off, Sunday 27 September worked instead (调休).
const holidayRows = [
  ...["01", "02", "03", "04", "05", "06", "07"].map((d) => ({ date: `2026-10-${d}`, kind: "holiday" })),
  { date: "2026-09-27", kind: "workday" },
];
const calendar = calendarFrom(holidayRows);

describe("the follow-up deadline", () => {
  it("counts working days after filing, skipping the holiday and counting the swapped Sunday", () => {
    // Filed Friday 25 September, 10:00 region time: 27, 28, 29, 30 September, then 8 October.
    const filed = new Date("2026-09-25T02:00:00Z");
    expect(followUpDue(filed, 5, calendar)).toEqual(new Date("2026-10-08T15:59:59.999Z"));
    // Without the calendar's exceptions the fifth working day is Friday 2 October.
    expect(followUpDue(filed, 5, calendarFrom([]))).toEqual(new Date("2026-10-02T15:59:59.999Z"));
    // A complaint filed on the holiday itself starts counting after it.
    expect(followUpDue(new Date("2026-10-03T04:00:00Z"), 1, calendar)).toEqual(new Date("2026-10-08T15:59:59.999Z"));
  });
});

describe("the follow-up's state", () => {
  const dueAt = new Date("2026-10-08T15:59:59.999Z");
  const before = new Date("2026-10-08T09:00:00Z");
  const after = new Date("2026-10-09T01:00:00Z");

  it("is due until the deadline, then overdue; done on time or late by when the citizen was reached", () => {
    expect(followUpState({ dueAt, doneAt: null }, before)).toBe("due");
    expect(followUpState({ dueAt, doneAt: null }, dueAt)).toBe("due");
    expect(followUpState({ dueAt, doneAt: null }, after)).toBe("overdue");
    expect(followUpState({ dueAt, doneAt: before }, after)).toBe("done_on_time");
    expect(followUpState({ dueAt, doneAt: dueAt }, after)).toBe("done_on_time");
    expect(followUpState({ dueAt, doneAt: after }, after)).toBe("done_late");
    // A complaint that followed no rating owes no call-back.
    expect(followUpState({ dueAt: null, doneAt: null }, after)).toBeNull();
    expect(openFollowUp({ dueAt, doneAt: null }, after)).toBe("overdue");
    expect(openFollowUp({ dueAt, doneAt: before }, after)).toBeNull();
  });

  it("is done at the earliest attempt that reached the citizen, satisfied or not; failed attempts do not count", () => {
    const at = (h: number) => new Date(Date.UTC(2026, 9, 8, h));
    expect(followUpDoneAt([{ calledAt: at(1), outcome: "not_reached" }])).toBeNull();
    expect(followUpDoneAt([{ calledAt: at(1), outcome: "not_reached" }, { calledAt: at(3), outcome: "reached_dissatisfied" }])).toEqual(at(3));
    // Recorded out of order: the earlier reach counts.
    expect(followUpDoneAt([{ calledAt: at(5), outcome: "reached_resolved" }, { calledAt: at(2), outcome: "reached_dissatisfied" }])).toEqual(at(2));
    expect(followUpDoneAt([])).toBeNull();
  });

  it("counts per state, and sums units", () => {
    const rows = [
      { dueAt, doneAt: null },
      { dueAt, doneAt: before },
      { dueAt, doneAt: after },
      { dueAt: new Date("2026-10-01T00:00:00Z"), doneAt: null },
      { dueAt: null, doneAt: null },
    ];
    const counts = countFollowUps(rows, before);
    expect(counts).toEqual({ due: 1, overdue: 1, done_on_time: 1, done_late: 1 });
    expect(sumFollowUpCounts([counts, counts])).toEqual({ due: 2, overdue: 2, done_on_time: 2, done_late: 2 });
  });

  it("an attempt is dated between the filing and now (a few minutes of clock difference allowed)", () => {
    const filed = new Date("2026-10-08T02:00:00Z");
    const now = new Date("2026-10-09T02:00:00Z");
    expect(plausibleCallTime(new Date("2026-10-08T05:00:00Z"), filed, now)).toBe(true);
    expect(plausibleCallTime(new Date("2026-10-09T02:04:00Z"), filed, now)).toBe(true);
    expect(plausibleCallTime(new Date("2026-10-09T03:00:00Z"), filed, now)).toBe(false);
    expect(plausibleCallTime(new Date("2026-10-07T23:00:00Z"), filed, now)).toBe(false);
  });
});

describe("the call-back form", () => {
  const filedAt = new Date("2026-10-08T02:00:00Z");
  const now = new Date("2026-10-09T06:00:00Z");
  const form = (fields: Record<string, string>) => new URLSearchParams(fields);

  it("reads the time as region time (UTC+8)", () => {
    expect(fromRegionDateTime("2026-10-09T10:30")).toEqual(new Date("2026-10-09T02:30:00Z"));
    expect(toRegionDateTime(new Date("2026-10-09T02:30:00Z"))).toBe("2026-10-09T10:30");
    expect(fromRegionDateTime("2026-02-30T10:30")).toBeNull();
    expect(fromRegionDateTime("2026-10-09T24:10")).toBeNull();
  });

  it("accepts a complete record; the note is optional", () => {
    const parsed = parseFollowUpCall(form({ calledAt: "2026-10-09T10:30", method: "phone", outcome: "not_reached" }), { filedAt, now });
    expect(parsed).toEqual({ ok: true, data: { calledAt: new Date("2026-10-09T02:30:00Z"), method: "phone", outcome: "not_reached", note: null } });
  });

  it("refuses each bad field with its translated message and hands back what was typed", () => {
    const note = "Rang twice, no answer;\r\nwill try tomorrow.";
    const parsed = parseFollowUpCall(form({ calledAt: "tomorrow", method: "fax", note }), { filedAt, now });
    expect(parsed).toEqual({
      ok: false,
      errors: { calledAt: "errors.followUpTime", method: "errors.invalidChoice", outcome: "errors.invalidChoice" },
      values: { calledAt: "tomorrow", method: "fax", note: "Rang twice, no answer;\nwill try tomorrow." },
    });
    expect(parseFollowUpCall(form({ method: "visit", outcome: "reached_resolved" }), { filedAt, now })).toMatchObject({ ok: false, errors: { calledAt: "errors.required" } });
    // In the future, or before the complaint was filed.
    for (const calledAt of ["2026-10-09T15:00", "2026-10-08T09:00"]) {
      expect(parseFollowUpCall(form({ calledAt, method: "visit", outcome: "reached_resolved" }), { filedAt, now }), calledAt).toMatchObject({
        ok: false,
        errors: { calledAt: "errors.followUpWhen" },
      });
    }
    expect(parseFollowUpCall(form({ calledAt: "2026-10-09T10:30", method: "visit", outcome: "reached_resolved", note: "x".repeat(2001) }), { filedAt, now })).toMatchObject({
      ok: false,
      errors: { note: "errors.tooLong" },
    });
  });
});

describe("on the stored data", () => {
  let survey: { surveyId: number; versionId: number; periodId: number };
  const unit: Record<string, number> = {};
  const staffOf = (code: string, userId = 1) => ({ userId, grants: [{ role: "unit_staff" as const, unitId: unit[code]!, includeSubunits: false }] });
  const office = { userId: 9, grants: [{ role: "office" as const, unitId: null, includeSubunits: false }] };

  async function dissatisfiedRating(code: string) {
    const db = await getDb();
    const r = await db.response.create({
      data: { surveyId: survey.surveyId, surveyVersionId: survey.versionId, periodId: survey.periodId, unitId: unit[code]!, lang: "zh-Hans", channel: "qr", dissatisfied: true },
    });
    return r.id;
  }

  async function complain(code: string, responseId: number | null, now: Date, type = "attitude") {
    const { reference } = await fileComplaint({
      input: { unit: code, type: type as "attitude", description: "窗口人员态度很差，问了三次都不回答。", anonymous: "yes", consent: "yes" },
      unitId: unit[code]!,
      lang: "zh-Hans",
      deviceId: null,
      ipHash: null,
      responseId,
      now,
    });
    const db = await getDb();
    return db.complaint.findUniqueOrThrow({ where: { reference } });
  }

  beforeAll(async () => {
    const db = await getDb();
    survey = await seedStructure(db);
    for (const code of ["C01", "C02", "C03"]) unit[code] = (await db.unit.findUniqueOrThrow({ where: { code } })).id;
    // The period asks for call-backs within 3 working days.
    await db.evaluationPeriod.update({ where: { id: survey.periodId }, data: { params: { ...defaultParams, followUpDays: 3 } } });
    for (const row of holidayRows) await setCalendarDay(row.date, row.kind as "holiday" | "workday");
  });

  it("a complaint after a dissatisfied rating is due within the period's followUpDays on the stored calendar; others owe none", async () => {
    // Monday 28 September, 10:00: 29, 30 September, then 8 October (1–7 October are off).
    const filed = new Date("2026-09-28T02:00:00Z");
    const c = await complain("C01", await dissatisfiedRating("C01"), filed);
    expect(c.followUpDueAt).toEqual(new Date("2026-10-08T15:59:59.999Z"));
    expect(c.followUpDoneAt).toBeNull();
    expect((await complain("C01", null, filed)).followUpDueAt).toBeNull();
  });

  it("records could-not-reach, then reached: done at the reach, every attempt kept with an internal event", async () => {
    const filed = new Date("2026-09-28T02:00:00Z");
    const c = await complain("C02", await dissatisfiedRating("C02"), filed);
    const now = new Date("2026-09-30T08:00:00Z");
    const post = (fields: Record<string, string>) => recordCallBack(staffOf("C02"), c.reference, new URLSearchParams(fields), now);
    expect(await post({ calledAt: "2026-09-29T09:00", method: "phone", outcome: "not_reached", note: "No answer." })).toEqual({ ok: true });
    const db = await getDb();
    expect((await db.complaint.findUniqueOrThrow({ where: { id: c.id } })).followUpDoneAt).toBeNull();
    expect(await post({ calledAt: "2026-09-30T15:30", method: "visit", outcome: "reached_resolved" })).toEqual({ ok: true });
    const stored = await db.complaint.findUniqueOrThrow({ where: { id: c.id }, include: { followUpCalls: { include: { event: true }, orderBy: { id: "asc" } } } });
    expect(stored.followUpDoneAt).toEqual(new Date("2026-09-30T07:30:00Z"));
    expect(followUpState({ dueAt: stored.followUpDueAt, doneAt: stored.followUpDoneAt }, now)).toBe("done_on_time");
    expect(stored.followUpCalls.map((x) => [x.outcome, x.method, x.note, x.event.action, x.event.visibility, x.event.actorId])).toEqual([
      ["not_reached", "phone", "No answer.", "follow_up", "internal", 1],
      ["reached_resolved", "visit", null, "follow_up", "internal", 1],
    ]);
    // A later reach does not move the done time; an earlier one (recorded late) does.
    await post({ calledAt: "2026-09-30T16:00", method: "phone", outcome: "reached_dissatisfied" });
    await post({ calledAt: "2026-09-29T11:00", method: "message", outcome: "reached_dissatisfied" });
    expect((await db.complaint.findUniqueOrThrow({ where: { id: c.id } })).followUpDoneAt).toEqual(new Date("2026-09-29T03:00:00Z"));
    // A refused record stores nothing and hands the typing back.
    const refused = await post({ calledAt: "2026-09-29T09:00", method: "phone", note: "typed" });
    expect(refused).toEqual({ ok: false, errors: { outcome: "errors.invalidChoice" }, values: { calledAt: "2026-09-29T09:00", method: "phone", note: "typed" } });
    expect(await db.followUpCall.count({ where: { complaintId: c.id } })).toBe(4);
  });

  it("only the handling unit records: another unit's staff get 404, the office 403; a case that followed no rating 409", async () => {
    const filed = new Date("2026-09-28T02:00:00Z");
    const c = await complain("C03", await dissatisfiedRating("C03"), filed);
    const plain = await complain("C03", null, filed);
    const good = { calledAt: "2026-09-29T09:00", method: "phone", outcome: "reached_resolved" };
    const now = new Date("2026-09-30T08:00:00Z");
    const status = async (p: Promise<unknown>) => p.then(() => 200, (e: { init?: { status?: number } }) => e.init?.status ?? -1);
    expect(await status(recordCallBack(staffOf("C01"), c.reference, new URLSearchParams(good), now))).toBe(404);
    expect(await status(recordCallBack(office, c.reference, new URLSearchParams(good), now))).toBe(403);
    expect(await status(recordCallBack(staffOf("C03"), plain.reference, new URLSearchParams(good), now))).toBe(409);
    const db = await getDb();
    expect(await db.followUpCall.count({ where: { complaintId: { in: [c.id, plain.id] } } })).toBe(0);
  });

  it("counts each unit's follow-ups by state; integrity complaints only for the office", async () => {
    const filed = new Date("2026-09-28T02:00:00Z");
    // C01 has one due (filed above, nothing recorded) and gets one integrity complaint.
    await complain("C01", await dissatisfiedRating("C01"), filed, "integrity");
    const before = new Date("2026-10-08T00:00:00Z");
    const after = new Date("2026-10-09T00:00:00Z");
    const withIntegrity = await followUpsByUnit(survey.periodId, { withIntegrity: true }, before);
    expect(withIntegrity.get(unit.C01!)).toEqual({ due: 2, overdue: 0, done_on_time: 0, done_late: 0 });
    expect(withIntegrity.get(unit.C02!)).toEqual({ due: 0, overdue: 0, done_on_time: 1, done_late: 0 });
    expect((await followUpsByUnit(survey.periodId, { unitId: unit.C01!, withIntegrity: false }, after)).get(unit.C01!)).toEqual({ due: 0, overdue: 1, done_on_time: 0, done_late: 0 });
    // A late reach on C03's case: done late.
    const late = await complain("C03", await dissatisfiedRating("C03"), filed);
    // 07:30 on 9 October, region time: past the deadline at the end of 8 October.
    const recorded = await recordCallBack(staffOf("C03"), late.reference, new URLSearchParams({ calledAt: "2026-10-09T07:30", method: "phone", outcome: "reached_dissatisfied" }), after);
    expect(recorded).toEqual({ ok: true });
    expect((await followUpsByUnit(survey.periodId, { withIntegrity: true }, after)).get(unit.C03!)).toEqual({ due: 0, overdue: 1, done_on_time: 0, done_late: 1 });
  });
});
