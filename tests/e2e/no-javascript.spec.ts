import fs from "node:fs";
import { answerRequired, latestResponse } from "./support/survey";
import { countResponses, expect, test } from "./support/fixtures";

test.use({ javaScriptEnabled: false });

test("without JavaScript: errors come back from the server with answers kept, then both steps are accepted", async ({ page, db }) => {
  const before = countResponses(db, "C05");
  await page.goto("/s/satisfaction-2026?unit=C05&lng=ug");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  // Without scripts a language switch cannot keep the answers: the page says so (in <noscript>,
  // which a browser without scripts shows; Playwright's switch parses it as with scripts, so the
  // page source is checked).
  expect(await page.content()).toMatch(/<noscript><p class="hint">تىلنى ئالماشتۇرسىڭىز بۇ بەت قايتا ئېچىلىدۇ/);

  await page.locator('input[name="q_efficiency"][value="2"]').check();
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: "باھانى يوللاش" }).click(),
  ]);
  expect(response.status()).toBe(400);
  await expect(page.locator("#q_attitude-error")).toHaveText("بۇ سوئالغا جاۋاب بېرىڭ.");
  await expect(page.locator('input[name="q_efficiency"][value="2"]')).toBeChecked();
  // The error summary has focus (autofocus, no script needed); its links lead to each question.
  await expect(page.getByRole("alert")).toBeFocused();
  await expect(page.getByRole("alert").getByRole("link").first()).toHaveAttribute("href", "#q_attitude");
  expect(countResponses(db, "C05")).toBe(before);

  await answerRequired(page, "3");
  await page.getByRole("button", { name: "باھانى يوللاش" }).click();
  // Step 1 is stored at once; the detail step follows on the thanks page, also without scripts.
  await expect(page).toHaveURL(/\/s\/satisfaction-2026\/thanks\?unit=C05/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("باھايىڭىز ساقلاندى");
  expect(countResponses(db, "C05")).toBe(before + 1);
  expect(latestResponse(db, "C05")!.answers.efficiency!.grade).toBe(3);
  await page.locator('input[name="q_guidance"][value="4"]').check();
  await page.locator('textarea[name="q_comment"]').fill("ساقلاش ۋاقتى ئۇزۇن");
  await page.getByRole("button", { name: "تولۇقلىمىنى يوللاش" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("رەھمەت!");
  expect(countResponses(db, "C05")).toBe(before + 1);
  const stored = latestResponse(db, "C05")!;
  expect(stored.lang).toBe("ug");
  expect(stored.answers.efficiency!.grade).toBe(3);
  expect(stored.answers.guidance!.grade).toBe(4);
  expect(stored.answers.comment!.text).toBe("ساقلاش ۋاقتى ئۇزۇن");
});

test("without JavaScript: the unit chooser filters by name", async ({ page }) => {
  await page.goto("/s/satisfaction-2026?lng=zh-Hans");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("为您办事的是哪个单位？");
  await page.getByLabel("单位或县市名称").fill("税务");
  await page.getByRole("button", { name: "搜索" }).click();
  await expect(page.locator(".unit-link")).toHaveText(["税务局"]);
  await page.getByRole("link", { name: "税务局" }).click();
  await expect(page).toHaveURL(/unit=D12/);
  await expect(page.locator(".unit-name")).toContainText("税务局");
});

test("without JavaScript: the unit choosers find names typed in pinyin or in Uyghur Latin letters", async ({ page }) => {
  await page.goto("/s/satisfaction-2026?lng=zh-Hans");
  await page.getByLabel("单位或县市名称").fill("swj");
  await page.getByRole("button", { name: "搜索" }).click();
  await expect(page.locator(".unit-link")).toHaveText(["税务局"]);
  await page.goto("/complaints/new?lng=ug");
  await page.getByLabel("ئورۇن ياكى ناھىيە-شەھەر نامى").fill("baj");
  await page.getByRole("button", { name: "ئىزدەش" }).click();
  await expect(page.locator(".unit-link")).toHaveText(["باج ئىدارىسى"]);
});

test("without JavaScript: an empty rating submit brings the focus to the error summary", async ({ page, db }) => {
  const before = countResponses(db, "C06");
  await page.goto("/s/satisfaction-2026?unit=C06&lng=en");
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: "Submit my rating" }).click(),
  ]);
  expect(response.status()).toBe(400);
  const summary = page.getByRole("alert");
  await expect(summary).toContainText("Please check");
  await expect(summary).toBeFocused();
  expect(countResponses(db, "C06")).toBe(before);
});

test("without JavaScript: a refused photo brings the focus to the error summary", async ({ page, db }, testInfo) => {
  const evil = testInfo.outputPath("evil.jpg");
  fs.writeFileSync(evil, "<script>alert(document.cookie)</script>");
  const complaints = () => (db.prepare("SELECT COUNT(*) AS n FROM Complaint").get() as { n: number }).n;
  const before = complaints();
  await page.goto("/complaints/new?lng=en&unit=C03");
  await page.getByLabel("Misconduct (乱作为)").check();
  await page.getByLabel("What happened?").fill("They asked for a fee that does not exist.");
  await page.getByLabel("No, stay anonymous").check();
  await page.getByLabel(/I confirm/).check();
  await page.getByLabel("Photos (optional)").setInputFiles([evil]);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: "Send the complaint" }).click(),
  ]);
  expect(response.status()).toBe(400);
  const summary = page.getByRole("alert");
  await expect(summary).toBeFocused();
  await expect(summary.getByRole("link", { name: "Photos (optional)" })).toHaveAttribute("href", "#photos");
  await expect(page.locator("#photos-error")).toHaveText("Only JPEG, PNG or WebP photos can be attached.");
  await expect(page.getByLabel("What happened?")).toHaveValue("They asked for a fee that does not exist.");
  expect(complaints()).toBe(before);
});
