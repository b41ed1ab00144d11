import type { Page, TestInfo } from "@playwright/test";
import { departments } from "../../prisma/seed-data/region";
import { questions } from "../../prisma/seed-data/survey";
import { expect, hydrated, test } from "./support/fixtures";
import { loadResponses } from "./support/scores";
import { createStaff, signIn } from "./support/staff";

// The office's charts (the period dashboard, a unit's page, a survey's results) in Chinese,
// Uyghur (right to left) and English: the page hydrates without an error, every category label
// is drawn whole inside the chart, legends are readable, and the page is no wider than the screen.

const UNIT = "D13"; // 政务服务中心: no other test gives it responses
const unitName = departments.find((d) => d.code === UNIT)!.names;
const gradeItems = questions.filter((q) => q.kind === "grade_core" || q.kind === "grade_diagnostic");
const coreItems = gradeItems.filter((q) => q.kind === "grade_core");
const visits = questions.find((q) => q.key === "visits")!;

test.beforeAll(async ({ server, db }) => {
  // Every grade and "not applicable", so every legend entry has a bar; choices for the option
  // chart; eleven months, so the month axes are crowded (recharts drops crowded labels by
  // measuring them, in the browser only: the drawing the page was served with no longer matched).
  loadResponses(server, db, UNIT, 66, (i) => [5, 4, 3, 2, 1, null][i % 6]!, "图表测试", {
    choice: (i, kind) => (kind === "single" ? ["one", "two", "three_plus"][i % 3]! : ["counter", "online", "phone"].slice(0, 1 + (i % 3))),
    months: 11,
  });
});

const squash = (s: string) => s.replace(/\s+/g, "");

/** The category labels of a chart as drawn (the lines joined), with each one's box and the chart's. */
async function categoryLabels(page: Page, chartId: string) {
  const figure = page.locator(`figure[aria-labelledby="${chartId}-title"]`);
  await expect(figure.locator("svg.recharts-surface")).toBeVisible();
  return figure.evaluate((fig) => {
    const svg = fig.querySelector("svg.recharts-surface")!.getBoundingClientRect();
    return Array.from(fig.querySelectorAll("text.category-label")).map((text) => {
      const box = text.getBoundingClientRect();
      return {
        text: Array.from(text.querySelectorAll("tspan"), (t) => t.textContent ?? "").join(" "),
        inside: box.left >= svg.left - 0.5 && box.right <= svg.right + 0.5 && box.top >= svg.top - 0.5 && box.bottom <= svg.bottom + 0.5,
        centre: (box.left + box.right) / 2 - svg.left,
        svgWidth: svg.width,
      };
    });
  });
}

/** Each label is drawn whole, inside the chart, and on the reading side of the bars. */
async function expectWholeLabels(page: Page, chartId: string, expected: string[], rtl: boolean) {
  const labels = await categoryLabels(page, chartId);
  expect(labels.map((l) => squash(l.text)).sort(), `labels of ${chartId}`).toEqual(expected.map(squash).sort());
  for (const l of labels) {
    expect(l.inside, `"${l.text}" is cut off`).toBe(true);
    // Right to left, the label column is on the right; left to right, on the left.
    if (rtl) expect(l.centre, `"${l.text}" on the right`).toBeGreaterThan(l.svgWidth / 2);
    else expect(l.centre, `"${l.text}" on the left`).toBeLessThan(l.svgWidth / 2);
  }
}

/** Every legend entry's text against white, by the WCAG contrast formula. */
async function legendContrasts(page: Page) {
  return page.locator(".chart-legend li").evaluateAll((items) => {
    const lum = (css: string) => {
      const [r, g, b] = (css.match(/[\d.]+/g) ?? ["0", "0", "0"]).slice(0, 3).map((v) => {
        const c = Number(v) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    return items.map((li) => ({ text: li.textContent ?? "", ratio: 1.05 / (lum(getComputedStyle(li).color) + 0.05) }));
  });
}

async function checkPage(page: Page, url: string, consoleErrors: string[]) {
  await page.goto(url);
  await hydrated(page);
  expect(consoleErrors, `console errors on ${url}`).toEqual([]);
  const contrasts = await legendContrasts(page);
  expect(contrasts.length).toBeGreaterThan(0);
  for (const c of contrasts) expect(c.ratio, `legend "${c.text}" contrast`).toBeGreaterThanOrEqual(4.5);
  // The page itself never scrolls sideways (a wide chart scrolls in its own box).
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
}

async function keep(page: Page, testInfo: TestInfo, chartId: string, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.locator(`figure[aria-labelledby="${chartId}-title"]`).screenshot({ path });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

for (const lng of ["zh-Hans", "ug", "en"] as const) {
  test(`the office's charts hydrate, show whole labels and readable legends (${lng})`, async ({ page, db, consoleErrors }, testInfo) => {
    const rtl = lng === "ug";
    const text = (q: { texts: Record<string, string> }) => q.texts[lng]!;
    const office = await createStaff(db, { username: `charts.${lng.toLowerCase()}.${testInfo.project.name}.${Date.now() % 100000}`, role: "office" });
    await signIn(page, office, lng);

    // The dashboard: units' S with intervals, answers by grade of the core items.
    await checkPage(page, `/staff/scores?kind=department&lng=${lng}`, consoleErrors);
    await expect(page.locator("html")).toHaveAttribute("dir", rtl ? "rtl" : "ltr");
    const units = await categoryLabels(page, "chart-s");
    expect(units.map((u) => squash(u.text))).toContain(squash(unitName[lng]!));
    await expectWholeLabels(page, "chart-grades", coreItems.map(text), rtl);
    await keep(page, testInfo, "chart-grades", `scores-grades-${lng}`);

    // The unit's page: every item against the region, and by grade.
    await checkPage(page, `/staff/scores/${UNIT}?lng=${lng}`, consoleErrors);
    await expectWholeLabels(page, "chart-items", gradeItems.map(text), rtl);
    await expectWholeLabels(page, "chart-grades", gradeItems.map(text), rtl);
    await keep(page, testInfo, "chart-items", `unit-items-${lng}`);

    // The survey's results: one chart per question, the options of a choice as bars.
    await checkPage(page, `/staff/surveys/satisfaction-2026/results?lng=${lng}`, consoleErrors);
    await expectWholeLabels(page, "chart-efficiency", [text(gradeItems[0]!)], rtl);
    await expectWholeLabels(page, "chart-visits", visits.options!.map((o) => o.labels[lng]!), rtl);
    await keep(page, testInfo, "chart-efficiency", `results-efficiency-${lng}`);
    await keep(page, testInfo, "chart-visits", `results-visits-${lng}`);
  });
}

test("without JavaScript the charts are drawn on the server with whole labels (ug)", async ({ browser, db, baseURL }, testInfo) => {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false, viewport: testInfo.project.use.viewport ?? undefined });
  const page = await context.newPage();
  const office = await createStaff(db, { username: `charts.nojs.${testInfo.project.name}.${Date.now() % 100000}`, role: "office" });
  await signIn(page, office, "ug");
  await page.goto(`/staff/scores/${UNIT}?lng=ug`);
  await expectWholeLabels(page, "chart-items", gradeItems.map((q) => q.texts.ug!), true);
  await keep(page, testInfo, "chart-items", "unit-items-ug-nojs");
  await context.close();
});
