import { devices, type Page } from "@playwright/test";
import { expect, hydrated, test } from "./support/fixtures";
import { loadResponses } from "./support/scores";
import { createStaff, signIn } from "./support/staff";

// The evaluation office builds a survey with a display condition, is stopped by a missing
// translation, publishes; a citizen answers on a phone (with and without JavaScript); the office
// changes the survey after responses (a new version), downloads its QR code and poster, and moves
// it through a JSON file.

const texts = {
  title: { "zh-Hans": "大厅服务调查", ug: "زال مۇلازىمىتى تەكشۈرۈشى", en: "Hall service survey", kk: "زال قىزمەتى ساۋالناماسى" },
  visited: { "zh-Hans": "您今天来过大厅吗？", ug: "بۈگۈن زالغا كەلدىڭىزمۇ؟", en: "Did you visit the hall today?", kk: "بۇگىن زالعا كەلدىڭىز بە؟" },
  yes: { "zh-Hans": "来过", ug: "ھەئە", en: "Yes", kk: "ٴيا" },
  no: { "zh-Hans": "没有", ug: "ياق", en: "No", kk: "جوق" },
  waiting: { "zh-Hans": "等候时间是否合理？", ug: "ساقلاش ۋاقتى مۇۋاپىقمۇ؟", en: "Was the waiting time reasonable?", kk: "كۇتۋ ۋاقىتى ورىندى مە؟" },
} as const;
type Lang = keyof typeof texts.title;

const field = (page: Page, name: string) => page.locator(`[name="${name}"]`);

async function fillLanguages(page: Page, langs: readonly Lang[]) {
  for (const lang of langs) {
    await field(page, `titles.${lang}`).fill(texts.title[lang]);
    await field(page, `questions.0.texts.${lang}`).fill(texts.visited[lang]);
    await field(page, `questions.0.options.0.labels.${lang}`).fill(texts.yes[lang]);
    await field(page, `questions.0.options.1.labels.${lang}`).fill(texts.no[lang]);
    await field(page, `questions.1.texts.${lang}`).fill(texts.waiting[lang]);
  }
}

async function press(page: Page, name: string) {
  await page.getByRole("button", { name, exact: true }).first().click();
  await page.waitForLoadState("networkidle");
}

/** Presses an editor button that changes the draft, and waits for the form drawn from it. */
async function change(page: Page, name: string) {
  const form = page.locator("form.editor-form");
  const before = await form.getAttribute("data-revision");
  await page.getByRole("button", { name, exact: true }).first().click();
  await expect(form).not.toHaveAttribute("data-revision", before ?? "");
}

