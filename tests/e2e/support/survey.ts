import type { Page } from "@playwright/test";
import type { TestDb } from "./db";

/** The demo survey's quick step (step 1): its five scored core items, all required. */
export const REQUIRED_KEYS = ["efficiency", "attitude", "transparency", "integrity", "overall"];

/** Answers every required question of step 1 with the given grade by clicking its labelled choice. */
export async function answerRequired(page: Page, grade: "5" | "4" | "3" | "2" | "1" = "4") {
  for (const key of REQUIRED_KEYS) {
    await page.locator(`input[name="q_${key}"][value="${grade}"]`).check();
  }
}

/** The latest stored response of a unit, with its flags and answers. */
export function latestResponse(db: TestDb, unitCode: string) {
  const r = db
    .prepare(
      `SELECT r.* FROM Response r JOIN Unit u ON u.id = r.unitId WHERE u.code = ? ORDER BY r.id DESC LIMIT 1`,
    )
    .get(unitCode) as { id: number; lang: string; channel: string; deviceId: string | null; visitId: string | null } | undefined;
  if (!r) return undefined;
  const flags = (db.prepare(`SELECT flag FROM ResponseFlag WHERE responseId = ?`).all(r.id) as { flag: string }[]).map((f) => f.flag);
  const answers = db
    .prepare(`SELECT q.key, a.grade, a.notApplicable, a.choice, a.text FROM Answer a JOIN Question q ON q.id = a.questionId WHERE a.responseId = ?`)
    .all(r.id) as { key: string; grade: number | null; notApplicable: number; choice: string | null; text: string | null }[];
  return { ...r, flags, answers: Object.fromEntries(answers.map((a) => [a.key, a])) };
}
