// Single-use rating codes (一次一评), end to end: unit staff show a code for the next citizen and
// print a sheet of slips; a citizen's answer with a code is verified; a used, another unit's,
// unknown or revoked code is refused with a page that still lets the citizen answer unverified;
// a code used meanwhile keeps the answers; the office sees every batch.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "@playwright/test";
import type { TestDb } from "./support/db";
import { countResponses, expect, hydrated, test } from "./support/fixtures";
import { addRatingCodeBatch } from "./support/rating-codes";
import { createStaff, signIn } from "./support/staff";
import { answerRequired, latestResponse } from "./support/survey";

const slug = "satisfaction-2026";
const unique = () => Math.random().toString(36).slice(2, 8);
const CODE_TEXT = /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}$/;
const codesPage = `/staff/codes?unit=C01&survey=${slug}&lng=en`;

/** The QR code drawn as an SVG element, decoded by zbarimg when it is installed (else null). */
async function decodeQr(page: Page, selector: string): Promise<string | null> {
  let zbar = true;
  try {
    execFileSync("zbarimg", ["--version"], { stdio: "ignore" });
  } catch {
    zbar = false;
  }
  if (!zbar) return null;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "qr-")), "code.png");
  await page.locator(selector).first().screenshot({ path: file });
  return execFileSync("zbarimg", ["--quiet", "--raw", file], { encoding: "utf8" }).trim();
}

/** A citizen on their own phone (no staff cookie, no device cookie yet). */
async function citizen(browser: Browser, javaScriptEnabled = true) {
  const context = await browser.newContext({ javaScriptEnabled, locale: "en-US" });
  return { page: await context.newPage(), close: () => context.close() };
}

function codeRow(db: TestDb, responseId: number) {
  return db.prepare(`SELECT c.usedAt, b.unitId FROM RatingCode c JOIN RatingCodeBatch b ON b.id = c.batchId WHERE c.responseId = ?`).get(responseId) as
    | { usedAt: string; unitId: number }
    | undefined;
}

