// Public results (issue 14, docs/decisions/0020): the office publishes a closed period from its
// page, a citizen on a phone reads the results and a unit's page without JavaScript (in Uyghur,
// right to left), and a period that is not published, or was withdrawn, shows nowhere public:
// not on the pages, not in the sitemap, not in the API without a token.
import { randomBytes } from "node:crypto";
import { type Browser, devices } from "@playwright/test";
import type { TestDb } from "./support/db";
import { expect, test } from "./support/fixtures";
import { createStaff, signIn } from "./support/staff";

const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");

interface Figure {
  unit: string;
  n: number;
  s: number;
  ciLow: number;
  ciHigh: number;
  t: number | null;
  rank: number | null;
}

/** A closed period of its own with its close snapshot, written straight into the worker's database. */
function addClosedPeriod(db: TestDb, code: string, name: string, year: number, figures: Figure[]): { periodId: number; snapshotId: number } {
  const now = iso(new Date());
  const periodId = Number(
    db
      .prepare(`INSERT INTO EvaluationPeriod (code, names, startsOn, endsOn, status, closedAt, createdAt, updatedAt) VALUES (?, ?, ?, ?, 'closed', ?, ?, ?)`)
      .run(
        code,
        JSON.stringify({ "zh-Hans": name, ug: name, kk: name, en: name }),
        `${year}-01-01T00:00:00.000+00:00`,
        `${year}-12-31T00:00:00.000+00:00`,
        now,
        now,
        now,
      ).lastInsertRowid,
  );
  const snapshotId = Number(
    db
      .prepare(`INSERT INTO ScoreSnapshot (periodId, kind, label, methodVersion, params, exclusions, createdAt) VALUES (?, 'close', ?, '2026.3', '{}', ?, ?)`)
      .run(periodId, code, JSON.stringify({ total: figures.reduce((n, f) => n + f.n, 0) }), now).lastInsertRowid,
  );
  for (const f of figures) {
    const unit = db.prepare(`SELECT id, kind FROM Unit WHERE code = ?`).get(f.unit) as { id: number; kind: string };
    const figure = {
      unitId: unit.id,
      kind: unit.kind,
      n: f.n,
      s: f.s,
      sd: 10,
      ciLow: f.ciLow,
      ciHigh: f.ciHigh,
      due: 10,
      onTime: f.t === null ? 0 : Math.round(f.t / 10),
      late: f.t === null ? 0 : 10 - Math.round(f.t / 10),
      pending: 0,
      ratings: 0,
      assumedRatings: 0,
      excludedRatings: 0,
      t: f.t,
      h: null,
      c: f.t,
      q: f.s,
      points: f.s / 5,
      rank: f.rank,
      flags: f.rank === null ? ["insufficient_sample"] : [],
      exclusions: {},
      byChannel: {},
    };
    db.prepare(`INSERT INTO ScoreSnapshotRow (snapshotId, unitId, figures) VALUES (?, ?, ?)`).run(snapshotId, unit.id, JSON.stringify(figure));
  }
  return { periodId, snapshotId };
}

/** A citizen's phone without JavaScript. */
async function phone(browser: Browser, baseURL: string) {
  const { defaultBrowserType: _type, ...pixel7 } = devices["Pixel 7"];
  return browser.newContext({ ...pixel7, javaScriptEnabled: false, baseURL });
}

function unitName(db: TestDb, code: string, lng: string): string {
  const names = JSON.parse(
    (
      db.prepare(`SELECT names FROM Unit WHERE code = ?`).get(code) as {
        names: string;
      }
    ).names,
  ) as Record<string, string>;
  return names[lng] ?? names["zh-Hans"]!;
}

