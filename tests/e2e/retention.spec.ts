// Personal data kept only as long as needed (issue 15; docs/decisions/0024, docs/operations.md
// "Personal data retention"). A citizen deletes their contact details from a complaint through the
// link in their e-mail: the page explains it, a confirmation step comes first, then the page says
// the details were deleted and no further updates will be sent; the waiting message to them is
// cancelled and staff see when and at whose request. Bad posts (no confirmation, a forged or
// expired link) get a translated 4xx page and delete nothing. Retention by the command: a complaint
// closed over 24 months ago loses its contact and photos, staff see when and why, and the scores
// audit still finds the live figures equal to the recomputation.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Page } from "@playwright/test";
import { caseLinkPath, caseListPath, testContactHash } from "./support/case-links";
import { staffPage } from "./support/complaints";
import { expect, hydrated, startServer, test } from "./support/fixtures";
import { waitForMail } from "./support/mail";
import { projectRoot, TEST_SECRET } from "./support/paths";
import { addComplaint, addPhoto } from "./support/security";
import { createStaff } from "./support/staff";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const locale = (lang: string): any => JSON.parse(fs.readFileSync(path.join(projectRoot, `locales/${lang}/common.json`), "utf8"));
const en = locale("en");
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");
const pathOf = (url: string) => {
  const u = new URL(url, "http://x");
  return `${u.pathname}${u.search}`;
};

