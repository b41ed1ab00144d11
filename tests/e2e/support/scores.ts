import { execFileSync } from "node:child_process";
import path from "node:path";
import type { TestDb } from "./db";
import { projectRoot, TEST_SECRET } from "./paths";

const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");

/**
 * Bulk-loads counted responses for a unit straight into the worker's database (the way an import
 * of paper surveys would), then rebuilds the score tallies with the operator's command, which is
 * what such an import must do. Every five-grade item gets `grade` (a number, or one per response
 * index where null is "not applicable", given only where the item allows it); one response carries a comment. `choice`, when given,
 * answers the choice questions (the option value, or a list of them for a multiple choice); the
 * responses fall in June, or spread over the first `months` months of 2026.
 */
export function loadResponses(
  server: { databaseUrl: string },
  db: TestDb,
  unitCode: string,
  count: number,
  grade: number | ((i: number) => number | null),
  comment: string,
  opts: { choice?: (i: number, kind: "single" | "multiple") => string | string[]; months?: number } = {},
) {
  const { choice, months } = opts;
  const unit = db.prepare(`SELECT id FROM Unit WHERE code = ?`).get(unitCode) as { id: number };
  const survey = db.prepare(`SELECT s.id, s.periodId, v.id AS versionId FROM Survey s JOIN SurveyVersion v ON v.surveyId = s.id AND v.version = s.currentVersion WHERE s.slug = 'satisfaction-2026'`).get() as {
    id: number;
    periodId: number;
    versionId: number;
  };
  const questions = db.prepare(`SELECT id, kind, allowNa FROM Question WHERE surveyVersionId = ?`).all(survey.versionId) as { id: number; kind: string; allowNa: number }[];
  const insertResponse = db.prepare(
    `INSERT INTO Response (surveyId, surveyVersionId, periodId, unitId, lang, channel, startedAt, submittedAt) VALUES (?, ?, ?, ?, 'zh-Hans', 'qr', ?, ?) RETURNING id`,
  );
  const insertAnswer = db.prepare(`INSERT INTO Answer (responseId, questionId, grade, notApplicable, text) VALUES (?, ?, ?, ?, ?)`);
  const insertChoice = db.prepare(`INSERT INTO Answer (responseId, questionId, choice) VALUES (?, ?, ?)`);
  const ids: number[] = [];
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const submitted = new Date(Date.UTC(2026, months ? i % months : 5, 1 + (i % 28), 3, i));
      const id = Number(insertResponse.run(survey.id, survey.versionId, survey.periodId, unit.id, iso(new Date(submitted.getTime() - 90_000)), iso(submitted)).lastInsertRowid);
      ids.push(id);
      for (const q of questions) {
        if (q.kind === "grade_core" || q.kind === "grade_diagnostic") {
          const g = typeof grade === "number" ? grade : (grade(i) ?? (q.allowNa ? null : 3));
          insertAnswer.run(id, q.id, g, g === null ? 1 : 0, null);
        } else if (q.kind === "text" && i === 0) insertAnswer.run(id, q.id, null, 0, comment);
        else if ((q.kind === "single" || q.kind === "multiple") && choice) {
          const c = choice(i, q.kind);
          insertChoice.run(id, q.id, Array.isArray(c) ? JSON.stringify(c) : c);
        }
      }
    }
  })();
  execFileSync(path.join(projectRoot, "node_modules/.bin/tsx"), ["scripts/scores-audit.ts", "--period", "2026", "--rebuild"], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: server.databaseUrl, SESSION_SECRET: TEST_SECRET },
    stdio: "pipe",
  });
  return ids;
}
