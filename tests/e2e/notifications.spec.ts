// Notifications (issue 13, first part): a complaint filed with contacts writes "complaint received"
// to each contact in the same transaction; the dispatcher sends the e-mail to the run's SMTP sink
// (global-setup.ts) and the SMS through the `log` adapter (no provider configured); an
// administrator sees them with the contacts masked. A server without SMTP_URL marks the e-mail
// "channel not configured" and sends it again on request (audited). mail.spec.ts reads the e-mails.
import { openTestDb, type TestDb } from "./support/db";
import { expect, hydrated, startServer, test } from "./support/fixtures";
import { waitForMail } from "./support/mail";
import { createStaff, signIn } from "./support/staff";

async function fileWithContacts(page: import("@playwright/test").Page, email: string) {
  await page.goto("/complaints/new?lng=zh-Hans&unit=D12");
  await hydrated(page);
  await page.getByLabel("慢作为").check();
  await page.getByLabel("具体情况").fill("办理纳税证明等了三个星期，窗口一直说系统故障。");
  await page.getByLabel("需要，请联系我").check();
  await page.getByLabel("联系电话").fill("13800138000");
  await page.getByLabel("电子邮箱").fill(email);
  await page.getByLabel(/本人确认/).check();
  await page.getByRole("button", { name: "提交投诉" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("您的投诉已收到");
  return (await page.getByTestId("reference").textContent())!;
}

type Stored = { id: number; channel: string; status: string; subject: string | null; body: string; lang: string; messageId: string };
const storedFor = (db: TestDb, reference: string) => () =>
  db
    .prepare(`SELECT n.id, n.channel, n.status, n.subject, n.body, n.lang, n.messageId FROM Notification n JOIN Complaint c ON c.id = n.complaintId WHERE c.reference = ? ORDER BY n.channel`)
    .all(reference) as Stored[];

test("a complaint's notifications are written with it, dispatched (the e-mail to the SMTP server), and listed masked for administrators", async ({ page, browser, server, db, axe }, testInfo) => {
  const email = `citizen.${Date.now()}.${testInfo.project.name}@example.cn`;
  const reference = await fileWithContacts(page, email);
  const stored = storedFor(db, reference);
  // Written with the complaint, in the citizen's language.
  expect(stored().map((n) => [n.channel, n.lang])).toEqual([["email", "zh-Hans"], ["sms", "zh-Hans"]]);
  expect(stored()[0]!.subject).toBe(`投诉已收到：${reference}`);
  // The dispatcher: the e-mail goes to the SMTP server and arrives with the row's id; the SMS goes
  // to the log adapter, unless it was written in the quiet hours (21:00-08:00 region time), when it waits.
  await expect.poll(() => stored()[0]!.status, { timeout: 15_000 }).toBe("sent");
  const [mail] = await waitForMail(email);
  expect(mail!.messageId.replace(/^<|>$/g, "")).toBe(stored()[0]!.messageId.replace(/^<|>$/g, ""));
  expect(mail!.subject).toBe(`投诉已收到：${reference}`);
  const hour = (new Date().getUTCHours() + 8) % 24;
  const quiet = hour >= 21 || hour < 8;
  await expect.poll(() => stored()[1]!.status, { timeout: 15_000 }).toBe(quiet ? "pending" : "sent");

  const admin = await (await browser.newContext({ baseURL: server.url })).newPage();
  await signIn(admin, await createStaff(db, { username: `notify.admin.${Date.now()}`, role: "admin" }));
  await admin.goto("/staff/notifications?status=sent&lng=en");
  const row = admin.locator(`tr[data-notification="${stored()[0]!.id}"]`);
  await expect(row).toContainText(reference);
  await expect(row).toContainText("E-mail");
  // The contact is masked: enough to tell two apart, not enough to use.
  await expect(row).toContainText(`c${"•".repeat(email.indexOf("@") - 1)}@example.cn`);
  await expect(admin.locator("body")).not.toContainText(email);
  // A sent message is not offered again.
  await expect(row.getByRole("button", { name: "Send again" })).toHaveCount(0);
  await axe(admin);
  // Unit staff have no such page.
  const staff = await (await browser.newContext({ baseURL: server.url })).newPage();
  await signIn(staff, await createStaff(db, { username: `notify.staff.${Date.now()}`, role: "unit_staff", unit: "D12" }));
  expect((await staff.goto("/staff/notifications"))!.status()).toBe(403);
});

test.describe("a server without SMTP_URL", () => {
  let plain: Awaited<ReturnType<typeof startServer>>;
  let db: TestDb;
  test.beforeAll(async ({}, testInfo) => {
    plain = await startServer(`no-smtp-${testInfo.parallelIndex}`, {}, { mail: false });
    db = openTestDb(plain.databaseUrl);
  });
  test.afterAll(() => {
    db?.close();
    plain?.stop();
  });

  test("keeps the e-mail as 'channel not configured' and tries it again when an administrator asks (audited)", async ({ browser, axe }, testInfo) => {
    const email = `citizen.${Date.now()}.${testInfo.project.name}@example.cn`;
    const page = await (await browser.newContext({ baseURL: plain.url })).newPage();
    const reference = await fileWithContacts(page, email);
    const stored = storedFor(db, reference);
    await expect.poll(() => stored()[0]!.status, { timeout: 15_000 }).toBe("skipped");

    const admin = await (await browser.newContext({ baseURL: plain.url })).newPage();
    await signIn(admin, await createStaff(db, { username: `notify.admin.${Date.now()}`, role: "admin" }));
    await admin.goto("/staff/notifications?status=skipped&lng=en");
    const row = admin.locator(`tr[data-notification="${stored()[0]!.id}"]`);
    await expect(row).toContainText(reference);
    await expect(row).toContainText(`c${"•".repeat(email.indexOf("@") - 1)}@example.cn`);
    await expect(row).toContainText("email: not configured");
    await axe(admin);
    const before = stored()[0]!;
    const dueAt = () => (db.prepare(`SELECT dueAt FROM Notification WHERE id = ?`).get(before.id) as { dueAt: string }).dueAt;
    const firstDue = dueAt();
    await row.getByRole("button", { name: "Send again" }).click();
    await expect(admin.getByRole("status")).toHaveText(`Notification #${before.id} will be sent again.`);
    // Due again (a new due time), tried with the same message id, and skipped again (still no SMTP
    // server); the resend is audited.
    await expect.poll(() => `${stored()[0]!.status} ${dueAt() !== firstDue}`, { timeout: 15_000 }).toBe("skipped true");
    expect(stored()[0]!.messageId).toBe(before.messageId);
    const audit = db.prepare(`SELECT action, targetType, targetId FROM AuditEvent WHERE action = 'notification.retry' AND targetId = ?`).get(String(before.id));
    expect(audit).toEqual({ action: "notification.retry", targetType: "notification", targetId: String(before.id) });
  });
});

// At least once, with a real crash: the server is killed (SIGKILL) after the SMTP server has the
// message and before it answered, so the row stays claimed; a new server on the same database
// sends it again once the claim has lapsed, with the same Message-ID, and marks it sent.
test("a server killed between sending and marking loses no e-mail, and the resend carries the same Message-ID", async ({ browser }, testInfo) => {
  test.setTimeout(90_000);
  const name = `crash-${testInfo.parallelIndex}-${testInfo.project.name}`;
  const env = { NOTIFY_LEASE_SECONDS: "3" };
  let server = await startServer(name, env);
  const db = openTestDb(server.databaseUrl);
  try {
    // The sink stores mail to "slow-ack…" at once and answers 250 only seconds later (smtp-sink.py).
    const email = `slow-ack.${Date.now()}.${testInfo.project.name}@example.cn`;
    const context = await browser.newContext({ baseURL: server.url });
    const reference = await fileWithContacts(await context.newPage(), email);
    await context.close();
    const [delivered] = await waitForMail(email);
    await server.crash();
    const row = () => db.prepare(`SELECT n.status, n.attempts, n.messageId FROM Notification n JOIN Complaint c ON c.id = n.complaintId WHERE c.reference = ? AND n.channel = 'email'`).get(reference) as { status: string; attempts: number; messageId: string };
    // Sent, but never marked: the crash came first.
    expect(row()).toMatchObject({ status: "pending", attempts: 1 });
    expect(delivered!.messageId).toBe(row().messageId);

    server = await startServer(name, env, { reuse: true });
    const both = await waitForMail(email, { count: 2, timeout: 30_000 });
    expect(both.map((m) => m.messageId)).toEqual([row().messageId, row().messageId]);
    // The second answer is slow too: wait for it, then the row is sent, after two attempts.
    await expect.poll(() => row().status, { timeout: 20_000 }).toBe("sent");
    expect(row().attempts).toBe(2);
  } finally {
    db.close();
    server.stop();
  }
});
