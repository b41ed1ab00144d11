import type { Browser, Page } from "@playwright/test";
import { expect } from "./fixtures";
import { signIn } from "./staff";

/** Files a slow-action complaint through the citizen's form (English), as a citizen would. */
export async function fileAsCitizen(page: Page, unit: string, opts: { contact?: boolean; when?: string } = {}) {
  await page.goto(`/complaints/new?lng=en&unit=${unit}`);
  await page.getByLabel("Slow action (慢作为)").check();
  await page.getByLabel("What happened?").fill("The permit took six weeks although the rules say ten days.");
  if (opts.when) await page.getByLabel("When? (optional)").fill(opts.when);
  if (opts.contact) {
    await page.getByLabel("Yes, contact me").check();
    await page.getByLabel("Phone number").fill("+86 138 0013 8000");
  } else {
    await page.getByLabel("No, stay anonymous").check();
  }
  await page.getByLabel(/I confirm/).check();
  await page.getByRole("button", { name: "Send the complaint" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your complaint has been received");
  return { reference: (await page.getByTestId("reference").textContent())!, code: (await page.getByTestId("code").textContent())! };
}

/** A page in its own browser context, signed in as the given staff account. */
export async function staffPage(browser: Browser, baseURL: string, username: string) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signIn(page, username);
  return page;
}
