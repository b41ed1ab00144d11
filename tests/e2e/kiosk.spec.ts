import { answerRequired, latestResponse } from "./support/survey";
import { countResponses, expect, hydrated, test } from "./support/fixtures";

test("a service-hall kiosk takes one response per visit, one citizen after another", async ({ page, db, kioskUrl, request, axe }) => {
  const before = countResponses(db, "D13");
  await page.goto(kioskUrl("D13") + "&lng=zh-Hans");
  await hydrated(page);
  const firstVisit = await page.locator('input[name="visit"]').inputValue();
  await answerRequired(page, "5");
  await page.getByRole("button", { name: "提交评价" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("您的评价已保存");
  expect(latestResponse(db, "D13")!.channel).toBe("kiosk");
  await axe(page); // no timed refresh: the next person presses the button

  // The next citizen on the same tablet gets a fresh form, although the device is the same.
  await page.getByRole("link", { name: "下一位" }).click();
  await hydrated(page);
  await answerRequired(page, "2");
  await page.getByRole("button", { name: "提交评价" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("您的评价已保存");
  expect(countResponses(db, "D13")).toBe(before + 2);

  // Re-sending the first visit's form is refused.
  const res = await request.post(kioskUrl("D13"), {
    form: { visit: firstVisit, ...Object.fromEntries(["efficiency", "attitude", "transparency", "integrity", "overall", "guidance"].map((k) => [`q_${k}`, "1"])) },
  });
  expect(res.status()).toBe(409);
  expect(countResponses(db, "D13")).toBe(before + 2);
});

test("a forged or moved kiosk link is refused", async ({ page, kioskUrl }) => {
  const valid = new URL(kioskUrl("D13"), "http://x");
  const token = valid.searchParams.get("kiosk")!;
  // Same signature on another unit.
  let res = await page.goto(`/s/satisfaction-2026?unit=D12&kiosk=${encodeURIComponent(token)}&lng=en`);
  expect(res!.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This tablet link is not valid");
  // A made-up token.
  res = await page.goto(`/s/satisfaction-2026?unit=D13&kiosk=hall-1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&lng=en`);
  expect(res!.status()).toBe(403);
});
