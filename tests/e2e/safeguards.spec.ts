import Database from "better-sqlite3";
import { expect, hydrated, startServer, test } from "./support/fixtures";
import { loadResponses } from "./support/scores";
import { createStaff, signIn } from "./support/staff";
import type { TestDb } from "./support/db";

// Safeguards on official numbers (issue 11): actions on official numbers stop at a confirmation
// step that spells out the consequence and change nothing until confirmed (with and without
// JavaScript); unit staff see comments with the day only; printed links with a private address
// are warned about.

const unique = () => Math.random().toString(36).slice(2, 8);
const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");

/**
 * An open period straight in the worker's database (no responses): what a test may close. Its
 * year is long past, so it never becomes the pages' default period (the latest that is not a draft).
 */
function openPeriod(db: TestDb, code: string) {
  const now = iso(new Date());
  db.prepare(`INSERT INTO EvaluationPeriod (code, names, startsOn, endsOn, status, createdAt, updatedAt) VALUES (?, ?, ?, ?, 'open', ?, ?)`).run(
    code,
    JSON.stringify({ "zh-Hans": `试行${code}`, ug: `سىناق ${code}`, kk: `سىناق ${code}`, en: `Trial ${code}` }),
    iso(new Date("2019-01-01T00:00:00+08:00")),
    iso(new Date("2019-12-31T23:59:59+08:00")),
    now,
    now,
  );
}

const paramsOf = (db: TestDb, code: string) => db.prepare(`SELECT params FROM EvaluationPeriod WHERE code = ?`).pluck().get(code) as string | null;