/** Files a complaint through the citizen's form (English), leaving a name and an e-mail address. */
async function fileWithEmail(page: Page, unit: string, email: string) {
  await page.goto(`/complaints/new?lng=en&unit=${unit}`);
  await hydrated(page);
  await page.getByLabel("Slow action (慢作为)").check();
  await page.getByLabel("What happened?").fill("The permit took six weeks although the rules say ten days.");
  await page.getByLabel(en.complaint.anonymous.no).check();
  await page.getByLabel(en.complaint.field.contactName).fill("Li Wang");
  await page.getByLabel(en.complaint.field.contactEmail).fill(email);
  await page.getByLabel(/I confirm/).check();
  await page.getByRole("button", { name: "Send the complaint" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your complaint has been received");
  return (await page.getByTestId("reference").textContent())!.trim();
}

test("a citizen deletes their contact details through their link: explained, confirmed, done; waiting messages cancelled; staff see it", async ({ page, browser, server, db, axe }, testInfo) => {
  test.setTimeout(90_000);
  const email = `forget.${unique()}.${testInfo.project.name}@example.cn`;
  const reference = await fileWithEmail(page, "C05", email);
  const [received] = await waitForMail(email);
  const link = received!.text.match(/\S*\/track\/open\?t=[\w.-]+/)![0];
  const { id } = db.prepare(`SELECT id FROM Complaint WHERE reference = ?`).get(reference) as { id: number };
  // A message still waiting to go to the citizen (due in an hour), and one to staff about the case.
  const later = iso(new Date(Date.now() + 3_600_000));
  const waiting = db.prepare(
    `INSERT INTO Notification (messageId, kind, channel, recipient, lang, complaintId, subject, body, status, attempts, dueAt, createdAt) VALUES (?, ?, 'email', ?, 'en', ?, 's', 'b', 'pending', 0, ?, ?)`,
  );
  waiting.run(`<forget-citizen-${unique()}@test>`, "complaint_accepted", email, id, later, iso(new Date()));
  const staffAddress = `forget.staff.${unique()}@example.gov.cn`;
  waiting.run(`<forget-staff-${unique()}@test>`, "staff_case_overdue", staffAddress, id, later, iso(new Date()));

  // The page the link opens explains what the contact is for and what deleting it does.
  await page.goto(`${pathOf(link)}&lng=en`);
  await hydrated(page);
  const section = page.getByRole("region", { name: en.caseLinks.forget.title });
  await expect(section).toContainText(en.caseLinks.forget.effect);
  await axe(page);
  await section.getByRole("button", { name: en.caseLinks.forget.start }).click();

  // The confirmation step: a page state, nothing deleted yet; "Keep them" leaves it so.
  const step = page.getByRole("region", { name: en.caseLinks.forget.confirmTitle });
  // The reference is set apart (LRI … PDI) so that it keeps its order in Uyghur and Kazakh sentences.
  await expect(step).toContainText(en.caseLinks.forget.confirmBody.replace("{{reference}}", `\u2066${reference}\u2069`));
  await expect(step).toBeFocused();
  await axe(page);
  expect(db.prepare(`SELECT contactEmail FROM Complaint WHERE id = ?`).get(id)).toEqual({ contactEmail: email });
  await step.getByRole("link", { name: en.caseLinks.forget.cancel }).click();
  await expect(step).toHaveCount(0);
  await page.getByRole("button", { name: en.caseLinks.forget.start }).click();
  await page.getByRole("button", { name: en.caseLinks.forget.confirm }).click();

  // Done: the page says so, and that no further updates will be sent.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(en.caseLinks.forget.doneTitle);
  await expect(page.getByTestId("contact-removed")).toHaveText(en.caseLinks.forget.doneBody.replace("{{reference}}", `\u2066${reference}\u2069`));
  await expect(page.getByRole("link", { name: en.track.title })).toHaveAttribute("href", `/track?ref=${reference}`);
  expect(db.prepare(`SELECT contactName, contactEmail, contactPhone, contactEmailKey, contactPhoneKey, contactRemovedBy, anonymous FROM Complaint WHERE id = ?`).get(id)).toEqual({
    contactName: null,
    contactEmail: null,
    contactPhone: null,
    contactEmailKey: null,
    contactPhoneKey: null,
    contactRemovedBy: "citizen",
    anonymous: 0,
  });
  // The waiting message to the citizen is gone, the staff one waits; the sent one keeps no address.
  const left = db.prepare(`SELECT recipient, status FROM Notification WHERE complaintId = ? ORDER BY id`).all(id) as { recipient: string; status: string }[];
  expect(left.filter((n) => n.status === "pending")).toEqual([{ recipient: staffAddress, status: "pending" }]);
  expect(left.some((n) => n.recipient.toLowerCase() === email.toLowerCase())).toBe(false);
  const audit = db.prepare(`SELECT actorId, data FROM AuditEvent WHERE action = 'complaint.contact_removed' AND targetId = ?`).get(String(id)) as { actorId: number | null; data: string };
  expect(audit.actorId).toBeNull();
  expect(JSON.parse(audit.data)).toMatchObject({ actor: "citizen", reference, notificationsCancelled: 1 });
  expect(audit.data).not.toContain("example.cn");
  expect(audit.data).not.toContain("Li Wang");

  // The link opens nothing now (it was for a contact the complaint no longer has).
  expect((await page.goto(`${pathOf(link)}&lng=en`))!.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(en.caseLinks.refused.unknown.title);

  // Staff of the unit: when, and at whose request; nothing to show.
  const head = await staffPage(browser, server.url, await createStaff(db, { username: `forget.${unique()}`, role: "unit_head", unit: "C05" }));
  await head.goto(`/staff/cases/${reference}?lng=en`);
  await expect(head.getByTestId("contact-removed")).toHaveText(new RegExp(`^${en.staff.case.contactRemovedByCitizen.replace("{{date}}", ".+")}$`));
  await expect(head.getByRole("button", { name: en.staff.case.showContact })).toHaveCount(0);
  await expect(head.locator(".timeline")).toContainText(en.track.event.contact_removed);
  await head.context().close();
});

test("deleting contact details without the confirmation, or with a forged or expired link, gets a translated 4xx and deletes nothing", async ({ page, db }) => {
  const reference = `TS-2026-93${Date.now().toString().slice(-4)}`;
  const id = addComplaint(db, { reference, subject: "C02", type: "attitude", contact: true });
  const contact = "+86 138 0000 0000";
  const t = new URL(caseLinkPath(id, contact), "http://x").searchParams.get("t")!;
  const kk = locale("kk");
  const post = (form: Record<string, string>, lng = "kk") => page.request.post(`/track/open?lng=${lng}`, { form });
  const stored = () => db.prepare(`SELECT contactPhone, contactRemovedAt FROM Complaint WHERE id = ?`).get(id);

  // No confirmation (the first button's own request, replayed as a post): 400, the step again with why.
  const unconfirmed = await post({ t, intent: "forget_contact" });
  expect(unconfirmed.status()).toBe(400);
  const body = await unconfirmed.text();
  expect(body).toContain(kk.caseLinks.forget.confirmMissing);
  expect(body).toContain(kk.caseLinks.forget.confirmTitle);
  expect(await post({ t, intent: "forget_contact", confirm: "yes" }).then((r) => r.status())).toBe(400);
  // A forged link (400), an expired one (410), one for another contact (404); none deletes anything.
  const forged = await post({ t: `${t.slice(0, -1)}${t.endsWith("A") ? "B" : "A"}`, intent: "forget_contact", confirm: "1" }, "zh-Hans");
  expect(forged.status()).toBe(400);
  expect(await forged.text()).toContain(locale("zh-Hans").caseLinks.refused.bad.title);
  const expiredT = new URL(caseLinkPath(id, contact, new Date(Date.now() - 60_000)), "http://x").searchParams.get("t")!;
  expect((await post({ t: expiredT, intent: "forget_contact", confirm: "1" })).status()).toBe(410);
  const otherT = new URL(caseLinkPath(id, "13800009999"), "http://x").searchParams.get("t")!;
  expect((await post({ t: otherT, intent: "forget_contact", confirm: "1" }, "ug")).status()).toBe(404);
  expect((await post({ intent: "forget_contact", confirm: "1" })).status()).toBe(400);
  expect(stored()).toEqual({ contactPhone: contact, contactRemovedAt: null });

  // The list of a contact's complaints says where to do it. (The form files a complaint with its
  // contact key; this one was written directly, so its key is set here rather than left to the
  // background fill, whose timing the test must not depend on.)
  db.prepare(`UPDATE Complaint SET contactPhoneKey = ? WHERE id = ?`).run(testContactHash(contact), id);
  await page.goto(`${caseListPath(contact)}&lng=en`);
  await expect(page.locator("article")).toContainText(en.caseLinks.mine.forgetHint);
});

test("without JavaScript, in Kazakh (right to left), the step and the deletion work as plain forms", async ({ browser, server, db }) => {
  const reference = `TS-2026-94${Date.now().toString().slice(-4)}`;
  const id = addComplaint(db, { reference, subject: "C04", type: "other", contact: true });
  const kk = locale("kk");
  const context = await browser.newContext({ baseURL: server.url, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${caseLinkPath(id, "+86 138 0000 0000")}&lng=kk`);
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await page.getByRole("button", { name: kk.caseLinks.forget.start }).click();
  await expect(page).toHaveURL(/forget=1/);
  await expect(page.getByRole("heading", { name: kk.caseLinks.forget.confirmTitle })).toBeVisible();
  expect(db.prepare(`SELECT contactRemovedAt FROM Complaint WHERE id = ?`).get(id)).toEqual({ contactRemovedAt: null });
  await page.getByRole("button", { name: kk.caseLinks.forget.confirm }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(kk.caseLinks.forget.doneTitle);
  expect(db.prepare(`SELECT contactPhone, contactRemovedBy FROM Complaint WHERE id = ?`).get(id)).toEqual({ contactPhone: null, contactRemovedBy: "citizen" });
  await context.close();
});

test("retention by the command: a complaint closed over 24 months ago loses its contact and photos, staff see when and why, and the figures stay equal to the recomputation", async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  // Its own server and database: the pass runs over the whole database.
  const own = await startServer(`retention-${testInfo.parallelIndex}-${testInfo.project.name}`, { RETENTION_JOB: "off" }, { mail: false });
  const db = new Database(own.dbFile);
  db.pragma("busy_timeout = 5000");
  try {
    const old = `TS-2024-95${Date.now().toString().slice(-4)}`;
    const recent = `TS-2026-95${Date.now().toString().slice(-4)}`;
    const closeAt = (ref: string, closedAt: Date) => {
      const id = addComplaint(db, { reference: ref, subject: "C03", type: "slow_action", contact: true });
      db.prepare(`UPDATE Complaint SET status = 'closed', repliedAt = ?, closedAt = ?, ipHash = 'net', deviceId = 'dev' WHERE id = ?`).run(iso(closedAt), iso(closedAt), id);
      return id;
    };
    const oldId = closeAt(old, new Date(Date.now() - 25 * 31 * 86_400_000));
    const recentId = closeAt(recent, new Date(Date.now() - 30 * 86_400_000));
    const photo = addPhoto(db, own.uploadDir, oldId);
    const photoFile = path.join(own.uploadDir, (db.prepare(`SELECT storedName FROM ComplaintPhoto WHERE id = ?`).get(photo) as { storedName: string }).storedName);
    expect(fs.existsSync(photoFile)).toBe(true);

    const env = { ...process.env, DATABASE_URL: `file:${own.dbFile}`, UPLOAD_DIR: own.uploadDir, SESSION_SECRET: TEST_SECRET, LOG_LEVEL: "silent", NODE_ENV: "production" };
    const run = (script: string, ...args: string[]) =>
      execFileSync(process.execPath, [path.join(projectRoot, "node_modules/tsx/dist/cli.mjs"), script, ...args], { cwd: projectRoot, env, encoding: "utf8" });
    const count = (out: string, kind: string) => Number(new RegExp(`^${kind}\\s+(\\d+)$`, "m").exec(out)?.[1]);
    const audit = () => run("scripts/scores-audit.ts", "--period", "2026");
    expect(audit()).toContain("live figures equal the recomputation");

    const dry = run("scripts/retention.ts", "--dry-run");
    expect(dry).toContain("nothing changed");
    expect(count(dry, "contacts")).toBe(1);
    expect(count(dry, "photos")).toBe(1);
    expect(db.prepare(`SELECT contactPhone FROM Complaint WHERE id = ?`).get(oldId)).toEqual({ contactPhone: "+86 138 0000 0000" });

    const applied = run("scripts/retention.ts", "--apply");
    expect(count(applied, "contacts")).toBe(1);
    expect(count(applied, "photos")).toBe(1);
    expect(db.prepare(`SELECT contactName, contactPhone, contactRemovedBy, ipHash FROM Complaint WHERE id = ?`).get(oldId)).toEqual({
      contactName: null,
      contactPhone: null,
      contactRemovedBy: "retention",
      ipHash: null,
    });
    expect(fs.existsSync(photoFile)).toBe(false);
    expect(db.prepare(`SELECT contactPhone, ipHash FROM Complaint WHERE id = ?`).get(recentId)).toEqual({ contactPhone: "+86 138 0000 0000", ipHash: "net" });
    expect(count(run("scripts/retention.ts", "--apply"), "contacts")).toBe(0);
    expect(audit()).toContain("live figures equal the recomputation");

    // Staff see when and why, and no photo.
    const office = await staffPage(browser, own.url, await createStaff(db, { username: `retention.${unique()}`, role: "office" }));
    await office.goto(`/staff/cases/${old}?lng=en`);
    await expect(office.getByTestId("contact-removed")).toHaveText(new RegExp(`^${en.staff.case.contactRemovedByRetention.replace("{{date}}", ".+")}$`));
    await expect(office.getByTestId("photos-removed")).toBeVisible();
    await expect(office.locator(`a[href*="/photos/"], img[src*="/photos/"]`)).toHaveCount(0);
    await expect(office.locator(".timeline")).toContainText(en.track.event.photos_retention);
    expect((await office.request.get(`/staff/cases/${old}/photos/${photo}`)).status()).toBe(404);
    await office.goto(`/staff/audit?lng=en&action=retention.contacts`);
    await expect(office.locator("tbody")).toContainText(en.admin.auditActions.retention.contacts);
    await office.context().close();
  } finally {
    db.close();
    own.stop();
  }
});
