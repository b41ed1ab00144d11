import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
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