test("new parameters on an open period: whose Q and rank change is shown first, and nothing is saved until confirmed", async ({ page, db, server, axe, consoleErrors }) => {
  // Enough responses for D06 to be ranked among the departments.
  loadResponses(server, db, "D06", 31, 4, `参数 ${unique()}`);
  const office = await createStaff(db, { username: `guards.params.${unique()}`, role: "office" });
  await signIn(page, office, "en");
  await page.goto("/staff/periods/2026?lng=en");
  await hydrated(page);
  const stored = paramsOf(db, "2026");
  // A minimum sample no unit reaches: every ranked unit loses its rank.
  await page.getByLabel("Minimum sample for ranking").fill("100000");
  await page.getByRole("button", { name: "Save the parameters" }).click();
  const step = page.locator("#confirm-step");
  await expect(step.getByRole("heading", { name: /Save these parameters for the open period/ })).toBeVisible();
  await expect(step).toBeFocused();
  await expect(step).toContainText(/Q or rank changes for \d+ of \d+ units:/);
  const rows = step.locator("table tbody tr");
  expect(await rows.count()).toBeGreaterThan(0);
  // Each changed unit: its name, Q unchanged, rank from a number to none.
  const d06 = rows.filter({ hasText: "(D06)" });
  await expect(d06.locator("td").nth(1)).toHaveText(/^\d+ → —$/);
  const [qBefore, qAfter] = (await d06.locator("td").nth(0).innerText()).split(" → ");
  expect(qAfter).toBe(qBefore);
  await expect(page.getByLabel("Minimum sample for ranking")).toHaveValue("100000");
  expect(paramsOf(db, "2026")).toBe(stored);
  await axe(page);
  // Cancel: the page without the step, nothing saved.
  await step.getByRole("link", { name: "Cancel" }).click();
  await expect(page.locator("#confirm-step")).toHaveCount(0);
  expect(paramsOf(db, "2026")).toBe(stored);

  // On another open period (no responses), confirming saves, and the step said nothing changes.
  const code = `G${unique()}`;
  openPeriod(db, code);
  await page.goto(`/staff/periods/${code}?lng=en`);
  await hydrated(page);
  await page.getByLabel("Weight of the survey index S in Q (0–1)").fill("0.6");
  await page.getByRole("button", { name: "Save the parameters" }).click();
  await expect(page.locator("#confirm-step")).toContainText("No unit's Q or rank changes");
  expect(paramsOf(db, code)).toBeNull();
  await page.getByRole("button", { name: "Yes, save the parameters" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  expect(JSON.parse(paramsOf(db, code)!).surveyWeight).toBe(0.6);
  expect(consoleErrors).toEqual([]);
});

test("without JavaScript each confirmation is a page: closing a period, removing a question and deactivating a unit happen only after confirming", async ({ browser, baseURL, db }) => {
  const username = `guards.nojs.${unique()}`;
  await createStaff(db, { username, role: "office" });
  const userId = db.prepare(`SELECT id FROM StaffUser WHERE username = ?`).pluck().get(username);
  db.prepare(`INSERT INTO RoleGrant (userId, role, unitId, includeSubunits, createdAt) VALUES (?, 'admin', NULL, 0, ?)`).run(userId, iso(new Date()));
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, username, "en");

  // Closing a period.
  const code = `N${unique()}`;
  openPeriod(db, code);
  const status = () => db.prepare(`SELECT status FROM EvaluationPeriod WHERE code = ?`).pluck().get(code);
  await page.goto(`/staff/periods/${code}?lng=en`);
  await page.getByRole("button", { name: "Close the period and freeze the scores" }).click();
  const step = page.locator("#confirm-step");
  await expect(step.getByRole("heading", { name: `Close the period Trial ${code} and freeze its scores?` })).toBeVisible();
  await expect(step).toContainText("are frozen as a snapshot, computed from 0 responses");
  await expect(step).toContainText("Responses that arrive after closing no longer change the served figures.");
  await expect(step.locator('input[type="hidden"][name="confirm"]')).toHaveValue("1");
  expect(status()).toBe("open");
  await step.getByRole("button", { name: "Yes, close the period and freeze the scores" }).click();
  await expect(page.locator(".period-status")).toHaveText("Closed (frozen)");
  expect(status()).toBe("closed");

  // Removing a question from a new survey's draft.
  const slug = `guards-${unique()}`;
  const questions = () => (JSON.parse(db.prepare(`SELECT draft FROM Survey WHERE slug = ?`).pluck().get(slug) as string) as { questions: unknown[] }).questions.length;
  await page.goto("/staff/surveys?lng=en");
  await page.locator('[name="slug"]').fill(slug);
  await page.getByRole("button", { name: "Create the draft" }).click();
  await expect(page).toHaveURL(new RegExp(`/staff/surveys/${slug}$`));
  await page.getByRole("button", { name: "Remove question 1" }).click();
  await expect(step.getByRole("heading", { name: "Remove question 1 (q1)?" })).toBeVisible();
  await expect(step).toContainText("It is only in this draft and was never published");
  expect(questions()).toBe(1);
  await step.getByRole("button", { name: "Yes, remove question 1" }).click();
  await expect(page.locator("#confirm-step")).toHaveCount(0);
  await expect(page.locator(".q-edit")).toHaveCount(0);
  expect(questions()).toBe(0);

  // Deactivating a unit added for the test.
  const unit = `G${unique().toUpperCase().replace(/[^A-Z0-9]/g, "")}`;
  await page.goto("/staff/units?lng=en");
  await page.getByLabel("Code").fill(unit);
  await page.getByLabel("Kind").selectOption("department");
  await page.getByLabel("Parent unit").selectOption("REG");
  for (const field of await page.locator("input[name^=name_]").all()) await field.fill(`Guarded office ${unit}`);
  await page.getByRole("button", { name: "Add the unit" }).click();
  await expect(page).toHaveURL(new RegExp(`/staff/units/${unit}\\?done=created$`));
  const active = () => db.prepare(`SELECT active FROM Unit WHERE code = ?`).pluck().get(unit);
  await page.getByRole("button", { name: "Deactivate this unit" }).click();
  await expect(step.getByRole("heading", { name: `Deactivate Guarded office ${unit}?` })).toBeVisible();
  await expect(step).toContainText("Citizens can no longer choose it");
  // The demo survey applies to every active unit: its links stop for this one.
  await expect(step).toContainText("The links and QR codes of its open surveys");
  expect(await step.locator("li li").count()).toBeGreaterThan(0);
  expect(active()).toBe(1);
  await step.getByRole("button", { name: "Yes, deactivate this unit" }).click();
  await expect(page.getByRole("status")).toHaveText("The unit was deactivated: it takes no new ratings or complaints.");
  expect(active()).toBe(0);
  await context.close();
});

test("a post without confirm=1 never acts: the server answers with the step and the stored state is unchanged", async ({ page, db }) => {
  const username = `guards.raw.${unique()}`;
  await createStaff(db, { username, role: "office" });
  await signIn(page, username, "en");
  const code = `R${unique()}`;
  openPeriod(db, code);
  for (const confirm of [null, "0", "yes", "true"]) {
    const form: Record<string, string> = { intent: "close" };
    if (confirm !== null) form.confirm = confirm;
    const res = await page.request.post(`/staff/periods/${code}?lng=en`, { form, headers: { Origin: new URL(page.url()).origin } });
    expect(res.status()).toBe(200);
    expect(await res.text()).toContain("Yes, close the period and freeze the scores");
    expect(db.prepare(`SELECT status FROM EvaluationPeriod WHERE code = ?`).pluck().get(code)).toBe("open");
  }
  expect(db.prepare(`SELECT COUNT(*) FROM ScoreSnapshot s JOIN EvaluationPeriod p ON p.id = s.periodId WHERE p.code = ?`).pluck().get(code)).toBe(0);
});

/** A new survey's draft made through the surveys page (one question, q1); the editor is open after. */
async function newDraft(page: import("@playwright/test").Page, slug: string) {
  await page.goto("/staff/surveys?lng=en");
  await page.locator('[name="slug"]').fill(slug);
  await page.getByRole("button", { name: "Create the draft" }).click();
  await expect(page).toHaveURL(new RegExp(`/staff/surveys/${slug}$`));
}

const draftOf = (db: TestDb, slug: string) =>
  JSON.parse(db.prepare(`SELECT draft FROM Survey WHERE slug = ?`).pluck().get(slug) as string) as { titles: Record<string, string>; questions: { key: string }[] };

test("while a confirmation step is open the survey editor is locked, so nothing typed meanwhile is lost by the confirm", async ({ page, db, axe, consoleErrors }) => {
  const office = await createStaff(db, { username: `guards.lock.${unique()}`, role: "office" });
  await signIn(page, office, "en");
  const slug = `guards-lock-${unique()}`;
  await newDraft(page, slug);
  await hydrated(page);
  await page.getByRole("button", { name: "Add a question" }).click();
  await expect(page.locator(".q-edit")).toHaveCount(2);
  const title = page.locator('[name="titles.en"]');
  await title.fill("Typed before the removal");
  await page.getByRole("button", { name: "Remove question 1" }).click();
  const step = page.locator("#confirm-step");
  await expect(step.getByRole("heading", { name: "Remove question 1 (q1)?" })).toBeVisible();
  // The first step saved what was typed; the editor below cannot take more typing until the step is answered.
  expect(draftOf(db, slug).titles.en).toBe("Typed before the removal");
  await expect(page.locator("#editor-locked")).toHaveText(/locked until you confirm or cancel the step above/);
  for (const field of [title, page.locator('[name="questions.1.texts.en"]'), page.locator('[name="questions.1.key"]')]) await expect(field).toBeDisabled();
  await expect(page.getByRole("button", { name: "Save draft" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Publish", exact: true })).toBeDisabled();
  await expect(title).toHaveValue("Typed before the removal");
  await axe(page);
  await step.getByRole("button", { name: "Yes, remove question 1" }).click();
  await expect(page.locator("#confirm-step")).toHaveCount(0);
  await expect(page.locator(".q-edit")).toHaveCount(1);
  expect(draftOf(db, slug).questions.map((q) => q.key)).toEqual(["q2"]);
  expect(draftOf(db, slug).titles.en).toBe("Typed before the removal");
  // Answered: the editor takes typing again.
  await expect(title).toBeEnabled();
  await expect(page.locator("#editor-locked")).toHaveCount(0);
  await title.fill("Typed after the removal");
  const revision = page.locator('input[name="revision"]');
  const drawnFrom = await revision.inputValue();
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect.poll(() => draftOf(db, slug).titles.en).toBe("Typed after the removal");
  // The page is drawn again from the saved draft before the next click (a click while it reloads
  // would post the older revision and be refused as stale, 409).
  await expect(revision).not.toHaveValue(drawnFrom);

  // Cancelling unlocks it as well.
  await page.getByRole("button", { name: "Remove question 1" }).click();
  await expect(title).toBeDisabled();
  await step.getByRole("link", { name: "Cancel" }).click();
  await expect(page.locator("#confirm-step")).toHaveCount(0);
  await expect(title).toBeEnabled();
  expect(draftOf(db, slug).questions).toHaveLength(1);
  expect(consoleErrors).toEqual([]);
});

test("a crafted save with a smaller question count drops no question: refused with 409, nothing saved", async ({ page, db }) => {
  const office = await createStaff(db, { username: `guards.drop.${unique()}`, role: "office" });
  await signIn(page, office, "en");
  const slug = `guards-drop-${unique()}`;
  await newDraft(page, slug);
  await page.getByRole("button", { name: "Add a question" }).click();
  await expect(page.locator(".q-edit")).toHaveCount(2);
  const before = db.prepare(`SELECT draft, draftSavedAt FROM Survey WHERE slug = ?`).get(slug);
  expect(draftOf(db, slug).questions.map((q) => q.key)).toEqual(["q1", "q2"]);
  const revision = await page.locator("form.editor-form").getAttribute("data-revision");
  const headers = { Origin: new URL(page.url()).origin };
  // The editor's own fields for question 1 only, with questions.count 1: the save, the first step
  // of other structural changes, and of a removal (which would otherwise save the shortened draft).
  for (const intent of ["save", "publish", "add", "move:0:1", "addOption:0", "remove:0"]) {
    const form = {
      intent,
      revision: revision ?? "",
      period: "2026",
      "target.mode": "units",
      "titles.en": "Crafted",
      "questions.count": "1",
      "questions.0.key": "q1",
      "questions.0.kind": "grade_core",
      "questions.0.options.count": "0",
    };
    const res = await page.request.post(`/staff/surveys/${slug}?lng=en`, { form, headers });
    expect(res.status(), intent).toBe(409);
    const html = await res.text();
    expect(html, intent).toContain("Nothing was saved: this save left out questions that are in the saved draft (2 (q2))");
    expect(db.prepare(`SELECT draft, draftSavedAt FROM Survey WHERE slug = ?`).get(slug), intent).toEqual(before);
  }
  // The whole editor posted back saves as before.
  const whole = await page.request.post(`/staff/surveys/${slug}?lng=en`, {
    form: {
      intent: "save",
      revision: revision ?? "",
      period: "2026",
      "target.mode": "units",
      "titles.en": "Whole",
      "questions.count": "2",
      "questions.0.key": "q1",
      "questions.0.kind": "grade_core",
      "questions.0.options.count": "0",
      "questions.1.key": "q2",
      "questions.1.kind": "grade_core",
      "questions.1.options.count": "0",
    },
    headers,
    maxRedirects: 0,
  });
  expect(whole.status()).toBe(303);
  expect(draftOf(db, slug).questions.map((q) => q.key)).toEqual(["q1", "q2"]);
  expect(draftOf(db, slug).titles.en).toBe("Whole");
});

test("new parameters confirmed after someone else saved others: refused with 409 and the effect shown again against theirs", async ({ page, db }) => {
  const office = await createStaff(db, { username: `guards.drift.${unique()}`, role: "office" });
  await signIn(page, office, "en");
  const code = `D${unique()}`;
  openPeriod(db, code);
  await page.goto(`/staff/periods/${code}?lng=en`);
  await hydrated(page);
  await page.getByLabel("Weight of the survey index S in Q (0–1)").fill("0.6");
  await page.getByRole("button", { name: "Save the parameters" }).click();
  const step = page.locator("#confirm-step");
  await expect(step).toContainText("No unit's Q or rank changes");
  const drawnAgainst = await step.locator('input[name="paramsRevision"]').inputValue();
  expect(drawnAgainst).toMatch(/^[0-9a-f]{16}$/);
  // Another office user saves other parameters meanwhile.
  db.prepare(`UPDATE EvaluationPeriod SET params = ? WHERE code = ?`).run(JSON.stringify({ surveyWeight: 0.8, minSample: 50 }), code);
  await step.getByRole("button", { name: "Yes, save the parameters" }).click();
  await expect(step.getByRole("alert")).toContainText("Someone else saved other parameters for this period since this step was drawn. Nothing was saved");
  expect(JSON.parse(paramsOf(db, code)!)).toEqual({ surveyWeight: 0.8, minSample: 50 });
  const current = await step.locator('input[name="paramsRevision"]').inputValue();
  expect(current).not.toBe(drawnAgainst);
  await expect(step.locator('input[name="surveyWeight"]')).toHaveValue("0.6");
  const fields = Object.fromEntries(
    await step.locator("input[type=hidden]").evaluateAll((els) => els.map((e) => [(e as HTMLInputElement).name, (e as HTMLInputElement).value])),
  ) as Record<string, string>;
  // Confirmed knowingly against theirs: this person's parameters replace theirs.
  await step.getByRole("button", { name: "Yes, save the parameters" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  expect(JSON.parse(paramsOf(db, code)!).surveyWeight).toBe(0.6);
  expect(JSON.parse(paramsOf(db, code)!).minSample).toBe(30);

  // Raw posts: a confirm drawn against parameters no longer stored, or naming none, is refused and saves nothing.
  const stored = paramsOf(db, code);
  for (const paramsRevision of [drawnAgainst, current, "", undefined]) {
    const form: Record<string, string> = { ...fields, intent: "params", surveyWeight: "0.7", confirm: "1" };
    if (paramsRevision === undefined) delete form.paramsRevision;
    else form.paramsRevision = paramsRevision;
    const res = await page.request.post(`/staff/periods/${code}?lng=en`, { form, headers: { Origin: new URL(page.url()).origin } });
    expect(res.status()).toBe(409);
    expect(await res.text()).toContain("Someone else saved other parameters");
    expect(paramsOf(db, code)).toBe(stored);
  }
});

test("unit staff see comments with the day only (no minute, no response number); the office keeps the full detail", async ({ page, db, server, consoleErrors }) => {
  const comment = `窗口服务 ${unique()}`;
  // Submitted 2026-06-01 03:00 UTC, 11:00 in the region.
  const [responseId] = loadResponses(server, db, "D09", 1, 4, comment);
  const staff = await createStaff(db, { username: `guards.d09.${unique()}`, role: "unit_staff", unit: "D09" });
  const office = await createStaff(db, { username: `guards.office.${unique()}`, role: "office" });
  const clock = /\d{1,2}:\d{2}/;

  await signIn(page, staff, "en");
  await page.goto("/staff/scores/D09?period=2026&lng=en");
  const item = page.locator("ul.comments li").filter({ hasText: comment });
  await expect(item).toHaveCount(1);
  const meta = item.locator("p.muted").first();
  await expect(meta).toContainText("2026");
  await expect(meta).not.toHaveText(clock);
  await expect(meta).not.toContainText("#");
  // Not in the page's data either: neither the number nor the time reaches the browser.
  const data = await (await page.request.get("/staff/scores/D09.data?period=2026")).text();
  expect(data).toContain(comment);
  expect(data).not.toContain("responseId");
  expect(data).not.toContain("2026-06-01T03:00");

  await page.goto("/staff/surveys/satisfaction-2026/results?lng=en");
  const result = page.locator("ul.comments li").filter({ hasText: comment });
  await expect(result.locator("p.hint")).toContainText("2026");
  await expect(result.locator("p.hint")).not.toHaveText(clock);
  const resultsData = await (await page.request.get("/staff/surveys/satisfaction-2026/results.data")).text();
  expect(resultsData).toContain(comment);
  expect(resultsData).not.toContain("2026-06-01T03:00");
  const csv = (await (await page.request.get("/staff/surveys/satisfaction-2026/results.csv")).text()).replace(/^\uFEFF/, "");
  expect(csv.split("\n")[0]).not.toContain("response_id");

  await page.context().clearCookies();
  await signIn(page, office, "en");
  await page.goto("/staff/scores/D09?period=2026&lng=en");
  const full = page.locator("ul.comments li").filter({ hasText: comment }).locator("p.muted").first();
  await expect(full).toHaveText(clock);
  await expect(full).toContainText(`#${responseId}`);
  await page.goto("/staff/surveys/satisfaction-2026/results?unit=D09&lng=en");
  await expect(page.locator("ul.comments li").filter({ hasText: comment }).locator("p.hint")).toHaveText(clock);
  expect(consoleErrors).toEqual([]);
});

test("the distribution and poster pages warn when links would carry a private address, and not with PUBLIC_ORIGIN set", async ({ page, db, browser, axe }, testInfo) => {
  // It starts a second server (with PUBLIC_ORIGIN) and draws the posters twice.
  test.setTimeout(60_000);
  const office = await createStaff(db, { username: `guards.links.${unique()}`, role: "office" });
  await signIn(page, office, "en");
  // The test server is reached at 127.0.0.1 and has no PUBLIC_ORIGIN.
  await page.goto("/staff/surveys/satisfaction-2026/distribution?lng=en");
  const warning = page.locator("#link-origin-warning");
  await expect(warning).toBeVisible();
  await expect(warning).toContainText("These links would not work on citizens' phones");
  await expect(warning).toContainText("127.0.0.1");
  await expect(warning).toContainText("PUBLIC_ORIGIN");
  await axe(page);
  await page.goto("/staff/surveys/satisfaction-2026/posters?unit=C01&size=a4&lng=zh-Hans");
  await expect(page.locator("#link-origin-warning")).toContainText("PUBLIC_ORIGIN");
  // The warning is on the screen, never on the printed poster.
  await page.emulateMedia({ media: "print" });
  await expect(page.locator("#link-origin-warning")).toBeHidden();
  await page.emulateMedia({ media: "screen" });

  const publicServer = await startServer(`guards-origin-${testInfo.parallelIndex}`, { PUBLIC_ORIGIN: "https://pingjia.example.gov.cn" });
  try {
    const otherDb = new Database(publicServer.dbFile);
    const other = await createStaff(otherDb, { username: `guards.public.${unique()}`, role: "office" });
    otherDb.close();
    const context = await browser.newContext({ baseURL: publicServer.url });
    const publicPage = await context.newPage();
    await signIn(publicPage, other, "en");
    await publicPage.goto("/staff/surveys/satisfaction-2026/distribution?lng=en");
    await expect(publicPage.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(publicPage.locator("#link-origin-warning")).toHaveCount(0);
    await expect(publicPage.locator("#link-C01")).toHaveValue("https://pingjia.example.gov.cn/s/satisfaction-2026?unit=C01");
    await context.close();
  } finally {
    publicServer.stop();
  }
});
