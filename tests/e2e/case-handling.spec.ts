import { expect, test } from "./support/fixtures";
import { fileAsCitizen, staffPage } from "./support/complaints";
import { createStaff } from "./support/staff";

const unique = () => Math.random().toString(36).slice(2, 8);

test("the unit accepts and answers; the citizen reads the answer and rates the handling", async ({ page, browser, server, db, axe }) => {
  const { reference, code } = await fileAsCitizen(page, "C06");
  const staff = await staffPage(browser, server.url, await createStaff(db, { username: `c06.${unique()}`, role: "unit_head", unit: "C06" }));
  await staff.goto(`/staff/cases/${reference}?lng=en`);
  await axe(staff);
  await staff.getByRole("button", { name: "Accept" }).click();
  await expect(staff.locator("dl")).toContainText("Accepted");
  await staff.getByRole("button", { name: "Start handling" }).click();
  await expect(staff.locator("dl")).toContainText("Being handled");
  await staff.getByLabel("Internal note (staff only)").fill("Called the permit office.");
  await staff.getByRole("button", { name: "Add internal note" }).click();
  await expect(staff.locator(".timeline")).toContainText("Called the permit office.");
  await staff.getByLabel("Answer to the citizen (the citizen sees it)").fill("The permit was issued on Monday; the delay was our fault and we apologise.");
  await staff.getByRole("button", { name: "Send the answer" }).click();
  await expect(staff.locator("dl")).toContainText("Answered");

  await page.goto("/track?lng=en");
  await page.getByLabel("Reference").fill(reference);
  await page.getByLabel("Access code").fill(code);
  await page.getByRole("button", { name: "Show my complaint" }).click();
  await expect(page.getByTestId("status")).toHaveText("Answered");
  await expect(page.locator("article")).toContainText("the delay was our fault");
  await expect(page.locator("article")).not.toContainText("Called the permit office."); // internal notes stay internal
  await expect(page.locator(".timeline")).toContainText("Accepted by the office");
  await page.getByLabel("Very satisfied").check();
  await page.getByRole("button", { name: "Send my rating" }).click();
  await expect(page.getByTestId("status")).toHaveText("Closed");
  expect(db.prepare("SELECT handlingGrade FROM Complaint WHERE reference = ?").get(reference)).toEqual({ handlingGrade: 5 });
  await staff.context().close();
});

test("a transfer: the sending unit loses the case, the receiving unit must accept it", async ({ page, browser, server, db }) => {
  const { reference } = await fileAsCitizen(page, "D07");
  const sender = await staffPage(browser, server.url, await createStaff(db, { username: `d07.${unique()}`, role: "unit_staff", unit: "D07" }));
  await sender.goto(`/staff/cases/${reference}?lng=en`);
  await sender.getByLabel("Transfer to").selectOption("D08");
  await sender.getByLabel("Reason for the transfer (internal)").fill("Housing permits are handled by D08.");
  await sender.getByRole("button", { name: "Transfer", exact: true }).click();
  await expect(sender).toHaveURL(/\/staff\?transferred=/);
  expect((await sender.goto(`/staff/cases/${reference}?lng=en`))!.status()).toBe(404);

  const receiver = await staffPage(browser, server.url, await createStaff(db, { username: `d08.${unique()}`, role: "unit_staff", unit: "D08" }));
  await receiver.goto("/staff?status=transferred&lng=en");
  await expect(receiver.locator("table.queue")).toContainText(reference);
  await receiver.goto(`/staff/cases/${reference}?lng=en`);
  await expect(receiver.locator(".timeline")).toContainText("Housing permits are handled by D08.");
  await receiver.getByRole("button", { name: "Accept" }).click();
  await expect(receiver.locator("dl")).toContainText("Accepted");
  const row = db.prepare("SELECT c.status, u.code FROM Complaint c JOIN Unit u ON u.id = c.unitId WHERE reference = ?").get(reference);
  expect(row).toEqual({ status: "accepted", code: "D08" });
  await sender.context().close();
  await receiver.context().close();
});

