import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, hydrated, test } from "./support/fixtures";
import { projectRoot } from "./support/paths";
import { createStaff, signIn } from "./support/staff";
import { answerRequired, latestResponse } from "./support/survey";
import type { TestDb } from "./support/db";

const unique = () => Math.random().toString(36).slice(2, 8);
const slug = "satisfaction-2026";
const distribution = `/staff/surveys/${slug}/distribution`;

type Bundle = { [key: string]: string | Bundle };
const lookup = (b: Bundle, key: string) => key.split(".").reduce<string | Bundle | undefined>((n, k) => (typeof n === "object" ? n[k] : undefined), b) as string | undefined;

// The supported languages, read as the app reads them: one folder with a meta.json per language.
const localesDir = path.join(projectRoot, "locales");
const languages = fs
  .readdirSync(localesDir)
  .filter((code) => fs.existsSync(path.join(localesDir, code, "meta.json")))
  .map((code) => ({
    code,
    dir: (JSON.parse(fs.readFileSync(path.join(localesDir, code, "meta.json"), "utf8")) as { dir: string }).dir,
    bundle: JSON.parse(fs.readFileSync(path.join(localesDir, code, "common.json"), "utf8")) as Bundle,
  }));
const en = languages.find((l) => l.code === "en")!.bundle;

/** Page count and first page size (points) of a PDF printed by Chromium. */
function pdfPages(pdf: Buffer) {
  const text = pdf.toString("latin1");
  const pages = text.match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
  const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(text);
  return { pages, width: Number(box?.[1]), height: Number(box?.[2]) };
}

async function signInOffice(page: Page, db: TestDb, lng: string) {
  const office = await createStaff(db, { username: `office.${unique()}`, role: "office" });
  await signIn(page, office, lng);
}

