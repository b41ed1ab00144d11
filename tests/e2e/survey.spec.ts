import { answerRequired, latestResponse, REQUIRED_KEYS } from "./support/survey";
import { countResponses, expect, hydrated, test } from "./support/fixtures";
import type { TestDb } from "./support/db";

const cases = [
  { lng: "zh-Hans", dir: "ltr", unit: "C01", submit: "提交评价", saved: "您的评价已保存", detail: "提交补充说明", thanks: "感谢您的评价！" },
  { lng: "ug", dir: "rtl", unit: "C02", submit: "باھانى يوللاش", saved: "باھايىڭىز ساقلاندى", detail: "تولۇقلىمىنى يوللاش", thanks: "رەھمەت!" },
  { lng: "en", dir: "ltr", unit: "C03", submit: "Submit my rating", saved: "Your rating is saved", detail: "Send the details", thanks: "Thank you!" },
] as const;

/** The unit's score rows (ScoreTally) and item rows (ItemTally), as stored. */
function tallies(db: TestDb, unit: string) {
  const id = (db.prepare("SELECT id FROM Unit WHERE code = ?").get(unit) as { id: number }).id;
  return {
    scores: JSON.stringify(db.prepare("SELECT * FROM ScoreTally WHERE unitId = ? ORDER BY 1, 2, 3, 4, 5").all(id)),
    items: JSON.stringify(db.prepare("SELECT * FROM ItemTally WHERE unitId = ? ORDER BY 1, 2, 3").all(id)),
  };
}

for (const c of cases) {
  test(`a citizen rates a unit in ${c.lng} in two steps, and the response is stored at the first`, async ({ page, db, consoleErrors, axe }) => {
    const before = countResponses(db, c.unit);
    const openedAt = Date.now();
    await page.goto(`/s/satisfaction-2026?unit=${c.unit}&lng=${c.lng}`);
    await hydrated(page);
    await expect(page.locator("html")).toHaveAttribute("lang", c.lng);
    await expect(page.locator("html")).toHaveAttribute("dir", c.dir);
    // The quick step asks the five scored items only.
    await expect(page.locator("form[data-survey-form] [data-question]")).toHaveCount(5);
    await axe(page);

    if (c.dir === "rtl") {
      // Right-to-left layout: the first grade (very satisfied) is the rightmost choice of its row.
      const first = await page.locator('label.choice:has(input[name="q_attitude"][value="5"])').boundingBox();
      const last = await page.locator('label.choice:has(input[name="q_attitude"][value="1"])').boundingBox();
      expect(first!.x).toBeGreaterThan(last!.x);
    }

    await answerRequired(page, "5");
    await page.getByRole("button", { name: c.submit }).click();

    // Stored now: a citizen who leaves here still counts.
    await expect(page).toHaveURL(new RegExp(`/s/satisfaction-2026/thanks\\?unit=${c.unit}`));
    const answeredWithinMs = Date.now() - openedAt;
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(c.saved);
    expect(countResponses(db, c.unit)).toBe(before + 1);
    const afterStep1 = tallies(db, c.unit);
    await expect(page.locator(".progress")).toContainText(c.lng === "en" ? "Step 2 of 2" : "2");
    await axe(page);

    // Step 2: the detail, added to the same response.
    await page.locator('input[name="q_guidance"][value="4"]').check();
    await page.locator('input[name="q_facilities"][value="na"]').check();
    await page.locator('input[name="q_visits"][value="one"]').check();
    await page.locator('input[name="q_channels"][value="online"]').check();
    await page.locator('input[name="q_channels"][value="phone"]').check();
    await page.locator('textarea[name="q_comment"]').fill("很好 good ياخشى");
    await page.getByRole("button", { name: c.detail }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(c.thanks);
    await axe(page);

    expect(countResponses(db, c.unit)).toBe(before + 1);
    const stored = latestResponse(db, c.unit)!;
    expect(stored.lang).toBe(c.lng);
    expect(stored.channel).toBe("link");
    expect(stored.answers.overall!.grade).toBe(5);
    expect(stored.answers.guidance!.grade).toBe(4);
    expect(stored.answers.facilities!.notApplicable).toBe(1);
    expect(stored.answers.visits!.choice).toBe("one");
    expect(JSON.parse(stored.answers.channels!.choice!)).toEqual(["online", "phone"]);
    expect(stored.answers.comment!.text).toBe("很好 good ياخشى");
    // The score is settled by step 1: step 2 moves the item counts only.
    const afterStep2 = tallies(db, c.unit);
    expect(afterStep2.scores).toBe(afterStep1.scores);
    expect(afterStep2.items).not.toBe(afterStep1.items);
    // A robot answers in well under the survey's minimum time (8 s): kept, but flagged. (On a
    // machine so loaded that the whole run took longer, the server may rightly not flag it.)
    if (answeredWithinMs < 8_000) expect(stored.flags).toEqual(["too_fast"]);
    else expect(["too_fast"]).toEqual(expect.arrayContaining(stored.flags));
    expect(consoleErrors).toEqual([]);
  });
}

test("validation errors are shown, focus the error summary and keep every answer (JavaScript on)", async ({ page, db, axe }) => {
  const before = countResponses(db, "C04");
  await page.goto("/s/satisfaction-2026?unit=C04&lng=en");
  await hydrated(page);
  await page.locator('input[name="q_efficiency"][value="3"]').check();
  await page.getByRole("button", { name: "Submit my rating" }).click();

  await expect(page.getByRole("alert")).toContainText("Please check 4 answer(s)");
  await expect(page.locator("#q_attitude-error")).toHaveText("Please answer this question.");
  await expect(page.locator('input[name="q_attitude"]').first()).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("alert")).toBeFocused();
  await expect(page.locator('input[name="q_efficiency"][value="3"]')).toBeChecked();
  await axe(page);
  expect(countResponses(db, "C04")).toBe(before);
});

