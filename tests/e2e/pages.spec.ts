import fs from "node:fs";
import path from "node:path";
import { expect, hydrated, test } from "./support/fixtures";
import { projectRoot } from "./support/paths";
import { createStaff, signIn } from "./support/staff";

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

test("unit search finds names typed in pinyin or in Uyghur Latin letters", async ({ page, consoleErrors }) => {
  await page.goto("/?lng=zh-Hans");
  await hydrated(page);
  await page.getByLabel("单位或县市名称").fill("shuiwu");
  await page.getByRole("button", { name: "搜索" }).click();
  await expect(page.locator("[aria-live] .unit-link")).toHaveText([/^税务局/]);
  await page.goto("/?lng=ug&q=baj");
  await expect(page.locator("[aria-live] .unit-link")).toHaveText([/^باج ئىدارىسى/]);
  await page.goto("/complaints/new?lng=en&q=jiaoyu");
  await expect(page.locator(".unit-link")).toHaveText(["Education Bureau"]);
  expect(consoleErrors).toEqual([]);
});

test("the pinyin table stays on the server: no script sent to browsers carries it", () => {
  const assets = path.join(projectRoot, "build/client/assets");
  const scripts = fs.readdirSync(assets).filter((f) => f.endsWith(".js"));
  expect(scripts.length).toBeGreaterThan(0);
  // Strings of pinyin-pro's dictionary and options, which any copy of the library would carry.
  const carrying = scripts.filter((f) => /zhōng|customPinyin/.test(fs.readFileSync(path.join(assets, f), "utf8")));
  expect(carrying).toEqual([]);
});

test("the search button keeps its label on one line at 360 px, in every language", async ({ browser, server }) => {
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  for (const lng of ["zh-Hans", "ug", "kk", "en"]) {
    for (const url of [`/?lng=${lng}`, `/s/satisfaction-2026?lng=${lng}`, `/complaints/new?lng=${lng}`]) {
      await page.goto(url);
      const button = page.locator(".search-row button");
      const lines = await button.evaluate((b) => {
        const range = document.createRange();
        range.selectNodeContents(b);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      });
      expect(lines, `${url}: lines of "${await button.textContent()}"`).toBe(1);
      const [field, box] = [(await page.locator(".search-row input").boundingBox())!, (await button.boundingBox())!];
      expect(Math.abs(field.y - box.y), `${url}: field and button side by side`).toBeLessThan(2);
      expect(field.width, `${url}: the field keeps room to type`).toBeGreaterThan(150);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${url}: no sideways scrolling`).toBeLessThanOrEqual(360);
    }
  }
  await context.close();
});

test("the footer fits the page, and every page has a translated meta description", async ({ page, browser, server, db }) => {
  const SURVEYS_ANONYMOUS = "Surveys are anonymous";
  const CONTACT = "only the office handling it sees them";
  const description = async () => {
    await expect(page.locator('meta[name="description"]')).toHaveCount(1);
    return (await page.locator('meta[name="description"]').getAttribute("content")) ?? "";
  };
  const pages: [string, string[], string[]][] = [
    ["/?lng=en", [SURVEYS_ANONYMOUS, CONTACT], []],
    ["/s/satisfaction-2026?unit=C01&lng=en", [SURVEYS_ANONYMOUS], [CONTACT]],
    ["/s/satisfaction-2026?lng=en", [SURVEYS_ANONYMOUS], [CONTACT]],
    ["/complaints/new?unit=C01&lng=en", [CONTACT], [SURVEYS_ANONYMOUS]],
    ["/complaints/new?lng=en", [CONTACT], [SURVEYS_ANONYMOUS]],
    ["/track?lng=en", [CONTACT], [SURVEYS_ANONYMOUS]],
  ];
  const seen = new Map<string, string>();
  for (const [url, shown, notShown] of pages) {
    await page.goto(url);
    const footer = page.getByRole("contentinfo");
    for (const text of shown) await expect(footer, url).toContainText(text);
    for (const text of notShown) await expect(footer, url).not.toContainText(text);
    const content = await description();
    expect(content.length, url).toBeGreaterThan(30);
    seen.set(url.split("?")[0]!, content);
  }
  // Each kind of page says what it is for.
  expect(new Set([seen.get("/"), seen.get("/s/satisfaction-2026"), seen.get("/complaints/new"), seen.get("/track")]).size).toBe(4);
  // Translated in every language (never a key), on citizen pages and on the not-found page.
  for (const lng of ["zh-Hans", "ug", "kk"]) {
    for (const url of [`/complaints/new?unit=C01&lng=${lng}`, `/no/such/page?lng=${lng}`]) {
      await page.goto(url);
      const content = await description();
      expect(content, url).not.toMatch(/^meta\.|Rate|Report|complaint/);
      expect(content.length, url).toBeGreaterThan(10);
    }
  }
  // Staff pages: no survey statement and no citizen footer at all; a description of their own.
  await page.goto("/no/such/page?lng=en");
  await expect(page.getByRole("contentinfo")).toHaveCount(0);
  const notFound = await description();
  const staffContext = await browser.newContext({ baseURL: server.url });
  const staffPage = await staffContext.newPage();
  await staffPage.goto("/staff/login?lng=en");
  await expect(staffPage.getByRole("contentinfo")).toHaveCount(0);
  await signIn(staffPage, await createStaff(db, { username: `office.footer.${Date.now()}`, role: "office" }));
  for (const url of ["/staff/calendar?lng=en", "/staff/password?lng=en"]) {
    await staffPage.goto(url);
    await expect(staffPage.getByRole("contentinfo"), url).toHaveCount(0);
    await expect(staffPage.locator("body"), url).not.toContainText(SURVEYS_ANONYMOUS);
    const content = (await staffPage.locator('meta[name="description"]').getAttribute("content")) ?? "";
    expect(content, url).toContain("sign-in required");
    expect(content).not.toBe(notFound);
  }
  await staffContext.close();
});
