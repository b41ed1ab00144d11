// Citizens' links (issue 13; docs/decisions/0016): the signed link in a message opens its complaint
// for the contact it was sent to, until it expires, and nothing else; "I lost my code" finds only
// the complaints that carry the contact, and writes one message to it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "./support/test-db";

freshTestDatabase("case-links");

const { db, dbDateTime, getDb } = await import("#app/lib/db.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { fileComplaint } = await import("#app/models/complaint.server");
const { parseComplaint } = await import("#app/domain/complaint-form");
const { findUnitByCode } = await import("#app/models/unit.server");
const { contactHash } = await import("#app/models/notification.server");
const { caseLinkToken, readCaseLink, caseListToken, readCaseList, CASE_LINK_DAYS } = await import("#app/lib/case-link.server");
const { openCaseLink, openCaseList, requestCaseLinks, verdictByLink } = await import("#app/services/citizen-case.server");
const { caseLink, complaintLinks, smsWithLink } = await import("#app/services/notify/messages.server");
const { smsLength, textCapacity } = await import("#app/services/notify/sms/length");
const { parseLinkVerdict, parseLostCode } = await import("#app/domain/case-link-forms");

const DAY = 86_400_000;
let unitId: number;

async function file(opts: { email?: string; phone?: string; anonymous?: boolean; lang?: string }) {
  const parsed = parseComplaint({
    unit: "D07",
    type: "slow_action",
    description: "The permit took six weeks although the rules say ten days.",
    anonymous: opts.anonymous ? "yes" : "no",
    ...(opts.anonymous ? {} : { contactEmail: opts.email, contactPhone: opts.phone }),
    consent: "yes",
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const { reference } = await fileComplaint({ input: parsed.data, unitId, lang: opts.lang ?? "zh-Hans", deviceId: null, ipHash: null });
  const id = await db().read.value<number>(`SELECT id FROM Complaint WHERE reference = ?`, reference);
  if (id === undefined) throw new Error(`no complaint ${reference}`);
  return { id, reference };
}

beforeAll(async () => {
  await seedStructure(await getDb());
  unitId = (await findUnitByCode("D07"))!.id;
});

afterAll(async () => {
  await (await getDb()).$disconnect();
});

describe("the case link token", () => {
  const now = new Date("2026-12-01T02:00:00Z");
  const hash = contactHash("ali@example.cn");

  it("names the complaint and the contact until it expires", () => {
    const token = caseLinkToken(42, hash, new Date(now.getTime() + CASE_LINK_DAYS * DAY));
    expect(readCaseLink(token, now)).toMatchObject({ complaintId: 42, hash });
    // Still good a minute before the end, refused as expired after it.
    expect(readCaseLink(token, new Date(now.getTime() + CASE_LINK_DAYS * DAY - 60_000))).toMatchObject({ complaintId: 42 });
    expect(readCaseLink(token, new Date(now.getTime() + CASE_LINK_DAYS * DAY + 1000))).toEqual({ problem: "expired" });
    // Short enough for an SMS.
    expect(token.length).toBeLessThan(90);
  });

  it("refuses a token that was changed, made for the list, or is not a token", () => {
    const token = caseLinkToken(42, hash, new Date(now.getTime() + DAY));
    const other = token.replace(/^42\./, "43.");
    expect(other).not.toBe(token);
    expect(readCaseLink(other, now)).toEqual({ problem: "bad" });
    expect(readCaseLink(token.slice(0, -1) + (token.endsWith("A") ? "B" : "A"), now)).toEqual({ problem: "bad" });
    // A later expiry written into the value: the signature no longer matches.
    const [id, h, , sig] = token.split(".");
    expect(readCaseLink(`${id}.${h}.zzzzzz.${sig}`, now)).toEqual({ problem: "bad" });
    expect(readCaseLink(caseListToken(hash, new Date(now.getTime() + DAY)), now)).toEqual({ problem: "bad" });
    expect(readCaseLink(null, now)).toEqual({ problem: "bad" });
    expect(readCaseLink("x".repeat(600), now)).toEqual({ problem: "bad" });
    expect(readCaseList(token, now)).toEqual({ problem: "bad" });
  });
});

describe("opening a complaint with its link", () => {
  it("opens it for the contact it was sent to, and refuses once the complaint no longer carries that contact", async () => {
    const { id, reference } = await file({ email: "Open.Me@Example.cn", phone: "139 1234 0001" });
    const now = new Date();
    // However the contact is written, it is the same contact.
    for (const contact of ["open.me@example.cn", "Open.Me@Example.cn", "+86 13912340001", "13912340001"]) {
      const opened = await openCaseLink(new URL(caseLink(id, contact, now).url, "http://x").searchParams.get("t"), now);
      expect("complaint" in opened && opened.complaint.reference).toBe(reference);
    }
    const token = new URL(caseLink(id, "open.me@example.cn", now).url, "http://x").searchParams.get("t");
    // Another citizen's contact, or another complaint's id under this contact: nothing.
    expect(await openCaseLink(caseLinkToken(id, contactHash("someone.else@example.cn"), new Date(now.getTime() + DAY)), now)).toEqual({ refused: "unknown" });
    const other = await file({ email: "other@example.cn" });
    expect(await openCaseLink(caseLinkToken(other.id, contactHash("open.me@example.cn"), new Date(now.getTime() + DAY)), now)).toEqual({ refused: "unknown" });
    expect(await openCaseLink(caseLinkToken(999_999, contactHash("open.me@example.cn"), new Date(now.getTime() + DAY)), now)).toEqual({ refused: "unknown" });
    // The contact changes (as an administrator correcting it would): the old link stops working.
    await db().write((tx) => tx.run(`UPDATE Complaint SET contactEmail = 'new@example.cn' WHERE id = ?`, id));
    expect(await openCaseLink(token, now)).toEqual({ refused: "unknown" });
    expect(await openCaseLink(token, new Date(now.getTime() + (CASE_LINK_DAYS + 1) * DAY))).toEqual({ refused: "expired" });
  });

  it("records a rating only when the link still opens the complaint", async () => {
    const { id } = await file({ email: "rate.me@example.cn" });
    await db().write((tx) => tx.run(`UPDATE Complaint SET status = 'replied', repliedAt = ?, publicReply = 'Done.' WHERE id = ?`, dbDateTime(new Date()), id));
    const now = new Date();
    const forged = caseLinkToken(id, contactHash("intruder@example.cn"), new Date(now.getTime() + DAY));
    expect(await verdictByLink(forged, { grade: 1 }, now)).toEqual({ refused: "unknown" });
    expect(await db().read.get(`SELECT handlingGrade FROM Complaint WHERE id = ?`, id)).toEqual({ handlingGrade: null });
    const token = caseLinkToken(id, contactHash("rate.me@example.cn"), new Date(now.getTime() + DAY));
    const done = await verdictByLink(token, { grade: 4 }, now);
    expect("complaint" in done && [done.complaint.handlingGrade, done.complaint.status]).toEqual([4, "closed"]);
  });
});

describe("I lost my code", () => {
  it("lists only the complaints that carry the contact, newest first; never an anonymous one or another contact's", async () => {
    const a1 = await file({ email: "list.a@example.cn" });
    const b = await file({ email: "list.b@example.cn" });
    const a2 = await file({ phone: "13955550001", email: "LIST.A@example.cn" });
    await file({ anonymous: true });
    const now = new Date();
    const list = await openCaseList(caseListToken(contactHash("list.a@example.cn"), new Date(now.getTime() + DAY)), "en", now);
    expect("complaints" in list && list.complaints.map((c) => c.reference)).toEqual([a2.reference, a1.reference]);
    expect(JSON.stringify(list)).not.toContain(b.reference);
    // Each entry's own link opens that complaint, and lasts no longer than the list's.
    const href = "complaints" in list ? list.complaints[0]!.href : "";
    const opened = await openCaseLink(new URL(href, "http://x").searchParams.get("t"), now);
    expect("complaint" in opened && opened.complaint.reference).toBe(a2.reference);
    expect(await openCaseLink(new URL(href, "http://x").searchParams.get("t"), new Date(now.getTime() + DAY + 1000))).toEqual({ refused: "expired" });
  });

  it("finds complaints filed before the contact keys existed", async () => {
    const old = await file({ email: "before.keys@example.cn" });
    await db().write((tx) => tx.run(`UPDATE Complaint SET contactEmailKey = NULL, contactPhoneKey = NULL WHERE id = ?`, old.id));
    // A fresh module state: the fill runs once per process.
    const { vi } = await import("vitest");
    vi.resetModules();
    const fresh = await import("#app/models/case-links.server");
    const rows = await fresh.complaintsForContact(contactHash("before.keys@example.cn"));
    expect(rows.map((r) => r.reference)).toEqual([old.reference]);
  });

  it("writes one message to a contact with complaints, in the page's language, and none to an unknown contact", async () => {
    await file({ email: "many@example.cn" });
    await file({ email: "many@example.cn" });
    const count = async () => (await db().read.value<number>(`SELECT COUNT(*) FROM Notification WHERE kind = 'complaint_links'`))!;
    const before = await count();
    await requestCaseLinks("nobody.here@example.cn", "ug", new Date());
    expect(await count()).toBe(before);
    await requestCaseLinks("MANY@example.cn", "ug", new Date());
    const rows = await db().read.all<{ recipient: string; lang: string; channel: string; subject: string; body: string }>(
      `SELECT recipient, lang, channel, subject, body FROM Notification WHERE kind = 'complaint_links' ORDER BY id DESC LIMIT 2`,
    );
    expect(await count()).toBe(before + 1);
    expect(rows[0]).toMatchObject({ recipient: "many@example.cn", lang: "ug", channel: "email", subject: "ئەرزلىرىڭىزنىڭ ئۇلانمىسى" });
    expect(rows[0]!.body).toMatch(/\/track\/mine\?t=\S+/);
  });

  it("an SMS keeps its link and opt-out whole within three billed messages, in every language", () => {
    for (const lang of ["zh-Hans", "ug", "kk", "en"]) {
      const sms = complaintLinks("13900001111", lang, new Date());
      expect(sms.channel).toBe("sms");
      expect(sms.template).toMatchObject({ kind: "complaint_links", params: { token: expect.stringMatching(/^[\w-]{32}\.[0-9a-z]+\.[\w-]{32}$/) } });
      expect(sms.body).toContain(`/track/mine?t=${sms.template!.params.token}`);
      expect(smsLength(sms.body, "公众满意度评价")).toBeLessThanOrEqual(textCapacity(3));
    }
    // A prose too long is shortened; the link and the keyword stay whole.
    const text = smsWithLink("很".repeat(400), "https://pj.example.cn/track/open?t=abc.def", "回复TD退订");
    expect(text.endsWith(" https://pj.example.cn/track/open?t=abc.def 回复TD退订")).toBe(true);
    expect(text).toContain("…");
    expect(smsLength(text)).toBeLessThanOrEqual(textCapacity(3));
  });
});

describe("the forms", () => {
  it("the rating form needs the link, an intent, and a grade to rate", () => {
    expect(parseLinkVerdict(new URLSearchParams({ t: "x", intent: "rate", grade: "5" }))).toMatchObject({ ok: true });
    expect(parseLinkVerdict(new URLSearchParams({ t: "x", intent: "rate" }))).toMatchObject({ ok: false, errors: { grade: "errors.required" } });
    expect(parseLinkVerdict(new URLSearchParams({ t: "x", intent: "rate", grade: "9" }))).toMatchObject({ ok: false, errors: { grade: "errors.invalidChoice" } });
    expect(parseLinkVerdict(new URLSearchParams({ intent: "rate", grade: "5" }))).toMatchObject({ ok: false, errors: { t: "errors.required" } });
  });

  it("'I lost my code' takes an e-mail address or a phone number, and keeps what was typed when it is neither", () => {
    const send = (contact?: string) => new URLSearchParams({ intent: "send", ...(contact === undefined ? {} : { contact }) });
    expect(parseLostCode(send(" Ali@Example.cn "))).toEqual({ ok: true, contact: "Ali@Example.cn", normalized: "ali@example.cn" });
    expect(parseLostCode(send("+86 139 1234 5678"))).toMatchObject({ ok: true, normalized: "13912345678" });
    expect(parseLostCode(send("not a contact"))).toEqual({ ok: false, errors: { contact: "caseLinks.badContact" }, values: { contact: "not a contact" } });
    expect(parseLostCode(send())).toMatchObject({ ok: false, errors: { contact: "errors.required" } });
    // A post that is not the form's own is refused, whatever its contact.
    expect(parseLostCode(new URLSearchParams({ intent: "other", contact: "ali@example.cn" }))).toMatchObject({ ok: false, errors: { intent: "errors.invalidChoice" } });
  });
});
