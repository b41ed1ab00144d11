import type { Page } from "@playwright/test";
import { expect, hydrated, test } from "./support/fixtures";
import { loadResponses } from "./support/scores";
import { addComplaint, addStaff } from "./support/security";

// Every family of staff pages passes axe (WCAG 2.1 A and AA, serious and critical findings),
// left to right and right to left, including the rule that a control's accessible name contains
// its visible text (WCAG 2.5.3, which axe keeps off by default), and none is wider than the screen.

const RULES = ["label-content-name-mismatch"];
const CASE = "TS-2026-980001";

const officePages = [
  "/staff",
  `/staff/cases/${CASE}`,
  "/staff/overdue",
  "/staff/calendar",
  "/staff/scores",
  "/staff/scores/D11",
  "/staff/periods",
  "/staff/periods/2026",
  "/staff/surveys",
  "/staff/surveys/satisfaction-2026",
  "/staff/surveys/satisfaction-2026/history",
  "/staff/surveys/satisfaction-2026/results",
  "/staff/surveys/satisfaction-2026/distribution",
  "/staff/reviewers",
  "/staff/units",
  "/staff/units/C01",
  "/staff/audit",
  "/staff/codes",
  "/staff/anomalies",
  "/staff/tokens",
];
const adminPages = ["/staff/accounts", "/staff/accounts/:self", "/staff/units", "/staff/audit"];

test.beforeAll(async ({ server, db }) => {
  // A unit with responses (the score pages draw their charts) and a case to open.
  loadResponses(server, db, "D11", 12, (i) => [5, 4, 3, null][i % 4]!, "axe comment", { months: 3 });
  addComplaint(db, { reference: CASE, subject: "D11", type: "slow_action", contact: true });
});

/** Signs the page in with a session cookie ("name=value"). */
async function signInWith(page: Page, cookie: string, url: string) {
  const at = cookie.indexOf("=");
  await page.context().addCookies([{ name: cookie.slice(0, at), value: cookie.slice(at + 1), url }]);
}

async function scan(page: Page, axe: (page: Page, opts?: { rules?: string[] }) => Promise<void>, urls: string[], lng: string) {
  const failures: string[] = [];
  for (const url of urls) {
    const res = await page.goto(`${url}${url.includes("?") ? "&" : "?"}lng=${lng}`);
    expect(res?.status(), url).toBe(200);
    await hydrated(page);
    // A wide table scrolls in its own box: the page itself never gets wider than the screen.
    const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    if (pageWidth > page.viewportSize()!.width) failures.push(`${url}: the page is ${pageWidth} px wide on a ${page.viewportSize()!.width} px screen`);
    try {
      await axe(page, { rules: RULES });
    } catch (e) {
      failures.push((e as Error).message);
    }
  }
  expect(failures).toEqual([]);
}

for (const lng of ["en", "zh-Hans", "ug"] as const) {
  test(`the office's pages pass axe (${lng})`, async ({ page, db, baseURL, axe, consoleErrors }, testInfo) => {
    test.setTimeout(120_000);
    const { cookie } = await addStaff(db, `axe.office.${lng.toLowerCase()}.${testInfo.project.name}`, [{ role: "office" }]);
    await signInWith(page, cookie, baseURL!);
    await scan(page, axe, officePages, lng);
    await expect(page.locator("html")).toHaveAttribute("dir", lng === "ug" ? "rtl" : "ltr");
    expect(consoleErrors).toEqual([]);
  });
}

test("the administrator's pages pass axe (en, ug)", async ({ page, db, baseURL, axe, consoleErrors }, testInfo) => {
  test.setTimeout(90_000);
  const { id, cookie } = await addStaff(db, `axe.admin.${testInfo.project.name}`, [{ role: "admin" }]);
  await signInWith(page, cookie, baseURL!);
  const urls = adminPages.map((u) => u.replace(":self", String(id)));
  await scan(page, axe, urls, "en");
  await scan(page, axe, urls, "ug");
  expect(consoleErrors).toEqual([]);
});
