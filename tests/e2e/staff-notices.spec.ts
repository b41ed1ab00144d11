// Staff notifications (issue 13), with the run's real SMTP sink: a unit's staff member hears of a
// new case by e-mail in their own language and sees it in the staff menu's unread count and their
// list, and opening the case reads it; an account chooses the daily digest in its settings (bad
// input refused with translated errors, typed values kept), gets no message at once, and its
// digest arrives grouped by kind; an overdue case is reported by the server's own sweep.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./support/fixtures";
import { mailsTo, waitForMail } from "./support/mail";
import { fileAsCitizen } from "./support/complaints";
import { projectRoot } from "./support/paths";
import { createStaff, signIn } from "./support/staff";
import type { TestDb } from "./support/db";

const locale = (lang: string) => JSON.parse(fs.readFileSync(path.join(projectRoot, `locales/${lang}/common.json`), "utf8"));
const en = locale("en");
const sql = (d: Date) => d.toISOString().replace("Z", "+00:00");

/** A unit staff account with an e-mail address and a language for its messages. */
async function staffWithMail(db: TestDb, unit: string, lang: string, tag: string) {
  const username = `notices.${tag}`;
  await createStaff(db, { username, role: "unit_staff", unit });
  const email = `${username}@example.cn`;
  db.prepare(`UPDATE StaffUser SET email = ?, lang = ? WHERE username = ?`).run(email, lang, username);
  const id = (db.prepare(`SELECT id FROM StaffUser WHERE username = ?`).get(username) as { id: number }).id;
  return { username, email, id };
}

const tagOf = (info: { project: { name: string } }) => `${info.project.name}.${Date.now()}.${Math.floor(Math.random() * 1e6)}`;

test("a unit's staff member hears of a new case by e-mail in Uyghur and in the staff menu; opening the case reads it", async ({ page, browser, db, server }, testInfo) => {
  test.setTimeout(60_000);
  const me = await staffWithMail(db, "D09", "ug", tagOf(testInfo));
  const { reference } = await fileAsCitizen(page, "D09");

  const [mail] = (await waitForMail(me.email)).filter((m) => m.subject.includes(reference));
  expect(mail, "the new case's e-mail").toBeTruthy();
  const unitUg = JSON.parse((db.prepare(`SELECT names FROM Unit WHERE code = 'D09'`).get() as { names: string }).names).ug as string;
  expect(mail!.subject).toBe(locale("ug").staffNotices.kind.staff_case_new.replace("{{reference}}", reference).replace("{{unit}}", unitUg));
  const link = /https?:\/\/\S+|\/staff\/cases\/\S+/.exec(mail!.text)?.[0] ?? "";
  expect(link).toContain(`/staff/cases/${reference}`);

  const context = await browser.newContext({ baseURL: server.url });
  const staff = await context.newPage();
  await signIn(staff, me.username);
  const menu = staff.getByRole("navigation").getByRole("link", { name: /Notifications \(\d+ unread\)/ });
  await expect(menu).toBeVisible();
  const unreadBefore = Number(/\((\d+) unread\)/.exec((await menu.textContent())!)![1]);
  await menu.click();
  await expect(staff.getByRole("heading", { level: 1 })).toHaveText(en.staffNotices.inbox.title);
  const item = staff.locator("li[data-notice]").filter({ hasText: reference });
  await expect(item).toHaveClass(/unread/);
  // The e-mail's link, opened by the signed-in account: the case.
  await staff.goto(new URL(link, server.url).pathname);
  await expect(staff.getByRole("heading", { level: 1 })).toContainText(reference);
  await staff.goto("/staff/inbox");
  await expect(staff.locator("li[data-notice]").filter({ hasText: reference })).not.toHaveClass(/unread/);
  const after = staff.getByRole("navigation").getByRole("link", { name: /^Notifications/ });
  await expect(after).toHaveAttribute("data-unread", String(unreadBefore - 1));
  // Nobody else's notices are in this list: only notices written for this account.
  const listed = await staff.locator("li[data-notice]").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-notice"))));
  const mine = (db.prepare(`SELECT id FROM StaffNotice WHERE userId = ?`).all(me.id) as { id: number }[]).map((r) => r.id);
  expect(listed.every((id) => mine.includes(id))).toBe(true);
  await context.close();
});