test("the office builds, publishes and versions a survey with a condition; citizens answer it", async ({ page, db, browser, baseURL, consoleErrors, axe }, testInfo) => {
  test.setTimeout(180_000); // many pages, three browsers, two confirmation steps; slower on the phone profile
  const office = await createStaff(db, { username: `author-${testInfo.project.name}`, role: "office" });
  const slug = `hall-${testInfo.project.name}-${Date.now() % 1_000_000}`;
  await signIn(page, office, "en");

  // Create the draft.
  await page.goto("/staff/surveys?lng=en");
  await field(page, "slug").fill(slug);
  // The open 2026 period, by name: other tests in this worker add draft periods to the choice.
  await field(page, "period").selectOption("2026");
  await press(page, "Create the draft");
  await expect(page).toHaveURL(new RegExp(`/staff/surveys/${slug}$`));
  await hydrated(page);

  // A new survey applies to no unit until units are chosen.
  const storedDraft = () => JSON.parse((db.prepare(`SELECT draft FROM Survey WHERE slug = ?`).get(slug) as { draft: string }).draft) as { questions: unknown[]; target: unknown };
  expect(storedDraft().target).toEqual({ mode: "units", kind: null, units: [] });
  await expect(page.locator('input[name="target.units"]:checked')).toHaveCount(0);

  // Replace the empty first question by a single choice, then add a five-grade one. Removing a
  // question first says what it means, and removes nothing until confirmed.
  await change(page, "Remove question 1");
  const removal = page.locator("#confirm-step");
  await expect(removal.getByRole("heading", { name: "Remove question 1 (q1)?" })).toBeVisible();
  await expect(removal).toContainText("It is only in this draft and was never published: nothing stored is lost.");
  await expect(removal).toContainText("It is a scored item");
  await expect(removal).toBeFocused();
  expect(storedDraft().questions).toHaveLength(1);
  await change(page, "Yes, remove question 1");
  await expect(page.locator("#confirm-step")).toHaveCount(0);
  expect(storedDraft().questions).toHaveLength(0);
  await page.locator("#newKind").selectOption("single");
  await change(page, "Add a question");
  await expect(page.locator('[id="questions.0.key"]')).toBeFocused();
  await field(page, "questions.0.key").fill("visited");
  await field(page, "questions.0.options.0.value").fill("yes");
  await field(page, "questions.0.options.1.value").fill("no");
  await page.locator("#newKind").selectOption("grade_core");
  await change(page, "Add a question");
  await field(page, "questions.1.key").fill("waiting");
  await field(page, "questions.1.condition").selectOption("visited=yes");
  // The scored item is always in the quick step; the choice question starts in the detail step.
  const stepOf = (i: number) => page.locator(".q-edit").nth(i).getByRole("group", { name: "Asked in" });
  await expect(stepOf(0).getByLabel("the optional detail step")).toBeChecked();
  await expect(stepOf(1)).toBeHidden();
  await expect(page.locator(".q-edit").nth(1).getByText("Scored core items are always asked in the quick step")).toBeVisible();
  await expect(page.locator("#step-counts")).toHaveText("Questions in the quick step: 1 · in the optional detail step: 1");
  await fillLanguages(page, ["zh-Hans", "ug", "en"]);
  await page.locator('input[name="target.units"][value="D12"]').check();
  await page.locator('input[name="target.units"][value="D13"]').check();

  // Publishing stops at the language still missing, and says which.
  await change(page, "Publish");
  await expect(page.getByRole("heading", { name: "Not published: complete these first" })).toBeVisible();
  await expect(page.locator(".missing-summary")).toContainText("قازاقشا: 5 texts missing");
  await expect(field(page, "titles.kk")).toHaveAttribute("aria-invalid", "true");
  // What was typed is kept.
  await expect(field(page, "questions.1.texts.ug")).toHaveValue(texts.waiting.ug);
  await expect(field(page, "questions.1.condition")).toHaveValue("visited=yes");
  // The scored item (quick step) is shown by an answer of the detail step, which comes later: refused.
  await expect(page.locator("#editor-problems")).toContainText("Question 2 · Show this question: A question of the quick step cannot depend on an answer of the optional detail step");
  await expect(field(page, "questions.1.condition")).toHaveAttribute("aria-invalid", "true");
  await axe(page);

  // The author moves the choice question into the quick step; the count follows at once.
  await stepOf(0).getByLabel("the quick step (sent first)").check();
  await expect(page.locator("#step-counts")).toHaveText("Questions in the quick step: 2 · in the optional detail step: 0");
  await fillLanguages(page, ["kk"]);
  // The survey has a scored item and its period is open: publishing first names the units whose
  // figures it will enter, and publishes nothing until confirmed.
  await press(page, "Publish");
  const feed = page.locator("#confirm-step");
  await expect(feed.getByRole("heading", { name: /Publish into the open period/ })).toBeVisible();
  await expect(feed).toContainText("This survey has 1 scored items. Its responses will enter the satisfaction figures of these 2 units:");
  await expect(feed.locator("li")).toHaveText([/\(D12\)/, /\(D13\)/]);
  await expect(feed.locator("li").first()).toContainText("Tax Bureau");
  const versionsOf = () => db.prepare(`SELECT COUNT(*) FROM SurveyVersion v JOIN Survey s ON s.id = v.surveyId WHERE s.slug = ?`).pluck().get(slug);
  expect(versionsOf()).toBe(0);
  expect(db.prepare(`SELECT status FROM Survey WHERE slug = ?`).pluck().get(slug)).toBe("draft");
  await press(page, "Yes, publish");
  await expect(page.getByRole("status").filter({ hasText: "Published as version 1." })).toBeVisible();
  // The editor is idle again (its buttons come back once the page's data is reloaded): leaving
  // earlier would cut that reload off, which the browser reports as an aborted request.
  await expect(page.getByRole("button", { name: "Publish", exact: true }).first()).toBeEnabled();
  expect(versionsOf()).toBe(1);
  // Both questions are stored in the quick step.
  const storedSteps = () =>
    db
      .prepare(`SELECT q.key, q.step FROM Question q JOIN SurveyVersion v ON v.id = q.surveyVersionId JOIN Survey s ON s.id = v.surveyId WHERE s.slug = ? AND v.version = ? ORDER BY q.position`)
      .all(slug, 1);
  await expect.poll(storedSteps).toEqual([
    { key: "visited", step: 1 },
    { key: "waiting", step: 1 },
  ]);
  await expect(stepOf(0).getByLabel("the quick step (sent first)")).toBeChecked();

  // The preview shows the survey as a citizen sees it, right to left in Uyghur.
  await page.goto(`/staff/surveys/${slug}/preview?in=ug`);
  const frame = page.frameLocator("iframe");
  await expect(frame.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(frame.getByText(texts.visited.ug)).toBeVisible();

  // A citizen on a phone: the waiting question appears only after "Yes".
  const phone = await browser.newContext({ ...devices["Pixel 7"], baseURL });
  const citizen = await phone.newPage();
  await citizen.goto(`/s/${slug}?unit=D12&lng=en`);
  await hydrated(citizen);
  const waiting = citizen.getByRole("group", { name: /Was the waiting time reasonable/ });
  await expect(waiting).toBeHidden();
  await citizen.getByLabel("Yes", { exact: true }).check();
  await expect(waiting).toBeVisible();
  await citizen.getByLabel("No", { exact: true }).check();
  await expect(waiting).toBeHidden();
  await citizen.getByLabel("Yes", { exact: true }).check();
  await waiting.getByLabel("Satisfied", { exact: true }).check();
  await citizen.getByRole("button", { name: "Submit my rating" }).click();
  await expect(citizen).toHaveURL(/\/thanks/);
  const answersOf = (unit: string) =>
    db
      .prepare(
        `SELECT q.key, a.grade, a.choice FROM Answer a JOIN Question q ON q.id = a.questionId JOIN Response r ON r.id = a.responseId
         JOIN Survey s ON s.id = r.surveyId JOIN Unit u ON u.id = r.unitId WHERE s.slug = ? AND u.code = ? ORDER BY q.position`,
      )
      .all(slug, unit);
  expect(answersOf("D12")).toEqual([
    { key: "visited", grade: null, choice: "yes" },
    { key: "waiting", grade: 4, choice: null },
  ]);
  await phone.close();

  // Without JavaScript the conditional question is shown with its condition stated, and the
  // server ignores an answer the condition hides.
  const plain = await browser.newContext({ ...devices["Pixel 7"], baseURL, javaScriptEnabled: false });
  const noJs = await plain.newPage();
  await noJs.goto(`/s/${slug}?unit=D13&lng=en`);
  await expect(noJs.getByText("Answer only if your answer to question 1 was “Yes”.")).toBeVisible();
  await noJs.getByLabel("No", { exact: true }).check();
  await noJs.getByRole("group", { name: /Was the waiting time reasonable/ }).getByLabel("Dissatisfied", { exact: true }).check();
  await noJs.getByRole("button", { name: "Submit my rating" }).click();
  await expect(noJs).toHaveURL(/\/thanks/);
  expect(answersOf("D13")).toEqual([{ key: "visited", grade: null, choice: "no" }]);
  await plain.close();

  // After responses, changing a question publishes version 2; responses keep version 1.
  await page.goto(`/staff/surveys/${slug}?lng=en`);
  await hydrated(page);
  await expect(page.getByText("This version has responses, so its questions are locked")).toBeVisible();
  await field(page, "questions.1.texts.en").fill("Was the waiting time short enough?");
  await press(page, "Publish");
  await expect(page.getByRole("status").filter({ hasText: "Published as version 2." })).toBeVisible();
  // The editor is idle again (its buttons come back once the page's data is reloaded): leaving
  // earlier would cut that reload off, which the browser reports as an aborted request.
  await expect(page.getByRole("button", { name: "Publish", exact: true }).first()).toBeEnabled();
  const versions = db
    .prepare(`SELECT v.version, COUNT(r.id) AS responses FROM SurveyVersion v JOIN Survey s ON s.id = v.surveyId LEFT JOIN Response r ON r.surveyVersionId = v.id WHERE s.slug = ? GROUP BY v.version ORDER BY v.version`)
    .all(slug);
  expect(versions).toEqual([
    { version: 1, responses: 2 },
    { version: 2, responses: 0 },
  ]);
  await page.goto(`/staff/surveys/${slug}/history?lng=en`);
  const v2 = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: /^2/ }) });
  await expect(v2.locator("dl.changes")).toContainText("waiting");

  // The QR code (SVG and PNG) and the printable poster of a unit.
  const svg = await page.request.get(`/staff/surveys/${slug}/qr/D12.svg`);
  expect(svg.headers()["content-type"]).toContain("image/svg+xml");
  expect((await svg.text()).trimStart().startsWith("<svg") || (await svg.text()).startsWith("<?xml")).toBe(true);
  const png = await page.request.get(`/staff/surveys/${slug}/qr/D12.png`);
  expect(png.headers()["content-type"]).toBe("image/png");
  expect((await png.body()).subarray(1, 4).toString()).toBe("PNG");
  await page.goto(`/staff/surveys/${slug}/posters?unit=D12&size=a4&lng=en`);
  await expect(page.getByText("Tax Bureau").first()).toBeVisible();
  await expect(page.getByText(texts.title.kk).first()).toBeVisible();

  // JSON round trip: export, import under another name, export again: the same definition.
  const exported = await (await page.request.get(`/staff/surveys/${slug}/export.json`)).json();
  expect(exported).toMatchObject({ format: "civic-satisfaction/survey@1", slug, questions: [{ key: "visited", step: 1 }, { key: "waiting", step: 1, condition: { question: "visited", op: "equals", value: "yes" } }] });
  await page.goto("/staff/surveys?lng=en");
  await page.locator("#file").setInputFiles({ name: "bad.json", mimeType: "application/json", buffer: Buffer.from("{ not json") });
  await press(page, "Import");
  await expect(page.getByRole("alert")).toContainText("The file is not valid JSON.");
  await page.locator("#file").setInputFiles({ name: `${slug}.json`, mimeType: "application/json", buffer: Buffer.from(JSON.stringify(exported)) });
  await field(page, "importSlug").fill(`${slug}-copy`);
  await press(page, "Import");
  await expect(page).toHaveURL(new RegExp(`/staff/surveys/${slug}-copy\\?imported=1`));
  const again = await (await page.request.get(`/staff/surveys/${slug}-copy/export.json?draft=1`)).json();
  expect({ ...again, slug }).toEqual(exported);

  // Reordering in the copy: by dragging a question's handle, and by keyboard with ↑.
  await hydrated(page);
  // (The drag events are dispatched: a headless mouse drag is not reliable.)
  const transfer = await page.evaluateHandle(() => new DataTransfer());
  await page.locator(".q-edit").nth(1).locator(".drag-handle").dispatchEvent("dragstart", { dataTransfer: transfer });
  await page.locator(".q-edit").nth(0).dispatchEvent("dragover", { dataTransfer: transfer });
  await page.locator(".q-edit").nth(0).dispatchEvent("drop", { dataTransfer: transfer });
  await expect(field(page, "questions.0.key")).toHaveValue("waiting");
  // Its condition now names a later question: the editor says so.
  await expect(page.locator("#editor-problems")).toContainText("A condition can only depend on an earlier five-grade or choice question.");
  await page.getByRole("button", { name: "Move question 2 up" }).focus();
  await page.keyboard.press("Enter");
  await expect(field(page, "questions.0.key")).toHaveValue("visited");
  await expect(field(page, "questions.0.key")).toBeFocused();
  // The condition survived the round trip through an invalid order.
  await expect(field(page, "questions.1.condition")).toHaveValue("visited=yes");
  await expect(page.getByText("A condition can only depend on an earlier")).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});

