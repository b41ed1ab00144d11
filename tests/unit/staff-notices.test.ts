// Staff notifications and the sweep against a real SQLite database (issue 13): who is told of a
// new case and in which language; each account's choice (at once, daily digest, list only); a
// case due within one working day across a holiday; overdue to the handlers and the office; one
// invitation to rate; the daily digest grouped by kind; the office's overdue summary; and a sweep
// run twice (or by two processes at once) writing nothing twice.
import { beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "./support/test-db";

freshTestDatabase("staff-notices");

const { db, getDb } = await import("#app/lib/db.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { fileComplaint, setCalendarDay, getCalendar } = await import("#app/models/complaint.server");
const { parseComplaint } = await import("#app/domain/complaint-form");
const { findUnitByCode } = await import("#app/models/unit.server");
const { createStaffUser } = await import("#app/models/staff.server");
const { saveNoticeSettings, unreadCount, markRead } = await import("#app/models/staff-notice.server");
const { sweep } = await import("#app/services/notify/sweeper.server");
const { parseCaseAction } = await import("#app/domain/case-action-form");
const { performCaseAction } = await import("#app/services/case-actions.server");
const { isDueSoon, rateInvitationAt, lastDigestTime, dueSoonUntil } = await import("#app/domain/case-alerts");
const { deliveryFor, noticeRecipients, groupDigest, parseNoticeSettings, staffNoticeKinds, modeField } = await import("#app/domain/staff-notices");
const { calendarFrom } = await import("#app/domain/working-days");

/** A local (UTC+8) time as an instant. */
const at = (local: string) => new Date(`${local}+08:00`);

let d07: number;
let d08: number;
let staffD07: number;
let headD07: number;
let staffD08: number;
let office: number;
let reviewer: number;
let reviewerD07: number;

async function file(opts: { unit?: number; type?: string; email?: string; now: Date }) {
  const parsed = parseComplaint({
    unit: "D07",
    type: opts.type ?? "slow_action",
    description: "The permit took six weeks although the rules say ten days.",
    anonymous: opts.email ? "no" : "yes",
    ...(opts.email ? { contactName: "Ali", contactEmail: opts.email } : {}),
    consent: "yes",
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return (await fileComplaint({ input: parsed.data, unitId: opts.unit ?? d07, lang: "ug", deviceId: null, ipHash: null, now: opts.now })).reference;
}

const idOf = async (reference: string) => (await db().read.value<number>(`SELECT id FROM Complaint WHERE reference = ?`, reference))!;
const notices = async (reference: string, kind?: string) => {
  const id = await idOf(reference);
  return db().read.all<{ userId: number; kind: string; delivery: string; params: string }>(
    `SELECT n.userId, n.kind, n.delivery, n.params FROM StaffNotice n WHERE n.complaintId = ? ${kind ? "AND n.kind = ?" : ""} ORDER BY n.userId`,
    ...(kind ? [id, kind] : [id]),
  );
};
const outbox = (kind: string, complaintId?: number) =>
  db().read.all<{ recipient: string; lang: string; subject: string | null; body: string }>(
    `SELECT recipient, lang, subject, body FROM Notification WHERE kind = ? ${complaintId ? "AND complaintId = ?" : ""} ORDER BY id`,
    ...(complaintId ? [kind, complaintId] : [kind]),
  );

/** Sets both open deadlines of a case (the database's trigger keeps nextDueAt). */
async function setDue(reference: string, due: Date) {
  const iso = due.toISOString().replace("Z", "+00:00");
  await db().write((tx) => tx.run(`UPDATE Complaint SET acceptDueAt = ?, replyDueAt = ? WHERE reference = ?`, iso, iso, reference));
}

beforeAll(async () => {
  await seedStructure(await getDb());
  d07 = (await findUnitByCode("D07"))!.id;
  d08 = (await findUnitByCode("D08"))!.id;
  const mk = async (username: string, grants: Parameters<typeof createStaffUser>[0]["grants"]) =>
    (await createStaffUser({ username, displayName: username, password: "not-used-Passw0rd!", mustChangePassword: false, grants })).id;
  staffD07 = await mk("sn-staff-d07", [{ role: "unit_staff", unitId: d07 }]);
  headD07 = await mk("sn-head-d07", [{ role: "unit_head", unitId: d07 }]);
  staffD08 = await mk("sn-staff-d08", [{ role: "unit_staff", unitId: d08 }]);
  office = await mk("sn-office", [{ role: "office", unitId: null }]);
  // A reviewer who also works for D07: never told of integrity cases against D07.
  reviewer = await mk("sn-reviewer", [{ role: "integrity_reviewer", unitId: null }]);
  reviewerD07 = await mk("sn-reviewer-d07", [
    { role: "integrity_reviewer", unitId: null },
    { role: "unit_staff", unitId: d07 },
  ]);
  const w = await getDb();
  await w.staffUser.update({ where: { id: staffD07 }, data: { email: "staff.d07@example.cn", lang: "ug" } });
  await w.staffUser.update({ where: { id: headD07 }, data: { email: "head.d07@example.cn", lang: "kk" } });
  await w.staffUser.update({ where: { id: office }, data: { email: "office@example.cn", lang: "zh-Hans" } });
  // Friday 11 December 2026 is a holiday in this test's calendar.
  await setCalendarDay("2026-12-11", "holiday");
});

describe("rules", () => {
  const cal = calendarFrom([{ date: "2026-12-11", kind: "holiday" }]);
  it("a case due on Monday is due soon on the Thursday before a Friday holiday, not on the Wednesday", () => {
    const due = at("2026-12-14T23:59:59.999");
    expect(isDueSoon(at("2026-12-10T09:00:00"), due, cal)).toBe(true);
    expect(isDueSoon(at("2026-12-09T17:00:00"), due, cal)).toBe(false);
    // Without the holiday, Thursday is two working days before.
    expect(isDueSoon(at("2026-12-10T09:00:00"), due, calendarFrom([]))).toBe(false);
    expect(dueSoonUntil(at("2026-12-10T09:00:00"), cal).getTime()).toBe(due.getTime());
    // Passed: overdue, not due soon.
    expect(isDueSoon(at("2026-12-15T00:00:01"), due, cal)).toBe(false);
  });
  it("the invitation to rate comes N working days after the reply, at the same time of day, skipping the holiday", () => {
    expect(rateInvitationAt(at("2026-12-10T15:00:00"), 1, cal).getTime()).toBe(at("2026-12-14T15:00:00").getTime());
    expect(rateInvitationAt(at("2026-12-09T15:00:00"), 3, cal).getTime()).toBe(at("2026-12-15T15:00:00").getTime());
  });
  it("the digest time is the latest 08:00 region time", () => {
    expect(lastDigestTime(at("2026-12-10T09:30:00")).getTime()).toBe(at("2026-12-10T08:00:00").getTime());
    expect(lastDigestTime(at("2026-12-10T07:59:00")).getTime()).toBe(at("2026-12-09T08:00:00").getTime());
  });
  it("defaults: at once, except overdue cases reach the office in its digest; a choice wins", () => {
    expect(deliveryFor("staff_case_new", undefined, false)).toBe("immediate");
    expect(deliveryFor("staff_case_overdue", undefined, true)).toBe("digest");
    expect(deliveryFor("staff_case_overdue", undefined, false)).toBe("immediate");
    expect(deliveryFor("staff_case_new", new Map([["staff_case_new", "off"]]), false)).toBe("off");
  });
  it("an integrity case goes to independent reviewers only; overdue reaches the office; the summary only the office", () => {
    const actors = [
      { userId: 1, grants: [{ role: "unit_staff" as const, unitId: 7, includeSubunits: false }] },
      { userId: 2, grants: [{ role: "office" as const, unitId: null, includeSubunits: false }] },
      { userId: 3, grants: [{ role: "integrity_reviewer" as const, unitId: null, includeSubunits: false }] },
      { userId: 4, grants: [{ role: "integrity_reviewer" as const, unitId: null, includeSubunits: false }, { role: "unit_head" as const, unitId: 1, includeSubunits: true }] },
      { userId: 5, grants: [{ role: "unit_head" as const, unitId: 1, includeSubunits: true }] },
    ];
    const ancestorsOf = (id: number) => (id === 7 ? [1] : []);
    expect(noticeRecipients("staff_case_new", { unitId: 7, subjectUnitId: 7, type: "slow_action" }, actors, ancestorsOf)).toEqual([1, 4, 5]);
    expect(noticeRecipients("staff_integrity_new", { unitId: 7, subjectUnitId: 7, type: "integrity" }, actors, ancestorsOf)).toEqual([3]);
    expect(noticeRecipients("staff_case_overdue", { unitId: 7, subjectUnitId: 7, type: "slow_action" }, actors, ancestorsOf)).toEqual([1, 2, 4, 5]);
    expect(noticeRecipients("staff_overdue_summary", null, actors, ancestorsOf)).toEqual([2]);
  });
  it("a digest groups by kind in the settings' order, oldest first", () => {
    const g = groupDigest([
      { kind: "staff_case_overdue", createdAt: new Date(3), params: {} },
      { kind: "staff_case_new", createdAt: new Date(2), params: {} },
      { kind: "staff_case_new", createdAt: new Date(1), params: {} },
    ]);
    expect(g.map((x) => [x.kind, x.items.map((i) => i.createdAt.getTime())])).toEqual([
      ["staff_case_new", [1, 2]],
      ["staff_case_overdue", [3]],
    ]);
  });
  it("the settings form refuses a bad address, number, language or choice, and gives the typed values back", () => {
    const form = new Map<string, string>([["email", "not-an-address"], ["phone", "12ab"], ["lang", "fr"], ...staffNoticeKinds.map((k) => [modeField(k), "immediate"] as [string, string])]);
    form.set(modeField("staff_case_new"), "sometimes");
    const r = parseNoticeSettings(form, ["zh-Hans", "ug", "kk", "en"]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toMatchObject({ email: "errors.email", phone: "errors.phone", lang: "errors.invalidChoice", [modeField("staff_case_new")]: "errors.invalidChoice" });
    expect(r.values.email).toBe("not-an-address");
  });
});

describe("every kind has its words", () => {
  it("in every locale: the outbox's label of each kind, and each staff kind's sentence and name", async () => {
    const fs = await import("node:fs");
    const { notificationKinds } = await import("#app/domain/notifications");
    for (const lang of ["zh-Hans", "ug", "kk", "en"]) {
      const l = JSON.parse(fs.readFileSync(`locales/${lang}/common.json`, "utf8"));
      for (const k of notificationKinds) expect(l.admin.notifications.kind[k], `${lang}: admin.notifications.kind.${k}`).toBeTruthy();
      for (const k of staffNoticeKinds) {
        expect(l.staffNotices.kind[k], `${lang}: staffNotices.kind.${k}`).toBeTruthy();
        expect(l.staffNotices.kindName[k], `${lang}: staffNotices.kindName.${k}`).toBeTruthy();
      }
    }
  });
});

describe("notices and the sweep", () => {
  it("a new case tells its unit's staff and head at once, each in their own language, and not another unit's", async () => {
    const ref = await file({ now: at("2026-12-07T10:00:00") });
    // The reviewer who is also D07's staff is told as D07's staff (no address: the list only).
    expect((await notices(ref)).map((n) => [n.userId, n.kind, n.delivery])).toEqual([
      [staffD07, "staff_case_new", "immediate"],
      [headD07, "staff_case_new", "immediate"],
      [reviewerD07, "staff_case_new", "immediate"],
    ]);
    const mails = await outbox("staff_case_new", await idOf(ref));
    expect(mails.map((m) => [m.recipient, m.lang])).toEqual([
      ["staff.d07@example.cn", "ug"],
      ["head.d07@example.cn", "kk"],
    ]);
    expect(mails[0]!.subject).toContain(ref);
    expect(mails[0]!.subject).toMatch(/يېڭى ئەرز/);
    expect(mails[1]!.subject).toMatch(/جاڭا ءىس/);
    expect(mails[0]!.body).toContain(`/staff/cases/${ref}`);
    expect(await unreadCount(staffD07)).toBeGreaterThan(0);
    expect((await notices(ref)).some((n) => n.userId === staffD08)).toBe(false);
  });

  it("an integrity case is announced to the independent reviewer only, never to the accused unit", async () => {
    const ref = await file({ type: "integrity", now: at("2026-12-07T10:05:00") });
    expect((await notices(ref)).map((n) => [n.userId, n.kind])).toEqual([[reviewer, "staff_integrity_new"]]);
  });

  it("an account that chose the digest or the list only gets no message at once", async () => {
    const prefs = new Map(staffNoticeKinds.map((k) => [k, "immediate" as "immediate" | "digest" | "off"]));
    prefs.set("staff_case_new", "digest");
    await saveNoticeSettings(staffD07, { email: "staff.d07@example.cn", phone: null, lang: "ug", prefs: new Map(prefs) });
    prefs.set("staff_case_new", "off");
    await saveNoticeSettings(headD07, { email: "head.d07@example.cn", phone: null, lang: "kk", prefs });
    const ref = await file({ now: at("2026-12-07T11:00:00") });
    expect((await notices(ref)).map((n) => [n.userId, n.delivery])).toEqual([
      [staffD07, "digest"],
      [headD07, "off"],
      [reviewerD07, "immediate"],
    ]);
    expect(await outbox("staff_case_new", await idOf(ref))).toEqual([]);
  });

  it("due soon across the holiday: raised on Thursday for a Monday deadline, once, even when two sweeps run at once", async () => {
    const ref = await file({ now: at("2026-12-07T12:00:00") });
    await setDue(ref, at("2026-12-14T23:59:59.999"));
    await sweep(at("2026-12-09T17:00:00"));
    expect(await notices(ref, "staff_case_due_soon")).toEqual([]);
    const [a, b] = await Promise.all([sweep(at("2026-12-10T09:00:00")), sweep(at("2026-12-10T09:00:00"))]);
    expect(a.dueSoon + b.dueSoon).toBeGreaterThanOrEqual(1);
    expect((await notices(ref, "staff_case_due_soon")).map((n) => n.userId)).toEqual([staffD07, headD07, reviewerD07]);
    await sweep(at("2026-12-10T10:00:00"));
    expect(await notices(ref, "staff_case_due_soon")).toHaveLength(3);
    expect((await outbox("staff_case_due_soon", await idOf(ref))).map((m) => m.recipient)).toEqual(["staff.d07@example.cn", "head.d07@example.cn"]);
  });

  it("overdue: to the handlers at once and to the office in its digest; a new deadline raises a new alert", async () => {
    const ref = await file({ now: at("2026-12-07T13:00:00") });
    await setDue(ref, at("2026-12-08T23:59:59.999"));
    await sweep(at("2026-12-09T09:00:00"));
    expect((await notices(ref, "staff_case_overdue")).map((n) => [n.userId, n.delivery])).toEqual([
      [staffD07, "immediate"],
      [headD07, "immediate"],
      [office, "digest"],
      [reviewerD07, "immediate"],
    ]);
    expect((await outbox("staff_case_overdue", await idOf(ref))).map((m) => m.recipient)).toEqual(["staff.d07@example.cn", "head.d07@example.cn"]);
    await sweep(at("2026-12-09T09:01:00"));
    expect(await notices(ref, "staff_case_overdue")).toHaveLength(4);
    await setDue(ref, at("2026-12-09T23:59:59.999"));
    await sweep(at("2026-12-10T09:00:00"));
    expect(await notices(ref, "staff_case_overdue")).toHaveLength(8);
  });

  it("one invitation to rate, N working days after the reply (the holiday skipped), to a citizen who left a contact", async () => {
    const ref = await file({ email: "citizen.rate@example.cn", now: at("2026-12-07T09:00:00") });
    const w = await getDb();
    const staff = { userId: staffD07, grants: [{ role: "unit_staff" as const, unitId: d07, includeSubunits: false }] };
    for (const [intent, note] of [["accept", ""], ["reply", "We issued the permit today; sorry for the delay."]] as const) {
      const input = parseCaseAction(new Map([["intent", intent], ["note", note]]));
      if (!input.ok) throw new Error(JSON.stringify(input.errors));
      await performCaseAction(staff, ref, input.data, at("2026-12-09T15:00:00"));
    }
    expect((await w.complaint.findUnique({ where: { reference: ref } }))!.status).toBe("replied");
    // ratingInviteDays = 3: Thursday, (Friday holiday), Monday, Tuesday 15:00.
    await sweep(at("2026-12-15T14:59:00"));
    expect(await outbox("complaint_rate_invite", await idOf(ref))).toEqual([]);
    await sweep(at("2026-12-15T15:01:00"));
    await sweep(at("2026-12-15T15:02:00"));
    const invites = await outbox("complaint_rate_invite", await idOf(ref));
    expect(invites.map((m) => [m.recipient, m.lang])).toEqual([["citizen.rate@example.cn", "ug"]]);
    expect(invites[0]!.subject).toContain(ref);
  });

  it("a call-back after a dissatisfied rating: reminded the working day before, then overdue; none once it was made", async () => {
    const open = await file({ now: at("2026-12-07T14:00:00") });
    const made = await file({ now: at("2026-12-07T14:05:00") });
    const due = at("2026-12-14T23:59:59.999").toISOString().replace("Z", "+00:00");
    await db().write(async (tx) => {
      await tx.run(`UPDATE Complaint SET followUpDueAt = ? WHERE reference IN (?, ?)`, due, open, made);
      await tx.run(`UPDATE Complaint SET followUpDoneAt = ? WHERE reference = ?`, at("2026-12-08T10:00:00").toISOString().replace("Z", "+00:00"), made);
    });
    await sweep(at("2026-12-10T09:30:00"));
    expect((await notices(open, "staff_follow_up_due_soon")).map((n) => n.userId)).toEqual([staffD07, headD07, reviewerD07]);
    await sweep(at("2026-12-15T09:30:00"));
    expect((await notices(open, "staff_follow_up_overdue")).map((n) => n.userId)).toEqual([staffD07, headD07, reviewerD07]);
    expect((await notices(made)).filter((n) => n.kind.startsWith("staff_follow_up"))).toEqual([]);
  });

  it("the daily digest: one e-mail per account, grouped by kind, once; the office's overdue summary once a day", async () => {
    await sweep(at("2026-12-16T08:30:00"));
    // Earlier sweeps after 08:00 sent the digests of what was written before that 08:00.
    const digests = await outbox("staff_digest");
    const toStaff = digests.filter((m) => m.recipient === "staff.d07@example.cn");
    expect(toStaff.length).toBeGreaterThan(0);
    expect(toStaff[0]!.lang).toBe("ug");
    // Its new cases (chosen: digest) under one heading, with their count.
    expect(toStaff[0]!.body).toContain("يېڭى ئەرزلەر (");
    const toOffice = digests.filter((m) => m.recipient === "office@example.cn");
    expect(toOffice.some((m) => m.body.includes("已超期 ("))).toBe(true);
    expect(toOffice[0]!.subject).toContain("每日汇总");
    // The account chose "list only" for new cases and is told everything else at once: no digest.
    expect(digests.find((m) => m.recipient === "head.d07@example.cn")).toBeUndefined();
    // Nothing waits for a digest any more, and the next sweep sends none again.
    expect(await db().read.value(`SELECT COUNT(*) FROM StaffNotice WHERE delivery = 'digest' AND digestedAt IS NULL AND createdAt < ?`, at("2026-12-16T08:00:00").toISOString().replace("Z", "+00:00"))).toBe(0);
    const before = digests.length;
    const todays = () => db().read.all<{ userId: number; params: string }>(`SELECT userId, params FROM StaffNotice WHERE dedupeKey LIKE 'overdue_summary:2026-12-16:%'`);
    expect((await todays()).map((s) => s.userId)).toEqual([office]);
    expect(JSON.parse((await todays())[0]!.params).total).toBeGreaterThan(0);
    expect((await outbox("staff_overdue_summary")).at(-1)!.recipient).toBe("office@example.cn");
    await sweep(at("2026-12-16T09:00:00"));
    expect((await outbox("staff_digest")).length).toBe(before);
    expect(await todays()).toHaveLength(1);
  });

  it("two sweeps at once send one digest, of exactly the notices they took", async () => {
    const ref = await file({ now: at("2026-12-16T11:00:00") });
    const before = (await outbox("staff_digest")).filter((m) => m.recipient === "staff.d07@example.cn").length;
    await Promise.all([sweep(at("2026-12-17T08:30:00")), sweep(at("2026-12-17T08:30:00"))]);
    const mine = (await outbox("staff_digest")).filter((m) => m.recipient === "staff.d07@example.cn");
    expect(mine.length).toBe(before + 1);
    expect(mine.at(-1)!.body).toContain(ref);
  });

  it("a changed address is audited, masked", async () => {
    const prefs = new Map(staffNoticeKinds.map((k) => [k, "immediate" as "immediate" | "digest" | "off"]));
    await saveNoticeSettings(office, { email: "office.new@example.cn", phone: null, lang: "zh-Hans", prefs });
    const row = (await db().read.get<{ data: string }>(`SELECT data FROM AuditEvent WHERE action = 'account.notify_contact' AND targetId = ? ORDER BY id DESC`, String(office)))!;
    expect(JSON.parse(row.data).email).toEqual(["o•••••@example.cn", "o•••••••••@example.cn"]);
    expect(row.data).not.toContain("office.new@");
    await saveNoticeSettings(office, { email: "office@example.cn", phone: null, lang: "zh-Hans", prefs: new Map([["staff_case_overdue", "digest"]]) });
  });

  it("opening a case reads its notices; the list's button reads them all", async () => {
    const ref = await file({ now: at("2026-12-16T10:00:00") });
    const before = await unreadCount(staffD07);
    await markRead(staffD07, { complaintId: await idOf(ref) }, new Date());
    expect(await unreadCount(staffD07)).toBe(before - 1);
    await markRead(staffD07, { all: true }, new Date());
    expect(await unreadCount(staffD07)).toBe(0);
    expect((await getCalendar()).holidays.has("2026-12-11")).toBe(true);
  });
});
