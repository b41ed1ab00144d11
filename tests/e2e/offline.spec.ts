// A rating sent on a bad network (issue 12): nothing lost, nothing counted twice. The survey
// page's own script keeps each post on the phone until the server has answered, and the server
// takes a resend of the same submissionId as the same response. Run on the phone (Pixel 7).
import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import type { TestDb } from "./support/db";

const SURVEY = "satisfaction-2026";
const QUICK_KEYS = ["efficiency", "attitude", "transparency", "integrity", "overall"];
const OUTBOX_KEY = "civic.outbox.v1";
const SUBMIT_ZH = "提交评价";
const SAVED_ZH = "当前没有网络：您的评价已保存在这部手机上，网络恢复后会自动提交。您可以保持此页面打开，也可以稍后再回来。";
const SENT_EARLIER_ZH = "您之前保存在这部手机上的评价现已提交。";
const THANKS_URL = new RegExp(`/s/${SURVEY}/thanks\\?`);

// Runs on the phone project (the desktop project leaves this spec out), and again on PostgreSQL in
// the desktop project "pg" (playwright.config.ts).

/** Opens the quick step and waits for its own script to have set the page up. */
async function openSurvey(page: Page, unit: string, lng = "zh-Hans") {
  await page.goto(`/s/${SURVEY}?unit=${unit}&lng=${lng}`);
  await page.waitForSelector("html[data-enhanced=true]");
  return page.locator('form[data-survey-form] input[name="submissionId"]').inputValue();
}

async function answerQuick(page: Page, grade: string) {
  for (const key of QUICK_KEYS) await page.locator(`input[name="q_${key}"][value="${grade}"]`).check();
}

function rowsWith(db: TestDb, submissionId: string): number {
  return (db.prepare(`SELECT COUNT(*) AS n FROM Response WHERE submissionId = ?`).get(submissionId) as { n: number }).n;
}

async function outbox(page: Page): Promise<{ id: string }[]> {
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? "[]"), OUTBOX_KEY);
}

/** Script errors on the page (network failures are expected here, so the console is not checked). */
function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

/** The survey posts that left the browser. */
function surveyPosts(page: Page): string[] {
  const posts: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && new URL(r.url()).pathname.startsWith(`/s/${SURVEY}`)) posts.push(r.url());
  });
  return posts;
}

test("a rating sent without a connection is kept on the phone and stored once when the connection returns", async ({ page, context, db }) => {
  const errors = pageErrors(page);
  const submissionId = await openSurvey(page, "D02");
  expect(submissionId).toMatch(/^[0-9a-f-]{36}$/);
  await answerQuick(page, "4");

  await context.setOffline(true);
  await page.getByRole("button", { name: SUBMIT_ZH }).click();
  await expect(page.locator("#send-status")).toHaveText(SAVED_ZH);
  // Still on the form, kept on the phone, nothing stored yet; the button cannot send it twice.
  await expect(page).toHaveURL(new RegExp(`/s/${SURVEY}\\?unit=D02`));
  expect((await outbox(page)).map((i) => i.id)).toEqual([submissionId]);
  await expect(page.locator('form[data-survey-form] button[type="submit"]')).toBeDisabled();
  expect(rowsWith(db, submissionId)).toBe(0);

  await context.setOffline(false);
  await expect(page).toHaveURL(THANKS_URL, { timeout: 15_000 });
  await expect.poll(() => rowsWith(db, submissionId)).toBe(1);
  expect(await outbox(page)).toEqual([]);
  const stored = db.prepare(`SELECT finishedAt, submittedAt FROM Response WHERE submissionId = ?`).get(submissionId) as {
    finishedAt: string | null;
    submittedAt: string;
  };
  // When the citizen pressed send (the phone's clock) is kept beside the server's receipt.
  expect(stored.finishedAt).not.toBeNull();
  expect(errors).toEqual([]);
});

