// Rectification records and appeals made directly in a test's database (issue 14), for tests that
// need one to exist without going through the office's pages.
import { execFileSync } from "node:child_process";
import path from "node:path";
import type { TestDb } from "./db";
import { projectRoot, TEST_SECRET } from "./paths";
import { unitIdOf } from "./security";

const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");

function periodIdOf(db: TestDb, code: string): number {
  return (db.prepare(`SELECT id FROM EvaluationPeriod WHERE code = ?`).get(code) as { id: number }).id;
}

/** A record of a unit for a survey item (status open unless said), due in 15 days; the same subject twice is the same record. */
export function addRectification(db: TestDb, opts: { unit: string; period?: string; itemKey: string; status?: string; dueInDays?: number }): number {
  const unitId = unitIdOf(db, opts.unit);
  const periodId = periodIdOf(db, opts.period ?? "2026");
  const subjectKey = `item:${opts.itemKey}`;
  const existing = db.prepare(`SELECT id FROM Rectification WHERE periodId = ? AND unitId = ? AND subjectKey = ?`).get(periodId, unitId, subjectKey) as { id: number } | undefined;
  if (existing) return existing.id;
  const now = Date.now();
  return Number(
    db
      .prepare(
        `INSERT INTO Rectification (periodId, unitId, source, subjectKey, itemKey, evidence, status, openedAt, dueAt) VALUES (?, ?, 'item', ?, ?, '{"dissatisfied":12,"graded":30}', ?, ?, ?) RETURNING id`,
      )
      .run(periodId, unitId, subjectKey, opts.itemKey, opts.status ?? "open", iso(new Date(now)), iso(new Date(now + (opts.dueInDays ?? 15) * 86_400_000))).lastInsertRowid,
  );
}

/** A pending appeal of a unit against a complaint's handling rating. */
export function addHandlingAppeal(db: TestDb, opts: { unit: string; complaintId: number; evidence: string; filedBy: number }): number {
  const existing = db.prepare(`SELECT id FROM Appeal WHERE complaintId = ? AND evidence = ?`).get(opts.complaintId, opts.evidence) as { id: number } | undefined;
  if (existing) return existing.id;
  return Number(
    db
      .prepare(`INSERT INTO Appeal (unitId, kind, complaintId, grounds, evidence, status, filedById, filedAt) VALUES (?, 'handling', ?, 'mistaken', ?, 'pending', ?, ?) RETURNING id`)
      .run(unitIdOf(db, opts.unit), opts.complaintId, opts.evidence, opts.filedBy, iso(new Date())).lastInsertRowid,
  );
}

/** The citizen's handling rating of a complaint (replied and closed). */
export function rateComplaint(db: TestDb, complaintId: number, grade: number) {
  const at = iso(new Date());
  db.prepare(`UPDATE Complaint SET status = 'closed', repliedAt = ?, closedAt = ?, handlingGrade = ?, ratedAt = ?, updatedAt = ? WHERE id = ?`).run(at, at, grade, at, at, complaintId);
}

/**
 * A period and an inactive department of a test's own (so no other test's figures move), with
 * `count` responses graded `grade` on every five-grade item in June 2026, the first ones carrying
 * the given comments; the period's tallies rebuilt as the app keeps them.
 */
