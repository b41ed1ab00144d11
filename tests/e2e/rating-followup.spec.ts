// "Tell us what went wrong" (issue 12): a complaint opened from a dissatisfied rating's thanks page
// cites that rating (a signed reference, never its answers); the case page says so and the office
// sees per unit how many dissatisfied ratings led to a complaint. A reference that does not hold
// (forged, expired, another unit's) never stops the complaint: it is filed without the link.
import type { Page } from "@playwright/test";
import type Database from "better-sqlite3";
import { staffPage } from "./support/complaints";
import { expect, hydrated, test } from "./support/fixtures";
import { addDissatisfiedRating, ratingToken, storedFollowups } from "./support/rating-followup";
import { createStaff } from "./support/staff";

// D04 (Health Commission): no other test asserts its scores; D02 stands for "another unit".
const UNIT = "D04";
const UNIT_NAME = "Health Commission";
const unique = () => Math.random().toString(36).slice(2, 8);

function storedComplaint(db: Database.Database, description: string) {
  return db.prepare(`SELECT reference, responseId FROM Complaint WHERE description = ?`).get(description) as { reference: string; responseId: number | null } | undefined;
}

async function fillComplaint(page: Page, description: string, opts: { consent?: boolean } = {}) {
  await page.getByLabel("Poor service attitude").check();
  await page.getByLabel("What happened?").fill(description);
  await page.getByLabel("No, stay anonymous").check();
  if (opts.consent !== false) await page.getByLabel(/I confirm/).check();
  await page.getByRole("button", { name: "Send the complaint" }).click();
}

/** The unit's row of the office's table: [dissatisfied ratings, followed by a complaint, share]. */
async function officeRow(page: Page, unitName: string) {
  await page.goto("/staff/scores?period=2026&kind=all&lng=en");
  const row = page.locator("#followup-table tbody tr", { has: page.getByRole("rowheader", { name: unitName, exact: true }) });
  return row.locator("td").allTextContents();
}

test("a complaint from a dissatisfied rating's link cites it; the case page and the office's figures show it", async ({ page, browser, server, db, axe, consoleErrors }) => {
  test.setTimeout(90_000); // two staff sign-ins, a score rebuild and four audited pages
  const responseId = addDissatisfiedRating(server, db, UNIT);
  const office = await staffPage(browser, server.url, await createStaff(db, { username: `followup.office.${unique()}`, role: "office" }));
  const before = storedFollowups(db, UNIT);
  expect(await officeRow(office, UNIT_NAME)).toEqual([String(before.dissatisfied), String(before.followed), expect.any(String)]);

  await page.goto(`/complaints/new?lng=en&unit=${UNIT}&rating=${encodeURIComponent(ratingToken(responseId, UNIT))}`);
  await hydrated(page);
  await expect(page.getByTestId("rating-note")).toHaveText(
    `You are complaining after your rating of ${UNIT_NAME}. The complaint will note that it followed a dissatisfied rating; your survey answers are not attached.`,
  );
  await axe(page);
  const description = `The nurse at the counter shouted at my mother (${unique()}).`;
  await fillComplaint(page, description);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your complaint has been received");
  const stored = storedComplaint(db, description)!;
  expect(stored.responseId).toBe(responseId);

  // The office: the rating's unit, time and response number, and a line saying the answers stay out.
  await office.goto(`/staff/cases/${stored.reference}?lng=en`);
  await expect(office.getByTestId("followed-rating")).toContainText(`${UNIT_NAME}, rated dissatisfied on 1 Jun 2026, 11:00 · #${responseId}`);
  await expect(office.getByTestId("followed-rating")).toContainText("The rating's answers are not shown here.");
  // The unit's own staff: the day only, no response number.
  const unitStaff = await staffPage(browser, server.url, await createStaff(db, { username: `followup.d04.${unique()}`, role: "unit_staff", unit: UNIT }));
  await unitStaff.goto(`/staff/cases/${stored.reference}?lng=en`);
  await expect(unitStaff.getByTestId("followed-rating")).toContainText(`${UNIT_NAME}, rated dissatisfied on 1 Jun 2026`);
  await expect(unitStaff.getByTestId("followed-rating")).not.toContainText("#");
  await expect(unitStaff.getByTestId("followed-rating")).not.toContainText("11:00");
  await axe(unitStaff);

  // The figures: one more rating followed by a complaint, in the table and on the unit's page.
  const after = storedFollowups(db, UNIT);
  expect(after).toEqual({ dissatisfied: before.dissatisfied, followed: before.followed + 1 });
  const share = `${Math.round((100 * after.followed) / after.dissatisfied)}%`;
  expect(await officeRow(office, UNIT_NAME)).toEqual([String(after.dissatisfied), String(after.followed), share]);
  await axe(office);
  await unitStaff.goto(`/staff/scores/${UNIT}?period=2026&lng=en`);
  await expect(unitStaff.getByTestId("followups")).toHaveText(`Dissatisfied ratings: ${after.dissatisfied}; followed by a complaint: ${after.followed} (${share})`);
  expect(consoleErrors).toEqual([]);
});

