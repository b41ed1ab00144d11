// 差评整改 and 申诉 (issue 14): the rules (candidates, due dates across a holiday, the states), and on
// a real database the flow of a record and of appeals: an upheld appeal excludes the rating with
// the appeal as its reason, audited and counted, and the live figures still equal the audit
// recomputation; a rejected one changes nothing but the appeal.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appealExclusionReason,
  complaintMayOpen,
  handlingRatingAppealable,
  isRectificationOverdue,
  itemCandidates,
  mayPublish,
  nextAppealState,
  nextRectificationState,
  rectificationDue,
} from "#app/domain/rectification";
import { parseAppeal, parseAppealDecision, parseRectificationDecision, parseRectificationSubmit } from "#app/domain/rectification-forms";
import { defaultParams, paramsOf } from "#app/domain/scoring";
import { calendarFrom } from "#app/domain/working-days";
import type { Actor } from "#app/domain/permissions";
import { canAppealRating, canReadUnitRectifications, canWriteRectification, canDecideRectifications } from "#app/domain/permissions";
import { freshTestDatabase } from "./support/test-db";

const { dir } = freshTestDatabase("rectification");

const { db, getDb } = await import("#app/lib/db.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { submitResponse } = await import("#app/models/response.server");
const { resolveSurvey } = await import("#app/services/citizen-survey.server");
const { getPeriod } = await import("#app/models/period.server");
const { fileComplaint } = await import("#app/models/complaint.server");
const { auditPeriod, computeFigures } = await import("#app/services/scores.server");
const svc = await import("#app/services/rectification.server");
const appeals = await import("#app/services/appeals.server");

afterAll(async () => {
  await (await getDb()).$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

const office: Actor = { userId: 9001, grants: [{ role: "office", unitId: null, includeSubunits: false }] };
const form = (v: Record<string, string>) => new URLSearchParams(v);

describe("the rules", () => {
  it("suggests the items most dissatisfied: enough answers, share of grades 1-2 at the threshold or above, worst first, three at most", () => {
    const c = (key: string, counts: number[]) => ({ key, counts });
    const found = itemCandidates([
      c("wait", [3, 3, 4, 10, 10]), // 6/30 = 20%: at the threshold
      c("attitude", [5, 5, 0, 5, 5]), // 50%
      c("few", [5, 4, 0, 0, 0]), // 100% but 9 answers: too few to say
      c("fine", [0, 1, 1, 20, 20]), // 2/42
      c("info", [4, 4, 2, 5, 5]), // 40%
      c("hall", [3, 4, 5, 4, 4]), // 35%
    ]);
    expect(found.map((f) => f.key)).toEqual(["attitude", "info", "hall"]);
    expect(found[0]).toEqual({ key: "attitude", dissatisfied: 10, graded: 20, share: 0.5 });
    expect(itemCandidates([c("wait", [3, 3, 4, 10, 10])]).map((f) => f.key)).toEqual(["wait"]);
    expect(itemCandidates([c("wait", [3, 2, 5, 10, 10])])).toEqual([]);
  });

  it("a complaint after a dissatisfied rating opens a record, never an integrity complaint", () => {
    expect(complaintMayOpen({ type: "attitude", dissatisfied: true })).toBe(true);
    expect(complaintMayOpen({ type: "integrity", dissatisfied: true })).toBe(false);
    expect(complaintMayOpen({ type: "attitude", dissatisfied: false })).toBe(false);
  });

  it("is due 15 working days after opening by default, a holiday week not counted", () => {
    expect(defaultParams.rectificationDays).toBe(15);
    // Parameters stored before the setting existed get the default; a bad value is refused.
    expect(paramsOf({ followUpDays: 7 }).rectificationDays).toBe(15);
    expect(paramsOf({ rectificationDays: 20 }).rectificationDays).toBe(20);
    expect(paramsOf({ rectificationDays: 0 }).rectificationDays).toBe(15);
    // Opened on Friday 25 September 2026 (region time); 1-7 October is the national holiday, with
    // Saturday 10 October a swapped working day.
    const opened = new Date("2026-09-25T03:00:00Z");
    const plain = rectificationDue(opened, 15, calendarFrom([]));
    expect(plain.toISOString()).toBe("2026-10-16T15:59:59.999Z");
    const holidays = calendarFrom([
      ...["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"].map((date) => ({ date, kind: "holiday" })),
      { date: "2026-10-10", kind: "workday" },
    ]);
    // Five weekdays off, one Saturday worked: four working days later than without the calendar.
    expect(rectificationDue(opened, 15, holidays).toISOString()).toBe("2026-10-22T15:59:59.999Z");
  });

  it("moves open → submitted → returned → submitted → accepted, and no other way", () => {
    expect(nextRectificationState("open", "submit")).toBe("submitted");
    expect(nextRectificationState("submitted", "return")).toBe("returned");
    expect(nextRectificationState("returned", "submit")).toBe("submitted");
    expect(nextRectificationState("submitted", "accept")).toBe("accepted");
    expect(nextRectificationState("open", "accept")).toBeNull();
    expect(nextRectificationState("returned", "accept")).toBeNull();
    expect(nextRectificationState("accepted", "submit")).toBeNull();
    expect(nextRectificationState("accepted", "return")).toBeNull();
    expect(nextRectificationState("submitted", "submit")).toBeNull();
    expect(mayPublish("accepted")).toBe(true);
    expect(mayPublish("submitted")).toBe(false);
  });

  it("is overdue while the unit owes it past the due date, not while the office is verifying", () => {
    const dueAt = new Date("2026-10-22T15:59:59.999Z");
    const after = new Date("2026-10-23T00:00:00Z");
    expect(isRectificationOverdue({ status: "open", dueAt }, after)).toBe(true);
    expect(isRectificationOverdue({ status: "returned", dueAt }, after)).toBe(true);
    expect(isRectificationOverdue({ status: "submitted", dueAt }, after)).toBe(false);
    expect(isRectificationOverdue({ status: "accepted", dueAt }, after)).toBe(false);
    expect(isRectificationOverdue({ status: "open", dueAt }, new Date("2026-10-22T15:00:00Z"))).toBe(false);
  });

  it("an appeal is decided once; a handling rating is appealable while counted, never an integrity one", () => {
    expect(nextAppealState("pending", "uphold")).toBe("upheld");
    expect(nextAppealState("pending", "reject")).toBe("rejected");
    expect(nextAppealState("upheld", "reject")).toBeNull();
    expect(nextAppealState("rejected", "uphold")).toBeNull();
    expect(handlingRatingAppealable({ type: "attitude", handlingGrade: 1, ratingExcludedAt: null })).toBe(true);
    expect(handlingRatingAppealable({ type: "attitude", handlingGrade: null, ratingExcludedAt: null })).toBe(false);
    expect(handlingRatingAppealable({ type: "attitude", handlingGrade: 1, ratingExcludedAt: new Date() })).toBe(false);
    expect(handlingRatingAppealable({ type: "integrity", handlingGrade: 1, ratingExcludedAt: null })).toBe(false);
    expect(appealExclusionReason(7, "a staff member rated it")).toBe("appeal #7: a staff member rated it");
  });

  it("who may do what: heads write and appeal for their unit, its staff read, the office decides", () => {
    const anc = (id: number) => (id === 11 ? [10] : []);
    const head: Actor = { userId: 1, grants: [{ role: "unit_head", unitId: 10, includeSubunits: true }] };
    const staff: Actor = { userId: 2, grants: [{ role: "unit_staff", unitId: 10, includeSubunits: false }] };
    const other: Actor = { userId: 3, grants: [{ role: "unit_head", unitId: 20, includeSubunits: false }] };
    expect([head, staff, other, office].map((a) => canReadUnitRectifications(a, 10, anc))).toEqual([true, true, false, true]);
    expect([head, staff, other, office].map((a) => canWriteRectification(a, 10, anc))).toEqual([true, false, false, false]);
    expect([head, staff, other, office].map((a) => canWriteRectification(a, 11, anc))).toEqual([true, false, false, false]);
    expect([head, staff, other, office].map((a) => canAppealRating(a, 10, anc))).toEqual([true, false, false, false]);
    expect([head, staff, other, office].map(canDecideRectifications)).toEqual([false, false, false, true]);
  });

  it("forms: per-field messages, the typed values kept", () => {
    const bad = parseRectificationSubmit(form({ cause: "short", measures: "x".repeat(4001) }));
    expect(bad).toEqual({ ok: false, errors: { cause: "errors.rectificationCause", measures: "errors.textTooLong" }, values: { cause: "short", measures: "x".repeat(4001) } });
    expect(parseRectificationSubmit(form({ cause: "排队叫号系统故障两周", measures: "更换叫号机，增设引导员\r\n两名" }))).toEqual({
      ok: true,
      data: { cause: "排队叫号系统故障两周", measures: "更换叫号机，增设引导员\n两名" },
    });
    expect(parseRectificationDecision(form({ decision: "return", note: "" }))).toMatchObject({ ok: false, errors: { note: "errors.returnNote" } });
    expect(parseRectificationDecision(form({ decision: "accept", note: "" }))).toEqual({ ok: true, data: { decision: "accept", note: null } });
    expect(parseRectificationDecision(form({ decision: "delete", note: "" }))).toMatchObject({ ok: false, errors: { decision: "errors.invalidChoice" } });
    expect(parseAppeal(form({ grounds: "spite", evidence: "too short" }))).toEqual({
      ok: false,
      errors: { grounds: "errors.invalidChoice", evidence: "errors.appealEvidence" },
      values: { grounds: "spite", evidence: "too short" },
    });
    expect(parseAppealDecision(form({ decision: "uphold", note: "" }))).toMatchObject({ ok: false, errors: { note: "errors.appealNote" } });
  });
});

describe("on the stored data", () => {
  const unit: Record<string, number> = {};
  let periodCode = "2026";
  const head = (code: string): Actor => ({ userId: 100 + unit[code]!, grants: [{ role: "unit_head", unitId: unit[code]!, includeSubunits: false }] });
  const staffOf = (code: string): Actor => ({ userId: 200 + unit[code]!, grants: [{ role: "unit_staff", unitId: unit[code]!, includeSubunits: false }] });
  let commentTexts: string[] = [];
  let dissatisfiedResponse = 0;

  beforeAll(async () => {
    const db = await getDb();
    await seedStructure(db);
    for (const code of ["C01", "C02"]) unit[code] = (await db.unit.findUniqueOrThrow({ where: { code } })).id;
    const survey = await resolveSurvey("satisfaction-2026", new Date("2026-06-01T10:00:00Z"));
    const grades = survey.version.questions.filter((q) => q.kind === "grade_core" || q.kind === "grade_diagnostic");
    const text = survey.version.questions.find((q) => q.kind === "text")!;
    const firstKey = grades[0]!.key;
    // C01: 30 responses; the first item graded 1 in 12 of them (40%), the others 4.
    for (let i = 0; i < 30; i++) {
      const answers: Record<string, { kind: "grade"; grade: 1 | 2 | 3 | 4 | 5 } | { kind: "text"; text: string }> = {};
      for (const q of grades) answers[q.key] = { kind: "grade", grade: q.key === firstKey && i < 12 ? 1 : 4 };
      if (i < 3) answers[text.key] = { kind: "text", text: `评论 ${i}：窗口没人` };
      const result = await submitResponse({
        survey,
        unitId: unit.C01!,
        lang: "zh-Hans",
        channel: "qr",
        deviceId: null,
        visitId: null,
        ipHash: null,
        startedAt: null,
        submittedAt: new Date(Date.UTC(2026, 5, 2 + i, 3)),
        flags: [],
        answers,
      });
      if (!result.ok) throw new Error("not stored");
      if (i === 0) dissatisfiedResponse = result.id;
    }
    commentTexts = ["评论 0：窗口没人", "评论 1：窗口没人", "评论 2：窗口没人"];
    periodCode = (await getPeriod("2026"))!.code;
  });

  it("suggests the item and the complaint after a dissatisfied rating (never an integrity one); the office opens them", async () => {
    const cited = await fileComplaint({
      input: { unit: "C01", type: "attitude", description: "窗口人员态度很差，问了三次都不回答。", anonymous: "yes", consent: "yes" },
      unitId: unit.C01!,
      lang: "zh-Hans",
      deviceId: null,
      ipHash: null,
      responseId: dissatisfiedResponse,
    });
    await fileComplaint({
      input: { unit: "C01", type: "integrity", description: "工作人员索要好处费，不给不办。", anonymous: "yes", consent: "yes" },
      unitId: unit.C01!,
      lang: "zh-Hans",
      deviceId: null,
      ipHash: null,
      responseId: dissatisfiedResponse,
    });
    const period = (await getPeriod(periodCode))!;
    const [c01] = await svc.rectificationCandidates(period, unit.C01!);
    expect(c01!.items).toHaveLength(1);
    expect(c01!.items[0]).toMatchObject({ dissatisfied: 12, graded: 30, share: 0.4 });
    expect(c01!.complaints.map((c) => c.reference)).toEqual([cited.reference]);
    expect(c01!.complaints.every((c) => c.type !== "integrity")).toBe(true);
    // Only the office opens, only a current candidate, once.
    const itemKey = `item:${c01!.items[0]!.key}`;
    expect(await svc.openCandidate(head("C01"), period, unit.C01!, itemKey)).toEqual({ ok: false, reason: "forbidden" });
    expect(await svc.openCandidate(office, period, unit.C01!, "item:made-up")).toEqual({ ok: false, reason: "not_candidate" });
    const now = new Date("2026-09-25T03:00:00Z");
    const opened = await svc.openCandidate(office, period, unit.C01!, itemKey, now);
    expect(opened.ok).toBe(true);
    expect(await svc.openCandidate(office, period, unit.C01!, itemKey, now)).toEqual({ ok: false, reason: "not_candidate" });
    const [after] = await svc.rectificationCandidates(period, unit.C01!);
    expect(after!.items).toEqual([]);
    const record = (await svc.rectificationFor(office, (opened as { id: number }).id))!.record;
    expect(record).toMatchObject({ status: "open", unitId: unit.C01, source: "item", evidence: { dissatisfied: 12, graded: 30 } });
    // Counted with the region's calendar (the seed's National Day holidays fall within).
    const calendar = calendarFrom(await db().read.all<{ date: string; kind: string }>(`SELECT date, kind FROM CalendarDay`));
    expect(calendar.holidays.has("2026-10-01")).toBe(true);
    expect(record.dueAt).toEqual(rectificationDue(now, 15, calendar));
    expect(record.dueAt.getTime()).toBeGreaterThan(rectificationDue(now, 15, calendarFrom([])).getTime());
  });

  it("the head writes, the office returns, the head revises, the office accepts and publishes; other units see nothing", async () => {
    const period = (await getPeriod(periodCode))!;
    const [c01] = await svc.rectificationCandidates(period, unit.C01!);
    const complaintKey = `complaint:${c01!.complaints[0]!.complaintId}`;
    const opened = await svc.openCandidate(office, period, unit.C01!, complaintKey, new Date("2026-09-25T03:00:00Z"));
    const id = (opened as { id: number }).id;
    const input = { cause: "窗口人员培训不足", measures: "开展服务礼仪培训" };
    // Another unit's head, and the unit's own staff, cannot act; the other unit cannot even read it.
    expect(await svc.rectificationFor(head("C02"), id)).toBeNull();
    expect(await svc.submitFor(head("C02"), id, input)).toBe("not_found");
    expect(await svc.submitFor(staffOf("C01"), id, input)).toBe("forbidden");
    expect(await svc.decideFor(head("C01"), id, "accept", null)).toBe("forbidden");
    expect(await svc.decideFor(office, id, "accept", null)).toBe("state");
    expect(await svc.submitFor(head("C01"), id, input)).toBe("done");
    expect(await svc.submitFor(head("C01"), id, input)).toBe("state");
    expect(await svc.publishFor(office, id, true)).toBe("state");
    expect(await svc.decideFor(office, id, "return", "请写明培训时间和人数")).toBe("done");
    let r = (await svc.rectificationFor(staffOf("C01"), id))!;
    expect(r.record).toMatchObject({ status: "returned", decisionNote: "请写明培训时间和人数" });
    expect(r.mayWrite).toBe(false);
    expect((await svc.rectificationFor(head("C01"), id))!.mayWrite).toBe(true);
    expect(await svc.submitFor(head("C01"), id, { ...input, measures: "十月十二日对全部12名窗口人员开展服务礼仪培训" })).toBe("done");
    expect(await svc.decideFor(office, id, "accept", null)).toBe("done");
    r = (await svc.rectificationFor(office, id))!;
    expect(r.record).toMatchObject({ status: "accepted", submissions: 2 });
    expect(await svc.publishedMeasures(unit.C01!)).toEqual([]);
    expect(await svc.publishFor(office, id, true)).toBe("done");
    const shown = await svc.publishedMeasures(unit.C01!);
    expect(shown).toEqual([
      {
        unit: { code: "C01", names: expect.any(Object) },
        period: { code: periodCode, names: expect.any(Object) },
        subject: { kind: "topic", complaintType: "attitude" },
        measures: "十月十二日对全部12名窗口人员开展服务礼仪培训",
        acceptedAt: expect.any(Date),
      },
    ]);
    // The public side never carries the complaint's reference or text.
    expect(JSON.stringify(shown)).not.toMatch(/TS-|态度很差/);
    expect(await svc.publishedMeasures(unit.C02!)).toEqual([]);
    // Every step is audited.
    const actions = await db().read.pluck<string>(`SELECT action FROM AuditEvent WHERE targetType = 'rectification' AND targetId = ? ORDER BY id`, String(id));
    expect(actions).toEqual(["rectification.open", "rectification.submit", "rectification.return", "rectification.submit", "rectification.accept", "rectification.publish"]);
    // The report's list names it with its standing; the item record (still open) is overdue once its date has passed.
    const listed = await svc.rectificationsForPeriod(period.id, new Date("2026-11-01T00:00:00Z"));
    expect(listed.map((l) => [l.source, l.status, l.overdue])).toEqual([
      ["item", "open", true],
      ["complaint", "accepted", false],
    ]);
    expect((await svc.overdueRectificationList(new Date("2026-11-01T00:00:00Z"))).map((l) => l.source)).toEqual(["item"]);
  });

  it("an upheld appeal excludes the response with its reason, counted, and live figures equal the audit; a rejected one changes nothing", async () => {
    const period = (await getPeriod(periodCode))!;
    const now = new Date("2026-12-01T00:00:00Z");
    const before = (await computeFigures(period, { now })).units.find((u) => u.code === "C01")!;
    expect(before.n).toBe(30);
    // The head names the comment by what they see of it (day and text), never the response number.
    const day = (i: number) => new Date(Date.UTC(2026, 5, 2 + i, 3) + 8 * 3600_000).toISOString().slice(0, 10);
    const handle = (i: number) => appeals.commentAppealHandle(unit.C01!, period.id, day(i), commentTexts[i]!);
    expect(await appeals.responseByCommentHandle(unit.C02!, period.id, handle(0))).toBeNull();
    const t0 = (await appeals.responseByCommentHandle(unit.C01!, period.id, handle(0)))!;
    const t1 = (await appeals.responseByCommentHandle(unit.C01!, period.id, handle(1)))!;
    expect(t0).toMatchObject({ kind: "response", responseId: dissatisfiedResponse, comment: { text: commentTexts[0] } });
    expect(await appeals.fileAppealFor(head("C02"), t0, { grounds: "malicious", evidence: "x" })).toEqual({ ok: false, reason: "forbidden" });
    expect(await appeals.fileAppealFor(staffOf("C01"), t0, { grounds: "malicious", evidence: "x" })).toEqual({ ok: false, reason: "forbidden" });
    const a0 = await appeals.fileAppealFor(head("C01"), t0, { grounds: "malicious", evidence: "监控显示当天该时段窗口有人值守" });
    const a1 = await appeals.fileAppealFor(head("C01"), t1, { grounds: "mistaken", evidence: "评价的是另一个单位的窗口" });
    expect(a0.ok && a1.ok).toBe(true);
    expect(await appeals.fileAppealFor(head("C01"), t0, { grounds: "malicious", evidence: "again" })).toEqual({ ok: false, reason: "pending" });
    const id0 = (a0 as { id: number }).id;
    const id1 = (a1 as { id: number }).id;
    // The unit's list never carries the response number.
    const unitView = await appeals.appealsFor(staffOf("C01"));
    expect(unitView.map((a) => a.responseId)).toEqual([null, null]);
    expect(await appeals.appealsFor(head("C02"))).toEqual([]);

    expect(await appeals.decideAppealFor(head("C01"), id0, "uphold", "证据属实")).toBe("forbidden");
    const tallies = async () => JSON.stringify(await db().read.all(`SELECT * FROM ScoreTally ORDER BY periodId, unitId, month, flags, k`));
    const rejectedBefore = await tallies();
    expect(await appeals.decideAppealFor(office, id1, "reject", "无法核实")).toBe("done");
    expect(await tallies()).toBe(rejectedBefore);
    expect(await appeals.decideAppealFor(office, id1, "uphold", "改判")).toBe("state");

    expect(await appeals.decideAppealFor(office, id0, "uphold", "监控证据属实")).toBe("done");
    const flag = (await db().read.get<{ note: string }>(`SELECT note FROM ResponseFlag WHERE responseId = ? AND flag = 'excluded'`, dissatisfiedResponse))!;
    expect(flag.note).toBe(`appeal #${id0}: 监控证据属实`);
    const after = (await computeFigures(period, { now })).units.find((u) => u.code === "C01")!;
    expect(after.n).toBe(29);
    expect(after.exclusions.excluded).toBe(1);
    expect((await auditPeriod(period, now)).equal).toBe(true);
    const audit = await db().read.all(
      `SELECT action, targetType, note FROM AuditEvent WHERE (targetType = 'appeal' AND targetId IN (?, ?)) OR (targetType = 'response' AND targetId = ?) ORDER BY id`,
      String(id0),
      String(id1),
      String(dissatisfiedResponse),
    );
    expect(audit).toEqual([
      { action: "appeal.file", targetType: "appeal", note: "监控显示当天该时段窗口有人值守" },
      { action: "appeal.file", targetType: "appeal", note: "评价的是另一个单位的窗口" },
      { action: "appeal.reject", targetType: "appeal", note: "无法核实" },
      { action: "response.exclude", targetType: "response", note: `appeal #${id0}: 监控证据属实` },
      { action: "appeal.uphold", targetType: "appeal", note: "监控证据属实" },
    ]);
    const views = await appeals.appealsFor(office);
    expect(views.find((v) => v.id === id0)).toMatchObject({ status: "upheld", excludedNow: true, responseId: dissatisfiedResponse });
    expect(views.find((v) => v.id === id1)).toMatchObject({ status: "rejected", excludedNow: false });
    // Reversible by the usual reinstatement: the response counts again, the appeal stays as decided.
    expect(await appeals.reverseAppealFor(head("C01"), id0, "forged recording")).toBe("forbidden");
    expect(await appeals.reverseAppealFor(office, id1, "not upheld")).toBe("state");
    expect(await appeals.reverseAppealFor(office, id0, "the recording was forged")).toBe("done");
    expect(await appeals.reverseAppealFor(office, id0, "twice")).toBe("state");
    const reinstated = (await db().read.get<{ note: string; data: string }>(`SELECT note, data FROM AuditEvent WHERE action = 'response.reinstate' AND targetId = ?`, String(dissatisfiedResponse)))!;
    expect(reinstated.note).toBe(`appeal #${id0} reversed: the recording was forged`);
    expect(JSON.parse(reinstated.data)).toMatchObject({ flag: "excluded", flagNote: `appeal #${id0}: 监控证据属实` });
    expect((await computeFigures(period, { now: new Date("2026-12-01T00:00:01Z") })).units.find((u) => u.code === "C01")!.n).toBe(30);
    expect((await appeals.appealsFor(office)).find((v) => v.id === id0)).toMatchObject({ status: "upheld", excludedNow: false });
    expect((await auditPeriod(period, now)).equal).toBe(true);
  });

  it("a handling rating is appealed from the case by its unit's head and excluded when upheld; never an integrity case", async () => {
    const prisma = await getDb();
    const filed = await fileComplaint({
      input: { unit: "C01", type: "slow_action", description: "材料交齐一个月还没办完，一直说等。", anonymous: "yes", consent: "yes" },
      unitId: unit.C01!,
      lang: "zh-Hans",
      deviceId: null,
      ipHash: null,
      responseId: null,
    });
    await prisma.complaint.update({ where: { reference: filed.reference }, data: { status: "closed", repliedAt: new Date(), handlingGrade: 1, ratedAt: new Date() } });
    expect(await appeals.handlingRatingTarget(head("C02"), filed.reference)).toBeNull();
    expect(await appeals.handlingRatingTarget(staffOf("C01"), filed.reference)).toBeNull();
    const target = (await appeals.handlingRatingTarget(head("C01"), filed.reference))!;
    expect(target).toMatchObject({ kind: "handling", handling: { reference: filed.reference, grade: 1 } });
    const a = await appeals.fileAppealFor(head("C01"), target, { grounds: "mistaken", evidence: "评价人把本案与另一案件混淆" });
    expect(await appeals.decideAppealFor(office, (a as { id: number }).id, "uphold", "评价对象错误")).toBe("done");
    const c = await prisma.complaint.findUniqueOrThrow({ where: { reference: filed.reference } });
    expect(c.ratingExcludedReason).toBe(`appeal #${(a as { id: number }).id}: 评价对象错误`);
    expect(await appeals.handlingRatingTarget(head("C01"), filed.reference)).toBeNull();
    // Reversed: the rating counts again, the lifted exclusion kept in the audit and the case's timeline.
    expect(await appeals.reverseAppealFor(office, (a as { id: number }).id, "the citizen confirmed the case")).toBe("done");
    const back = await prisma.complaint.findUniqueOrThrow({ where: { reference: filed.reference }, include: { events: true } });
    expect(back.ratingExcludedAt).toBeNull();
    expect(back.events.map((e) => e.action)).toEqual(expect.arrayContaining(["exclude_rating", "reinstate_rating"]));
    const audit = (await db().read.get<{ data: string }>(`SELECT data FROM AuditEvent WHERE action = 'rating.reinstate' AND targetId = ?`, String(back.id)))!;
    expect(JSON.parse(audit.data)).toMatchObject({ appealId: (a as { id: number }).id, excludedReason: `appeal #${(a as { id: number }).id}: 评价对象错误` });
    expect(await appeals.handlingRatingTarget(head("C01"), filed.reference)).not.toBeNull();
    const integrity = await fileComplaint({
      input: { unit: "C01", type: "integrity", description: "工作人员索要好处费，不给不办。", anonymous: "yes", consent: "yes" },
      unitId: unit.C01!,
      lang: "zh-Hans",
      deviceId: null,
      ipHash: null,
      responseId: null,
    });
    await prisma.complaint.update({ where: { reference: integrity.reference }, data: { handlingGrade: 1, ratedAt: new Date() } });
    expect(await appeals.handlingRatingTarget(head("C01"), integrity.reference)).toBeNull();
  });
});