test("an account chooses the daily digest for new cases: no e-mail at once, then one digest grouped by kind; bad settings are refused and kept", async ({ page, browser, db, server }, testInfo) => {
  test.setTimeout(60_000);
  const me = await staffWithMail(db, "D10", "en", tagOf(testInfo));
  const context = await browser.newContext({ baseURL: server.url });
  const staff = await context.newPage();
  await signIn(staff, me.username);
  await staff.goto("/staff/inbox/settings");
  await expect(staff.getByRole("heading", { level: 1 })).toHaveText(en.staffNotices.settings.title);

  // Bad input: a translated error next to the field, the typed address kept, nothing saved.
  await staff.getByLabel(en.staffNotices.settings.email).fill("not-an-address");
  await staff.getByRole("row", { name: new RegExp(en.staffNotices.kindName.staff_case_new) }).getByLabel(en.staffNotices.mode.digest).check();
  await staff.getByRole("button", { name: en.staffNotices.settings.save }).click();
  await expect(staff.locator("#email-error")).toHaveText(en.errors.email);
  await expect(staff.getByLabel(en.staffNotices.settings.email)).toHaveValue("not-an-address");
  expect(db.prepare(`SELECT COUNT(*) AS n FROM StaffNoticePref WHERE userId = ?`).get(me.id)).toEqual({ n: 0 });

  await staff.getByLabel(en.staffNotices.settings.email).fill(me.email);
  await staff.getByRole("row", { name: new RegExp(en.staffNotices.kindName.staff_case_new) }).getByLabel(en.staffNotices.mode.digest).check();
  await staff.getByRole("button", { name: en.staffNotices.settings.save }).click();
  await expect(staff.getByRole("status")).toHaveText(en.staffNotices.settings.saved);
  await expect(staff.getByRole("row", { name: new RegExp(en.staffNotices.kindName.staff_case_new) }).getByLabel(en.staffNotices.mode.digest)).toBeChecked();

  const first = await fileAsCitizen(page, "D10");
  const second = await fileAsCitizen(page, "D10");
  const notices = db
    .prepare(`SELECT n.id, n.delivery FROM StaffNotice n JOIN Complaint c ON c.id = n.complaintId WHERE n.userId = ? AND n.kind = 'staff_case_new' AND c.reference IN (?, ?)`)
    .all(me.id, first.reference, second.reference) as { id: number; delivery: string }[];
  expect(notices.map((n) => n.delivery)).toEqual(["digest", "digest"]);
  // Written with the complaint, in its transaction: no message at once for this account.
  expect(db.prepare(`SELECT COUNT(*) AS n FROM Notification WHERE recipient = ?`).get(me.email)).toEqual({ n: 0 });

  // As if they had been written the day before yesterday: the server's next sweep digests them.
  const old = sql(new Date(Date.now() - 2 * 24 * 3_600_000));
  for (const n of notices) db.prepare(`UPDATE StaffNotice SET createdAt = ? WHERE id = ?`).run(old, n.id);
  const [digest] = await waitForMail(me.email);
  expect(digest!.subject).toBe(en.staffNotices.digest.subject.replace("{{count}}", "2"));
  expect(digest!.text).toContain(`${en.staffNotices.kindName.staff_case_new} (2)`);
  expect(digest!.text).toContain(first.reference);
  expect(digest!.text).toContain(second.reference);
  // Once: both are marked, and no second digest follows.
  await expect.poll(() => (db.prepare(`SELECT COUNT(*) AS n FROM StaffNotice WHERE userId = ? AND digestedAt IS NULL AND delivery = 'digest'`).get(me.id) as { n: number }).n).toBe(0);
  await page.waitForTimeout(2_500);
  expect((await waitForMail(me.email)).length).toBe(1);
  await context.close();
});

test("the server's sweep reports an overdue case to its unit at once, in Kazakh", async ({ page, db }, testInfo) => {
  test.setTimeout(60_000);
  const me = await staffWithMail(db, "D11", "kk", tagOf(testInfo));
  const { reference } = await fileAsCitizen(page, "D11");
  await waitForMail(me.email);
  // Both deadlines passed an hour ago (the database's trigger moves the nearest one).
  const past = sql(new Date(Date.now() - 3_600_000));
  db.prepare(`UPDATE Complaint SET acceptDueAt = ?, replyDueAt = ? WHERE reference = ?`).run(past, past, reference);
  const unitKk = JSON.parse((db.prepare(`SELECT names FROM Unit WHERE code = 'D11'`).get() as { names: string }).names).kk as string;
  const escape = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const template = locale("kk").staffNotices.kind.staff_case_overdue as string;
  const expected = new RegExp(`^${template.split(/(\{\{\w+\}\})/).map((p) => (p === "{{reference}}" ? escape(reference) : p === "{{unit}}" ? escape(unitKk) : p === "{{date}}" ? ".+" : escape(p))).join("")}$`);
  await expect.poll(() => mailsTo(me.email).filter((m) => expected.test(m.subject)).length, { timeout: 15_000 }).toBe(1);
  // One alert for that deadline, however many sweeps ran since.
  await page.waitForTimeout(2_500);
  expect(mailsTo(me.email).filter((m) => expected.test(m.subject))).toHaveLength(1);
});
