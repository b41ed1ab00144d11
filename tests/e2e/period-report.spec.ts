// The 通报 report of a period (issue 14, docs/decisions/0019): the office closes (freezes) a
// period of its own, opens its report in Chinese and in Uyghur (right to left), and downloads the
// PDF Chromium prints on the server. The PDF is read back (tests/e2e/support/pdf.ts): a PDF, more
// than one page, its title the report's, fonts embedded, and its pages' text holding the ranking
// (each ranked unit's name, in rank order) and the frozen state. The dashboard and the unit page
// mark the same change beyond the interval as the report.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, hydrated, startServer, test } from "./support/fixtures";
import { projectRoot, TEST_SECRET } from "./support/paths";
import { readPdf } from "./support/pdf";
import { createStaff, signIn } from "./support/staff";
import type { TestDb } from "./support/db";

const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");
const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

/**
 * A period of its own (a far year no other test uses), with a survey copied from the demo's and
 * responses loaded straight into the database, then its tallies rebuilt by the operator's command.
 * `grades` gives, per unit code, how many responses and the grade of every five-grade answer.
 */
function addPeriod(server: { dbFile: string }, db: TestDb, code: string, year: number, names: Record<string, string>, grades: Record<string, [number, number]>) {
  const now = iso(new Date());
  const periodId = Number(
    db
      .prepare(`INSERT INTO EvaluationPeriod (code, names, startsOn, endsOn, status, createdAt, updatedAt) VALUES (?, ?, ?, ?, 'open', ?, ?)`)
      .run(code, JSON.stringify(names), iso(new Date(`${year}-01-01T00:00:00+08:00`)), iso(new Date(`${year}-12-31T23:59:59.999+08:00`)), now, now).lastInsertRowid,
  );
  const demo = db.prepare(`SELECT s.id, s.titles, v.id AS versionId FROM Survey s JOIN SurveyVersion v ON v.surveyId = s.id AND v.version = s.currentVersion WHERE s.slug = 'satisfaction-2026'`).get() as {
    id: number;
    titles: string;
    versionId: number;
  };
  const surveyId = Number(
    db
      .prepare(`INSERT INTO Survey (slug, periodId, status, currentVersion, titles, targetMode, repeatWindowHours, minSeconds, kioskEnabled, createdAt, updatedAt) VALUES (?, ?, 'closed', 1, ?, 'all', 24, 0, 1, ?, ?)`)
      .run(`report-${code.toLowerCase()}`, periodId, demo.titles, now, now).lastInsertRowid,
  );
  const versionId = Number(db.prepare(`INSERT INTO SurveyVersion (surveyId, version, publishedAt, createdAt) VALUES (?, 1, ?, ?)`).run(surveyId, now, now).lastInsertRowid);
  db.prepare(
    `INSERT INTO Question (surveyVersionId, key, kind, required, position, allowNa, texts, helps, options, maxLength, condition, step)
     SELECT ?, key, kind, required, position, allowNa, texts, helps, options, maxLength, condition, step FROM Question WHERE surveyVersionId = ?`,
  ).run(versionId, demo.versionId);
  const questions = db.prepare(`SELECT id, kind FROM Question WHERE surveyVersionId = ?`).all(versionId) as { id: number; kind: string }[];
  const insertResponse = db.prepare(`INSERT INTO Response (surveyId, surveyVersionId, periodId, unitId, lang, channel, startedAt, submittedAt) VALUES (?, ?, ?, ?, 'zh-Hans', 'qr', ?, ?)`);
  const insertAnswer = db.prepare(`INSERT INTO Answer (responseId, questionId, grade, notApplicable) VALUES (?, ?, ?, 0)`);
  db.transaction(() => {
    for (const [unitCode, [count, grade]] of Object.entries(grades)) {
      const unitId = (db.prepare(`SELECT id FROM Unit WHERE code = ?`).get(unitCode) as { id: number }).id;
      for (let i = 0; i < count; i++) {
        const at = new Date(Date.UTC(year, i % 12, 1 + (i % 27), 3, i));
        const id = Number(insertResponse.run(surveyId, versionId, periodId, unitId, iso(new Date(at.getTime() - 90_000)), iso(at)).lastInsertRowid);
        // Each unit's grade, with every fourth response one lower: an interval that is not a point.
        for (const q of questions) if (q.kind === "grade_core" || q.kind === "grade_diagnostic") insertAnswer.run(id, q.id, i % 4 === 0 ? Math.max(1, grade - 1) : grade);
      }
    }
  })();
  execFileSync(path.join(projectRoot, "node_modules/.bin/tsx"), ["scripts/scores-audit.ts", "--period", code, "--rebuild"], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: `file:${server.dbFile}`, SESSION_SECRET: TEST_SECRET },
    stdio: "pipe",
  });
  return periodId;
}

