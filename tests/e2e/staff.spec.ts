import { expect, test } from "./support/fixtures";
import { createStaff, signIn, STAFF_PASSWORD } from "./support/staff";
import type { TestDb } from "./support/db";

const unique = () => Math.random().toString(36).slice(2, 8);

async function file(request: import("@playwright/test").APIRequestContext, unit: string, type = "slow_action") {
  const res = await request.post("/complaints/new?lng=en", {
    form: { unit, type, description: `Test complaint about ${unit} ${unique()}`, anonymous: "yes", consent: "yes" },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(303);
}

function latestReference(db: TestDb, unit: string, type: string) {
  return (
    db
      .prepare(`SELECT reference FROM Complaint c JOIN Unit u ON u.id = c.unitId WHERE u.code = ? AND c.type = ? ORDER BY c.id DESC LIMIT 1`)
      .get(unit, type) as { reference: string }
  ).reference;
}

test("unit staff see their own unit's complaints only; another unit's or an integrity case answers 404", async ({ page, db, request, axe }) => {
  await file(request, "C04");
  await file(request, "D11");
  await file(request, "C04", "integrity");
  const own = latestReference(db, "C04", "slow_action");
  const other = latestReference(db, "D11", "slow_action");
  const integrity = latestReference(db, "C04", "integrity");
  const username = await createStaff(db, { username: `c04.${unique()}`, role: "unit_staff", unit: "C04" });

  await signIn(page, username, "ug");
  await expect(page).toHaveURL(/\/staff$/);
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.locator("table.queue")).toContainText(own);
  await expect(page.locator("table.queue")).not.toContainText(other);
  await expect(page.locator("table.queue")).not.toContainText(integrity);
  await axe(page);

  await page.getByRole("link", { name: own }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(own);
  await axe(page);

  for (const reference of [other, integrity, "TS-2026-999999"]) {
    const res = await page.goto(`/staff/cases/${reference}?lng=en`);
    expect(res!.status(), reference).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  }
});

test("the evaluation office sees every unit's complaints, integrity ones included", async ({ page, db, request }) => {
  await file(request, "D10", "integrity");
  const integrity = latestReference(db, "D10", "integrity");
  const username = await createStaff(db, { username: `office.${unique()}`, role: "office" });
  await signIn(page, username);
  await page.goto(`/staff?type=integrity&lng=en`);
  await expect(page.locator("table.queue")).toContainText(integrity);
  const res = await page.goto(`/staff/cases/${integrity}?lng=en`);
  expect(res!.status()).toBe(200);

  // Filter by the day received (region time, inclusive).
  await file(request, "D10");
  const march = latestReference(db, "D10", "slow_action");
  db.prepare("UPDATE Complaint SET submittedAt = '2026-03-01T01:30:00.000+00:00' WHERE reference = ?").run(march);
  await page.goto("/staff?lng=en");
  await page.getByLabel("Received from").fill("2026-03-01");
  await page.getByLabel("Received until").fill("2026-03-01");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.locator("table.queue tbody tr")).toHaveCount(1);
  await expect(page.locator("table.queue")).toContainText(march);
});

test("staff pages need a session; wrong passwords are refused alike and slowed down", async ({ page, db, request }) => {
  const res = await page.goto("/staff?lng=en");
  await expect(page).toHaveURL(/\/staff\/login\?next=%2Fstaff/);
  expect(res!.status()).toBe(200);

  const username = await createStaff(db, { username: `d05.${unique()}`, role: "unit_staff", unit: "D05" });
  const attempt = (user: string, password: string) => request.post("/staff/login?lng=en", { form: { username: user, password }, maxRedirects: 0 });
  const wrong = await attempt(username, "wrong password!");
  const unknown = await attempt(`nobody.${unique()}`, "wrong password!");
  expect([wrong.status(), unknown.status()]).toEqual([401, 401]);
  expect(await wrong.text()).toContain("The user name or the password is not right.");
  for (let i = 0; i < 4; i++) await attempt(username, "wrong password!");
  const blocked = await attempt(username, STAFF_PASSWORD);
  expect(blocked.status()).toBe(429);
});

test("an account made by an administrator must change its password at first sign-in; sign-out ends the session", async ({ page, db }) => {
  const username = await createStaff(db, { username: `new.${unique()}`, role: "unit_head", unit: "C02", mustChangePassword: true });
  await signIn(page, username, "zh-Hans");
  await expect(page).toHaveURL(/\/staff\/password$/);
  await page.goto("/staff");
  await expect(page).toHaveURL(/\/staff\/password$/);
  await page.locator("#current").fill(STAFF_PASSWORD);
  await page.locator("#password").fill("short");
  await page.locator("#repeat").fill("short");
  await page.getByRole("button", { name: "修改密码" }).click();
  await expect(page.locator("#password-error")).toHaveText("密码至少 10 个字符。");
  await page.locator("#current").fill(STAFF_PASSWORD);
  await page.locator("#password").fill("a much longer pass phrase");
  await page.locator("#repeat").fill("a much longer pass phrase");
  await page.getByRole("button", { name: "修改密码" }).click();
  await expect(page).toHaveURL(/\/staff\?changed=1/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("投诉件");

  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/staff\/login/);
  await page.goto("/staff");
  await expect(page).toHaveURL(/\/staff\/login/);
  const row = db.prepare("SELECT mustChangePassword FROM StaffUser WHERE username = ?").get(username);
  expect(row).toEqual({ mustChangePassword: 0 });
});

test("the office's overdue list counts late complaints per unit; unit staff may not open it", async ({ page, db, request, axe }) => {
  await file(request, "D06");
  const reference = latestReference(db, "D06", "slow_action");
  db.prepare("UPDATE Complaint SET acceptDueAt = '2026-01-05T15:59:59.999+00:00', replyDueAt = '2026-01-09T15:59:59.999+00:00' WHERE reference = ?").run(reference);
  const office = await createStaff(db, { username: `office.${unique()}`, role: "office" });
  await signIn(page, office, "zh-Hans");
  await page.getByRole("link", { name: "各单位超期情况" }).click();
  const row = page.locator("tr", { hasText: "市场监督管理局" });
  await expect(row.locator("td").nth(2)).not.toHaveText("0");
  await expect(row.locator("td").nth(3)).not.toHaveText("0");
  await axe(page);
  await page.goto("/staff?overdue=1&lng=en");
  await expect(page.locator("table.queue")).toContainText(reference);
  await expect(page.locator("tr", { hasText: reference })).toContainText("working day(s) late");

  const staffContext = await page.context().browser()!.newContext({ baseURL: page.url() });
  const staff = await staffContext.newPage();
  await signIn(staff, await createStaff(db, { username: `d06.${unique()}`, role: "unit_staff", unit: "D06" }));
  expect((await staff.goto("/staff/overdue"))!.status()).toBe(403);
  await staffContext.close();
});

test("the office edits the holiday calendar and the deadlines; new complaints follow them", async ({ page, db, request, axe }) => {
  const office = await createStaff(db, { username: `office.${unique()}`, role: "office" });
  await signIn(page, office, "ug");
  await page.goto("/staff/calendar");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await axe(page);
  await page.goto("/staff/calendar?lng=en");
  await page.getByLabel("Date").fill("2026-12-24");
  await page.getByLabel("Kind of day").selectOption("holiday");
  await page.getByRole("button", { name: "Save" }).first().click();
  await expect(page.locator(".calendar-days")).toContainText("2026-12-24 — Public holiday (no work)");

  const other = page.locator("form", { hasText: "Something else" });
  await other.getByLabel("Reply within").fill("20");
  await other.getByRole("button", { name: "Save" }).click();
  await expect(other.getByLabel("Reply within")).toHaveValue("20");
  // The typed value shows at once; the rule is stored when the post has been answered.
  await expect.poll(() => db.prepare("SELECT replyDays FROM DeadlineRule WHERE type = 'other'").pluck().get()).toBe(20);
  await file(request, "C01", "other");
  const row = db
    .prepare("SELECT submittedAt, replyDueAt FROM Complaint WHERE type = 'other' ORDER BY id DESC LIMIT 1")
    .get() as { submittedAt: string; replyDueAt: string };
  const days = (Date.parse(row.replyDueAt) - Date.parse(row.submittedAt)) / 86_400_000;
  expect(days).toBeGreaterThan(26); // 20 working days span at least four weeks
  db.prepare("UPDATE DeadlineRule SET replyDays = 5 WHERE type = 'other'").run();

  const staffContext = await page.context().browser()!.newContext({ baseURL: new URL(page.url()).origin });
  const staff = await staffContext.newPage();
  await signIn(staff, await createStaff(db, { username: `c01.${unique()}`, role: "unit_head", unit: "C01" }));
  expect((await staff.goto("/staff/calendar"))!.status()).toBe(403);
  await staffContext.close();
});

test("the office names an integrity reviewer, who then handles integrity complaints, and can remove them again", async ({ page, browser, db, request, server }) => {
  await file(request, "D08", "integrity");
  const integrity = latestReference(db, "D08", "integrity");
  const reviewer = await createStaff(db, { username: `rev.${unique()}`, role: "unit_staff", unit: "C03" });
  const office = await createStaff(db, { username: `office.${unique()}`, role: "office" });

  const reviewerPage = await (await browser.newContext({ baseURL: server.url })).newPage();
  await signIn(reviewerPage, reviewer);
  expect((await reviewerPage.goto(`/staff/cases/${integrity}?lng=en`))!.status()).toBe(404);

  await signIn(page, office);
  await page.getByRole("link", { name: "Integrity reviewers" }).click();
  await page.getByRole("button", { name: `Name as reviewer (Test ${reviewer})` }).click();
  await expect(page.getByRole("button", { name: `Remove (Test ${reviewer})` })).toBeVisible();
  await expect(page.locator("ul").last()).toContainText("Named integrity reviewer");

  expect((await reviewerPage.goto(`/staff/cases/${integrity}?lng=en`))!.status()).toBe(200);
  await reviewerPage.goto("/staff?type=integrity&lng=en");
  await expect(reviewerPage.locator("table.queue")).toContainText(integrity);

  await page.getByRole("button", { name: `Remove (Test ${reviewer})` }).click();
  await expect(page.getByRole("button", { name: `Name as reviewer (Test ${reviewer})` })).toBeVisible();
  expect((await reviewerPage.goto(`/staff/cases/${integrity}?lng=en`))!.status()).toBe(404);
  const audit = db.prepare(`SELECT action FROM AuditEvent WHERE targetType = 'staff_user' AND targetId = (SELECT CAST(id AS TEXT) FROM StaffUser WHERE username = ?) ORDER BY id`).pluck().all(reviewer);
  expect(audit).toEqual(["role.grant", "role.revoke"]);
});
