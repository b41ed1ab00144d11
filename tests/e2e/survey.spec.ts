import { answerRequired, latestResponse } from "./support/survey";
import { countResponses, expect, hydrated, test } from "./support/fixtures";

const cases = [
  { lng: "zh-Hans", dir: "ltr", unit: "C01", submit: "提交评价", thanks: "感谢您的评价！" },
  { lng: "ug", dir: "rtl", unit: "C02", submit: "باھانى يوللاش", thanks: "رەھمەت!" },
  { lng: "en", dir: "ltr", unit: "C03", submit: "Submit my rating", thanks: "Thank you!" },
] as const;

for (const c of cases) {
  test(`a citizen rates a unit in ${c.lng} and the response is stored`, async ({ page, db, consoleErrors, axe }) => {
    const before = countResponses(db, c.unit);
    const openedAt = Date.now();
    await page.goto(`/s/satisfaction-2026?unit=${c.unit}&lng=${c.lng}`);
    await hydrated(page);
    await expect(page.locator("html")).toHaveAttribute("lang", c.lng);
    await expect(page.locator("html")).toHaveAttribute("dir", c.dir);
    await axe(page);

    if (c.dir === "rtl") {
      // Right-to-left layout: each grade's radio button sits to the right of its label text.
      const choice = page.locator('label.choice:has(input[name="q_attitude"][value="5"])');
      const radio = await choice.locator("input").boundingBox();
      const text = await choice.locator("span").boundingBox();
      expect(radio!.x).toBeGreaterThan(text!.x);
    }

    await answerRequired(page, "5");
    await page.locator('input[name="q_facilities"][value="na"]').check();
    await page.locator('input[name="q_visits"][value="one"]').check();
    await page.locator('input[name="q_channels"][value="online"]').check();
    await page.locator('input[name="q_channels"][value="phone"]').check();
    await page.locator('textarea[name="q_comment"]').fill("很好 good ياخشى");
    await page.getByRole("button", { name: c.submit }).click();

    await expect(page).toHaveURL(new RegExp(`/s/satisfaction-2026/thanks\\?unit=${c.unit}`));
    const answeredWithinMs = Date.now() - openedAt;
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(c.thanks);
    await axe(page);

    expect(countResponses(db, c.unit)).toBe(before + 1);
    const stored = latestResponse(db, c.unit)!;
    expect(stored.lang).toBe(c.lng);
    expect(stored.channel).toBe("link");
    expect(stored.answers.overall!.grade).toBe(5);
    expect(stored.answers.facilities!.notApplicable).toBe(1);
    expect(stored.answers.visits!.choice).toBe("one");
    expect(JSON.parse(stored.answers.channels!.choice!)).toEqual(["online", "phone"]);
    expect(stored.answers.comment!.text).toBe("很好 good ياخشى");
    // A robot answers in well under the survey's minimum time (8 s): kept, but flagged. (On a
    // machine so loaded that the whole run took longer, the server may rightly not flag it.)
    if (answeredWithinMs < 8_000) expect(stored.flags).toEqual(["too_fast"]);
    else expect(["too_fast"]).toEqual(expect.arrayContaining(stored.flags));
    expect(consoleErrors).toEqual([]);
  });
}

test("validation errors are shown, focus the error summary and keep every answer (JavaScript on)", async ({ page, db, axe }) => {
  const before = countResponses(db, "C04");
  await page.goto("/s/satisfaction-2026?unit=C04&lng=en");
  await hydrated(page);
  await page.locator('input[name="q_efficiency"][value="3"]').check();
  await page.locator('textarea[name="q_comment"]').fill("Kept text");
  await page.getByRole("button", { name: "Submit my rating" }).click();

  await expect(page.getByRole("alert")).toContainText("Please check 5 answer(s)");
  await expect(page.locator("#q_attitude-error")).toHaveText("Please answer this question.");
  await expect(page.locator('input[name="q_attitude"]').first()).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("alert")).toBeFocused();
  await expect(page.locator('input[name="q_efficiency"][value="3"]')).toBeChecked();
  await expect(page.locator('textarea[name="q_comment"]')).toHaveValue("Kept text");
  await axe(page);
  expect(countResponses(db, "C04")).toBe(before);
});