test("an empty rating submit brings the focus to the error summary, every time (JavaScript on)", async ({ page, db, consoleErrors }) => {
  const before = countResponses(db, "C06");
  await page.goto("/s/satisfaction-2026?unit=C06&lng=zh-Hans");
  await hydrated(page);
  await page.getByRole("button", { name: "提交评价" }).click();
  const summary = page.getByRole("alert");
  await expect(summary).toBeFocused();
  await expect(summary).toContainText("处需要检查");
  // From the summary, Tab leads into its list of questions.
  await page.keyboard.press("Tab");
  await expect(summary.getByRole("link").first()).toBeFocused();
  // Sent empty again after moving on: the summary takes the focus again.
  await page.getByRole("button", { name: "提交评价" }).click();
  await expect(summary).toBeFocused();
  expect(countResponses(db, "C06")).toBe(before);
  expect(consoleErrors).toEqual([]);
});

test("the server refuses invalid answers with 400 and translated per-field errors, in each step", async ({ request, db }) => {
  const before = countResponses(db);
  const res = await request.post("/s/satisfaction-2026?unit=C04&lng=zh-Hans", {
    form: { q_efficiency: "7", q_attitude: "na" },
  });
  expect(res.status()).toBe(400);
  const html = await res.text();
  expect(html).toContain("请从给出的选项中选择。"); // 7 is not a grade; attitude offers no "not applicable"
  expect(html).toContain("请回答此题。");
  expect(countResponses(db)).toBe(before);

  // Step 1 stored (without a redirect follow), then a step 2 with a comment too long.
  const step1 = await request.post("/s/satisfaction-2026?unit=C04&lng=zh-Hans", {
    form: Object.fromEntries(REQUIRED_KEYS.map((k) => [`q_${k}`, "4"])),
    maxRedirects: 0,
  });
  expect(step1.status()).toBe(303);
  const thanks = step1.headers().location!;
  const ticket = new URL(thanks, "http://x").searchParams.get("r")!;
  const detail = await request.post(thanks, { form: { r: ticket, q_guidance: "3", q_comment: "x".repeat(600) }, maxRedirects: 0 });
  expect(detail.status()).toBe(400);
  expect(await detail.text()).toContain("请将内容缩短到 500 字以内。");
  expect(latestResponse(db, "C04")!.answers.comment).toBeUndefined();
});