test("unit staff show a code for the next citizen; the citizen's rating with it is verified, once", async ({ page, db, browser, baseURL, axe, consoleErrors }) => {
  test.setTimeout(90_000); // several phones and a staff page, on a shared machine
  await signIn(page, await createStaff(db, { username: `codes.${unique()}`, role: "unit_staff", unit: "C01" }), "en");
  await page.goto(codesPage);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Rating codes (一次一评)");
  await expect(page.getByRole("navigation", { name: "Staff menu" }).getByRole("link", { name: "Rating codes" })).toHaveAttribute("aria-current", "page");
  await axe(page);
  await hydrated(page);
  const issued = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/staff/codes"));
  await page.getByRole("button", { name: "Code for the next citizen" }).click();
  expect((await issued).headers()["cache-control"]).toBe("no-store");
  const code = (await page.getByTestId("rating-code").textContent())!.trim();
  expect(code).toMatch(CODE_TEXT);
  await expect(page.locator(".counter-qr")).toHaveAttribute("aria-label", `QR code of rating code ${code}`);
  const display = (await page.locator(".code-link").textContent())!.trim();
  const link = `http://${display}`;
  expect(link).toBe(`${baseURL}/s/${slug}?unit=C01&c=${code.replaceAll("-", "")}`);
  const decoded = await decodeQr(page, ".counter-qr");
  if (decoded !== null) expect(decoded).toBe(link);
  await axe(page);
  // Only a hash is stored: the code's text is nowhere in the database.
  const stored = JSON.stringify(db.prepare(`SELECT * FROM RatingCode ORDER BY id DESC LIMIT 5`).all());
  expect(stored).not.toContain(code.replaceAll("-", ""));

  // The citizen scans it: the page says the rating is verified, and the response is.
  const phone = await citizen(browser);
  await phone.page.goto(`${link}&lng=en`);
  await expect(phone.page.getByRole("heading", { name: "Verified rating (一次一评)" })).toBeVisible();
  await hydrated(phone.page);
  await answerRequired(phone.page, "5");
  await phone.page.getByRole("button", { name: "Submit my rating" }).click();
  await expect(phone.page).toHaveURL(/\/thanks/);
  const verified = latestResponse(db, "C01")!;
  expect(verified.channel).toBe("verified");
  expect(codeRow(db, verified.id)?.usedAt).toBeTruthy();

  // The same code again: refused, with a link to answer unverified that works.
  const again = await phone.page.goto(`${link}&lng=en`);
  expect(again!.status()).toBe(409);
  await expect(phone.page.getByRole("heading", { level: 1 })).toHaveText("This rating code has already been used");
  await axe(phone.page);
  const without = phone.page.getByRole("link", { name: "Rate without a code" });
  expect(await without.getAttribute("href")).toBe(`/s/${slug}?unit=C01&lng=en`);
  await without.click();
  await expect(phone.page).toHaveURL(new RegExp(`/s/${slug}\\?unit=C01&lng=en$`));
  await phone.close();

  // Another phone follows the refusal page's link and answers unverified.
  const other = await citizen(browser);
  await other.page.goto(`${link}&lng=en`);
  await other.page.getByRole("link", { name: "Rate without a code" }).click();
  await expect(other.page.getByRole("heading", { name: "Verified rating (一次一评)" })).toHaveCount(0);
  await hydrated(other.page);
  await answerRequired(other.page, "3");
  await other.page.getByRole("button", { name: "Submit my rating" }).click();
  await expect(other.page).toHaveURL(/\/thanks/);
  expect(latestResponse(db, "C01")!.channel).toBe("link");
  // That phone has answered: without a code the device rule holds it back; with a fresh code it
  // yields (the code is the one-time guard of a verified rating).
  await other.page.goto(`/s/${slug}?unit=C01&lng=en`);
  await expect(other.page.getByRole("heading", { level: 1 })).toHaveText(/already rated/i);
  const { codes } = addRatingCodeBatch(db, { unit: "C01" });
  await other.page.goto(`/s/${slug}?unit=C01&c=${codes[0]}&lng=en`);
  await expect(other.page.getByRole("heading", { name: "Verified rating (一次一评)" })).toBeVisible();
  await hydrated(other.page);
  await answerRequired(other.page, "4");
  await other.page.getByRole("button", { name: "Submit my rating" }).click();
  await expect(other.page).toHaveURL(/\/thanks/);
  expect(latestResponse(db, "C01")!.channel).toBe("verified");
  await other.close();

  // The staff page's next code replaces the shown one.
  await page.getByRole("button", { name: "Next citizen" }).click();
  await expect(page.getByTestId("rating-code")).not.toHaveText(code);
  expect(consoleErrors).toEqual([]);
});

