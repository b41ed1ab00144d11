// Assumed satisfaction (issue 13, ADR 0018): the office turns the rule on for a period on its
// parameters form; a reply left unrated for longer than N working days then counts in H as
// "satisfied", the counts by reason say how many were assumed, and the audit still agrees.
import { expect, test } from "./support/fixtures";
import { createStaff, signIn } from "./support/staff";

const unique = () => Math.random().toString(36).slice(2, 8);
const iso = (d: Date | string) => new Date(d).toISOString().replace("Z", "+00:00");

test("the office turns on assumed satisfaction for a period: H and the assumed count change, the audit agrees, bad input is refused in place", async ({ page, db, axe }) => {
  const tag = unique().toUpperCase().replace(/[^A-Z0-9]/g, "");
  const now = iso(new Date());
  // A period and a unit of this test alone (the worker's database is shared): 2025, long past.
  const periodCode = `AS${tag}`;
  db.prepare(`INSERT INTO EvaluationPeriod (code, names, startsOn, endsOn, status, createdAt, updatedAt) VALUES (?, ?, ?, ?, 'open', ?, ?)`).run(
    periodCode,
    JSON.stringify({ "zh-Hans": "推定满意试行", ug: "پەرەز سىنىقى", kk: "بولجام سىناعى", en: `Assumption trial ${tag}` }),
    iso("2024-12-31T16:00:00Z"),
    iso("2025-12-31T15:59:59.999Z"),
    now,
    now,
  );
  const unitCode = `Y${tag}`.slice(0, 7);
  const unitName = `Assumed Bureau ${unitCode}`;
  const region = db.prepare(`SELECT id FROM Unit WHERE code = 'REG'`).get() as { id: number };
  // Inactive, so citizens' pickers in other tests never offer it; it is scored all the same.
  const unitId = Number(
    db
      .prepare(`INSERT INTO Unit (code, kind, parentId, names, sortOrder, active, createdAt, updatedAt) VALUES (?, 'department', ?, ?, 99, 0, ?, ?)`)
      .run(unitCode, region.id, JSON.stringify({ "zh-Hans": `推定局 ${unitCode}`, ug: "پەرەز ئىدارىسى", kk: "بولجام باسقارماسى", en: unitName }), now, now).lastInsertRowid,
  );
  const complaint = db.prepare(
    `INSERT INTO Complaint (reference, accessCodeHash, unitId, subjectUnitId, type, status, description, lang, anonymous, consentAt, submittedAt, acceptDueAt, replyDueAt, repliedAt, handlingGrade, ratedAt, createdAt, updatedAt)
     VALUES (?, 'x', ?, ?, 'slow_action', ?, 'test', 'zh-Hans', 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const at = (s: string) => iso(s);
  // Replied on Monday 3 March 2025 and never rated; and one rated "dissatisfied" (30 points).
  const unrated = Number(
    complaint.run(`AS-${tag}-1`, unitId, unitId, "replied", at("2025-02-24T02:00:00Z"), at("2025-02-24T02:00:00Z"), at("2025-02-25T15:59:59.999Z"), at("2025-03-07T15:59:59.999Z"), at("2025-03-03T02:00:00Z"), null, null, now, now).lastInsertRowid,
  );
  complaint.run(`AS-${tag}-2`, unitId, unitId, "closed", at("2025-02-24T02:00:00Z"), at("2025-02-24T02:00:00Z"), at("2025-02-25T15:59:59.999Z"), at("2025-03-07T15:59:59.999Z"), at("2025-03-04T02:00:00Z"), 2, at("2025-03-05T02:00:00Z"), now, now);

  const office = await createStaff(db, { username: `office.as.${tag.toLowerCase()}`, role: "office" });
  await signIn(page, office, "en");
  const hCell = () => page.locator("table.scores tbody tr").filter({ hasText: unitName }).locator("td").nth(6);

  // Rule off (the default): H is the one real rating.
  await page.goto(`/staff/scores?period=${periodCode}&kind=department`);
  await expect(hCell()).toHaveText("30.00");
  await page.goto(`/staff/periods/${periodCode}`);
  await expect(page.locator("#period-ratings")).toHaveText("Handling ratings in H: 1 given by citizens, 0 assumed satisfied, 0 excluded by the office");

  // Bad input: the invitation after the assumption, a call-back time of 0 days. Refused in place,
  // with translated messages next to the fields and everything typed kept.
  await page.getByLabel("Count a reply left unrated as “satisfied” in H").check();
  await page.getByLabel("Invite an unrated reply to be rated after (working days, 1–30)").fill("5");
  await page.getByLabel("Working days before an unrated reply counts as “satisfied” (1–60)").fill("5");
  await page.getByLabel("Working days to call back after a dissatisfied rating (1–30)").fill("0");
  await page.getByRole("button", { name: "Save the parameters" }).click();
  await expect(page.locator("#ratingInviteDays-error")).toHaveText(
    "The invitation to rate must come first: give fewer working days than before an unrated reply counts as “satisfied”.",
  );
  await expect(page.locator("#followUpDays-error")).toHaveText("Give a whole number of working days from 1 to 30.");
  await expect(page.locator("#ratingInviteDays")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#ratingInviteDays")).toHaveValue("5");
  await expect(page.locator("#assumeSatisfiedDays")).toHaveValue("5");
  await expect(page.locator("#followUpDays")).toHaveValue("0");
  await expect(page.locator("#assumeSatisfied")).toBeChecked();
  await axe(page);
  const stored = () => JSON.parse((db.prepare(`SELECT params FROM EvaluationPeriod WHERE code = ?`).pluck().get(periodCode) as string | null) ?? "{}");
  expect(stored().assumeSatisfied).toBeUndefined();

  // Corrected: the open period asks first, then saves, and the change is in the period's history.
  await page.locator("#assumeSatisfiedDays").fill("6");
  await page.locator("#followUpDays").fill("5");
  await page.getByRole("button", { name: "Save the parameters" }).click();
  await page.getByRole("button", { name: "Yes, save the parameters" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  await expect.poll(() => stored()).toMatchObject({ assumeSatisfied: true, assumeSatisfiedDays: 6, ratingInviteDays: 5, followUpDays: 5 });
  const audit = db
    .prepare(`SELECT data FROM AuditEvent WHERE action = 'period.params' AND targetType = 'period' AND targetId = (SELECT CAST(id AS TEXT) FROM EvaluationPeriod WHERE code = ?)`)
    .pluck()
    .all(periodCode) as string[];
  expect(audit.map((d) => JSON.parse(d).after.assumeSatisfied)).toEqual([true]);

  // The unrated reply (long past 6 working days) now counts as "satisfied": H = (30 + 80) / 2.
  await expect(page.locator("#period-ratings")).toHaveText("Handling ratings in H: 1 given by citizens, 1 assumed satisfied, 0 excluded by the office");
  await page.getByRole("button", { name: "Run the audit recomputation" }).click();
  await expect(page.getByRole("status")).toContainText("Audit passed");
  await page.goto(`/staff/scores?period=${periodCode}&kind=department`);
  await expect(hCell()).toHaveText("55.00 (1 rated, 1 assumed)");
  await page.goto(`/staff/scores/${unitCode}?period=${periodCode}`);
  await expect(page.locator("#assumed-ratings")).toHaveText("1 more counted as “satisfied” by assumption (not rated within 6 working days of the reply)");
  const csv = await (await page.request.get(`/staff/periods/${periodCode}/scores.csv`)).text();
  expect(csv.split(/\r?\n/).find((l) => l.startsWith(`${unitCode},`))).toMatch(/,department,0,,,,77.5,100,55,1,1,0,,/);
  // Counted, never written: the complaint still has no grade.
  expect(db.prepare(`SELECT handlingGrade FROM Complaint WHERE id = ?`).pluck().get(unrated)).toBeNull();

  // The same refusal in Chinese.
  await page.goto(`/staff/periods/${periodCode}?lng=zh-Hans`);
  await page.locator("#followUpDays").fill("31");
  await page.locator("form:has(#followUpDays) button[type=submit]").click();
  await expect(page.locator("#followUpDays-error")).toHaveText("请填写 1–30 的整数个工作日。");
  await expect(page.locator("#followUpDays")).toHaveValue("31");
  await expect.poll(() => stored().followUpDays).toBe(5);
});