test("another unit's staff get 404 for the case and for every action; contact viewing is recorded", async ({ page, browser, server, db }) => {
  const { reference } = await fileAsCitizen(page, "D09", { contact: true });
  const outsider = await staffPage(browser, server.url, await createStaff(db, { username: `d01.${unique()}`, role: "unit_head", unit: "D01" }));
  const before = db.prepare("SELECT status, unitId FROM Complaint WHERE reference = ?").get(reference);
  for (const intent of ["accept", "reply", "transfer", "reject", "close", "note", "view_contact"]) {
    const res = await outsider.request.post(`/staff/cases/${reference}?lng=en`, {
      form: { intent, note: "x", toUnit: "D01" },
      headers: { origin: server.url },
    });
    expect(res.status(), intent).toBe(404);
    expect(await res.text()).not.toContain("138");
  }
  expect(db.prepare("SELECT status, unitId FROM Complaint WHERE reference = ?").get(reference)).toEqual(before);

  // The evaluation office sees the case but not the citizen's contact details.
  const office = await staffPage(browser, server.url, await createStaff(db, { username: `office.${unique()}`, role: "office" }));
  await office.goto(`/staff/cases/${reference}?lng=en`);
  await expect(office.getByRole("button", { name: /Show contact details/ })).toHaveCount(0);
  const officeTry = await office.request.post(`/staff/cases/${reference}?lng=en`, { form: { intent: "view_contact" }, headers: { origin: server.url } });
  expect(officeTry.status()).toBe(403);

  const handler = await staffPage(browser, server.url, await createStaff(db, { username: `d09.${unique()}`, role: "unit_staff", unit: "D09" }));
  await handler.goto(`/staff/cases/${reference}?lng=en`);
  await handler.getByRole("button", { name: /Show contact details/ }).click();
  await expect(handler.getByTestId("contact")).toContainText("+86 138 0013 8000");
  const audit = db
    .prepare("SELECT e.action, e.visibility, e.actorId FROM ComplaintEvent e JOIN Complaint c ON c.id = e.complaintId WHERE c.reference = ? AND e.action = 'contact_viewed'")
    .all(reference);
  expect(audit).toHaveLength(1);
  expect(audit[0]).toMatchObject({ visibility: "internal" });
  for (const p of [outsider, office, handler]) await p.context().close();
});

test("a unit head asks for more time, the office approves it and supervises; the unit sees the office's note", async ({ page, browser, server, db }) => {
  const { reference } = await fileAsCitizen(page, "D02");
  const before = db.prepare("SELECT replyDueAt FROM Complaint WHERE reference = ?").get(reference) as { replyDueAt: string };
  const head = await staffPage(browser, server.url, await createStaff(db, { username: `d02.${unique()}`, role: "unit_head", unit: "D02" }));
  await head.goto(`/staff/cases/${reference}?lng=en`);
  await head.getByLabel("Working days needed (at most 10)").fill("5");
  await head.getByLabel("Why more time is needed").fill("Waiting for the land registry's records.");
  await head.getByRole("button", { name: "Ask the evaluation office for more time" }).click();
  await expect(head.locator("#ext-title + ul")).toContainText("5 working day(s): waiting for the office");
  await expect(head.getByRole("button", { name: "Ask the evaluation office for more time" })).toHaveCount(0);

  const office = await staffPage(browser, server.url, await createStaff(db, { username: `office.${unique()}`, role: "office" }));
  await office.goto(`/staff/cases/${reference}?lng=en`);
  await office.getByRole("button", { name: "Approve the extension" }).click();
  await expect(office.locator("#ext-title + ul")).toContainText("approved");
  const after = db.prepare("SELECT replyDueAt, extensionDays FROM Complaint WHERE reference = ?").get(reference) as { replyDueAt: string; extensionDays: number };
  expect(after.extensionDays).toBe(5);
  expect(new Date(after.replyDueAt).getTime()).toBeGreaterThan(new Date(before.replyDueAt).getTime() + 5 * 86_400_000);

  await office.getByLabel("Supervision note to the unit (督办)").fill("Please reply to the citizen by Friday.");
  await office.getByRole("button", { name: "Supervise this case" }).click();
  // Stored once the office's own page shows it (the click does not wait for the answer).
  await expect(office.locator(".timeline")).toContainText("Please reply to the citizen by Friday.");
  await head.goto(`/staff/cases/${reference}?lng=en`);
  await expect(head.locator(".timeline")).toContainText("Please reply to the citizen by Friday.");
  // A unit head cannot decide on extensions.
  const res = await head.request.post(`/staff/cases/${reference}?lng=en`, { form: { intent: "approve_extension" }, headers: { origin: server.url } });
  expect(res.status()).toBe(403);
  await head.context().close();
  await office.context().close();
});

test("a complaint out of scope is rejected with a reason the citizen sees", async ({ page, browser, server, db }) => {
  const { reference, code } = await fileAsCitizen(page, "D03");
  const staff = await staffPage(browser, server.url, await createStaff(db, { username: `d03.${unique()}`, role: "unit_staff", unit: "D03" }));
  await staff.goto(`/staff/cases/${reference}?lng=en`);
  await staff.getByLabel("Why it is out of scope (the citizen sees it)").fill("School fees are set by the province, not by this bureau.");
  await staff.getByRole("button", { name: "Reject as out of scope" }).click();
  await expect(staff.locator("dl")).toContainText("Not accepted (out of scope)");
  await page.goto("/track?lng=en");
  await page.getByLabel("Reference").fill(reference);
  await page.getByLabel("Access code").fill(code);
  await page.getByRole("button", { name: "Show my complaint" }).click();
  await expect(page.getByTestId("status")).toHaveText("Not accepted (out of scope)");
  await expect(page.locator("article")).toContainText("School fees are set by the province");
  await expect(page.getByRole("button", { name: "Send my rating" })).toHaveCount(0);
  await staff.context().close();
});
