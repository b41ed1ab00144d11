import { answerRequired, latestResponse } from "./support/survey";
import { countResponses, expect, test } from "./support/fixtures";

test.use({ javaScriptEnabled: false });

test("without JavaScript: errors come back from the server with answers kept, then the survey is accepted", async ({ page, db }) => {
  const before = countResponses(db, "C05");
  await page.goto("/s/satisfaction-2026?unit=C05&lng=ug");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");

  await page.locator('input[name="q_efficiency"][value="2"]').check();
  await page.locator('textarea[name="q_comment"]').fill("ساقلاش ۋاقتى ئۇزۇن");
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: "باھانى يوللاش" }).click(),
  ]);
  expect(response.status()).toBe(400);
  await expect(page.locator("#q_attitude-error")).toHaveText("بۇ سوئالغا جاۋاب بېرىڭ.");
  await expect(page.locator('input[name="q_efficiency"][value="2"]')).toBeChecked();
  await expect(page.locator('textarea[name="q_comment"]')).toHaveValue("ساقلاش ۋاقتى ئۇزۇن");
  // The first question with an error has focus (autofocus, no script needed).
  await expect(page.locator('input[name="q_attitude"]').first()).toBeFocused();
  expect(countResponses(db, "C05")).toBe(before);

  await answerRequired(page, "3");
  await page.getByRole("button", { name: "باھانى يوللاش" }).click();
  await expect(page).toHaveURL(/\/s\/satisfaction-2026\/thanks\?unit=C05/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("رەھمەت!");
  expect(countResponses(db, "C05")).toBe(before + 1);
  const stored = latestResponse(db, "C05")!;
  expect(stored.lang).toBe("ug");
  expect(stored.answers.efficiency!.grade).toBe(3);
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