test("the office publishes a closed period; a citizen's phone shows it without JavaScript in Uyghur; withdrawing hides it", async ({
  page,
  db,
  server,
  browser,
}) => {
  const tag = randomBytes(3).toString("hex").toUpperCase();
  const code = `PUB${tag}`;
  const name = `Published ${tag}`;
  const { periodId, snapshotId } = addClosedPeriod(db, code, name, 2040, [
    {
      unit: "C03",
      n: 64,
      s: 87.65,
      ciLow: 84.12,
      ciHigh: 91.18,
      t: 90,
      rank: 1,
    },
    {
      unit: "C04",
      n: 12,
      s: 55.5,
      ciLow: 40.01,
      ciHigh: 70.99,
      t: null,
      rank: null,
    },
    { unit: "D12", n: 41, s: 78.9, ciLow: 75.3, ciHigh: 82.5, t: 70, rank: 1 },
  ]);
  await createStaff(db, { username: `pub.office.${tag.toLowerCase()}`, role: "office" });
  await signIn(page, `pub.office.${tag.toLowerCase()}`);

  // Not yet published: nothing public.
  const citizen = await phone(browser, server.url);
  const mobile = await citizen.newPage();
  expect((await mobile.goto(`/results?period=${code}`))!.status()).toBe(404);

  await page.goto(`/staff/periods/${code}?lng=en`);
  await expect(page.locator("#publication-state")).toHaveText("Not published.");
  await page.getByRole("button", { name: `Publish snapshot #${snapshotId}` }).click();
  await expect(page.locator("#publication-state")).toContainText(`Snapshot #${snapshotId} published on`);
  const stored = db.prepare(`SELECT snapshotId, publishedById, withdrawnAt FROM PeriodPublication WHERE periodId = ?`).all(periodId) as {
    snapshotId: number;
    withdrawnAt: string | null;
  }[];
  expect(stored).toEqual([expect.objectContaining({ snapshotId, withdrawnAt: null })]);
  expect(db.prepare(`SELECT COUNT(*) FROM AuditEvent WHERE action = 'period.publish' AND targetId = ?`).pluck().get(String(periodId))).toBe(1);
  await expect(page.locator("#trail-title ~ ul")).toContainText("Results published");

  // The citizen, in Uyghur, on a phone, without scripts.
  const response = await mobile.goto(`/results?period=${code}&lng=ug`);
  expect(response!.status()).toBe(200);
  expect(response!.headers()["cache-control"]).toMatch(/max-age=60/);
  await expect(mobile.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(mobile.locator("script")).toHaveCount(0);
  await expect(mobile.getByRole("heading", { level: 1 })).toHaveText("ئاشكارا باھالاش نەتىجىلىرى");
  await expect(mobile.locator(".period-name")).toHaveText(name);
  const c03 = mobile.locator(".result-card", {
    has: mobile.getByRole("link", { name: unitName(db, "C03", "ug") }),
  });
  await expect(c03.locator(".rank")).toHaveText("1-ئورۇن");
  await expect(c03.locator(".figure")).toHaveText("87.65");
  await expect(c03).toContainText("84.12 – 91.18");
  await expect(c03).toContainText("64");
  await expect(c03).toContainText("90.00%");
  const c04 = mobile.locator(".result-card", {
    has: mobile.getByRole("link", { name: unitName(db, "C04", "ug") }),
  });
  await expect(c04.locator(".rank")).toHaveText("رەتسىز");
  await expect(c04.locator(".flag")).toBeVisible();
  await expect(mobile.getByRole("link", { name: "بۇ سانلار قانداق ھېسابلانغان" })).toHaveAttribute("href", "/method");
  await expect(mobile.locator(".method-line").first()).toContainText("2026.3");
  // Phone first: the page is no wider than the screen.
  expect(await mobile.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

  // The unit's page, from its link.
  await c03.getByRole("link", { name: unitName(db, "C03", "ug") }).click();
  await expect(mobile).toHaveURL(/\/units\/C03$/);
  await expect(mobile.getByRole("heading", { level: 1 })).toHaveText(unitName(db, "C03", "ug"));
  await expect(mobile.locator(".trend-table")).toContainText(name);
  await expect(mobile.locator(".facts .figure")).toHaveText("87.65");
  expect(await mobile.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  // The method page in the same language.
  await mobile.goto("/method");
  await expect(mobile.getByRole("heading", { level: 1 })).toHaveText("رازىمەنلىك نومۇرى قانداق چىقىرىلىدۇ");
  await expect(mobile.locator("#method-version")).toContainText("2026.3");
  const sitemap = await (await mobile.request.get("/sitemap.xml")).text();
  expect(sitemap).toContain(`/results?period=${code}</loc>`);
  expect(sitemap).toContain("/units/C03</loc>");

  // Withdrawn: a reason is needed, then it is gone from every public page.
  await page.goto(`/staff/periods/${code}?lng=en`);
  await page.getByRole("button", { name: "Withdraw from the public pages" }).click();
  await expect(page.locator("#withdrawReason-error")).toBeVisible();
  await page.getByLabel("Reason for withdrawing").fill("Figures under review");
  await page.getByRole("button", { name: "Withdraw from the public pages" }).click();
  await expect(page.locator("#publication-state")).toContainText("Withdrawn on");
  expect(db.prepare(`SELECT note FROM AuditEvent WHERE action = 'period.withdraw' AND targetId = ?`).pluck().get(String(periodId))).toBe(
    "Figures under review",
  );
  // The pages may be kept a minute by a browser that saw them (docs/decisions/0020): a citizen
  // opening them now, with an empty cache, no longer finds the period.
  await citizen.close();
  const later = await (await phone(browser, server.url)).newPage();
  expect((await later.goto(`/results?period=${code}`))!.status()).toBe(404);
  await later.goto("/units/C03");
  await expect(later.getByRole("heading", { level: 1 })).toHaveText(unitName(db, "C03", "zh-Hans"));
  expect(await later.content()).not.toContain(name);
  expect(await (await later.request.get("/sitemap.xml")).text()).not.toContain(code);
  await later.context().close();
});

test("a period that is not published shows on no public page, in no sitemap and not in the API without a token", async ({ request, db }) => {
  const tag = randomBytes(3).toString("hex").toUpperCase();
  const code = `HID${tag}`;
  const name = `Hidden ${tag}`;
  const { periodId } = addClosedPeriod(db, code, name, 2041, [
    {
      unit: "C05",
      n: 77,
      s: 43.21,
      ciLow: 40.02,
      ciHigh: 46.4,
      t: 12.34,
      rank: 1,
    },
  ]);
  const secrets = [name, code, "43.21", "46.40", "12.34"];
  const pages = ["/results", `/results?lng=en`, "/units/C05", "/units/C05?lng=en", "/method", "/sitemap.xml", "/u/C05", "/", "/api/v1/units"];
  for (const path of pages) {
    const res = await request.get(path, { maxRedirects: 0 });
    expect(res.status(), path).toBeLessThan(400);
    const body = await res.text();
    for (const s of secrets) expect(body, `${path} shows ${s}`).not.toContain(s);
  }
  expect((await request.get(`/results?period=${code}`)).status()).toBe(404);
  for (const path of ["/api/v1/periods", `/api/v1/periods/${periodId}/scores`, `/api/v1/periods/${code}/scores?format=csv`]) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(401);
    const body = await res.text();
    for (const s of secrets) expect(body, `${path} shows ${s}`).not.toContain(s);
  }
});

test("the public pages pass axe, in Uyghur and Chinese", async ({ page, db, axe }) => {
  const tag = randomBytes(3).toString("hex").toUpperCase();
  const earlier = addClosedPeriod(db, `AXA${tag}`, `Axe A ${tag}`, 2030, [{ unit: "C02", n: 40, s: 71.2, ciLow: 68, ciHigh: 74.4, t: 80, rank: 1 }]);
  const later = addClosedPeriod(db, `AXB${tag}`, `Axe B ${tag}`, 2031, [
    { unit: "C02", n: 45, s: 75.5, ciLow: 72.1, ciHigh: 78.9, t: null, rank: 1 },
    { unit: "D12", n: 9, s: 60, ciLow: 50, ciHigh: 70, t: 50, rank: null },
  ]);
  for (const p of [earlier, later]) {
    db.prepare(`INSERT INTO PeriodPublication (periodId, snapshotId, publishedAt) VALUES (?, ?, ?)`).run(p.periodId, p.snapshotId, iso(new Date()));
  }
  for (const lng of ["ug", "zh-Hans"]) {
    for (const path of [`/results?period=AXB${tag}&lng=${lng}`, `/units/C02?lng=${lng}`, `/method?lng=${lng}`]) {
      await page.goto(path);
      await axe(page);
    }
  }
  // Both published periods of C02, oldest first, in the trend's table and the chart.
  await page.goto("/units/C02?lng=en");
  const rows = await page.locator(".trend-table tbody th").allTextContents();
  expect(rows.indexOf(`Axe A ${tag}`)).toBeGreaterThanOrEqual(0);
  expect(rows.indexOf(`Axe B ${tag}`)).toBeGreaterThan(rows.indexOf(`Axe A ${tag}`));
  await expect(page.locator(".public-trend svg circle")).toHaveCount(rows.length);
});
