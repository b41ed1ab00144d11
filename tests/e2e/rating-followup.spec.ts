// "Tell us what went wrong" (issue 12): a complaint opened from a dissatisfied rating's thanks page
// cites that rating (a signed reference, never its answers); the case page says so and the office
// sees per unit how many dissatisfied ratings led to a complaint. A reference that does not hold
// (forged, expired, another unit's) never stops the complaint: it is filed without the link.
import type { Page } from "@playwright/test";
import type { TestDb } from "./support/db";
import { staffPage } from "./support/complaints";
import { expect, hydrated, test } from "./support/fixtures";
import { addDissatisfiedRating, expectedFollowUpDue, ratingToken, storedCallbacks, storedFollowups } from "./support/rating-followup";
import { createStaff, signIn } from "./support/staff";
import { toRegionDateTime } from "../../app/domain/follow-up-form";

// D04 (Health Commission): no other test asserts its scores; D02 stands for "another unit".
const UNIT = "D04";
const UNIT_NAME = "Health Commission";
const unique = () => Math.random().toString(36).slice(2, 8);

function storedComplaint(db: TestDb, description: string) {
  return db.prepare(`SELECT reference, responseId FROM Complaint WHERE description = ?`).get(description) as { reference: string; responseId: number | null } | undefined;
}

async function fillComplaint(page: Page, description: string, opts: { consent?: boolean } = {}) {
  await page.getByLabel("Poor service attitude").check();
  await page.getByLabel("What happened?").fill(description);
  await page.getByLabel("No, stay anonymous").check();
  if (opts.consent !== false) await page.getByLabel(/I confirm/).check();
  await page.getByRole("button", { name: "Send the complaint" }).click();
}

/**
 * The unit's row of the office's table: [dissatisfied ratings, followed by a complaint, share,
 * call-backs on time, late, overdue, pending].
 */
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
  expect((await officeRow(office, UNIT_NAME)).slice(0, 3)).toEqual([String(before.dissatisfied), String(before.followed), expect.any(String)]);

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
  expect((await officeRow(office, UNIT_NAME)).slice(0, 3)).toEqual([String(after.dissatisfied), String(after.followed), share]);
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

/** Files a complaint from the rating's link as the citizen would; returns its reference and access code. */
async function complainAfterRating(page: Page, responseId: number, description: string, opts: { javaScript?: boolean } = {}) {
  await page.goto(`/complaints/new?lng=en&unit=${UNIT}&rating=${encodeURIComponent(ratingToken(responseId, UNIT))}`);
  if (opts.javaScript !== false) await hydrated(page);
  await fillComplaint(page, description);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your complaint has been received");
  return { reference: (await page.getByTestId("reference").textContent())!.trim(), code: (await page.getByTestId("code").textContent())!.trim() };
}