export function ownPeriodAndUnit(server: { databaseUrl: string }, db: TestDb, tag: string, opts: { count: number; grade: number; comments: string[] }) {
  const now = iso(new Date());
  const periodCode = `RA${tag}`.slice(0, 10);
  db.prepare(`INSERT INTO EvaluationPeriod (code, names, startsOn, endsOn, status, createdAt, updatedAt) VALUES (?, ?, ?, ?, 'open', ?, ?)`).run(
    periodCode,
    JSON.stringify({ "zh-Hans": `整改试行 ${tag}`, ug: `تۈزىتىش ${tag}`, kk: `تۇزەتۋ ${tag}`, en: `Rectification trial ${tag}` }),
    "2025-12-31T16:00:00.000+00:00",
    "2026-12-31T15:59:59.999+00:00",
    now,
    now,
  );
  const periodId = periodIdOf(db, periodCode);
  const unitCode = `Z${tag}`.slice(0, 7);
  const unitName = `Rectified Bureau ${unitCode}`;
  const region = db.prepare(`SELECT id FROM Unit WHERE code = 'REG'`).get() as { id: number };
  const unitId = Number(
    db
      .prepare(`INSERT INTO Unit (code, kind, parentId, names, sortOrder, active, createdAt, updatedAt) VALUES (?, 'department', ?, ?, 99, FALSE, ?, ?) RETURNING id`)
      .run(unitCode, region.id, JSON.stringify({ "zh-Hans": `整改局 ${unitCode}`, ug: "تۈزىتىش ئىدارىسى", kk: "تۇزەتۋ باسقارماسى", en: unitName }), now, now).lastInsertRowid,
  );
  // A closed copy of the demo survey for the period (scores read the five-grade items of the period's own surveys).
  const demo = db.prepare(`SELECT s.titles, v.id AS versionId FROM Survey s JOIN SurveyVersion v ON v.surveyId = s.id AND v.version = s.currentVersion WHERE s.slug = 'satisfaction-2026'`).get() as { titles: string; versionId: number };
  const surveyId = Number(
    db.prepare(`INSERT INTO Survey (slug, periodId, status, currentVersion, titles, createdAt, updatedAt) VALUES (?, ?, 'closed', 1, ?, ?, ?) RETURNING id`).run(`rect-${tag.toLowerCase()}`, periodId, demo.titles, now, now).lastInsertRowid,
  );
  const versionId = Number(db.prepare(`INSERT INTO SurveyVersion (surveyId, version, publishedAt, createdAt) VALUES (?, 1, ?, ?) RETURNING id`).run(surveyId, now, now).lastInsertRowid);
  const columns = "key, kind, required, position, allowNa, texts, helps, options, maxLength, condition, step";
  db.prepare(`INSERT INTO Question (surveyVersionId, ${columns}) SELECT CAST(? AS INTEGER), ${columns} FROM Question WHERE surveyVersionId = ? ORDER BY position`).run(versionId, demo.versionId);
  const survey = { id: surveyId, versionId };
  const questions = db.prepare(`SELECT id, kind FROM Question WHERE surveyVersionId = ?`).all(survey.versionId) as { id: number; kind: string }[];
  const insertResponse = db.prepare(`INSERT INTO Response (surveyId, surveyVersionId, periodId, unitId, lang, channel, startedAt, submittedAt, dissatisfied) VALUES (?, ?, ?, ?, 'zh-Hans', 'qr', ?, ?, ?) RETURNING id`);
  const insertAnswer = db.prepare(`INSERT INTO Answer (responseId, questionId, grade, notApplicable, text) VALUES (?, ?, ?, FALSE, ?)`);
  const responseIds: number[] = [];
  db.transaction(() => {
    for (let i = 0; i < opts.count; i++) {
      const submitted = new Date(Date.UTC(2026, 5, 1 + i, 3));
      const id = Number(insertResponse.run(survey.id, survey.versionId, periodId, unitId, iso(new Date(submitted.getTime() - 90_000)), iso(submitted), opts.grade <= 2 ? 1 : 0).lastInsertRowid);
      responseIds.push(id);
      for (const q of questions) {
        if (q.kind === "grade_core" || q.kind === "grade_diagnostic") insertAnswer.run(id, q.id, opts.grade, null);
        else if (q.kind === "text" && opts.comments[i]) insertAnswer.run(id, q.id, null, opts.comments[i]);
      }
    }
  })();
  rebuildScores(server, periodCode);
  return { periodCode, unitCode, unitName, unitId, periodId, responseIds };
}

/** Rebuilds a period's tallies from the raw rows and checks them (exit code 1 when the live figures differ from the recomputation). */
export function rebuildScores(server: { databaseUrl: string }, periodCode: string, rebuild = true): string {
  return execFileSync(path.join(projectRoot, "node_modules/.bin/tsx"), ["scripts/scores-audit.ts", "--period", periodCode, ...(rebuild ? ["--rebuild"] : [])], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: server.databaseUrl, SESSION_SECRET: TEST_SECRET },
    stdio: "pipe",
  }).toString();
}