test("the office gets every unit's links, QR codes (SVG, PNG) and printable posters in every language", async ({ page, db, baseURL, axe, consoleErrors }) => {
  await signInOffice(page, db, "zh-Hans");
  await page.goto(distribution);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("链接、二维码和海报");
  const card = page.locator("#unit-C01");
  await expect(card.getByRole("heading", { level: 3 })).toContainText("北湖市");
  await expect(card.locator("#link-C01")).toHaveValue(`${baseURL}/s/${slug}?unit=C01`);
  await expect(card.locator("#qr-link-C01")).toHaveValue(`${baseURL}/s/${slug}?unit=C01&ch=qr`);
  const unitCount = await page.locator(".dist-unit").count();
  const regionCode = (db.prepare(`SELECT code FROM Unit WHERE kind = 'region'`).get() as { code: string }).code;
  const active = (db.prepare(`SELECT COUNT(*) AS n FROM Unit WHERE active = 1 AND kind <> 'region'`).get() as { n: number }).n;
  expect(unitCount).toBe(active);
  await expect(page.locator(`#unit-${regionCode}`)).toHaveCount(0);
  await axe(page);

  // The search narrows the list while typing.
  await hydrated(page);
  await page.locator("#q").fill("北湖");
  await expect(page.locator(".dist-unit")).toHaveCount(1);
  await page.locator("#q").fill("");
  await expect(page.locator(".dist-unit")).toHaveCount(unitCount);

  // QR code downloads.
  const downloading = page.waitForEvent("download");
  await card.getByRole("link", { name: "SVG" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`${slug}-C01.svg`);
  expect(fs.readFileSync((await download.path())!, "utf8")).toMatch(/^<svg /);

  const svg = await page.request.get(`/staff/surveys/${slug}/qr/C01.svg`);
  expect(svg.status()).toBe(200);
  expect(svg.headers()["content-type"]).toBe("image/svg+xml; charset=utf-8");
  expect(svg.headers()["content-disposition"]).toBe(`attachment; filename="${slug}-C01.svg"`);
  expect((await svg.text()).startsWith("<svg ")).toBe(true);

  const png = await page.request.get(`/staff/surveys/${slug}/qr/C01.png`);
  expect(png.status()).toBe(200);
  expect(png.headers()["content-type"]).toBe("image/png");
  expect(png.headers()["content-disposition"]).toBe(`attachment; filename="${slug}-C01.png"`);
  const body = await png.body();
  expect(body.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(body.readUInt32BE(16)).toBeGreaterThanOrEqual(1024);
  expect(body.readUInt32BE(20)).toBe(body.readUInt32BE(16));

  // An unknown unit, a unit the survey does not apply to, a wrong format: 404.
  for (const file of ["ZZ99.svg", `${regionCode}.png`, "C01.gif"]) {
    expect((await page.request.get(`/staff/surveys/${slug}/qr/${file}`)).status(), file).toBe(404);
  }
  // Only the office.
  const anonymous = await page.context().browser()!.newContext();
  const refused = await anonymous.request.get(`${baseURL}/staff/surveys/${slug}/qr/C01.svg`, { maxRedirects: 0 });
  expect(refused.status()).toBe(302);
  await anonymous.close();

  // One unit's A4 poster: its name and the call to rate in every language, each in its direction.
  await card.getByRole("link", { name: "A4", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/posters\\?unit=C01&size=a4$`));
  const poster = page.locator(".poster");
  await expect(poster).toHaveCount(1);
  const names = JSON.parse((db.prepare(`SELECT names FROM Unit WHERE code = 'C01'`).get() as { names: string }).names) as Record<string, string>;
  let shown = 0;
  for (const { code, dir, bundle } of languages) {
    const call = lookup(bundle, "distribution.poster.call");
    if (names[code]) {
      await expect(poster.locator(`.poster-name[lang="${code}"]`)).toHaveText(names[code]!);
      await expect(poster.locator(`.poster-name[lang="${code}"]`)).toHaveAttribute("dir", dir);
    }
    if (call) {
      await expect(poster.locator(`.poster-call[lang="${code}"]`)).toHaveText(call);
      await expect(poster.locator(`.poster-call[lang="${code}"]`)).toHaveAttribute("dir", dir);
      await expect(poster.locator(`.poster-call[lang="${code}"]`)).toBeVisible();
    }
    if (names[code] && call) shown++;
  }
  expect(shown).toBeGreaterThanOrEqual(3);
  await expect(poster.locator(".poster-link")).toHaveText(`${new URL(baseURL!).host}/s/${slug}?unit=C01`);
  await expect(poster.locator("svg.poster-qr path")).toHaveAttribute("d", /^M4 4h7v1h-7z/);
  await axe(page);

  // Printed: one A4 page (595 × 842 points), without the site's header, menu or toolbar.
  let printed = pdfPages(await page.pdf({ preferCSSPageSize: true }));
  expect(printed.pages).toBe(1);
  expect(Math.round(printed.width)).toBe(595);
  expect(Math.round(printed.height)).toBe(842);
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".staff-nav")).toBeHidden();
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(poster.locator("svg.poster-qr")).toBeVisible();
  // Back to no emulation: page.pdf() prints with screen styles while "screen" is emulated.
  await page.emulateMedia({ media: null });

  // Every unit's poster on one A5 sheet: one page each.
  await page.goto(`/staff/surveys/${slug}/posters?size=a5`);
  await expect(page.locator(".poster")).toHaveCount(unitCount);
  printed = pdfPages(await page.pdf({ preferCSSPageSize: true }));
  expect(printed.pages).toBe(unitCount);
  expect(Math.round(printed.width)).toBe(420);
  expect(Math.round(printed.height)).toBe(595);
  expect((await page.request.get(`/staff/surveys/${slug}/posters?size=letter`)).status()).toBe(400);
  expect((await page.request.get(`/staff/surveys/${slug}/posters?unit=${regionCode}`)).status()).toBe(404);

  // Right to left in Uyghur.
  await page.goto(`${distribution}?lng=ug`);
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(lookup(languages.find((l) => l.code === "ug")!.bundle, "distribution.title")!);
  await axe(page);
  expect(consoleErrors).toEqual([]);
});

test("the office creates a tablet link, a citizen rates through it, the office revokes it and it is refused", async ({ page, db, axe }) => {
  const label = `Hall tablet ${unique()}`;
  await signInOffice(page, db, "en");
  await page.goto(distribution);
  await hydrated(page);
  const card = page.locator("#unit-C05");
  await card.getByText("New tablet link").click();
  await card.getByLabel("Where the tablet is").fill(label);
  await card.getByRole("button", { name: "Create the tablet link" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Tablet link “${label}” created` })).toBeVisible();
  const urlField = card.getByRole("textbox", { name: `Tablet link “${label}”` });
  const url = await urlField.inputValue();
  expect(url).toMatch(/\/s\/satisfaction-2026\?unit=C05&kiosk=/);
  const row = db.prepare(`SELECT id, kioskId, revokedAt FROM KioskLink WHERE label = ?`).get(label) as { id: number; kioskId: string; revokedAt: string | null };
  expect(row.kioskId).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
  expect(url).toContain(encodeURIComponent(row.kioskId));
  await axe(page);

  // A citizen at the tablet rates the unit: stored as a kiosk response.
  const res = await page.goto(url);
  expect(res!.status()).toBe(200);
  await hydrated(page);
  await expect(page.locator('input[name="visit"]')).toHaveCount(1);
  await answerRequired(page, "4");
  await page.getByRole("button", { name: lookup(en, "survey.submit")! }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(lookup(en, "thanks.savedTitle")!);
  expect(latestResponse(db, "C05")!.channel).toBe("kiosk");

  // Revoking asks for a reason first.
  await page.goto(distribution);
  await hydrated(page);
  await card.getByText(`Revoke “${label}”…`).click();
  await card.getByRole("button", { name: "Revoke this link" }).click();
  const reason = card.getByLabel("Reason for revoking");
  await expect(reason).toHaveAttribute("aria-invalid", "true");
  await expect(card.locator(".field-error")).toContainText("2 to 200 characters");
  await reason.fill("Tablet taken out of the hall");
  await card.getByRole("button", { name: "Revoke this link" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Tablet link “${label}” revoked.` })).toBeVisible();
  await expect(card.locator(".kiosk-link.revoked")).toContainText(label);
  await expect(card.getByRole("textbox", { name: `Tablet link “${label}”` })).toHaveCount(0);

  // The same link is now refused.
  const refused = await page.goto(url);
  expect(refused!.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(lookup(en, "status.bad_kiosk.title")!);

  const audit = db.prepare(`SELECT action, note FROM AuditEvent WHERE targetType = 'kiosk_link' AND targetId = ? ORDER BY id`).all(String(row.id));
  expect(audit).toEqual([
    { action: "kiosk.create", note: label },
    { action: "kiosk.revoke", note: "Tablet taken out of the hall" },
  ]);
});

test("a tablet link of a unit the survey no longer applies to is listed apart and can still be revoked", async ({ page, db }) => {
  const code = `X${unique().toUpperCase().replace(/[^A-Z0-9]/g, "").slice(0, 6)}`;
  const now = new Date().toISOString().replace("Z", "+00:00");
  const region = db.prepare(`SELECT id FROM Unit WHERE code = 'REG'`).get() as { id: number };
  const unitId = Number(
    db
      .prepare(`INSERT INTO Unit (code, kind, parentId, names, sortOrder, active, createdAt, updatedAt) VALUES (?, 'department', ?, ?, 99, 0, ?, ?)`)
      .run(code, region.id, JSON.stringify({ "zh-Hans": "旧档案馆", ug: "كونا ئارخىپخانا", en: `Old Archives ${code}`, kk: "ەسكى مۇراعات" }), now, now).lastInsertRowid,
  );
  const survey = db.prepare(`SELECT id FROM Survey WHERE slug = 'satisfaction-2026'`).get() as { id: number };
  const label = `Old hall tablet ${code}`;
  db.prepare(`INSERT INTO KioskLink (surveyId, unitId, kioskId, label, createdAt) VALUES (?, ?, ?, ?, ?)`).run(survey.id, unitId, `old-${code}`, label, now);

  await signInOffice(page, db, "en");
  await page.goto(distribution);
  await hydrated(page);
  const outside = page.getByRole("region", { name: "Tablet links of units outside this survey" });
  await expect(outside).toContainText(`Old Archives ${code}`);
  await expect(page.locator(`#unit-${code}`)).toHaveCount(0);
  await outside.getByText(`Revoke “${label}”…`).click();
  await outside.getByLabel("Reason for revoking").fill("The unit was closed");
  await outside.getByRole("button", { name: "Revoke this link" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Tablet link “${label}” revoked.` })).toBeVisible();
  expect((db.prepare(`SELECT revokedAt FROM KioskLink WHERE kioskId = ?`).get(`old-${code}`) as { revokedAt: string | null }).revokedAt).not.toBeNull();
  await expect(outside).toHaveCount(0);
});