test("a repeat submission from the same phone is refused and not stored twice", async ({ page, db, request, axe }) => {
  await page.goto("/s/satisfaction-2026?unit=D01&lng=en");
  await hydrated(page);
  await answerRequired(page);
  await page.getByRole("button", { name: "Submit my rating" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your rating is saved");
  const after = countResponses(db, "D01");

  // Coming back to the form shows the notice instead of the questions.
  await page.goto("/s/satisfaction-2026?unit=D01&lng=en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("You have already rated this office");
  await expect(page.locator("form[method=post]")).toHaveCount(0);
  await axe(page);

  // Posting again with the same device cookie (e.g. a stale tab) is refused with 409.
  const cookies = await page.context().cookies();
  const did = cookies.find((c) => c.name === "did")!.value;
  const res = await request.post("/s/satisfaction-2026?unit=D01&lng=en", {
    headers: { cookie: `did=${did}` },
    form: Object.fromEntries(REQUIRED_KEYS.map((k) => [`q_${k}`, "3"])),
  });
  expect(res.status()).toBe(409);
  expect(await res.text()).toContain("You have already rated this office");
  expect(countResponses(db, "D01")).toBe(after);

  // Another unit is still open to the same phone.
  await page.goto("/s/satisfaction-2026?unit=D02&lng=en");
  await expect(page.locator('input[name="q_overall"]').first()).toBeVisible();
});

test("honeypot submissions are stored with a quality flag, not dropped", async ({ request, db }) => {
  const before = countResponses(db, "D03");
  const res = await request.post("/s/satisfaction-2026?unit=D03", {
    form: {
      ...Object.fromEntries(REQUIRED_KEYS.map((k) => [`q_${k}`, "5"])),
      website: "http://spam.example",
    },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(303);
  expect(countResponses(db, "D03")).toBe(before + 1);
  const stored = latestResponse(db, "D03")!;
  expect(stored.flags).toEqual(expect.arrayContaining(["honeypot", "unverified_start"]));
});

test("the QR channel is recorded", async ({ page, db }) => {
  await page.goto("/s/satisfaction-2026?unit=D04&ch=qr&lng=en");
  await hydrated(page);
  await answerRequired(page);
  await page.getByRole("button", { name: "Submit my rating" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your rating is saved");
  expect(latestResponse(db, "D04")!.channel).toBe("qr");
});

for (const lng of ["zh-Hans", "ug", "kk", "en"] as const) {
  test(`the quick step fits in one and a half phone screens (360 × 740) in ${lng}, with large labelled grades`, async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`/s/satisfaction-2026?unit=D05&lng=${lng}`);
    await hydrated(page);
    const button = await page.locator("form[data-survey-form] button[type=submit]").boundingBox();
    const scrollY = await page.evaluate(() => window.scrollY);
    const screens = (button!.y + scrollY + button!.height) / 740;
    testInfo.annotations.push({ type: "screens", description: `${lng}: step 1 ends at ${screens.toFixed(2)} screens of 360 × 740` });
    console.log(`[screens] ${lng}: step 1 and its send button end at ${screens.toFixed(2)} screens of 360 × 740`);
    expect(screens).toBeLessThanOrEqual(1.5);
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // Every grade is a choice at least 44 px high that carries its text.
    const grades = page.locator(".choices.grades label.choice");
    expect(await grades.count()).toBeGreaterThanOrEqual(25);
    for (const box of await grades.evaluateAll((labels) => labels.map((l) => ({ h: l.getBoundingClientRect().height, text: (l.textContent ?? "").trim() })))) {
      expect(box.h).toBeGreaterThanOrEqual(44);
      expect(box.text.length).toBeGreaterThan(0);
    }
    // Keyboard: arrows move within a question's grades, as in any radio group.
    await page.locator('input[name="q_efficiency"][value="5"]').focus();
    await page.keyboard.press("ArrowDown");
    await expect(page.locator('input[name="q_efficiency"][value="4"]')).toBeChecked();
  });
}

test("after a dissatisfied rating the thanks page offers a complaint tied to that rating; a satisfied one does not", async ({ page, browser, db }) => {
  await page.goto("/s/satisfaction-2026?unit=D07&lng=en");
  await hydrated(page);
  await answerRequired(page, "4");
  await page.locator('input[name="q_attitude"][value="1"]').check();
  await page.getByRole("button", { name: "Submit my rating" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your rating is saved");
  const stored = latestResponse(db, "D07")!;
  expect((db.prepare("SELECT dissatisfied FROM Response WHERE id = ?").get(stored.id) as { dissatisfied: number }).dissatisfied).toBe(1);
  await expect(page.getByRole("heading", { name: "Tell us what went wrong" })).toBeVisible();
  await page.getByRole("link", { name: "Describe what went wrong" }).click();
  await expect(page.getByTestId("rating-note")).toContainText("You are complaining after your rating of");
  const description = `The clerk sent me away twice without reading my papers (${Date.now()}).`;
  await page.getByLabel("Poor service attitude").check();
  await page.getByLabel("What happened?").fill(description);
  await page.getByLabel("No, stay anonymous").check();
  await page.getByLabel(/I confirm/).check();
  await page.getByRole("button", { name: "Send the complaint" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your complaint has been received");
  const complaint = db.prepare("SELECT responseId FROM Complaint WHERE description = ?").get(description) as { responseId: number | null };
  expect(complaint.responseId).toBe(stored.id);

  // A satisfied citizen (a new phone) is thanked without the offer.
  const other = await browser.newPage();
  await other.goto(page.url().replace(/\/complaints.*$/, "/s/satisfaction-2026?unit=D07&lng=en"));
  await answerRequired(other, "5");
  await other.getByRole("button", { name: "Submit my rating" }).click();
  await expect(other.getByRole("heading", { level: 1 })).toHaveText("Your rating is saved");
  await expect(other.getByRole("heading", { name: "Tell us what went wrong" })).toHaveCount(0);
  await other.close();
});

/** A published survey whose detail step asks "why" only of those who said in step 1 that they came before. */
function addSurveyWithCrossStepCondition(db: TestDb): string {
  const slug = `steps-${Math.random().toString(36).slice(2, 8)}`;
  const at = new Date().toISOString().replace("Z", "+00:00");
  const period = db.prepare("SELECT periodId FROM Survey WHERE slug = 'satisfaction-2026'").get() as { periodId: number };
  const all = (en: string) => JSON.stringify({ "zh-Hans": en, ug: en, kk: en, en });
  const surveyId = Number(
    db
      .prepare(
        `INSERT INTO Survey (slug, periodId, status, currentVersion, titles, targetMode, repeatWindowHours, minSeconds, kioskEnabled, createdAt, updatedAt)
         VALUES (?, ?, 'open', 1, ?, 'all', 24, 0, TRUE, ?, ?) RETURNING id`,
      )
      .run(slug, period.periodId, all("Steps"), at, at).lastInsertRowid,
  );
  const versionId = Number(db.prepare(`INSERT INTO SurveyVersion (surveyId, version, publishedAt, createdAt) VALUES (?, 1, ?, ?) RETURNING id`).run(surveyId, at, at).lastInsertRowid);
  const question = db.prepare(
    `INSERT INTO Question (surveyVersionId, key, kind, required, position, allowNa, texts, options, maxLength, condition, step) VALUES (?, ?, ?, ?, ?, FALSE, ?, ?, ?, ?, ?)`,
  );
  const yesNo = JSON.stringify([{ value: "yes", labels: JSON.parse(all("Yes")) }, { value: "no", labels: JSON.parse(all("No")) }]);
  question.run(versionId, "overall", "grade_core", 1, 1, all("Overall?"), null, null, null, 1);
  question.run(versionId, "before", "single", 1, 2, all("Did you come before?"), yesNo, null, null, 1);
  question.run(versionId, "why", "text", 1, 3, all("Why did you have to come again?"), null, 500, JSON.stringify({ question: "before", op: "equals", value: "yes" }), 2);
  question.run(versionId, "comment", "text", 0, 4, all("Anything else?"), null, 500, null, 2);
  return slug;
}

test("display conditions work across the steps: the detail step asks what step 1's answers call for", async ({ page, browser, db }) => {
  const slug = addSurveyWithCrossStepCondition(db);
  const rate = async (p: import("@playwright/test").Page, before: "yes" | "no") => {
    await p.goto(`/s/${slug}?unit=D08&lng=en`);
    await hydrated(p);
    await p.locator('input[name="q_overall"][value="3"]').check();
    await p.getByLabel(before === "yes" ? "Yes" : "No", { exact: true }).check();
    await p.getByRole("button", { name: "Submit my rating" }).click();
    await expect(p.getByRole("heading", { level: 1 })).toHaveText("Your rating is saved");
  };
  await rate(page, "no");
  // Step 1 said "no": the follow-up question is not asked at all.
  await expect(page.locator('[data-question="why"]')).toHaveCount(0);
  await expect(page.locator('[data-question="comment"]')).toBeVisible();

  const other = await browser.newPage();
  await other.goto(page.url()); // the same origin; a new phone
  await rate(other, "yes");
  await expect(other.locator('[data-question="why"]')).toBeVisible();
  await expect(other.locator(".q-condition")).toHaveCount(0);
  // It is required: sending without it is stopped, with the answer kept on the page.
  await other.locator('textarea[name="q_comment"]').fill("The queue machine was broken");
  await other.getByRole("button", { name: "Send the details" }).click();
  await expect(other.locator("#q_why-error")).toHaveText("Please answer this question.");
  await other.locator('textarea[name="q_why"]').fill("The first clerk lost my papers");
  await other.getByRole("button", { name: "Send the details" }).click();
  await expect(other.getByRole("heading", { level: 1 })).toHaveText("Thank you!");
  const stored = db
    .prepare(`SELECT q.key, a.text, a.choice FROM Answer a JOIN Question q ON q.id = a.questionId JOIN Response r ON r.id = a.responseId JOIN Survey s ON s.id = r.surveyId WHERE s.slug = ? AND a.text IS NOT NULL ORDER BY q.key`)
    .all(slug);
  expect(stored).toEqual([
    { key: "comment", text: "The queue machine was broken", choice: null },
    { key: "why", text: "The first clerk lost my papers", choice: null },
  ]);
  await other.close();
});

test("the survey page is drawn once and then served kept, each time with its own token, submission id and nonce", async ({ page, request, db }) => {
  // No lng= (which the framework remembers in a cookie): the kept page answers from the second visit on.
  const url = "/s/satisfaction-2026?unit=D10&ch=qr";
  const seen = [];
  for (let i = 0; i < 3; i++) {
    const res = await request.get(url, { headers: { "Accept-Language": "ug" } });
    expect(res.status()).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="ug" dir="rtl"');
    const nonce = /'nonce-([^']+)'/.exec(res.headers()["content-security-policy"]!)![1]!;
    expect(html).toContain(`nonce="${nonce}"`);
    seen.push({
      nonce,
      started: /name="started" value="([^"]+)"/.exec(html)![1],
      submissionId: /name="submissionId" value="([^"]+)"/.exec(html)![1],
      shape: html.replace(/value="[^"]*"/g, "").replaceAll(nonce, ""),
    });
  }
  expect(new Set(seen.map((s) => s.nonce)).size).toBe(3);
  expect(new Set(seen.map((s) => s.started)).size).toBe(3);
  expect(new Set(seen.map((s) => s.submissionId)).size).toBe(3);
  expect(seen[1]!.shape).toBe(seen[0]!.shape);
  expect(seen[2]!.shape).toBe(seen[0]!.shape);

  // A browser on the kept page (its language remembered from an earlier choice): the script runs
  // under the page's CSP, and the rating is stored.
  await page.goto(`${url}&lng=ug`);
  await page.goto(url);
  await hydrated(page);
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  const submissionId = await page.locator('input[name="submissionId"]').inputValue();
  await answerRequired(page, "4");
  await page.getByRole("button", { name: "باھانى يوللاش" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("باھايىڭىز ساقلاندى");
  const stored = db.prepare("SELECT channel, lang FROM Response WHERE submissionId = ?").get(submissionId);
  expect(stored).toEqual({ channel: "qr", lang: "ug" });
});

test("a plain form post sent twice with its submissionId is stored once; the same id with other answers is refused with 409", async ({ request, db }) => {
  const page = await request.get("/s/satisfaction-2026?unit=D11&lng=en");
  const html = await page.text();
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)![1]!;
  const form = { started: field("started"), submissionId: field("submissionId"), ...Object.fromEntries(REQUIRED_KEYS.map((k) => [`q_${k}`, "3"])) };
  const before = countResponses(db, "D11");
  const first = await request.post("/s/satisfaction-2026?unit=D11&lng=en", { form, maxRedirects: 0 });
  expect(first.status()).toBe(303);
  // The answer was lost on the way back; the phone sends the same form again.
  const again = await request.post("/s/satisfaction-2026?unit=D11&lng=en", { form, maxRedirects: 0 });
  expect(again.status()).toBe(303);
  const ticket = (res: typeof first) => new URL(res.headers().location!, "http://x").searchParams.get("r")!.split(".")[0]!.split("|")[0];
  expect(ticket(again)).toBe(ticket(first)); // the same response's thanks page
  expect(countResponses(db, "D11")).toBe(before + 1);
  // The same form id with other answers: refused, with a translated page; the first answers stand.
  const other = await request.post("/s/satisfaction-2026?unit=D11&lng=zh-Hans", { form: { ...form, q_overall: "1" }, maxRedirects: 0 });
  expect(other.status()).toBe(409);
  expect(await other.text()).toContain("此评价已经提交过");
  expect(countResponses(db, "D11")).toBe(before + 1);
  expect(latestResponse(db, "D11")!.answers.overall!.grade).toBe(3);
});
