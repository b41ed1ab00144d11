// The staff queue as a unit uses it every day: it opens on the cases that need action with the
// nearest deadline first, counts each status in its tabs, and a case the citizen calls "not
// resolved" comes back with a new deadline. Other tests file into the same worker database, so
// counts and order are checked against the stored data rather than fixed numbers.
import type { TestDb } from "./support/db";
import type { Page } from "@playwright/test";
import { calendarFrom, dueAfterWorkingDays } from "../../app/domain/working-days";
import { expect, test } from "./support/fixtures";
import { fileAsCitizen, staffPage } from "./support/complaints";
import { createStaff, signIn } from "./support/staff";

const unique = () => Math.random().toString(36).slice(2, 8);
const UNIT = "D09";

/** Answered and closed cases of the unit from January, as a busy unit has hundreds of. */
function oldAnsweredCases(db: TestDb, n: number): string[] {
  const unitId = (db.prepare("SELECT id FROM Unit WHERE code = ?").get(UNIT) as { id: number }).id;
  const refs: string[] = [];
  for (let i = 0; i < n; i++) {
    const reference = `TS-2026-Q${unique()}${i}`;
    const at = `2026-01-0${(i % 8) + 1}T02:00:00.000+00:00`;
    const status = i % 2 ? "closed" : "replied";
    db.prepare(
      `INSERT INTO Complaint (reference, accessCodeHash, unitId, subjectUnitId, type, status, description, lang, consentAt, submittedAt, acceptDueAt, replyDueAt, repliedAt, createdAt, updatedAt)
       VALUES (?, 'x', ?, ?, 'attitude', ?, 'The clerk was rude at window 3.', 'en', ?, ?, ?, ?, ?, ?, ?)`,
    ).run(reference, unitId, unitId, status, at, at, at, at, at, at, at);
    refs.push(reference);
  }
  return refs;
}

/** What the unit's staff may see of their unit, per status (integrity cases are not theirs). */
function storedCounts(db: TestDb): Record<string, number> {
  const rows = db
    .prepare("SELECT c.status, COUNT(*) AS n FROM Complaint c JOIN Unit u ON u.id = c.unitId WHERE u.code = ? AND c.type <> 'integrity' GROUP BY c.status")
    .all(UNIT) as { status: string; n: number }[];
  const counts: Record<string, number> = { open: 0, all: 0 };
  for (const r of rows) {
    counts[r.status] = r.n;
    counts.all! += r.n;
    if (["submitted", "transferred", "accepted", "in_progress"].includes(r.status)) counts.open! += r.n;
  }
  return counts;
}

const queueRefs = (page: Page) => page.locator("table.queue tbody tr td:first-child").allTextContents();

test("a unit's queue opens on its new case, ahead of older answered ones, with the right count on each status tab", async ({ page, browser, server, db, axe }) => {
  const old = oldAnsweredCases(db, 6);
  const { reference } = await fileAsCitizen(page, UNIT);
  const staff = await staffPage(browser, server.url, await createStaff(db, { username: `d09.${unique()}`, role: "unit_staff", unit: UNIT }));
  await staff.goto("/staff?lng=en");
  const tabs = staff.getByRole("navigation", { name: "Cases by status" });
  await expect(tabs.getByRole("link", { name: /^Needs action/ })).toHaveAttribute("aria-current", "page");

  // The new case is there; January's answered and closed ones are not, whatever else the unit has.
  const opening = await queueRefs(staff);
  expect(opening).toContain(reference);
  for (const r of old) expect(opening).not.toContain(r);
  // Nearest deadline first.
  const due = opening.map((r) => (db.prepare("SELECT nextDueAt FROM Complaint WHERE reference = ?").get(r) as { nextDueAt: string }).nextDueAt);
  expect(due.every((d) => d !== null)).toBe(true);
  expect([...due].sort((a, b) => Date.parse(a) - Date.parse(b))).toEqual(due);
  await expect(staff.locator("tr", { hasText: reference })).toContainText("working day(s) left");
  await axe(staff);

  // Each tab's count is what is stored, and the tab lists that many.
  const counts = storedCounts(db);
  expect(counts.replied).toBeGreaterThanOrEqual(3);
  for (const [choice, label] of [["open", "Needs action"], ["submitted", "New"], ["replied", "Answered"], ["closed", "Closed"], ["in_progress", "In progress"], ["all", "All"]] as const) {
    await expect(tabs.getByRole("link", { name: new RegExp(`^${label}`) }), choice).toHaveText(`${label} ${counts[choice] ?? 0}`);
  }
  await tabs.getByRole("link", { name: /^Answered/ }).click();
  await expect(staff).toHaveURL(/status=replied/);
  await expect(tabs.getByRole("link", { name: /^Answered/ })).toHaveAttribute("aria-current", "page");
  await expect(staff.locator("table.queue tbody tr")).toHaveCount(Math.min(counts.replied!, 50));
  expect(await queueRefs(staff)).not.toContain(reference);

  // All cases: the open ones by deadline come first, the answered ones after them.
  await tabs.getByRole("link", { name: /^All/ }).click();
  await expect(staff).toHaveURL(/status=all/);
  await expect(staff.locator("table.queue")).toContainText(reference);
  const all = await queueRefs(staff);
  const answeredAt = all.findIndex((r) => old.includes(r));
  expect(all.indexOf(reference)).toBeGreaterThanOrEqual(0);
  expect(all.indexOf(reference)).toBeLessThan(answeredAt === -1 ? Number.POSITIVE_INFINITY : answeredAt);
  await staff.context().close();
});