const unitName = (db: TestDb, code: string, lng: string) => (JSON.parse((db.prepare(`SELECT names FROM Unit WHERE code = ?`).get(code) as { names: string }).names) as Record<string, string>)[lng]!;

test("the office freezes a period, reads its report in zh and ug, and downloads the PDF with the ranking", async ({ page, db, server, axe, consoleErrors }) => {
  test.setTimeout(120_000);
  const tag = unique();
  const year = 2100 + Math.floor(Math.random() * 800);
  const before = `RB${tag}`.slice(0, 20);
  const code = `RP${tag}`.slice(0, 20);
  // The previous period: C01 poorly rated (S 30 and below), C02 well.
  addPeriod(server, db, before, year - 1, { "zh-Hans": `${year - 1}年度通报试行`, ug: `${year - 1}-يىللىق سىناق`, kk: `${year - 1} جىلعى سىناق`, en: `Report trial ${year - 1}` }, { C01: [40, 2], C02: [40, 4] });
  // This period: C01 now very satisfied (up beyond its interval), C02 middling (below the
  // threshold of 60), C03 too few responses, D01 ranked among the departments.
  addPeriod(server, db, code, year, { "zh-Hans": `${year}年度通报试行`, ug: `${year}-يىللىق سىناق`, kk: `${year} جىلعى سىناق`, en: `Report trial ${year}` }, { C01: [45, 5], C02: [40, 3], C03: [5, 4], D01: [35, 4] });

  const office = await createStaff(db, { username: `office.report.${tag}`, role: "office" });
  await signIn(page, office, "zh-Hans");

  // Live first: the report says the figures are not frozen.
  await page.goto(`/staff/periods/${code}/report?lng=zh-Hans`);
  await expect(page.locator("#report-state")).toContainText("实时数字，未冻结");

  // The office closes the period from its page (a confirmation step first).
  await page.goto(`/staff/periods/${code}?lng=zh-Hans`);
  await hydrated(page);
  await page.locator("form:has(input[name=intent][value=close]) button[type=submit]").click();
  await page.locator("#confirm-step button[type=submit]").click();
  await expect.poll(() => db.prepare(`SELECT status FROM EvaluationPeriod WHERE code = ?`).pluck().get(code)).toBe("closed");
  const snapshotId = db.prepare(`SELECT s.id FROM ScoreSnapshot s JOIN EvaluationPeriod p ON p.id = s.periodId WHERE p.code = ? AND s.kind = 'close'`).pluck().get(code) as number;
  expect(snapshotId).toBeGreaterThan(0);
  const frozen = (unit: string) => {
    const row = db
      .prepare(`SELECT r.figures FROM ScoreSnapshotRow r JOIN Unit u ON u.id = r.unitId WHERE r.snapshotId = ? AND u.code = ?`)
      .pluck()
      .get(snapshotId, unit) as string;
    return JSON.parse(row) as { n: number; s: number; rank: number | null; q: number };
  };
  expect(frozen("C01").rank).toBe(1);

  // The report in Chinese: frozen, from that snapshot, the ranking as frozen, the units named.
  await page.goto(`/staff/periods/${code}/report?lng=zh-Hans`);
  await hydrated(page);
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-Hans");
  await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
  await expect(page.locator("h1")).toHaveText(`${year}年度通报试行群众满意度考评情况通报`);
  await expect(page.locator("#report-state")).toContainText(`快照 #${snapshotId}`);
  const c01 = page.locator("#ranking-county tbody tr[data-unit=C01]");
  await expect(c01.locator("td").first()).toHaveText("1");
  await expect(c01.locator("td").nth(2)).toHaveText(frozen("C01").s.toFixed(2));
  await expect(c01).toContainText("显著上升");
  await expect(page.locator("#ranking-county tbody tr[data-unit=C03] td").first()).toHaveText("—");
  await expect(page.locator("#flagged tr[data-unit=C02]")).toContainText("低于提示线");
  await expect(page.locator("#flagged tr[data-unit=C03]")).toContainText("样本不足");
  await expect(page.locator("#flagged tr[data-unit=C01]")).toHaveCount(0);
  await expect(page.locator("#changes tr[data-unit=C01]")).toContainText("显著上升");
  await expect(page.locator("#report-ranking-county ~ figure.chart svg, #ranking-county ~ figure.chart svg").first()).toBeVisible();
  await expect(page.locator("#report-pdf")).toHaveText("下载 PDF");
  await axe(page);

  // In Uyghur: right to left, translated, the same ranking.
  await page.goto(`/staff/periods/${code}/report?lng=ug`);
  await hydrated(page);
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.locator("html")).toHaveAttribute("lang", "ug");
  await expect(page.locator("h1")).toContainText("ئاممىنىڭ رازىلىقىنى باھالاش ئەھۋالى ئۇقتۇرۇشى");
  await expect(page.locator("#ranking-county tbody tr[data-unit=C01] th")).toHaveText(unitName(db, "C01", "ug"));
  await expect(page.locator("#ranking-county tbody tr[data-unit=C01]")).toContainText("كۆرۈنەرلىك ئۆستى");
  await axe(page);

  // The PDF of the Uyghur report, printed on the server.
  const download = page.waitForEvent("download");
  await page.locator("#report-pdf").click();
  const file = await (await download).path();
  const pdf = readPdf(fs.readFileSync(file!));
  expect(pdf.isPdf).toBe(true);
  expect(pdf.pages).toBeGreaterThan(1);
  expect(pdf.title).toBe(`${year}-يىللىق سىناق ئاممىنىڭ رازىلىقىنى باھالاش ئەھۋالى ئۇقتۇرۇشى`);
  expect(pdf.embeddedFonts).toBeGreaterThan(0);

  // The same in Chinese, fetched with the office's session: its text holds the ranking in order.
  const response = await page.request.get(`/staff/periods/${code}/report.pdf?lng=zh-Hans`);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("application/pdf");
  const zh = readPdf(await response.body());
  expect(zh.title).toBe(`${year}年度通报试行群众满意度考评情况通报`);
  // The title page alone on the first page; then the ranking.
  expect(zh.pageTexts[0]).toContain("冻结数字");
  expect(zh.pageTexts[0]).not.toContain(unitName(db, "C01", "zh-Hans"));
  const all = zh.pageTexts.join("\n").replace(/\s+/g, "");
  // Counties ranked C01 then C02 (C03 is not ranked), then the departments with D01.
  expect([frozen("C01").rank, frozen("C02").rank, frozen("D01").rank]).toEqual([1, 2, 1]);
  const at = (unit: string) => all.indexOf(unitName(db, unit, "zh-Hans").replace(/\s+/g, ""));
  expect(at("C01")).toBeGreaterThan(0);
  expect(at("C02")).toBeGreaterThan(at("C01"));
  expect(at("D01")).toBeGreaterThan(at("C02"));
  expect(all).toContain("显著上升");

  // Someone without the office's role gets no report.
  const head = await createStaff(db, { username: `head.report.${tag}`, role: "unit_head", unit: "C01" });
  await page.context().clearCookies();
  await signIn(page, head, "zh-Hans");
  expect((await page.request.get(`/staff/periods/${code}/report.pdf`)).status()).toBe(403);

  // The dashboard and the unit page mark the same change, by the same rule.
  await page.context().clearCookies();
  await signIn(page, office, "zh-Hans");
  await page.goto(`/staff/scores?period=${code}&kind=county&lng=zh-Hans`);
  await expect(page.locator("table.scores tbody tr").filter({ hasText: unitName(db, "C01", "zh-Hans") }).locator(".score-change")).toContainText("显著上升");
  await expect(page.locator("#score-change-note")).toContainText(`${year - 1}年度通报试行`);
  await page.goto(`/staff/scores/C01?period=${code}&lng=zh-Hans`);
  await expect(page.locator("#score-change")).toContainText("显著上升");
  void consoleErrors;
});

