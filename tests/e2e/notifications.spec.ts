// Notifications (issue 13, first part): a complaint filed with contacts writes "complaint received"
// to each contact in the same transaction; the dispatcher sends the SMS through the `log` adapter
// (no provider configured) and, with no SMTP server configured, marks the e-mail "channel not
// configured"; an administrator sees them with the contacts masked and sends one again (audited).
import { expect, hydrated, test } from "./support/fixtures";
import { createStaff, signIn } from "./support/staff";

test("a complaint's notifications are written with it, dispatched, listed masked for administrators, and sent again on request", async ({ page, browser, server, db, axe }) => {
  const email = `citizen.${Date.now()}@example.cn`;
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
  const reference = (await page.getByTestId("reference").textContent())!;

  const stored = () =>
    db
      .prepare(`SELECT n.id, n.channel, n.status, n.subject, n.body, n.lang, n.messageId FROM Notification n JOIN Complaint c ON c.id = n.complaintId WHERE c.reference = ? ORDER BY n.channel`)
      .all(reference) as { id: number; channel: string; status: string; subject: string | null; body: string; lang: string; messageId: string }[];
  // Written with the complaint, in the citizen's language.
  expect(stored().map((n) => [n.channel, n.lang])).toEqual([["email", "zh-Hans"], ["sms", "zh-Hans"]]);
  expect(stored()[0]!.subject).toBe(`投诉已收到：${reference}`);
  // The dispatcher: the e-mail is skipped (no SMTP server configured); the SMS goes to the log
  // adapter, unless it was written in the quiet hours (21:00-08:00 region time), when it waits.
  await expect.poll(() => stored()[0]!.status, { timeout: 15_000 }).toBe("skipped");
  const hour = (new Date().getUTCHours() + 8) % 24;
  const quiet = hour >= 21 || hour < 8;
  await expect.poll(() => stored()[1]!.status, { timeout: 15_000 }).toBe(quiet ? "pending" : "sent");

  const admin = await (await browser.newContext({ baseURL: server.url })).newPage();
  await signIn(admin, await createStaff(db, { username: `notify.admin.${Date.now()}`, role: "admin" }));
  await admin.goto("/staff/notifications?status=skipped&lng=en");
  const row = admin.locator(`tr[data-notification="${stored()[0]!.id}"]`);
  await expect(row).toContainText(reference);
  await expect(row).toContainText("E-mail");
  // The contact is masked: enough to tell two apart, not enough to use.
  await expect(row).toContainText(`c${"•".repeat(email.indexOf("@") - 1)}@example.cn`);
  await expect(admin.locator("body")).not.toContainText(email);
  await expect(row).toContainText("email: not configured");
  await axe(admin);
  await row.getByRole("button", { name: "Send again" }).click();
  await expect(admin.getByRole("status")).toHaveText(`Notification #${stored()[0]!.id} will be sent again.`);
  // Tried again with the same message id, and skipped again (still no SMTP server); the resend is audited.
  const before = stored()[0]!;
  await expect.poll(() => stored()[0]!.status, { timeout: 15_000 }).toBe("skipped");
  expect(stored()[0]!.messageId).toBe(before.messageId);
  const audit = db.prepare(`SELECT action, targetType, targetId FROM AuditEvent WHERE action = 'notification.retry' AND targetId = ?`).get(String(before.id));
  expect(audit).toEqual({ action: "notification.retry", targetType: "notification", targetId: String(before.id) });
  // Unit staff have no such page.
  const staff = await (await browser.newContext({ baseURL: server.url })).newPage();
  await signIn(staff, await createStaff(db, { username: `notify.staff.${Date.now()}`, role: "unit_staff", unit: "D12" }));
  expect((await staff.goto("/staff/notifications"))!.status()).toBe(403);
});