test("a printed sheet shows N QR codes once; a resent form issues nothing; a revoked batch's codes are refused; the office sees the batch", async ({ page, db, browser, baseURL, axe }) => {
  test.setTimeout(90_000);
  await signIn(page, await createStaff(db, { username: `sheet.${unique()}`, role: "unit_head", unit: "C01" }), "en");
  await page.goto(codesPage);
  await hydrated(page);
  const after = await page.locator('form:has(input[name="intent"][value="sheet"]) input[name="after"]').inputValue();
  await page.getByLabel("Number of codes").fill("13");
  await page.getByLabel("Valid for (days)").fill("30");
  await page.getByLabel("Label (optional)").fill("Window 2");
  await page.getByRole("button", { name: "Issue and print" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("13 rating codes for");
  await expect(page.getByText("Print now: these codes are shown only once.")).toBeVisible();
  const slips = page.locator(".code-slip");
  await expect(slips).toHaveCount(13);
  await expect(page.locator(".code-slip svg.slip-qr")).toHaveCount(13);
  const codes = (await page.locator(".slip-code").allTextContents()).map((c) => c.trim());
  for (const c of codes) expect(c).toMatch(CODE_TEXT);
  expect(new Set(codes).size).toBe(13);
  await axe(page);
  const firstLink = `http://${(await page.locator(".slip-link").first().textContent())!.trim()}`;
  expect(firstLink).toBe(`${baseURL}/s/${slug}?unit=C01&c=${codes[0]!.replaceAll("-", "")}`);
  const decoded = await decodeQr(page, ".slip-qr");
  if (decoded !== null) expect(decoded).toBe(firstLink);
  // 12 slips to an A4 page: 13 make two pages, the menu and toolbar are not printed.
  const pdf = await page.pdf({ preferCSSPageSize: true });
  const text = pdf.toString("latin1");
  expect(text.match(/\/Type\s*\/Page(?!s)/g)?.length).toBe(2);
  const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(text)!;
  expect([Math.round(Number(box[1])), Math.round(Number(box[2]))]).toEqual([595, 842]);
  const batchId = Number((await page.getByRole("link", { name: /^Batch \d+$/ }).textContent())!.replace(/\D/g, ""));
  const batchCount = () => (db.prepare(`SELECT COUNT(*) AS n FROM RatingCodeBatch`).get() as { n: number }).n;

  // The same form sent again (a reload of the answer) issues no second batch.
  const before = batchCount();
  const resent = await page.request.post(`/staff/codes?unit=C01&survey=${slug}&lng=en`, {
    form: { intent: "sheet", unit: "C01", survey: slug, after, size: "13", days: "30", label: "Window 2" },
    headers: { origin: baseURL! },
  });
  expect(resent.status()).toBe(409);
  expect(resent.headers()["cache-control"]).toBe("no-store");
  expect(await resent.text()).toContain("These codes were already issued");
  expect(batchCount()).toBe(before);
  // Bounds: 501 codes are refused with a translated message.
  await page.goto(codesPage);
  await page.getByLabel("Number of codes").fill("501");
  await page.getByRole("button", { name: "Issue and print" }).click();
  await expect(page.locator("#size-error")).toHaveText("Enter a whole number from 1 to 500.");
  expect(batchCount()).toBe(before);

  // A citizen answers with one of the slips.
  const phone = await citizen(browser);
  await phone.page.goto(`/s/${slug}?unit=C01&c=${codes[1]!.toLowerCase()}&lng=en`);
  await expect(phone.page.getByRole("heading", { name: "Verified rating (一次一评)" })).toBeVisible();
  await hydrated(phone.page);
  await answerRequired(phone.page, "5");
  await phone.page.getByRole("button", { name: "Submit my rating" }).click();
  await expect(phone.page).toHaveURL(/\/thanks/);
  expect(latestResponse(db, "C01")!.channel).toBe("verified");

  // The batch page: counts, then revocation with a reason.
  await page.goto(`/staff/codes/${batchId}?lng=en`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Rating code batch ${batchId}`);
  const counts = page.getByRole("table", { name: "Use of the codes" }).locator("tbody td");
  await expect(counts).toHaveText(["13", "1", "12", "0"]);
  await hydrated(page);
  await page.getByRole("button", { name: "Revoke the batch" }).click();
  await expect(page.locator("#reason-error")).toBeVisible();
  await page.getByLabel("Reason for revoking").fill("Slips left on the counter");
  await page.getByRole("button", { name: "Revoke the batch" }).click();
  await expect(page.getByRole("status")).toHaveText("The batch is revoked.");
  await expect(page.getByTestId("batch-state")).toHaveText("Revoked");
  await expect(counts).toHaveText(["13", "1", "0", "12"]);
  await axe(page);
  const audit = db.prepare(`SELECT action, note FROM AuditEvent WHERE targetType = 'rating_code_batch' AND targetId = ? ORDER BY id`).all(String(batchId));
  expect(audit).toEqual([
    { action: "rating_code.issue", note: "Window 2" },
    { action: "rating_code.revoke", note: "Slips left on the counter" },
  ]);

  // A revoked batch's code is refused.
  const res = await phone.page.goto(`/s/${slug}?unit=C01&c=${codes[2]}&lng=en`);
  expect(res!.status()).toBe(409);
  await expect(phone.page.getByRole("heading", { level: 1 })).toHaveText("This rating code has been withdrawn");
  await phone.close();

  // The office sees the batch in its list and opens it.
  const office = await browser.newContext({ locale: "en-US" });
  const officePage = await office.newPage();
  await signIn(officePage, await createStaff(db, { username: `office.${unique()}`, role: "office" }), "en");
  await officePage.goto("/staff/codes?lng=en");
  await expect(officePage.getByRole("link", { name: `Open batch ${batchId}` })).toBeVisible();
  await officePage.getByRole("link", { name: `Open batch ${batchId}` }).click();
  await expect(officePage.getByRole("heading", { level: 1 })).toHaveText(`Rating code batch ${batchId}`);
  await office.close();
});

test("another unit's, an unknown and an expired code are refused; the refusal page is right-to-left in Uyghur", async ({ browser, db, axe }) => {
  const d12 = addRatingCodeBatch(db, { unit: "D12" }).codes[0]!;
  const phone = await citizen(browser);
  let res = await phone.page.goto(`/s/${slug}?unit=C01&c=${d12}&lng=en`);
  expect(res!.status()).toBe(409);
  await expect(phone.page.getByRole("heading", { level: 1 })).toHaveText("This rating code is for another unit or survey");
  const before = countResponses(db, "C01");
  await phone.page.getByRole("link", { name: "Rate without a code" }).click();
  await expect(phone.page).toHaveURL(new RegExp(`/s/${slug}\\?unit=C01&lng=en$`));
  await hydrated(phone.page);
  await answerRequired(phone.page, "4");
  await phone.page.getByRole("button", { name: "Submit my rating" }).click();
  await expect(phone.page).toHaveURL(/\/thanks/);
  expect(countResponses(db, "C01")).toBe(before + 1);
  expect(latestResponse(db, "C01")!.channel).toBe("link");

  for (const c of ["K7QM-2XWD-H9", "not a code", "x".repeat(300)]) {
    res = await phone.page.goto(`/s/${slug}?unit=C01&c=${encodeURIComponent(c)}&lng=en`);
    expect(res!.status()).toBe(409);
    await expect(phone.page.getByRole("heading", { level: 1 })).toHaveText("This rating code is not valid");
  }
  const expired = addRatingCodeBatch(db, { unit: "C01", expiresAt: new Date(Date.now() - 1000) }).codes[0]!;
  await phone.page.goto(`/s/${slug}?unit=C01&c=${expired}&lng=en`);
  await expect(phone.page.getByRole("heading", { level: 1 })).toHaveText("This rating code has expired");

  await phone.page.goto(`/s/${slug}?unit=C01&c=${d12}&lng=ug`);
  await expect(phone.page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(phone.page.getByRole("heading", { level: 1 })).toHaveText("بۇ كود بۇ ئورۇن ياكى بۇ تەكشۈرۈشكە تەۋە ئەمەس");
  await axe(phone.page);
  await phone.close();
});

for (const javaScriptEnabled of [true, false]) {
  test(`a code used meanwhile keeps every answer and drops the code (${javaScriptEnabled ? "with" : "without"} JavaScript)`, async ({ browser, db }) => {
    const { codes } = addRatingCodeBatch(db, { unit: "C01" });
    const phone = await citizen(browser, javaScriptEnabled);
    await phone.page.goto(`/s/${slug}?unit=C01&c=${codes[0]}&lng=en`);
    await expect(phone.page.getByRole("heading", { name: "Verified rating (一次一评)" })).toBeVisible();
    if (javaScriptEnabled) await hydrated(phone.page);
    await answerRequired(phone.page, "2");
    // Someone else uses the code first (another phone scanned the same slip).
    db.prepare(`UPDATE RatingCode SET usedAt = ? WHERE batchId = (SELECT MAX(id) FROM RatingCodeBatch)`).run(new Date().toISOString().replace("Z", "+00:00"));
    const before = countResponses(db, "C01");
    await phone.page.getByRole("button", { name: "Submit my rating" }).click();
    await expect(phone.page.getByRole("alert")).toContainText("The rating code was used, revoked or expired in the meantime");
    expect(countResponses(db, "C01")).toBe(before);
    await expect(phone.page.locator('input[name="q_overall"][value="2"]')).toBeChecked();
    await expect(phone.page.locator('input[name="c"]')).toHaveCount(0);
    await expect(phone.page.getByRole("heading", { name: "Verified rating (一次一评)" })).toHaveCount(0);
    await phone.page.getByRole("button", { name: "Submit my rating" }).click();
    await expect(phone.page).toHaveURL(/\/thanks/);
    expect(countResponses(db, "C01")).toBe(before + 1);
    expect(latestResponse(db, "C01")!.channel).toBe("link");
    await phone.close();
  });
}