test("survey results: the office sees every unit, a unit's staff only their own", async ({ page, db, server, consoleErrors, axe }, testInfo) => {
  // Responses in two units, one with a comment; everything on this page counts them.
  const comment = `Results comment ${testInfo.project.name} ${Date.now()}`;
  loadResponses(server, db, "C01", 3, 4, comment);
  loadResponses(server, db, "D12", 2, 2, "D12 comment");
  const office = await createStaff(db, { username: `results-office-${testInfo.project.name}`, role: "office" });
  const staff = await createStaff(db, { username: `results-c01-${testInfo.project.name}`, role: "unit_staff", unit: "C01" });
  await signIn(page, office, "ug");
  await page.goto("/staff/surveys/satisfaction-2026/results?lng=ug");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.locator("figure.chart").first()).toBeVisible();
  await expect(page.getByText(comment)).toBeVisible();
  // The export is of the survey's responses in its period (as the CSV route reads them).
  const all = Number((db.prepare(`SELECT COUNT(*) AS n FROM Response r JOIN Survey s ON s.id = r.surveyId WHERE s.slug = 'satisfaction-2026' AND r.periodId = s.periodId`).get() as { n: number }).n);
  const csv = await page.request.get("/staff/surveys/satisfaction-2026/results.csv");
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trim().split("\n");
  expect(all).toBeGreaterThanOrEqual(5);
  expect(lines.length - 1).toBe(all);
  await axe(page);

  await page.context().clearCookies();
  await signIn(page, staff, "en");
  await page.goto("/staff/surveys?lng=en");
  await expect(page.getByRole("heading", { name: "New survey" })).toHaveCount(0);
  // (Other tests in this worker add surveys: pick the demo survey's row by its link.)
  await page.locator('a[href="/staff/surveys/satisfaction-2026/results"]').click();
  await expect(page).toHaveURL(/\/staff\/surveys\/satisfaction-2026\/results/);
  await expect(page.locator("#unit option")).toHaveCount(1);
  const own = (await (await page.request.get("/staff/surveys/satisfaction-2026/results.csv")).text()).trim().split("\n");
  const c01 = Number(
    (db.prepare(`SELECT COUNT(*) AS n FROM Response r JOIN Unit u ON u.id = r.unitId JOIN Survey s ON s.id = r.surveyId WHERE u.code = 'C01' AND s.slug = 'satisfaction-2026' AND r.periodId = s.periodId`).get() as { n: number }).n,
  );
  expect(c01).toBeGreaterThanOrEqual(3);
  expect(own.length - 1).toBe(c01);
  await expect(page.getByText(comment)).toBeVisible();
  await expect(page.getByText("D12 comment")).toHaveCount(0);
  // A unit's own staff get no response numbers in the CSV (comment-detail.ts).
  const header = own[0]!.replace(/^\uFEFF/, "").split(",");
  expect(header).not.toContain("response_id");
  const unitColumn = header.indexOf("unit_code");
  expect(unitColumn).toBeGreaterThanOrEqual(0);
  expect(own.slice(1).every((l) => l.split(",")[unitColumn] === "C01")).toBe(true);
  expect((await page.request.get("/staff/surveys/satisfaction-2026/results?unit=D12")).status()).toBe(403);
  expect((await page.request.get("/staff/surveys/satisfaction-2026")).status()).toBe(403);
  expect(consoleErrors).toEqual([]);
});

