import fs from "node:fs";
import { expect, test } from "./support/fixtures";
import { loadResponses } from "./support/scores";
import { createStaff, signIn } from "./support/staff";
import type { TestDb } from "./support/db";

const unique = () => Math.random().toString(36).slice(2, 8);
const rowOf = (page: import("@playwright/test").Page, unitName: string) => page.locator("table.scores tbody tr").filter({ hasText: unitName });

/** Every unit but the region is scored (other tests in the same worker may have added units). */
function scoredUnitCount(db: TestDb): number {
  return (db.prepare(`SELECT COUNT(*) AS n FROM Unit WHERE kind <> 'region'`).get() as { n: number }).n;
}

test("the office sees the dashboard in zh and ug, downloads the CSV, and moderates a unit's comment and response", async ({ page, db, server, axe, consoleErrors }) => {
  // 40 responses of D05 (人力资源和社会保障局, a department no other test touches), every item "satisfied" (80 points): S = 80, interval 80–80.
  const [withComment] = loadResponses(server, db, "D05", 40, 4, `态度很好 ${unique()}`);
  const office = await createStaff(db, { username: `office.${unique()}`, role: "office" });

  await signIn(page, office, "zh-Hans");
  await page.getByRole("link", { name: "满意度得分" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("满意度得分");
  await expect(page.getByRole("note")).toContainText("实时数字");
  // It opens on counties and cities (ranks are within a kind); the office switches to departments.
  await expect(page.locator("table.scores")).toContainText("南山县");
  await page.getByLabel("单位类别").selectOption("department");
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(/kind=department/);
  const row = rowOf(page, "人力资源和社会保障局");
  await expect(row.locator("td").nth(1)).toHaveText("40");
  await expect(row.locator("td").nth(2)).toHaveText("80.00");
  await expect(row.locator("td").nth(3)).toHaveText("80.00 – 80.00");
  // Q = S without complaints; points = 80 / 100 × 20.
  await expect(row.locator("td").nth(7)).toHaveText("80.00");
  await expect(row.locator("td").nth(8)).toHaveText("16.00");
  await expect(row.locator("td").first()).toHaveText("1");
  // n and S by channel: these 40 responses came by QR code.
  const byChannel = page.locator("#channel-table tr", { hasText: "人力资源和社会保障局" });
  await expect(byChannel.locator("td")).toHaveText(["0", "—", "40", "80.00", "0", "—", "0", "—"]);
  await expect(page.locator("figure")).toHaveCount(4);
  await expect(page.locator("figure svg.recharts-surface").first()).toBeVisible();
  await axe(page);

  // Filter by kind, then right-to-left in Uyghur.
  await page.goto("/staff/scores?kind=county&lng=ug");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("رازىمەنلىك نومۇرى");
  await expect(page.locator("table.scores")).not.toContainText("ئادەم كۈچى بايلىقى");
  await axe(page);

  // The CSV: UTF-8 with a byte order mark, one row per unit, the live snapshot marker.
  await page.goto("/staff/scores?kind=department&lng=zh-Hans");
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "下载得分（CSV）" }).first().click();
  const download = await downloading;
  const csv = fs.readFileSync((await download.path())!, "utf8");
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const lines = csv.slice(1).trim().split(/\r?\n/);
  expect(lines[0]).toBe("unit_code,name_zh-Hans,name_ug,name_en,name_kk,kind,n,s,s_ci_low,s_ci_high,c,t,h,ratings,assumed_ratings,excluded_ratings,q,points,rank,flags,n_link,s_link,n_qr,s_qr,n_kiosk,s_kiosk,n_verified,s_verified,snapshot_id");
  expect(lines.find((l) => l.startsWith("D05,"))).toMatch(/^D05,人力资源和社会保障局,.*,department,40,80,80,80,,,,0,0,0,80,16,1,no_complaints,0,,40,80,0,,0,,live$/);
  expect(lines).toHaveLength(1 + scoredUnitCount(db));

  // The anonymised raw responses: no device, network or free text; why each one counts or not.
  const raw = await page.request.get("/staff/periods/2026/responses.csv");
  expect(raw.headers()["content-disposition"]).toBe('attachment; filename="responses-2026.csv"');
  const rawLines = (await raw.text()).replace(/^\uFEFF/, "").trim().split(/\r?\n/);
  expect(rawLines[0]).toBe("response_id,survey,version,unit_code,unit_kind,channel,lang,submitted_on,seconds,sent_after_seconds,flags,counted,exclusion,efficiency,attitude,transparency,integrity,overall,guidance,facilities,visits,channels");
  expect(rawLines.filter((l) => /,D05,department,qr,zh-Hans,2026-06-\d\d,90,,,yes,,4,4,4,4,4,4,4,,$/.test(l))).toHaveLength(40);
  expect(await raw.text()).not.toContain("态度很好");

  // The unit's own page: the office hides the comment and excludes its response, with reasons.
  await rowOf(page, "人力资源和社会保障局").getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("人力资源和社会保障局");
  const comment = page.locator(".comment").first();
  await comment.getByRole("button", { name: "隐藏留言" }).click();
  await expect(page.locator(".error-summary, .field-error").first()).toBeVisible(); // a reason is required
  await page.locator(`#hide_comment-${db.prepare(`SELECT id FROM Answer WHERE responseId = ? AND text IS NOT NULL`).pluck().get(withComment)}`).fill("辱骂性语言");
  await page.locator(".comment").first().getByRole("button", { name: "隐藏留言" }).click();
  await expect(page.locator(".comment").first()).toContainText("已被绩效办隐藏：辱骂性语言");
  await page.locator(`#exclude_response-${withComment}`).fill("同一人重复填写");
  await page.locator(".comment").first().getByRole("button", { name: "将该答卷排除出得分" }).click();
  await expect(page.getByRole("status")).toHaveText("已保存。");
  await page.goto("/staff/scores?kind=all&lng=zh-Hans");
  await expect(rowOf(page, "人力资源和社会保障局").locator("td").nth(1)).toHaveText("39");
  // The region's count: other tests in this worker (the anomalies review) exclude responses too.
  const excluded = db.prepare(`SELECT COUNT(*) FROM ResponseFlag WHERE flag = 'excluded'`).pluck().get() as number;
  expect(excluded).toBeGreaterThanOrEqual(1);
  await expect(page.getByText(`绩效办排除: ${excluded}`)).toBeVisible();
  const flag = db.prepare(`SELECT note FROM ResponseFlag WHERE responseId = ? AND flag = 'excluded'`).get(withComment) as { note: string };
  expect(flag.note).toBe("同一人重复填写");
  const audit = db.prepare(`SELECT action FROM AuditEvent WHERE targetId IN (?, ?) ORDER BY id`).pluck().all(String(withComment), String(db.prepare(`SELECT id FROM Answer WHERE responseId = ? AND text IS NOT NULL`).pluck().get(withComment)));
  expect(audit).toEqual(expect.arrayContaining(["comment.hide", "response.exclude"]));
  expect(consoleErrors).toEqual([]); // charts hydrate without errors, the CSP lets them draw
});

