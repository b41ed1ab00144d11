import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { createStaff, signIn } from "./support/staff";

const unique = () => Math.random().toString(36).slice(2, 8);

test("a photo is stored without metadata and shown only to the handling unit; a script renamed .jpg is refused", async ({ page, browser, server, db }, testInfo) => {
  const photo = testInfo.outputPath("queue.jpg");
  await sharp({ create: { width: 64, height: 48, channels: 3, background: "#884422" } })
    .jpeg()
    .withExif({ IFD0: { Make: "PhoneMaker" }, IFD3: { GPSLatitudeRef: "N" } })
    .toFile(photo);
  const evil = testInfo.outputPath("evil.jpg");
  fs.writeFileSync(evil, "<script>alert(document.cookie)</script>");
  const filesBefore = fs.existsSync(server.uploadDir) ? fs.readdirSync(server.uploadDir).length : 0;

  // The malicious file is refused with a translated error; what was typed is kept; nothing is written.
  await page.goto("/complaints/new?lng=en&unit=C03");
  await page.getByLabel("Misconduct (乱作为)").check();
  await page.getByLabel("What happened?").fill("They asked for a fee that does not exist.");
  await page.getByLabel("No, stay anonymous").check();
  await page.getByLabel(/I confirm/).check();
  await page.getByLabel("Photos (optional)").setInputFiles([evil]);
  await page.getByRole("button", { name: "Send the complaint" }).click();
  await expect(page.locator("#photos-error")).toHaveText("Only JPEG, PNG or WebP photos can be attached.");
  // The answer of the server moves the focus to the list of problems (JavaScript on here).
  await expect(page.getByRole("alert")).toBeFocused();
  await expect(page.getByRole("status").filter({ hasText: "choose them again" })).toBeVisible();
  await expect(page.getByLabel("What happened?")).toHaveValue("They asked for a fee that does not exist.");
  expect(fs.existsSync(server.uploadDir) ? fs.readdirSync(server.uploadDir).length : 0).toBe(filesBefore);

  await page.getByLabel("Photos (optional)").setInputFiles([photo]);
  await page.getByRole("button", { name: "Send the complaint" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your complaint has been received");
  const reference = (await page.getByTestId("reference").textContent())!;
  const stored = db.prepare("SELECT p.id, p.storedName, p.contentType FROM ComplaintPhoto p JOIN Complaint c ON c.id = p.complaintId WHERE c.reference = ?").all(reference) as { id: number; storedName: string; contentType: string }[];
  expect(stored).toHaveLength(1);
  const onDisk = fs.readFileSync(path.join(server.uploadDir, stored[0]!.storedName));
  expect((await sharp(onDisk).metadata()).exif).toBeUndefined();

  const photoUrl = `/staff/cases/${reference}/photos/${stored[0]!.id}`;
  const handlerContext = await browser.newContext({ baseURL: server.url });
  const handler = await handlerContext.newPage();
  await signIn(handler, await createStaff(db, { username: `c03.${unique()}`, role: "unit_staff", unit: "C03" }));
  await handler.goto(`/staff/cases/${reference}?lng=en`);
  await expect(handler.getByRole("img", { name: "Photo 1" })).toBeVisible();
  const res = await handler.request.get(photoUrl);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("image/jpeg");
  expect(res.headers()["content-disposition"]).toContain("inline; filename=");
  expect(res.headers()["x-content-type-options"]).toBe("nosniff");

  const otherContext = await browser.newContext({ baseURL: server.url });
  const other = await otherContext.newPage();
  await signIn(other, await createStaff(db, { username: `c04.${unique()}`, role: "unit_staff", unit: "C04" }));
  expect((await other.request.get(photoUrl)).status()).toBe(404);
  // Signed out: to the login page, never the picture.
  const anonymous = await page.request.get(photoUrl, { maxRedirects: 0 });
  expect(anonymous.status()).toBe(302);
  await handlerContext.close();
  await otherContext.close();
});

/** Opens the complaint on /track as its citizen would, with the reference and the code. */
async function track(page: Page, reference: string, code: string) {
  await page.goto("/track?lng=en");
  await page.getByLabel("Reference").fill(reference);
  await page.getByLabel("Access code").fill(code);
  await page.getByRole("button", { name: "Show my complaint" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(reference);
}

for (const javaScriptEnabled of [true, false]) {
  test(`the citizen sees their own complaint text and photos on /track, and only they do (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({ browser, server, db }, testInfo) => {
    const context = await browser.newContext({ baseURL: server.url, javaScriptEnabled });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on("console", (msg) => void (msg.type() === "error" && consoleErrors.push(msg.text())));
    page.on("pageerror", (err) => consoleErrors.push(err.message));
    const photo = testInfo.outputPath("counter.png");
    await sharp({ create: { width: 80, height: 60, channels: 3, background: "#336699" } }).png().toFile(photo);
    await page.goto("/complaints/new?lng=ug&unit=C03");
    await page.getByLabel("ئاستا ئىش قىلىش").check();
    const text = "كۆزنەكتە ئىككى سائەت ساقلىدىم، 窗口无人。";
    await page.getByLabel("نېمە ئىش يۈز بەردى؟").fill(text);
    await page.getByLabel(/قاچان/).fill("2026-11-27 09:00");
    await page.getByLabel("ياق، نامسىز قالاي").check();
    await page.getByLabel(/جەزملەيمەن/).check();
    await page.getByLabel(/رەسىملەر/).setInputFiles([photo]);
    await page.getByRole("button", { name: "ئەرزنى يوللاش" }).click();
    const reference = (await page.getByTestId("reference").textContent())!;
    const code = (await page.getByTestId("code").textContent())!;

    await track(page, reference, code);
    // Their own words, in their own direction and language, and the photo; no staff-only data.
    const description = page.getByTestId("description");
    await expect(description).toHaveText(text);
    await expect(description).toHaveAttribute("dir", "auto");
    expect(await description.evaluate((e) => getComputedStyle(e).direction)).toBe("rtl");
    await expect(page.getByRole("region", { name: "What you reported" })).toContainText("2026-11-27 09:00");
    await expect(page.getByRole("region", { name: "What you reported" })).toContainText("You chose to stay anonymous.");
    const img = page.getByRole("img", { name: "Your photo 1" });
    await expect(img).toBeVisible();
    await expect.poll(() => img.evaluate((e: HTMLImageElement) => e.complete && e.naturalWidth)).toBe(80);

    // The photo's own address answers this browser with the staff route's safety headers…
    const src = (await img.getAttribute("src"))!;
    const stored = db.prepare("SELECT p.id FROM ComplaintPhoto p JOIN Complaint c ON c.id = p.complaintId WHERE c.reference = ?").get(reference) as { id: number };
    expect(src).toBe(`/track/${reference}/photos/${stored.id}`);
    const res = await page.request.get(src);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toBe("image/jpeg");
    expect(res.headers()["x-content-type-options"]).toBe("nosniff");
    expect(res.headers()["cache-control"]).toBe("private, no-store");
    expect(res.headers()["content-disposition"]).toContain("inline; filename=");

    // …and nobody else: another browser, even a signed-in member of the handling unit.
    const strangerContext = await browser.newContext({ baseURL: server.url });
    expect((await strangerContext.request.get(src)).status()).toBe(404);
    const handlerContext = await browser.newContext({ baseURL: server.url });
    const handler = await handlerContext.newPage();
    await signIn(handler, await createStaff(db, { username: `c03.${unique()}`, role: "unit_staff", unit: "C03" }));
    expect((await handler.request.get(src)).status()).toBe(404);
    // A wrong code shows nothing and proves nothing.
    const guesser = await strangerContext.newPage();
    await guesser.goto("/track?lng=en");
    await guesser.getByLabel("Reference").fill(reference);
    await guesser.getByLabel("Access code").fill("AAAAAAAA");
    await guesser.getByRole("button", { name: "Show my complaint" }).click();
    await expect(guesser.locator("#code-error")).toBeVisible();
    await expect(guesser.locator("body")).not.toContainText(text);
    expect((await guesser.request.get(src)).status()).toBe(404);
    await strangerContext.close();
    await handlerContext.close();
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
}