test("a reference that does not hold files the complaint without the link, and says so on the form", async ({ page, server, db, request }) => {
  const responseId = addDissatisfiedRating(server, db, UNIT);
  const good = ratingToken(responseId, UNIT);
  const forged = `${good.slice(0, good.lastIndexOf(".") + 1)}${"A".repeat(32)}`;
  const expired = ratingToken(responseId, UNIT, Date.now() - 8 * 86_400_000);
  const before = storedFollowups(db, UNIT);

  for (const [name, token, unit] of [
    ["forged", forged, UNIT],
    ["expired", expired, UNIT],
    ["another unit's form", good, "D02"],
  ] as const) {
    await page.goto(`/complaints/new?lng=en&unit=${unit}&rating=${encodeURIComponent(token)}`);
    await expect(page.getByTestId("rating-note"), name).toHaveText(
      "The link to your rating is no longer valid (such links last 7 days). You can still send your complaint; it will not be tied to the rating.",
    );
  }
  // Posted as they come, each is filed (303 to the reference page) without a link.
  for (const [name, token, unit] of [
    ["forged", forged, UNIT],
    ["expired", expired, UNIT],
    ["valid, but the citizen chose another unit", good, "D02"],
    ["garbage", "'; DROP TABLE Complaint; --", UNIT],
    ["over 512 characters", `${good}${"x".repeat(600)}`, UNIT],
  ] as const) {
    const description = `The office lost my papers twice (${name}, ${unique()}).`;
    const res = await request.post("/complaints/new?lng=en", {
      form: { unit, type: "attitude", description, anonymous: "yes", consent: "yes", rating: token },
      maxRedirects: 0,
    });
    expect(res.status(), name).toBe(303);
    expect(res.headers().location, name).toBe("/complaints/filed");
    expect(storedComplaint(db, description), name).toMatchObject({ responseId: null });
  }
  expect(storedFollowups(db, UNIT)).toEqual(before);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a form refused for a missing answer keeps the rating reference and the citizen's typing", async ({ page, server, db }) => {
    const responseId = addDissatisfiedRating(server, db, UNIT);
    const token = ratingToken(responseId, UNIT);
    await page.goto(`/complaints/new?lng=en&unit=${UNIT}&rating=${encodeURIComponent(token)}`);
    const description = `Nobody answered the phone for a week (${unique()}).`;
    await fillComplaint(page, description, { consent: false });
    await expect(page.locator("#consent-error")).toBeVisible();
    await expect(page.getByLabel("What happened?")).toHaveValue(description);
    await expect(page.getByTestId("rating-note")).toContainText(`after your rating of ${UNIT_NAME}`);
    await expect(page.locator('input[type=hidden][name="rating"]')).toHaveValue(token);
    await page.getByLabel(/I confirm/).check();
    await page.getByLabel("No, stay anonymous").check();
    await page.getByLabel("Poor service attitude").check();
    await page.getByRole("button", { name: "Send the complaint" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your complaint has been received");
    expect(storedComplaint(db, description)!.responseId).toBe(responseId);
  });
});