test("a rating kept on the phone is sent when a page of the survey is opened again, and said so", async ({ page, context, db }) => {
  const errors = pageErrors(page);
  const submissionId = await openSurvey(page, "D04");
  await answerQuick(page, "5");
  await context.setOffline(true);
  await page.getByRole("button", { name: SUBMIT_ZH }).click();
  await expect(page.locator("#send-status")).toHaveText(SAVED_ZH);
  await page.close();

  await context.setOffline(false);
  const later = await context.newPage();
  const laterErrors = pageErrors(later);
  await openSurvey(later, "D10");
  await expect(later.locator("#send-status")).toHaveText(SENT_EARLIER_ZH);
  await expect.poll(() => rowsWith(db, submissionId)).toBe(1);
  expect(await outbox(later)).toEqual([]);
  // The page opened is left as it was: the kept rating was another unit's.
  await expect(later).toHaveURL(new RegExp(`/s/${SURVEY}\\?unit=D10`));
  expect([...errors, ...laterErrors]).toEqual([]);
});

test("a rating whose answer is lost after the server stored it is retried and stored once", async ({ page, db }) => {
  const errors = pageErrors(page);
  const posts = surveyPosts(page);
  let cut = 0;
  await page.route(`**/s/${SURVEY}?unit=D06*`, async (route) => {
    if (route.request().method() !== "POST" || cut > 0) return route.continue();
    cut++;
    // The post reaches the server, which stores the rating; its answer never reaches the phone.
    await route.fetch({ maxRedirects: 0 });
    await route.abort("connectionreset");
  });
  const submissionId = await openSurvey(page, "D06");
  await answerQuick(page, "3");
  await page.getByRole("button", { name: SUBMIT_ZH }).click();

  await expect(page).toHaveURL(THANKS_URL, { timeout: 15_000 });
  expect(cut).toBe(1);
  expect(posts.length).toBe(2);
  await expect.poll(() => rowsWith(db, submissionId)).toBe(1);
  expect(await outbox(page)).toEqual([]);
  expect(errors).toEqual([]);
});

test("a double tap on send sends the rating once", async ({ page, db }) => {
  const errors = pageErrors(page);
  const posts = surveyPosts(page);
  // The thanks page comes with the post's answer: the phone does not ask the network for it again.
  const thanksLoads: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "GET" && r.url().includes("/thanks")) thanksLoads.push(r.resourceType());
  });
  const submissionId = await openSurvey(page, "D07");
  await answerQuick(page, "4");
  await page.getByRole("button", { name: SUBMIT_ZH }).dblclick();
  await expect(page).toHaveURL(THANKS_URL);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("您的评价已保存");
  await page.waitForSelector("html[data-enhanced=true]");
  expect(posts).toHaveLength(1);
  expect(thanksLoads).toEqual(["fetch"]);
  await expect.poll(() => rowsWith(db, submissionId)).toBe(1);
  expect(errors).toEqual([]);
});

test("a post the server refuses for good is not kept: the server's own page says why", async ({ page, context, db }) => {
  const errors = pageErrors(page);
  // Two tabs of the same unit on one phone: the second rating of the day is refused (409).
  const other = await context.newPage();
  const otherErrors = pageErrors(other);
  const first = await openSurvey(page, "D11");
  const second = await openSurvey(other, "D11");
  await answerQuick(page, "4");
  await page.getByRole("button", { name: SUBMIT_ZH }).click();
  await expect(page).toHaveURL(THANKS_URL);

  await answerQuick(other, "2");
  await other.getByRole("button", { name: SUBMIT_ZH }).click();
  await expect(other.getByRole("heading", { level: 1 })).toHaveText("您已经评价过该单位");
  expect(await outbox(other)).toEqual([]);
  expect(rowsWith(db, first)).toBe(1);
  expect(rowsWith(db, second)).toBe(0);
  expect([...errors, ...otherErrors]).toEqual([]);
});