/** A deadline as the English pages write it, in region time ("8 Oct 2026, 23:59"). */
function englishDateTime(instant: Date): string {
  const d = new Date(instant.getTime() + 8 * 3_600_000);
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

function storedFollowUp(db: TestDb, reference: string) {
  return db.prepare(`SELECT id, submittedAt, followUpDueAt, followUpDoneAt FROM Complaint WHERE reference = ?`).get(reference) as {
    id: number;
    submittedAt: string;
    followUpDueAt: string | null;
    followUpDoneAt: string | null;
  };
}

test("差评回访: the case shows the call-back deadline; could-not-reach then reached is done on time, internal, and counted for the office", async ({
  page,
  browser,
  server,
  db,
  axe,
  consoleErrors,
}) => {
  test.setTimeout(120_000); // three staff sign-ins, a citizen, the office's table twice
  const office = await staffPage(browser, server.url, await createStaff(db, { username: `callback.office.${unique()}`, role: "office" }));
  const [, , , onTime, late, overdue, pending] = (await officeRow(office, UNIT_NAME)).map(Number);
  const responseId = addDissatisfiedRating(server, db, UNIT);
  const { reference, code } = await complainAfterRating(page, responseId, `They sent me to three counters for one stamp (${unique()}).`);

  // The deadline: the 2026 period's followUpDays working days after filing, on the stored calendar.
  const stored = storedFollowUp(db, reference);
  const due = expectedFollowUpDue(db, new Date(stored.submittedAt), "2026");
  expect(new Date(stored.followUpDueAt!)).toEqual(due);
  const staff = await staffPage(browser, server.url, await createStaff(db, { username: `callback.d04.${unique()}`, role: "unit_staff", unit: UNIT }));
  // The queue marks the open call-back.
  await staff.goto("/staff?lng=en");
  await expect(staff.getByRole("row", { name: new RegExp(reference) }).getByTestId("call-back")).toHaveText("Call-back due");
  await staff.goto(`/staff/cases/${reference}?lng=en`);
  await hydrated(staff);
  const panel = staff.getByTestId("follow-up");
  await expect(panel.getByTestId("follow-up-due")).toHaveText(`Call the citizen back by ${englishDateTime(due)} — Due`);
  await axe(staff);

  // Bad input: a time in the future, no way chosen, no outcome; the note stays as typed.
  const note = `Rang the mobile at lunch; voicemail full (${unique()}).`;
  const future = toRegionDateTime(new Date(Date.now() + 3 * 3_600_000));
  await panel.getByLabel("When (local time)").fill(future);
  await panel.getByLabel("Note (internal, optional)").fill(note);
  await panel.getByRole("button", { name: "Record the call-back" }).click();
  await expect(panel.locator("#calledAt-error")).toHaveText("The call cannot be later than now, nor earlier than the complaint.");
  await expect(panel.locator("#method-error")).toHaveText("Please choose one of the answers offered.");
  await expect(panel.locator("#outcome-error")).toHaveText("Please choose one of the answers offered.");
  await expect(panel.getByLabel("How")).toHaveAttribute("aria-invalid", "true");
  await expect(panel.getByLabel("Note (internal, optional)")).toHaveValue(note);
  await expect(panel.getByLabel("When (local time)")).toHaveValue(future);
  expect(db.prepare(`SELECT COUNT(*) AS n FROM FollowUpCall WHERE complaintId = ?`).get(stored.id)).toEqual({ n: 0 });
  await axe(staff);

  // Could not reach: kept on the internal timeline with its note; the call-back is still due.
  await panel.getByLabel("When (local time)").fill(toRegionDateTime(new Date()));
  await panel.getByLabel("How").selectOption({ label: "Phone call" });
  await panel.getByLabel("Outcome").selectOption({ label: "Could not reach" });
  await panel.getByRole("button", { name: "Record the call-back" }).click();
  const timeline = staff.locator(".timeline li", { hasText: "Call-back to the citizen" });
  await expect(timeline).toHaveCount(1);
  await expect(timeline).toContainText("Could not reach · Phone call");
  await expect(timeline).toContainText("(internal)");
  await expect(timeline).toContainText(note);
  await expect(panel.getByTestId("follow-up-state")).toHaveText("Due");
  // The form starts empty again for the next attempt.
  await expect(panel.getByLabel("Note (internal, optional)")).toHaveValue("");

  // Reached, resolved: done on time.
  await panel.getByLabel("When (local time)").fill(toRegionDateTime(new Date()));
  await panel.getByLabel("How").selectOption({ label: "Visit" });
  await panel.getByLabel("Outcome").selectOption({ label: "Reached: resolved" });
  await panel.getByLabel("Note (internal, optional)").fill("Met at the hall; stamp issued on the spot.");
  await panel.getByRole("button", { name: "Record the call-back" }).click();
  await expect(panel.getByTestId("follow-up-state")).toHaveText("Done on time");
  await expect(timeline).toHaveCount(2);
  await expect(timeline.nth(1)).toContainText("Reached: resolved · Visit");
  const done = storedFollowUp(db, reference);
  expect(done.followUpDoneAt).not.toBeNull();
  expect(db.prepare(`SELECT outcome, method FROM FollowUpCall WHERE complaintId = ? ORDER BY id`).all(stored.id)).toEqual([
    { outcome: "not_reached", method: "phone" },
    { outcome: "reached_resolved", method: "visit" },
  ]);
  await staff.goto("/staff?lng=en");
  await expect(staff.getByRole("row", { name: new RegExp(reference) }).getByTestId("call-back")).toHaveCount(0);

  // Another unit's staff cannot record (the case is not theirs to see), nor can the office (not the handler).
  const outsider = await staffPage(browser, server.url, await createStaff(db, { username: `callback.d02.${unique()}`, role: "unit_staff", unit: "D02" }));
  const form = { intent: "follow_up", calledAt: toRegionDateTime(new Date()), method: "phone", outcome: "reached_resolved" };
  const outsiderTry = await outsider.request.post(`/staff/cases/${reference}?lng=en`, { form, headers: { origin: server.url } });
  expect(outsiderTry.status()).toBe(404);
  const officeTry = await office.request.post(`/staff/cases/${reference}?lng=en`, { form, headers: { origin: server.url } });
  expect(officeTry.status()).toBe(403);
  expect(db.prepare(`SELECT COUNT(*) AS n FROM FollowUpCall WHERE complaintId = ?`).get(stored.id)).toEqual({ n: 2 });

  // The citizen's tracking page shows neither the call-backs nor their notes.
  await page.goto("/track?lng=en");
  await page.getByLabel("Reference").fill(reference);
  await page.getByLabel("Access code").fill(code);
  await page.getByRole("button", { name: "Show my complaint" }).click();
  await expect(page.locator(".timeline")).toContainText("Complaint received");
  await expect(page.locator("main")).not.toContainText(note);
  await expect(page.locator("main")).not.toContainText("stamp issued on the spot");
  await expect(page.locator("main")).not.toContainText("Call-back");

  // The office: one more call-back done on time for the unit, the rest as before.
  expect((await officeRow(office, UNIT_NAME)).slice(3).map(Number)).toEqual([onTime! + 1, late, overdue, pending]);
  // The unit's own page: the same counts as stored.
  const c = storedCallbacks(db, UNIT);
  expect(c.onTime).toBeGreaterThan(0);
  await staff.goto(`/staff/scores/${UNIT}?period=2026&lng=en`);
  await expect(staff.getByTestId("callbacks")).toHaveText(`Call-backs: ${c.onTime} on time, ${c.late} late, ${c.overdue} overdue, ${c.pending} pending`);
  expect(consoleErrors).toEqual([]);
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

  test("a refused call-back record keeps the typed note and choices, with each field's error", async ({ page, browser, server, db }) => {
    const responseId = addDissatisfiedRating(server, db, UNIT);
    const { reference } = await complainAfterRating(page, responseId, `The clerk tore up my form (${unique()}).`, { javaScript: false });
    // The staff member's own browser, without JavaScript too: the page itself must keep the typing.
    const staff = await (await browser.newContext({ baseURL: server.url, javaScriptEnabled: false })).newPage();
    await signIn(staff, await createStaff(db, { username: `callback.nojs.${unique()}`, role: "unit_staff", unit: UNIT }));
    await staff.goto(`/staff/cases/${reference}?lng=en`);
    const panel = staff.getByTestId("follow-up");
    const note = `Second attempt planned for Monday (${unique()}).`;
    await panel.getByLabel("How").selectOption({ label: "Text message" });
    await panel.getByLabel("When (local time)").fill("2001-01-01T10:00");
    await panel.getByLabel("Note (internal, optional)").fill(note);
    await panel.getByRole("button", { name: "Record the call-back" }).click();
    await expect(panel.locator("#calledAt-error")).toHaveText("The call cannot be later than now, nor earlier than the complaint.");
    await expect(panel.locator("#outcome-error")).toHaveText("Please choose one of the answers offered.");
    await expect(panel.locator("#method-error")).toHaveCount(0);
    await expect(panel.getByLabel("Note (internal, optional)")).toHaveValue(note);
    await expect(panel.getByLabel("How")).toHaveValue("message");
    await expect(panel.getByLabel("When (local time)")).toHaveValue("2001-01-01T10:00");
    expect(db.prepare(`SELECT COUNT(*) AS n FROM FollowUpCall f JOIN Complaint c ON c.id = f.complaintId WHERE c.reference = ?`).get(reference)).toEqual({ n: 0 });
  });
});
