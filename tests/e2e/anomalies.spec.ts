// The evaluation office's anomalies review: a burst of worst grades from one network (every
// request of this test comes from 127.0.0.1, so they share a network), posted through the real
// survey page with a fresh browser each time, shows up as a notable unit-day; the office opens the
// day, excludes the network's cluster with a reason and sees the confirmation with the figures'
// change; every response stays stored, flagged and audited. Unit staff are refused.
import { request as playwrightRequest } from "@playwright/test";
import { expect, hydrated, test } from "./support/fixtures";
import { createStaff, signIn } from "./support/staff";
import type { TestDb } from "./support/db";

const unique = () => Math.random().toString(36).slice(2, 8);
// D11 (民政局, Civil Affairs Bureau): no other test posts survey responses for it.
const UNIT = "D11";
const UNIT_NAME = "Civil Affairs Bureau";
const CORE = ["efficiency", "attitude", "transparency", "integrity", "overall"];
/** Today in the region (UTC+8), as the page names days. */
const regionDay = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** One citizen's worst grades through the survey page, from a browser with no cookies yet. */
async function postWorstGrades(baseURL: string) {
  const citizen = await playwrightRequest.newContext({ baseURL });
  try {
    const page = await citizen.get(`/s/satisfaction-2026?unit=${UNIT}&lng=en`);
    expect(page.status()).toBe(200);
    const started = /name="started" value="([^"]*)"/.exec(await page.text())?.[1] ?? "";
    const form: Record<string, string> = { started, website: "", q_guidance: "1" };
    for (const key of CORE) form[`q_${key}`] = "1";
    const sent = await citizen.post(`/s/satisfaction-2026?unit=${UNIT}&lng=en`, { form, headers: { origin: baseURL }, maxRedirects: 0 });
    expect(sent.status()).toBe(303);
  } finally {
    await citizen.dispose();
  }
}

const unitResponses = (db: TestDb) =>
  db.prepare(`SELECT r.id FROM Response r JOIN Unit u ON u.id = r.unitId WHERE u.code = ?`).pluck().all(UNIT) as number[];