// A server without a Chromium (CHROMIUM_PATH names none): the report says to print from the
// browser, and the PDF's address answers a translated 503 page, never an error of the server.
test("without a Chromium the report says to print from the browser, and the PDF answers a translated 503", async ({ browser }, testInfo) => {
  test.setTimeout(60_000);
  const server = await startServer(`no-chromium-${testInfo.parallelIndex}-${testInfo.project.name}`, { CHROMIUM_PATH: "/nonexistent/chromium" }, { mail: false });
  const db = new Database(server.dbFile);
  db.pragma("busy_timeout = 5000");
  try {
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    await signIn(page, await createStaff(db, { username: `report.nochromium.${unique()}`, role: "office" }));
    await page.goto("/staff/periods/2026/report?lng=en");
    await expect(page.getByText("Download unavailable: this server cannot make a PDF. Print from the browser (it can save as PDF).")).toBeVisible();
    const pdf = await page.goto("/staff/periods/2026/report.pdf?lng=zh-Hans");
    expect(pdf!.status()).toBe(503);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(JSON.parse(fs.readFileSync(path.join(projectRoot, "locales/zh-Hans/common.json"), "utf8")).report.pdfUnavailablePage.title);
    await context.close();
  } finally {
    db.close();
    server.stop();
  }
});