test("answers chosen before switching language are still chosen in the new language", async ({ page }) => {
  const errors = pageErrors(page);
  await openSurvey(page, "D08");
  const chosen = { efficiency: "5", attitude: "2", transparency: "4" };
  for (const [key, grade] of Object.entries(chosen)) await page.locator(`input[name="q_${key}"][value="${grade}"]`).check();

  await page.locator("nav.lang-switcher a[hreflang=ug]").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "ug");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await page.waitForSelector("html[data-enhanced=true]");
  for (const [key, grade] of Object.entries(chosen)) {
    await expect(page.locator(`input[name="q_${key}"][value="${grade}"]`)).toBeChecked();
  }
  await expect(page.locator('input[name="q_integrity"]:checked')).toHaveCount(0);
  // Given back once: the parked answers are gone from the tab's storage.
  const parked = await page.evaluate((id) => {
    const draftKey = (JSON.parse(document.getElementById(id)!.textContent!) as { draftKey: string }).draftKey;
    return sessionStorage.getItem(draftKey);
  }, "page-data");
  expect(parked).toBeNull();
  expect(errors).toEqual([]);
});

/**
 * An element as a comparable tree: tag, sorted attributes, text and children. Left aside: autofocus
 * (the server's way to focus the summary) and checked (the server redraws answers as attributes,
 * a tap sets the property).
 */
async function shape(page: Page, selector: string) {
  return page.locator(selector).evaluate((root) => {
    const walk = (n: Node): unknown => {
      if (n.nodeType === Node.TEXT_NODE) return n.textContent?.trim() || null;
      if (!(n instanceof Element)) return null;
      const attrs = Array.from(n.attributes)
        .filter((a) => a.name !== "autofocus" && a.name !== "checked")
        .map((a) => `${a.name}=${a.value}`)
        .sort();
      return [n.tagName.toLowerCase(), attrs, Array.from(n.childNodes).map(walk).filter((c) => c !== null)];
    };
    return walk(root);
  });
}

test("the script draws a refused step as the server draws it", async ({ page, browser, baseURL }) => {
  const errors = pageErrors(page);
  await openSurvey(page, "D09", "ug");
  await page.locator('input[name="q_efficiency"][value="3"]').check();
  await page.locator('form[data-survey-form] button[type="submit"]').click();
  await expect(page.locator("#error-summary-slot .error-summary")).toBeFocused();
  const byScript = { summary: await shape(page, "#error-summary-slot"), question: await shape(page, '[data-question="attitude"]'), answered: await shape(page, '[data-question="efficiency"]') };

  const plain = await browser.newContext({ ...test.info().project.use, baseURL, javaScriptEnabled: false });
  const noJs = await plain.newPage();
  await noJs.goto(`/s/${SURVEY}?unit=D09&lng=ug`);
  await noJs.locator('input[name="q_efficiency"][value="3"]').check();
  await noJs.locator('form[data-survey-form] button[type="submit"]').click();
  await expect(noJs.locator("#error-summary-slot .error-summary")).toBeVisible();
  const byServer = { summary: await shape(noJs, "#error-summary-slot"), question: await shape(noJs, '[data-question="attitude"]'), answered: await shape(noJs, '[data-question="efficiency"]') };
  await plain.close();

  expect(byScript).toEqual(byServer);
  // And once answered, the marks go.
  for (const key of QUICK_KEYS) await page.locator(`input[name="q_${key}"][value="3"]`).check();
  await page.locator('[data-question="attitude"] input[value="4"]').check();
  await page.route(`**/s/${SURVEY}?unit=D09*`, (route) => (route.request().method() === "POST" ? route.abort() : route.continue()));
  await page.locator('form[data-survey-form] button[type="submit"]').click();
  await expect(page.locator("#error-summary-slot")).toBeEmpty();
  await expect(page.locator(".has-error, p.field-error, [aria-invalid]")).toHaveCount(0);
  expect(errors).toEqual([]);
});
