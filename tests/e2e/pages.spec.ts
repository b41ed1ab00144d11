import { expect, hydrated, test } from "./support/fixtures";

test("home: choose a language, find a unit by name and go to its survey", async ({ page, axe, consoleErrors }) => {
  await page.goto("/");
  await hydrated(page);
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-Hans");
  await axe(page);
  await page.getByRole("link", { name: "ئۇيغۇرچە" }).first().click();
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await hydrated(page);
  await axe(page);
  await page.getByLabel("ئورۇن ياكى ناھىيە-شەھەر نامى").fill("باج");
  await page.getByRole("button", { name: "ئىزدەش" }).click();
  await page.locator("[aria-live] .unit-link", { hasText: "باج ئىدارىسى" }).click();
  await expect(page).toHaveURL(/\/s\/satisfaction-2026\?unit=D12/);
  // The language choice is remembered by cookie.
  await expect(page.locator("html")).toHaveAttribute("lang", "ug");
  expect(consoleErrors).toEqual([]);
});

test("home: the unit tree can be browsed", async ({ page }) => {
  await page.goto("/?lng=en");
  await expect(page.getByRole("group").or(page.locator("details")).first()).toBeVisible();
  await expect(page.locator(".unit-tree summary").first()).toHaveText("Tianshan Prefecture");
  await page.getByRole("link", { name: "Oasis County" }).click();
  await expect(page).toHaveURL(/unit=C05/);
});

test("language comes from Accept-Language when there is no choice yet", async ({ browser, server }) => {
  const context = await browser.newContext({ locale: "ug-CN", baseURL: server.url });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "ug");
  await context.close();
});

test("survey without a unit, or with an unknown code, asks for the unit first", async ({ page, axe }) => {
  await page.goto("/s/satisfaction-2026?unit=NOPE&lng=en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Which office served you?");
  await expect(page.getByRole("status").first()).toContainText("NOPE");
  await axe(page);
});

test("unknown, draft and closed surveys get translated status pages with the right codes", async ({ page, db, axe }) => {
  const period = db.prepare("SELECT id FROM EvaluationPeriod LIMIT 1").get() as { id: number };
  const insert = db.prepare(
    `INSERT OR IGNORE INTO Survey (slug, periodId, status, titles, updatedAt) VALUES (?, ?, ?, '{"en":"Old"}', CURRENT_TIMESTAMP)`,
  );
  insert.run("closed-e2e", period.id, "closed");
  insert.run("draft-e2e", period.id, "draft");
  const cases = [
    ["/s/no-such-survey?lng=en", 404, "Survey not found"],
    ["/s/draft-e2e?lng=en", 404, "Survey not found"],
    ["/s/closed-e2e?lng=en", 410, "This survey has closed"],
    ["/s/closed-e2e?lng=zh-Hans", 410, "该调查已结束"],
    ["/no/such/page?lng=en", 404, "Page not found"],
  ] as const;
  for (const [url, status, heading] of cases) {
    const res = await page.goto(url);
    expect(res!.status(), url).toBe(status);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
    await axe(page);
  }
});

test("cross-site posts are refused with 403, oversized posts with 413", async ({ request }) => {
  let res = await request.post("/s/satisfaction-2026?unit=C01&lng=en", {
    headers: { origin: "https://evil.example" },
    form: { q_overall: "5" },
  });
  expect(res.status()).toBe(403);
  expect(await res.text()).toContain("Request refused");
  res = await request.post("/s/satisfaction-2026?unit=C01&lng=en", {
    form: { q_comment: "x".repeat(70 * 1024) },
  });
  expect(res.status()).toBe(413);
  expect(await res.text()).toContain("Too much text");
});

test("GET /api/v1/units lists units with codes, kinds, parents and names", async ({ request }) => {
  const res = await request.get("/api/v1/units");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("application/json");
  const body = (await res.json()) as { units: { code: string; kind: string; parentCode: string | null; names: Record<string, string>; active: boolean }[] };
  const tax = body.units.find((u) => u.code === "D12")!;
  expect(tax).toEqual({
    code: "D12",
    kind: "department",
    parentCode: "REG",
    names: { "zh-Hans": "税务局", ug: "باج ئىدارىسى", en: "Tax Bureau", kk: "سالىق باسقارماسى" },
    active: true,
  });
  expect(body.units.filter((u) => u.kind === "county").length).toBeGreaterThanOrEqual(5);
  expect(body.units.filter((u) => u.kind === "department").length).toBeGreaterThanOrEqual(10);
});

test("phones: the survey fits 360 px and every choice is a 44 px touch target", async ({ browser, server }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, baseURL: server.url, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  for (const lng of ["zh-Hans", "ug", "en"]) {
    await page.goto(`/s/satisfaction-2026?unit=C06&lng=${lng}`);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth, `no sideways scrolling in ${lng}`).toBeLessThanOrEqual(360);
    const targets = page.locator("label.choice, button, .lang-switcher a, textarea");
    const boxes = await targets.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.width, r.height]));
    for (const [w, h] of boxes) {
      expect(w).toBeGreaterThanOrEqual(44);
      expect(h).toBeGreaterThanOrEqual(44);
    }
  }
  await context.close();
});