test("the office finds a burst from one network, opens the day and excludes the network's responses with a reason", async ({ page, db, server, axe, consoleErrors }) => {
  test.setTimeout(90_000);
  const before = unitResponses(db).length;
  for (let i = 0; i < 8; i++) await postWorstGrades(server.url);
  const ids = unitResponses(db);
  expect(ids).toHaveLength(before + 8);
  const day = regionDay();

  const office = await createStaff(db, { username: `office.${unique()}`, role: "office" });
  await signIn(page, office, "en");
  await page.getByRole("navigation", { name: "Staff menu" }).getByRole("link", { name: "Anomalies" }).click();
  await expect(page).toHaveURL(/\/staff\/anomalies$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Anomalies");
  // The test and its threshold are stated on the page.
  await expect(page.getByText(/Pearson's chi-square test/)).toBeVisible();
  await expect(page.getByText(/p < 0\.001/)).toBeVisible();
  const row = page.locator("#anomaly-table tbody tr").filter({ hasText: UNIT_NAME });
  await expect(row).toHaveCount(1);
  await expect(row.locator("td").nth(1)).toHaveText("8");
  // The burst rule flagged the responses after the fifth: some share is flagged.
  await expect(row.locator("td").nth(2)).toContainText("%");
  await axe(page);

  // Every day of the unit, with the unit chosen; then the day itself.
  await hydrated(page);
  await page.getByLabel("Unit", { exact: true }).selectOption(UNIT);
  await page.getByRole("button", { name: "Show", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`unit=${UNIT}`));
  await expect(page.getByRole("status")).toContainText(`Days of ${UNIT_NAME}: 1.`);
  await page.locator("#anomaly-table tbody tr").first().getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/staff/anomalies/${UNIT}/${day}\\?period=2026`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(UNIT_NAME);
  const clusters = page.locator("#cluster-table tbody tr");
  await expect(clusters).toHaveCount(2);
  await expect(clusters.nth(0)).toContainText("All responses of the day");
  await expect(clusters.nth(1).locator("th")).toHaveText("Network 1");
  await expect(clusters.nth(1).locator("td").first()).toHaveText("8");
  await expect(clusters.nth(1)).toContainText("Burst from one network 3");
  await expect(clusters.nth(1).locator("td").last()).toHaveText("1.00");
  // The network itself is nowhere on the page.
  const hashes = db.prepare(`SELECT DISTINCT ipHash FROM Response WHERE id IN (${ids.join(",")})`).pluck().all() as string[];
  const html = await page.content();
  for (const h of hashes) expect(html).not.toContain(h);
  await axe(page);

  // A reason too short: refused (400), the choice and the typing kept, the error next to the field.
  await hydrated(page);
  await page.getByLabel("Network 1").check();
  await page.getByLabel(/^Reason/).fill("ab");
  const refused = page.waitForResponse((r) => r.request().method() === "POST");
  await page.getByRole("button", { name: "Exclude from the scores" }).click();
  expect((await refused).status()).toBe(400);
  await expect(page.locator(".field-error")).toHaveText("Please give a reason.");
  await expect(page.getByLabel("Network 1")).toBeChecked();
  await expect(page.getByLabel(/^Reason/)).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel(/^Reason/)).toHaveValue("ab");
  expect(db.prepare(`SELECT COUNT(*) FROM ResponseFlag WHERE flag = 'excluded' AND responseId IN (${ids.join(",")})`).pluck().get()).toBe(0);

  // With a reason: one action excludes the cluster.
  const reason = `coordinated worst grades ${unique()}`;
  await page.getByLabel(/^Reason/).fill(reason);
  await page.getByRole("button", { name: "Exclude from the scores" }).click();
  const done = page.getByRole("status").filter({ hasText: "Responses excluded" });
  await expect(done).toContainText("Responses excluded: 8 of the 8 chosen");
  await expect(done).toContainText(new RegExp(`${UNIT_NAME}: counted responses \\d+ → \\d+; S`));
  await expect(clusters.nth(1)).toContainText("Excluded by the office 8");
  await axe(page);

  // Stored, flagged and audited; nothing deleted.
  const newIds = ids.slice(before);
  expect(db.prepare(`SELECT COUNT(*) FROM Response WHERE id IN (${newIds.join(",")})`).pluck().get()).toBe(8);
  expect(db.prepare(`SELECT COUNT(*) FROM ResponseFlag WHERE flag = 'excluded' AND note = ? AND responseId IN (${newIds.join(",")})`).pluck().get(reason)).toBe(8);
  expect(db.prepare(`SELECT COUNT(*) FROM AuditEvent WHERE action = 'response.exclude' AND note = ?`).pluck().get(reason)).toBe(8);

  // Right-to-left, in Uyghur.
  await page.goto("/staff/anomalies?lng=ug");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("نورمالسىز ئەھۋاللار");
  await axe(page);
  expect(consoleErrors).toEqual([]);
});

test("unit staff and heads cannot open the anomalies pages", async ({ browser, db, server }) => {
  for (const role of ["unit_staff", "unit_head"]) {
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    await signIn(page, await createStaff(db, { username: `${role}.${unique()}`, role, unit: UNIT }), "en");
    await expect(page.getByRole("navigation", { name: "Staff menu" }).getByRole("link", { name: "Anomalies" })).toHaveCount(0);
    expect((await page.goto("/staff/anomalies"))?.status()).toBe(403);
    expect((await page.goto(`/staff/anomalies/${UNIT}/${regionDay()}`))?.status()).toBe(403);
    const post = await page.request.post(`/staff/anomalies/${UNIT}/${regionDay()}`, {
      form: { intent: "exclude", cluster: "all", seen: "1", reason: "not theirs to decide" },
      headers: { origin: server.url },
    });
    expect(post.status()).toBe(403);
    await context.close();
  }
  expect(db.prepare(`SELECT COUNT(*) FROM AuditEvent WHERE note = 'not theirs to decide'`).pluck().get()).toBe(0);
});
