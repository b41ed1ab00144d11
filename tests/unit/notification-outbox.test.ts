// The notification outbox against a real SQLite database (issue 13): rows written with the event,
// claimed with a lease, sent through a channel, marked; a crash between sending and marking sends
// again with the same message id; failures back off and end as failed; unconfigured channels skip.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "./support/test-db";

freshTestDatabase("notification-outbox");

const { db, getDb } = await import("#app/lib/db.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { fileComplaint } = await import("#app/models/complaint.server");
const { parseComplaint } = await import("#app/domain/complaint-form");
const { findUnitByCode } = await import("#app/models/unit.server");
const { createDispatcher } = await import("#app/services/notify/dispatcher.server");
const { MAX_ATTEMPTS } = await import("#app/domain/notifications");
const { parseCaseAction } = await import("#app/domain/case-action-form");
const { performCaseAction } = await import("#app/services/case-actions.server");
const { recordCitizenVerdict } = await import("#app/models/complaint.server");
const { createStaffUser } = await import("#app/models/staff.server");
const { contactHash, optOut } = await import("#app/models/notification.server");
const { stopToken } = await import("#app/services/notify/messages.server");
const { unsign } = await import("#app/lib/signing.server");
type Channel = import("#app/services/notify/channel").Channel;
type OutgoingMessage = import("#app/services/notify/channel").OutgoingMessage;

function rows(reference: string) {
  return db().read.all<{ id: number; messageId: string; channel: string; recipient: string; lang: string; subject: string | null; body: string; status: string; attempts: number; dueAt: string; lastError: string | null; providerId: string | null }>(
    `SELECT n.* FROM Notification n JOIN Complaint c ON c.id = n.complaintId WHERE c.reference = ? ORDER BY n.id`,
    reference,
  );
}

function recording(result: () => Awaited<ReturnType<Channel["send"]>> = () => ({ ok: true, providerId: "p-1" })) {
  const sent: OutgoingMessage[] = [];
  const channel: Channel = {
    name: "test",
    async send(m) {
      sent.push(m);
      return result();
    },
  };
  return { sent, channel };
}

let unitId: number;
async function file(opts: { email?: string; phone?: string; lang?: string; anonymous?: boolean; now?: Date }) {
  const parsed = parseComplaint({
    unit: "D07",
    type: "slow_action",
    description: "The permit took six weeks although the rules say ten days.",
    anonymous: opts.anonymous ? "yes" : "no",
    ...(opts.anonymous ? {} : { contactName: "Ali", contactEmail: opts.email, contactPhone: opts.phone }),
    consent: "yes",
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return (await fileComplaint({ input: parsed.data, unitId, lang: opts.lang ?? "zh-Hans", deviceId: null, ipHash: null, now: opts.now })).reference;
}

beforeAll(async () => {
  await seedStructure(await getDb());
  unitId = (await findUnitByCode("D07"))!.id;
});

afterAll(async () => {
  await (await getDb()).$disconnect();
});

describe("the notification outbox", () => {
  it("writes 'complaint received' with the complaint, in the citizen's language, to each contact; none for an anonymous one", async () => {
    // 10:00 region time: no quiet hours.
    const now = new Date("2026-12-01T02:00:00Z");
    const ref = await file({ email: "ali@example.cn", phone: "13912345678", lang: "ug", now });
    const [email, sms] = await rows(ref);
    expect(email).toMatchObject({ channel: "email", recipient: "ali@example.cn", lang: "ug", status: "pending", attempts: 0 });
    expect(email!.subject).toBe(`ئەرز تاپشۇرۇۋېلىندى: ${ref}`);
    expect(email!.body).toContain(ref);
    expect(sms).toMatchObject({ channel: "sms", recipient: "13912345678", status: "pending" });
    expect(sms!.body).toContain("TD");
    expect(email!.messageId).not.toBe(sms!.messageId);
    expect(await rows(await file({ anonymous: true, now }))).toEqual([]);
  });

  it("holds an SMS written in the quiet hours until 08:00 region time; e-mail goes at once", async () => {
    const late = new Date("2026-12-01T14:30:00Z"); // 22:30 region time
    const [email, sms] = await rows(await file({ email: "late@example.cn", phone: "13900000000", now: late }));
    expect(new Date(email!.dueAt)).toEqual(late);
    expect(new Date(sms!.dueAt)).toEqual(new Date("2026-12-02T00:00:00Z"));
  });

  it("sends due rows through their channel and marks them sent; an unconfigured channel is skipped", async () => {
    const now = new Date("2026-12-03T02:00:00Z");
    const ref = await file({ email: "sent@example.cn", phone: "13911111111", now });
    const { sent, channel } = recording();
    const dispatcher = createDispatcher({ channels: { email: channel }, now: () => now, batch: 100 });
    await dispatcher.tick();
    const mine = sent.filter((m) => m.to === "sent@example.cn");
    expect(mine).toHaveLength(1);
    expect(mine[0]!.messageId).toBe((await rows(ref))[0]!.messageId);
    expect((await rows(ref)).map((r) => [r.channel, r.status, r.providerId])).toEqual([
      ["email", "sent", "p-1"],
      ["sms", "skipped", null],
    ]);
    // Nothing is sent twice.
    await dispatcher.tick();
    expect(sent.filter((m) => m.to === "sent@example.cn")).toHaveLength(1);
  });

  it("a dispatcher that dies between sending and marking: the message goes again after the lease, with the same id", async () => {
    const now = new Date("2026-12-04T02:00:00Z");
    const ref = await file({ email: "crash@example.cn", now });
    const first = recording();
    const dying = createDispatcher({
      channels: { email: first.channel },
      now: () => now,
      leaseMs: 60_000,
      batch: 100,
      afterSend: (n) => {
        if (n.recipient === "crash@example.cn") throw new Error("killed");
      },
    });
    await expect(dying.tick()).rejects.toThrow("killed");
    expect((await rows(ref))[0]).toMatchObject({ status: "pending", attempts: 1 });
    // Another dispatcher (after a restart) does not take it while the lease holds…
    const second = recording();
    const next = createDispatcher({ channels: { email: second.channel }, now: () => new Date(now.getTime() + 30_000), batch: 100 });
    await next.tick();
    expect(second.sent.filter((m) => m.to === "crash@example.cn")).toHaveLength(0);
    // …and takes it once the lease has passed: sent again, with the same id, and marked.
    const later = createDispatcher({ channels: { email: second.channel }, now: () => new Date(now.getTime() + 61_000), batch: 100 });
    await later.tick();
    const resent = second.sent.filter((m) => m.to === "crash@example.cn");
    expect(resent).toHaveLength(1);
    expect(resent[0]!.messageId).toBe(first.sent.find((m) => m.to === "crash@example.cn")!.messageId);
    expect((await rows(ref))[0]).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("a failing send is tried again after a back-off, then stays failed; a refusal for good fails at once", async () => {
    let clock = new Date("2026-12-05T02:00:00Z").getTime();
    const ref = await file({ email: "down@example.cn", now: new Date(clock) });
    const busy = recording(() => ({ ok: false, retry: true, error: "421 try later" }));
    const dispatcher = createDispatcher({ channels: { email: busy.channel }, now: () => new Date(clock), batch: 100 });
    await dispatcher.tick();
    const after1 = (await rows(ref))[0]!;
    expect(after1).toMatchObject({ status: "pending", attempts: 1, lastError: "421 try later" });
    expect(new Date(after1.dueAt).getTime()).toBe(clock + 30_000);
    // Not before the back-off.
    await dispatcher.tick();
    expect((await rows(ref))[0]!.attempts).toBe(1);
    for (let i = 2; i <= MAX_ATTEMPTS; i++) {
      clock += 3_600_000;
      await dispatcher.tick();
    }
    expect((await rows(ref))[0]).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });

    const bad = await file({ email: "nobody@example.cn", now: new Date(clock) });
    const refused = recording(() => ({ ok: false, retry: false, error: "550 no such user" }));
    await createDispatcher({ channels: { email: refused.channel }, now: () => new Date(clock), batch: 100 }).tick();
    expect((await rows(bad))[0]).toMatchObject({ status: "failed", attempts: 1, lastError: "550 no such user" });
  });

  it("tells the citizen of each step of the handling, in their language and in the step's own transaction", async () => {
    const now = new Date("2026-12-07T02:00:00Z");
    const head = await createStaffUser({ username: "d07.notify.head", displayName: "Head", password: "a long test password 2026", mustChangePassword: false, grants: [{ role: "unit_head", unitId }] });
    const actor = { userId: head.id, grants: [{ role: "unit_head" as const, unitId, includeSubunits: false }] };
    const act = (ref: string, fields: Record<string, string>) => {
      const parsed = parseCaseAction(new URLSearchParams(fields));
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      return performCaseAction(actor, ref, parsed.data, now);
    };
    const ref = await file({ email: "steps@example.cn", lang: "en", now });
    const anonymous = await file({ anonymous: true, now });
    await act(ref, { intent: "accept" });
    await act(ref, { intent: "reply", note: "The permit was issued on Monday." });
    await act(anonymous, { intent: "accept" });
    const mine = (await rows(ref)).filter((r) => r.channel === "email");
    expect(mine.map((r) => r.subject)).toEqual([
      `Complaint received: ${ref}`,
      `Complaint ${ref}: accepted`,
      `Complaint ${ref}: the office has replied`,
    ]);
    // The reply's message invites the citizen to rate the handling.
    expect(mine[2]!.body).toContain("rate how it was handled");
    expect(await rows(anonymous)).toEqual([]);
    // The citizen finds the reply does not settle it: reopened, and told so.
    const id = (await db().read.value<number>("SELECT id FROM Complaint WHERE reference = ?", ref))!;
    expect(await recordCitizenVerdict(id, { notResolved: true, note: "Still no permit." }, now)).toBe(true);
    expect((await rows(ref)).at(-1)!.subject).toBe(`Complaint ${ref}: being handled again`);
  });

  it("names the unit a complaint is passed on to, in the citizen's language", async () => {
    const now = new Date("2026-12-08T02:00:00Z");
    const head = await createStaffUser({ username: "d07.notify.head2", displayName: "Head", password: "a long test password 2026", mustChangePassword: false, grants: [{ role: "unit_head", unitId }] });
    const actor = { userId: head.id, grants: [{ role: "unit_head" as const, unitId, includeSubunits: false }] };
    const ref = await file({ email: "moved@example.cn", lang: "zh-Hans", now });
    const parsed = parseCaseAction(new URLSearchParams({ intent: "transfer", toUnit: "D12", note: "税务事项" }));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await performCaseAction(actor, ref, parsed.data, now);
    expect((await rows(ref)).at(-1)!.subject).toBe(`投诉 ${ref}：已转交税务局办理`);
  });

  it("every e-mail carries a stop link; a contact that used it gets nothing more, however the address is written", async () => {
    const now = new Date("2026-12-09T02:00:00Z");
    const ref = await file({ email: "Stop.Me@Example.cn", now });
    const body = (await rows(ref))[0]!.body;
    const token = decodeURIComponent(/\/notify\/stop\?t=(\S+)/.exec(body)![1]!);
    // The link names the contact's keyed hash, never the address.
    expect(token).not.toContain("Stop.Me");
    expect(unsign("notify-stop", token)).toBe(contactHash("stop.me@example.cn"));
    expect(stopToken("stop.me@example.cn")).toBe(token);
    await optOut(contactHash("STOP.ME@example.cn"), now);
    const { sent, channel } = recording();
    await createDispatcher({ channels: { email: channel }, now: () => now, batch: 100 }).tick();
    expect(sent.filter((m) => m.to === "Stop.Me@Example.cn")).toEqual([]);
    expect((await rows(ref))[0]).toMatchObject({ status: "skipped", lastError: "opted out" });
  });

  it("holds the sixth message of an hour to one recipient until the first leaves the hour, without counting an attempt", async () => {
    let clock = new Date("2026-12-10T02:00:00Z").getTime();
    const { sent, channel } = recording();
    const dispatcher = createDispatcher({ channels: { email: channel }, now: () => new Date(clock), batch: 100 });
    const refs: string[] = [];
    for (let i = 0; i < 6; i++) {
      refs.push(await file({ email: "busy@example.cn", now: new Date(clock) }));
      await dispatcher.tick();
      clock += 60_000;
    }
    expect(sent.filter((m) => m.to === "busy@example.cn")).toHaveLength(5);
    const held = (await rows(refs[5]!))[0]!;
    expect(held).toMatchObject({ status: "pending", attempts: 0 });
    expect(new Date(held.dueAt)).toEqual(new Date(new Date("2026-12-10T02:00:00Z").getTime() + 3_600_000));
    clock = new Date(held.dueAt).getTime();
    await dispatcher.tick();
    expect((await rows(refs[5]!))[0]).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("never sends a message written just after the citizen deleted their contact details (a staff step that read the complaint before)", async () => {
    const now = new Date("2026-12-11T02:00:00Z");
    const ref = await file({ email: "gone@example.cn", now });
    // The deletion lands between the staff step's reading and its write: the message is written
    // after it, to the address that was there.
    await db().write((tx) =>
      tx.run(`UPDATE Complaint SET contactEmail = NULL, contactEmailKey = NULL, contactName = NULL, contactRemovedAt = ?, contactRemovedBy = 'citizen' WHERE reference = ?`, now.toISOString(), ref),
    );
    expect(await rows(ref)).toHaveLength(1);
    const { sent, channel } = recording();
    await createDispatcher({ channels: { email: channel }, now: () => now, batch: 100 }).tick();
    expect(sent.filter((m) => m.to === "gone@example.cn")).toEqual([]);
    expect(await rows(ref)).toEqual([]);
  });
});