test("a unit head sees only their own unit's satisfaction page, without moderation", async ({ page, db, server, consoleErrors }) => {
  loadResponses(server, db, "C02", 5, 5, `不错 ${unique()}`);
  const head = await createStaff(db, { username: `c02.head.${unique()}`, role: "unit_head", unit: "C02" });
  await signIn(page, head, "en");
  await page.getByRole("link", { name: "Our scores (C02)" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Nanshan County");
  await expect(page.getByText("insufficient sample", { exact: false }).first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Hide the comment" })).toHaveCount(0);
  for (const url of ["/staff/scores", "/staff/scores/C03", "/staff/periods", "/staff/tokens", "/staff/periods/2026/scores.csv", "/staff/periods/2026/responses.csv"]) {
    const res = await page.goto(url);
    expect(res!.status(), url).toBe(403);
  }
  // Moderation is the office's: a head's post is refused.
  const res = await page.request.post("/staff/scores/C02", { form: { intent: "exclude_response", id: "1", reason: "not mine to do" }, headers: { Origin: new URL(page.url()).origin } });
  expect(res.status()).toBe(403);
  expect(consoleErrors).toEqual([]);
});

test("the scores API answers a valid token, refuses a missing or revoked one, and logs every call", async ({ page, db, request }) => {
  const office = await createStaff(db, { username: `office.${unique()}`, role: "office" });
  await signIn(page, office, "en");
  await page.goto("/staff/tokens?lng=en");
  await page.getByRole("button", { name: "Create the token" }).click();
  await expect(page.locator(".field-error")).toHaveText("Please name the system (2 to 100 characters).");
  const name = `evaluation system ${unique()}`;
  await page.getByLabel("Name of the system using it").fill(name);
  await page.getByRole("button", { name: "Create the token" }).click();
  const token = (await page.locator("code.token").textContent())!.trim();
  expect(token).toMatch(/^cst_[A-Za-z0-9_-]{40}$/);
  expect(db.prepare(`SELECT COUNT(*) FROM ApiToken WHERE tokenHash LIKE ?`).pluck().get(`%${token}%`)).toBe(0); // never stored in clear

  const auth = { Authorization: `Bearer ${token}` };
  const periods = await request.get("/api/v1/periods", { headers: auth });
  expect(periods.status()).toBe(200);
  const body = (await periods.json()) as { periods: { id: number; code: string; status: string; snapshotId: number | null }[] };
  const p2026 = body.periods.find((p) => p.code === "2026")!;
  expect(p2026).toMatchObject({ status: "open", snapshotId: null });

  const scores = await request.get(`/api/v1/periods/${p2026.id}/scores`, { headers: auth });
  expect(scores.status()).toBe(200);
  const json = (await scores.json()) as { source: string; snapshot: null; methodVersion: string; rows: { unitCode: string; kind: string; snapshotId: number | null }[] };
  expect(json.source).toBe("live");
  expect(json.snapshot).toBeNull();
  expect(json.methodVersion).toBe("2026.3");
  expect(json.rows).toHaveLength(scoredUnitCount(db));
  expect(json.rows[0]).toMatchObject({ kind: "county", snapshotId: null });
  // n and S by channel, every channel named.
  for (const row of json.rows as unknown as { byChannel: Record<string, { n: number }> }[]) {
    expect(Object.keys(row.byChannel)).toEqual(["link", "qr", "kiosk", "verified"]);
  }

  const csv = await request.get(`/api/v1/periods/2026/scores?format=csv`, { headers: auth });
  expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect((await csv.body()).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));

  const missing = await request.get("/api/v1/periods");
  expect(missing.status()).toBe(401);
  expect(await missing.json()).toEqual({ error: { code: "missing_token", message: expect.any(String) } });
  const wrong = await request.get("/api/v1/periods", { headers: { Authorization: "Bearer cst_wrong" } });
  expect((await wrong.json()).error.code).toBe("invalid_token");

  await page.reload();
  await page.getByRole("button", { name: `Revoke the token ${name}` }).click();
  // This token's own row, not any "Revoked" on the page: other tests in the worker revoke theirs.
  await expect(page.locator("table.queue").first().getByRole("row").filter({ hasText: name })).toContainText("Revoked");
  await expect.poll(() => db.prepare(`SELECT revokedAt FROM ApiToken WHERE name = ?`).pluck().get(name)).not.toBeNull();
  const revoked = await request.get("/api/v1/periods", { headers: auth });
  expect(revoked.status()).toBe(401);
  expect((await revoked.json()).error.code).toBe("revoked_token");

  const calls = db.prepare(`SELECT c.status FROM ApiCall c JOIN ApiToken t ON t.id = c.tokenId WHERE t.name = ? ORDER BY c.id`).pluck().all(name);
  expect(calls).toEqual([200, 200, 200, 401]);
  expect(db.prepare(`SELECT COUNT(*) FROM ApiCall WHERE tokenId IS NULL AND status = 401`).pluck().get()).toBeGreaterThanOrEqual(2);
});

test("the office creates, opens and closes a period with its parameters; a correction makes a labelled snapshot", async ({ page, db }) => {
  const office = await createStaff(db, { username: `office.${unique()}`, role: "office" });
  await signIn(page, office, "en");
  await page.goto("/staff/periods?lng=en");
  const code = `T${unique()}`;
  await page.getByLabel("Code").fill(code);
  await page.getByLabel("Name in English").fill("Trial period");
  await page.getByLabel("First day").fill("2027-01-01");
  await page.getByLabel("Last day").fill("2027-12-31");
  await page.getByRole("button", { name: "Create the period" }).click();
  // A name is missing in three languages: the form says so and keeps what was typed.
  await expect(page.locator(".error-summary")).toBeVisible();
  await expect(page.getByLabel("Code")).toHaveValue(code);
  await expect(page.getByLabel("Name in English")).toHaveValue("Trial period");
  await page.getByLabel("Name in 简体中文").fill("试行周期");
  await page.getByLabel("Name in ئۇيغۇرچە").fill("سىناق مەزگىلى");
  await page.getByLabel("Name in قازاقشا").fill("سىناق كەزەڭى");
  await page.getByRole("button", { name: "Create the period" }).click();
  await expect(page).toHaveURL(new RegExp(`/staff/periods/${code}$`));
  await expect(page.locator(".period-status")).toHaveText("Draft");

  // Parameters: a bad weight is refused with the typed values kept.
  await page.getByLabel("Weight of the survey index S in Q (0–1)").fill("1.5");
  await page.getByRole("button", { name: "Save the parameters" }).click();
  await expect(page.locator(".field-error")).toHaveText("A weight is a number from 0 to 1.");
  await expect(page.getByLabel("Weight of the survey index S in Q (0–1)")).toHaveValue("1.5");
  await page.getByLabel("Weight of the survey index S in Q (0–1)").fill("0.6");
  await page.getByRole("button", { name: "Save the parameters" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");

  await page.getByRole("button", { name: "Open the period" }).click();
  await expect(page.locator(".period-status")).toHaveText("Open");
  // Closing first says what it freezes, and closes nothing until confirmed.
  await page.getByRole("button", { name: "Close the period and freeze the scores" }).click();
  await expect(page.locator("#confirm-step")).toContainText("are frozen as a snapshot");
  await expect(page.locator(".period-status")).toHaveText("Open");
  expect(db.prepare(`SELECT status FROM EvaluationPeriod WHERE code = ?`).pluck().get(code)).toBe("open");
  await page.getByRole("button", { name: "Yes, close the period and freeze the scores" }).click();
  await expect(page.locator(".period-status")).toHaveText("Closed (frozen)");
  await expect(page.locator("#snapshots-title + ul")).toContainText("made at closing");
  await page.getByRole("button", { name: "Run the audit recomputation" }).click();
  await expect(page.getByRole("status")).toContainText("Audit passed");

  // A correction after closing: a labelled recompute snapshot, with its reason.
  await page.getByLabel("Label").fill(`${code} corrected`);
  await page.getByLabel("Reason").fill("Parameters corrected after review");
  await page.getByRole("button", { name: "Make the new snapshot" }).click();
  await expect(page.locator("#snapshots-title + ul li").first()).toContainText(`${code} corrected`);

  const snapshots = db.prepare(`SELECT s.id, s.kind, s.params FROM ScoreSnapshot s JOIN EvaluationPeriod p ON p.id = s.periodId WHERE p.code = ? ORDER BY s.id`).all(code) as { id: number; kind: string; params: string }[];
  expect(snapshots.map((s) => s.kind)).toEqual(["close", "recompute"]);
  expect(JSON.parse(snapshots[1]!.params).surveyWeight).toBe(0.6);
  const actions = db.prepare(`SELECT a.action FROM AuditEvent a JOIN EvaluationPeriod p ON a.targetId = CAST(p.id AS TEXT) WHERE a.targetType = 'period' AND p.code = ? ORDER BY a.id`).pluck().all(code);
  expect(actions).toEqual(["period.create", "period.params", "period.open", "period.close", "period.audit", "snapshot.create"]);
});
