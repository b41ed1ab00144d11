// The stop link of notification e-mails (issue 13): opening it only asks; confirming stops every
// later message to that address (kept, marked "opted out"), whatever the case.
import { expect, hydrated, test } from "./support/fixtures";

async function fileWithEmail(page: import("@playwright/test").Page, email: string, lng: "en" | "ug") {
  await page.goto(`/complaints/new?lng=${lng}&unit=D12`);
  await hydrated(page);
  await page.locator('input[name="type"][value="slow_action"]').check();
  await page.locator('textarea[name="description"]').fill("The certificate took three weeks; the counter said the system was down.");
  await page.locator('input[name="anonymous"][value="no"]').check();
  await page.locator('input[name="contactEmail"]').fill(email);
  await page.locator('input[name="consent"]').check();
  await page.locator("form button[type=submit]").last().click();
  return (await page.getByTestId("reference").textContent())!;
}

test("a citizen stops the notifications from the link in an e-mail; later ones are kept but not sent", async ({ page, db, axe }) => {
  const email = `optout.${Date.now()}@example.cn`;
  const first = await fileWithEmail(page, email, "ug");
  const row = (reference: string) =>
    db.prepare(`SELECT n.body, n.status, n.lastError FROM Notification n JOIN Complaint c ON c.id = n.complaintId WHERE c.reference = ? AND n.channel = 'email'`).get(reference) as { body: string; status: string; lastError: string | null };
  const link = /\/notify\/stop\?t=\S+/.exec(row(first).body)![0];
  // The link names no address.
  expect(link).not.toContain("optout");

  await page.goto(link);
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("ئۇقتۇرۇش تاپشۇرۇۋالماسلىق");
  await axe(page);
  // Opening it changed nothing (a mail scanner following links unsubscribes no one).
  expect(db.prepare(`SELECT COUNT(*) AS n FROM NotificationOptOut`).get()).toEqual({ n: expect.any(Number) });
  const before = (db.prepare(`SELECT COUNT(*) AS n FROM NotificationOptOut`).get() as { n: number }).n;
  await page.getByRole("button", { name: "ئەمدى تاپشۇرۇۋالمايمەن" }).click();
  await expect(page.getByRole("status")).toHaveText("بولدى: بۇ سۇپا بۇ ئېلخەتكە ئەمدى ئۇقتۇرۇش ئەۋەتمەيدۇ.");
  expect((db.prepare(`SELECT COUNT(*) AS n FROM NotificationOptOut`).get() as { n: number }).n).toBe(before + 1);

  // A later complaint from the same address (written in capitals): its message is kept, not sent.
  const second = await fileWithEmail(page, email.toUpperCase(), "en");
  await expect.poll(() => row(second).status, { timeout: 15_000 }).toBe("skipped");
  expect(row(second).lastError).toBe("opted out");

  // A forged link stops nothing: a translated 400 page.
  const forged = await page.request.post("/notify/stop?lng=en", { form: { t: "x".repeat(32) + ".forged" } });
  expect(forged.status()).toBe(400);
});