test("an empty rating submit brings the focus to the error summary, every time (JavaScript on)", async ({ page, db, consoleErrors }) => {
  const before = countResponses(db, "C06");
  await page.goto("/s/satisfaction-2026?unit=C06&lng=zh-Hans");
  await hydrated(page);
  await page.getByRole("button", { name: "提交评价" }).click();
  const summary = page.getByRole("alert");
  await expect(summary).toBeFocused();
  await expect(summary).toContainText("处需要检查");
  // From the summary, Tab leads into its list of questions.
  await page.keyboard.press("Tab");
  await expect(summary.getByRole("link").first()).toBeFocused();
  // Sent empty again after moving on: the summary takes the focus again.
  await page.getByRole("button", { name: "提交评价" }).click();
  await expect(summary).toBeFocused();
  expect(countResponses(db, "C06")).toBe(before);
  expect(consoleErrors).toEqual([]);
});

test("the server refuses invalid answers with 400 and translated per-field errors", async ({ request, db }) => {
  const before = countResponses(db);
  const res = await request.post("/s/satisfaction-2026?unit=C04&lng=zh-Hans", {
    form: { q_efficiency: "7", q_attitude: "na", q_comment: "x".repeat(600) },
  });
  expect(res.status()).toBe(400);
  const html = await res.text();
  expect(html).toContain("请从给出的选项中选择。"); // 7 is not a grade; attitude offers no "not applicable"
  expect(html).toContain("请回答此题。");
  expect(html).toContain("请将内容缩短到 500 字以内。");
  expect(countResponses(db)).toBe(before);
});

test("a repeat submission from the same phone is refused and not stored twice", async ({ page, db, request, axe }) => {
  await page.goto("/s/satisfaction-2026?unit=D01&lng=en");
  await hydrated(page);
  await answerRequired(page);
  await page.getByRole("button", { name: "Submit my rating" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thank you!");
  const after = countResponses(db, "D01");

  // Coming back to the form shows the notice instead of the questions.
  await page.goto("/s/satisfaction-2026?unit=D01&lng=en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("You have already rated this office");
  await expect(page.locator("form[method=post]")).toHaveCount(0);
  await axe(page);

  // Posting again with the same device cookie (e.g. a stale tab) is refused with 409.
  const cookies = await page.context().cookies();
  const did = cookies.find((c) => c.name === "did")!.value;
  const res = await request.post("/s/satisfaction-2026?unit=D01&lng=en", {
    headers: { cookie: `did=${did}` },
    form: Object.fromEntries(["efficiency", "attitude", "transparency", "integrity", "overall", "guidance"].map((k) => [`q_${k}`, "3"])),
  });
  expect(res.status()).toBe(409);
  expect(await res.text()).toContain("You have already rated this office");
  expect(countResponses(db, "D01")).toBe(after);

  // Another unit is still open to the same phone.
  await page.goto("/s/satisfaction-2026?unit=D02&lng=en");
  await expect(page.locator('input[name="q_overall"]').first()).toBeVisible();
});

test("honeypot submissions are stored with a quality flag, not dropped", async ({ request, db }) => {
  const before = countResponses(db, "D03");
  const res = await request.post("/s/satisfaction-2026?unit=D03", {
    form: {
      ...Object.fromEntries(["efficiency", "attitude", "transparency", "integrity", "overall", "guidance"].map((k) => [`q_${k}`, "5"])),
      website: "http://spam.example",
    },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(303);
  expect(countResponses(db, "D03")).toBe(before + 1);
  const stored = latestResponse(db, "D03")!;
  expect(stored.flags).toEqual(expect.arrayContaining(["honeypot", "unverified_start"]));
});

test("the QR channel is recorded", async ({ page, db }) => {
  await page.goto("/s/satisfaction-2026?unit=D04&ch=qr&lng=en");
  await hydrated(page);
  await answerRequired(page);
  await page.getByRole("button", { name: "Submit my rating" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thank you!");
  expect(latestResponse(db, "D04")!.channel).toBe("qr");
});