test("two people editing one survey: the later save does not silently undo the earlier one; leaving with unsaved typing asks first", async ({ browser, baseURL, db }, testInfo) => {
  const office = await createStaff(db, { username: `editors-${testInfo.project.name}`, role: "office" });
  const slug = `two-editors-${testInfo.project.name}-${Date.now() % 1_000_000}`;
  const open = async () => {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await signIn(page, office, "en");
    return page;
  };
  const first = await open();
  await first.goto("/staff/surveys?lng=en");
  await field(first, "slug").fill(slug);
  await press(first, "Create the draft");
  const second = await open();
  await second.goto(`/staff/surveys/${slug}?lng=en`);
  await hydrated(first);
  await hydrated(second);

  await field(first, "titles.en").fill("First editor's title");
  await change(first, "Save draft");
  await field(second, "titles.en").fill("Second editor's title");
  await second.getByRole("button", { name: "Save draft", exact: true }).click();
  await expect(second.getByRole("alert").filter({ hasText: "Someone else saved or published this survey" })).toBeVisible();
  // Nothing was saved over the first editor's work, and the second editor's typing is still there.
  const saved = db.prepare(`SELECT json_extract(draft, '$.titles.en') AS title FROM Survey WHERE slug = ?`).get(slug) as { title: string };
  expect(saved.title).toBe("First editor's title");
  await expect(field(second, "titles.en")).toHaveValue("Second editor's title");
  // Saving again, knowingly, replaces it.
  await change(second, "Save draft");
  // Polled: the form's revision can move when the refused save's page settles, before this save is answered.
  await expect
    .poll(() => (db.prepare(`SELECT json_extract(draft, '$.titles.en') AS title FROM Survey WHERE slug = ?`).get(slug) as { title: string }).title)
    .toBe("Second editor's title");

  // Leaving the editor with unsaved typing asks first; staying keeps the typing.
  await hydrated(second);
  await field(second, "titles.en").fill("Not saved yet");
  const dialogs: string[] = [];
  second.once("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await second.getByRole("navigation", { name: "Survey pages" }).getByRole("link", { name: "Preview" }).click();
  await expect.poll(() => dialogs).toEqual(["You have changes that are not saved. Leave this page and lose them?"]);
  await expect(second).toHaveURL(new RegExp(`/staff/surveys/${slug}(\\?|#|$)`));
  await expect(field(second, "titles.en")).toHaveValue("Not saved yet");
  second.once("dialog", (dialog) => void dialog.accept());
  await second.getByRole("navigation", { name: "Survey pages" }).getByRole("link", { name: "Preview" }).click();
  await expect(second).toHaveURL(new RegExp(`/staff/surveys/${slug}/preview`));
  await first.context().close();
  await second.context().close();
});

test("without JavaScript the editor works as plain posts and returns to the changed place", async ({ browser, baseURL, db }, testInfo) => {
  const office = await createStaff(db, { username: `nojs-editor-${testInfo.project.name}`, role: "office" });
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, office, "en");
  const slug = `nojs-${testInfo.project.name}-${Date.now() % 1_000_000}`;
  await page.goto("/staff/surveys?lng=en");
  await field(page, "slug").fill(slug);
  await page.getByRole("button", { name: "Create the draft" }).click();
  await expect(page).toHaveURL(new RegExp(`/staff/surveys/${slug}$`));
  await field(page, "titles.en").fill("Typed before adding");
  await page.locator("#newKind").selectOption("text");
  await page.getByRole("button", { name: "Add a question" }).click();
  await expect(page).toHaveURL(new RegExp(`/staff/surveys/${slug}#questions\\.1\\.key$`));
  await expect(field(page, "questions.1.kind")).toHaveValue("text");
  await expect(field(page, "titles.en")).toHaveValue("Typed before adding");
  // A new text question is in the detail step; moved to the quick step, it is saved there.
  await expect(page.locator('input[name="questions.1.step"][value="2"]')).toBeChecked();
  await expect(page.locator("#step-counts")).toHaveText("Questions in the quick step: 1 · in the optional detail step: 1");
  await page.locator('input[name="questions.1.step"][value="1"]').check();
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.locator("#step-counts")).toHaveText("Questions in the quick step: 2 · in the optional detail step: 0");
  expect(JSON.parse(db.prepare(`SELECT draft FROM Survey WHERE slug = ?`).pluck().get(slug) as string).questions[1].step).toBe(1);
  // Publishing an incomplete draft is refused with the reasons, and nothing typed is lost.
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Not published: complete these first" })).toBeVisible();
  await expect(field(page, "titles.en")).toHaveValue("Typed before adding");
  await context.close();
});
