// 差评回访 (issue 13): the SQLite migration dissatisfied_follow_up gave complaints filed before it
// after a dissatisfied rating a call-back deadline; its backfill, replayed here against the
// TypeScript rule (followUpDue in working days of the stored calendar), counted from the later of
// filing and today. SQLite only (vitest.config.ts): the PostgreSQL schema starts from a baseline
// that has no such backfill; follow-up.test.ts checks the deadlines the app sets on both databases.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, it } from "vitest";
import { calendarFrom, dueAfterWorkingDays, localDate } from "#app/domain/working-days";
import { freshTestDatabase } from "./support/test-db";

const { dir, dbFile } = freshTestDatabase("follow-up-backfill");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const { getDb } = await import("#app/lib/db.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { fileComplaint, setCalendarDay } = await import("#app/models/complaint.server");
const { defaultParams } = await import("#app/domain/scoring");

beforeAll(async () => {
  const db = await getDb();
  const survey = await seedStructure(db);
  // The period asks for call-backs within 3 working days; National Day 2026 off, 27 September worked.
  await db.evaluationPeriod.update({ where: { id: survey.periodId }, data: { params: { ...defaultParams, followUpDays: 3 } } });
  for (const d of ["01", "02", "03", "04", "05", "06", "07"]) await setCalendarDay(`2026-10-${d}`, "holiday");
  await setCalendarDay("2026-09-27", "workday");
  // A dissatisfied rating, and a complaint after it filed by the app: its deadline is set already.
  const unitId = (await db.unit.findUniqueOrThrow({ where: { code: "C01" } })).id;
  const r = await db.response.create({
    data: { surveyId: survey.surveyId, surveyVersionId: survey.versionId, periodId: survey.periodId, unitId, lang: "zh-Hans", channel: "qr", dissatisfied: true },
  });
  await fileComplaint({
    input: { unit: "C01", type: "attitude", description: "窗口人员态度很差，问了三次都不回答。", anonymous: "yes", consent: "yes" },
    unitId,
    lang: "zh-Hans",
    deviceId: null,
    ipHash: null,
    responseId: r.id,
    now: new Date("2026-09-28T02:00:00Z"),
  });
});

it("gives older complaints after a dissatisfied rating the deadline the rule gives, counted from the later of filing and today", () => {
  const migration = fs.readFileSync(path.resolve(import.meta.dirname, "../../prisma/migrations/20261201091000_dissatisfied_follow_up/migration.sql"), "utf8");
  const backfill = migration.slice(migration.indexOf("WITH RECURSIVE"));
  const db = new Database(dbFile);
  try {
    // Cases filed before and after today (the latter as a clock far ahead), around the holiday;
    // the period above asks for 3 days; one of another period without the parameter takes 5.
    const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");
    const periodId = (db.prepare("SELECT id FROM EvaluationPeriod ORDER BY id LIMIT 1").get() as { id: number }).id;
    const bare = Number(
      db
        .prepare(`INSERT INTO EvaluationPeriod (code, names, startsOn, endsOn, status, params, createdAt, updatedAt) VALUES ('BF', '{}', ?, ?, 'open', '{"followUpDays":"x"}', ?, ?)`)
        .run(iso(new Date("2030-01-01T00:00:00Z")), iso(new Date("2030-12-31T00:00:00Z")), iso(new Date()), iso(new Date())).lastInsertRowid,
    );
    const responses = db.prepare("SELECT id, periodId FROM Response WHERE dissatisfied = 1").all() as { id: number; periodId: number }[];
    const r = responses.find((x) => x.periodId === periodId)!;
    const otherR = Number(
      db
        .prepare(`INSERT INTO Response (surveyId, surveyVersionId, periodId, unitId, lang, channel, submittedAt, dissatisfied) SELECT surveyId, surveyVersionId, ?, unitId, lang, channel, submittedAt, 1 FROM Response WHERE id = ?`)
        .run(bare, r.id).lastInsertRowid,
    );
    db.prepare("INSERT INTO CalendarDay (date, kind) VALUES ('2030-10-01', 'holiday'), ('2030-10-02', 'holiday')").run();
    const cases = [
      { filed: new Date("2026-09-25T02:00:00Z"), responseId: r.id, days: 3 },
      { filed: new Date("2030-09-27T16:30:00Z"), responseId: r.id, days: 3 },
      { filed: new Date("2030-09-29T02:00:00Z"), responseId: otherR, days: 5 },
    ];
    const ids = cases.map((c, i) => {
      const t = iso(c.filed);
      return Number(
        db
          .prepare(
            `INSERT INTO Complaint (reference, accessCodeHash, unitId, subjectUnitId, type, description, lang, consentAt, submittedAt, acceptDueAt, replyDueAt, createdAt, updatedAt, responseId)
             SELECT ?, 'x', unitId, unitId, 'other', 'd', 'en', ?, ?, ?, ?, ?, ?, id FROM Response WHERE id = ?`,
          )
          .run(`BF-${i}`, t, t, t, t, t, t, c.responseId).lastInsertRowid,
      );
    });
    const untouched = db.prepare("SELECT id, followUpDueAt FROM Complaint WHERE followUpDueAt IS NOT NULL").all();
    expect(untouched).toHaveLength(1); // the app's complaint above
    db.exec(backfill);
    const stored = db.prepare("SELECT calendarDay.date, calendarDay.kind FROM CalendarDay calendarDay").all() as { date: string; kind: string }[];
    const cal = calendarFrom(stored);
    const today = localDate(new Date());
    cases.forEach((c, i) => {
      const start = localDate(c.filed) > today ? c.filed : new Date();
      const got = (db.prepare("SELECT followUpDueAt FROM Complaint WHERE id = ?").get(ids[i]) as { followUpDueAt: string }).followUpDueAt;
      expect(got, `case ${i}`).toBe(iso(dueAfterWorkingDays(start, c.days, cal)));
    });
    // Deadlines already set stay as they were.
    expect(db.prepare(`SELECT id, followUpDueAt FROM Complaint WHERE id IN (${untouched.map((u) => (u as { id: number }).id).join(",") || 0})`).all()).toEqual(untouched);
  } finally {
    db.close();
  }
});