test("a case the citizen calls not resolved comes back with a new reply deadline; the timeline names an extension's working days", async ({ page, browser, server, db }) => {
  const { reference, code } = await fileAsCitizen(page, UNIT, { when: "Last Monday morning" });
  const head = await staffPage(browser, server.url, await createStaff(db, { username: `d09h.${unique()}`, role: "unit_head", unit: UNIT }));
  await head.goto(`/staff/cases/${reference}?lng=en`);
  // Staff read the citizen's answers without the form's "(optional)".
  await expect(head.locator("section", { hasText: "What happened?" })).toContainText("When: Last Monday morning");
  await expect(head.locator("main")).not.toContainText("(optional)");
  await head.getByRole("button", { name: "Accept" }).click();
  await expect(head.locator("dl")).toContainText("Accepted");
  await head.getByLabel("Working days needed (at most 10)").fill("5");
  await head.getByLabel("Why more time is needed").fill("Waiting for the land registry's records.");
  await head.getByRole("button", { name: "Ask the evaluation office for more time" }).click();
  await expect(head.getByRole("button", { name: "Ask the evaluation office for more time" })).toHaveCount(0);

  const office = await staffPage(browser, server.url, await createStaff(db, { username: `office.${unique()}`, role: "office" }));
  await office.goto(`/staff/cases/${reference}?lng=en`);
  await office.getByRole("button", { name: "Approve the extension" }).click();
  await expect(office.locator("#ext-title + ul")).toContainText("approved");
  const timeline = office.locator(".timeline");
  await expect(timeline.locator("li", { hasText: "Extension approved" })).toContainText("extended by 5 working days");
  const asked = timeline.locator("li", { hasText: "Extension requested" });
  await expect(asked).toContainText("5 more working days asked for");
  await expect(asked.locator("p")).toHaveText("Waiting for the land registry's records.");
  await office.context().close();

  await head.reload();
  await head.getByLabel("Answer to the citizen (the citizen sees it)").fill("The permit was issued on Monday.");
  await head.getByRole("button", { name: "Send the answer" }).click();
  await expect(head.locator("dl")).toContainText("Answered");
  const replyDue = head.locator("dt", { hasText: "Answer due by" }).locator("xpath=following-sibling::dd[1]");
  const oldDue = await replyDue.textContent();

  await page.goto("/track?lng=en");
  await page.getByLabel("Reference").fill(reference);
  await page.getByLabel("Access code").fill(code);
  await page.getByRole("button", { name: "Show my complaint" }).click();
  await page.getByLabel(/If the problem is not resolved/).fill("I still have no permit.");
  await page.getByRole("button", { name: "It is not resolved" }).click();
  await expect(page.getByTestId("status")).toHaveText("Being handled");

  // The type's reply time again, in working days from the reopening (the region's calendar).
  const stored = db.prepare("SELECT type, ratedAt, replyDueAt, nextDueAt FROM Complaint WHERE reference = ?").get(reference) as {
    type: string;
    ratedAt: string;
    replyDueAt: string;
    nextDueAt: string;
  };
  const rule = (db.prepare("SELECT replyDays FROM DeadlineRule WHERE type = ?").get(stored.type) as { replyDays: number } | undefined) ?? { replyDays: 5 };
  const calendar = calendarFrom(db.prepare("SELECT date, kind FROM CalendarDay").all() as { date: string; kind: string }[]);
  expect(new Date(stored.replyDueAt).toISOString()).toBe(dueAfterWorkingDays(new Date(stored.ratedAt), rule.replyDays, calendar).toISOString());
  expect(stored.nextDueAt).toBe(stored.replyDueAt);

  await head.reload();
  await expect(head.locator("dl")).toContainText("Being handled");
  const newDue = (await replyDue.textContent())!;
  expect(newDue).not.toBe(oldDue);
  await head.goto("/staff?lng=en");
  await expect(head.locator("tr", { hasText: reference })).toContainText(newDue);
  await expect(head.locator("tr", { hasText: reference })).toContainText("supervised");
  await head.context().close();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the status tabs are links and the filter form keeps the chosen tab", async ({ page, db }) => {
    oldAnsweredCases(db, 2);
    await signIn(page, await createStaff(db, { username: `d09n.${unique()}`, role: "unit_staff", unit: UNIT }));
    await page.goto("/staff?lng=en");
    await page.getByRole("navigation", { name: "Cases by status" }).getByRole("link", { name: /^Closed/ }).click();
    await expect(page).toHaveURL(/status=closed/);
    await page.getByLabel("What kind of problem?").selectOption("attitude");
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(/status=closed/);
    await expect(page).toHaveURL(/type=attitude/);
    await expect(page.getByRole("link", { name: /^Closed/ })).toHaveAttribute("aria-current", "page");
    const shown = await queueRefs(page);
    expect(shown.length).toBeGreaterThan(0);
    for (const r of shown) {
      expect(db.prepare("SELECT status, type FROM Complaint WHERE reference = ?").get(r)).toEqual({ status: "closed", type: "attitude" });
    }
  });
});
