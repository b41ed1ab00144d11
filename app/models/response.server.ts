import type { AnswerValue } from "#app/domain/survey-form";
import type { QualityFlag } from "#app/domain/quality";
import { nextAllowedAt, windowStart } from "#app/domain/repeat";
import { responseTally } from "#app/domain/tally";
import { getDb, getWriter, sqliteDateTime, withWriteLock } from "#app/lib/db.server";
import { applyTally } from "./score-tally.server";
import type { AnswerableSurvey, SurveyRecord } from "./survey.server";

export type Channel = "link" | "qr" | "kiosk";

export interface NewResponse {
  survey: AnswerableSurvey;
  unitId: number;
  lang: string;
  channel: Channel;
  deviceId: string | null;
  visitId: string | null;
  ipHash: string | null;
  startedAt: Date | null;
  submittedAt: Date;
  flags: QualityFlag[];
  answers: Record<string, AnswerValue>;
}

export type SubmitResult =
  | { ok: true; id: number }
  | { ok: false; reason: "repeat"; nextAllowedAt: Date | null };

/** When a public-link device may answer this survey for this unit again (null: now). */
export async function deviceNextAllowedAt(
  survey: Pick<SurveyRecord, "id" | "repeatWindowHours">,
  unitId: number,
  deviceId: string | null,
  now = new Date(),
): Promise<Date | null> {
  if (!deviceId || survey.repeatWindowHours <= 0) return null;
  const db = await getDb();
  const last = await db.response.findFirst({
    where: {
      surveyId: survey.id,
      unitId,
      deviceId,
      channel: { not: "kiosk" },
      submittedAt: { gte: windowStart(now, survey.repeatWindowHours) },
    },
    orderBy: { submittedAt: "desc" },
    select: { submittedAt: true },
  });
  return nextAllowedAt(last?.submittedAt ?? null, now, survey.repeatWindowHours);
}

/**
 * Stores a response with its answers and flags in one transaction, after checking the repeat
 * rule inside that transaction. When it returns, the commit is durable (synchronous=FULL).
 */
export async function submitResponse(input: NewResponse): Promise<SubmitResult> {
  // IMMEDIATE takes the write lock before the repeat check, so no other connection or process
  // can slip a response in between the check and the insert.
  return withWriteLock(() => writeResponse(input));
}

type Statement = import("better-sqlite3").Statement;
let statements:
  | { lastByDevice: Statement; visitSeen: Statement; response: Statement; answer: Statement; flag: Statement }
  | undefined;

function prepare() {
  const db = getWriter();
  return (statements ??= {
    lastByDevice: db.prepare(
      `SELECT submittedAt FROM Response
       WHERE surveyId = ? AND unitId = ? AND deviceId = ? AND channel <> 'kiosk' AND submittedAt >= ?
       ORDER BY submittedAt DESC LIMIT 1`,
    ),
    visitSeen: db.prepare(`SELECT 1 FROM Response WHERE visitId = ?`),
    response: db.prepare(
      `INSERT INTO Response (surveyId, surveyVersionId, periodId, unitId, lang, channel, startedAt, submittedAt, deviceId, visitId, ipHash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    answer: db.prepare(
      `INSERT INTO Answer (responseId, questionId, grade, notApplicable, choice, text) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    flag: db.prepare(`INSERT INTO ResponseFlag (responseId, flag, createdAt) VALUES (?, ?, ?)`),
  });
}

/** The repeat check and the inserts; runs inside withWriteLock's transaction. */
function writeResponse(input: NewResponse): SubmitResult {
  const st = prepare();
  const byKey = new Map(input.survey.version.questions.map((q) => [q.key, q]));
  const submittedAt = sqliteDateTime(input.submittedAt);
  if (input.channel === "kiosk") {
    if (!input.visitId || st.visitSeen.get(input.visitId)) {
      return { ok: false, reason: "repeat", nextAllowedAt: null };
    }
  } else if (input.deviceId && input.survey.repeatWindowHours > 0) {
    const from = sqliteDateTime(windowStart(input.submittedAt, input.survey.repeatWindowHours));
    const last = st.lastByDevice.get(input.survey.id, input.unitId, input.deviceId, from) as
      | { submittedAt: string }
      | undefined;
    if (last) {
      return {
        ok: false,
        reason: "repeat",
        nextAllowedAt: nextAllowedAt(new Date(last.submittedAt), input.submittedAt, input.survey.repeatWindowHours),
      };
    }
  }
  const { lastInsertRowid } = st.response.run(
    input.survey.id,
    input.survey.version.id,
    input.survey.periodId,
    input.unitId,
    input.lang,
    input.channel,
    input.startedAt ? sqliteDateTime(input.startedAt) : null,
    submittedAt,
    input.deviceId,
    input.visitId,
    input.ipHash,
  );
  const id = Number(lastInsertRowid);
  for (const [key, a] of Object.entries(input.answers)) {
    const q = byKey.get(key);
    if (!q) continue;
    st.answer.run(
      id,
      q.id,
      a.kind === "grade" ? a.grade : null,
      a.kind === "na" ? 1 : 0,
      a.kind === "single" ? a.value : a.kind === "multiple" ? JSON.stringify(a.values) : null,
      a.kind === "text" ? a.text : null,
    );
  }
  for (const flag of input.flags) st.flag.run(id, flag, submittedAt);
  // The scores' running tallies change in the same transaction as the response itself.
  const gradeAnswers = input.survey.version.questions.flatMap((q) => {
    const a = input.answers[q.key];
    if (!a || (a.kind !== "grade" && a.kind !== "na")) return [];
    return [{ questionKey: q.key, core: q.kind === "grade_core", grade: a.kind === "grade" ? a.grade : null }];
  });
  const tally = responseTally({
    submittedAt: input.submittedAt,
    flags: input.flags,
    period: input.survey.period,
    answers: gradeAnswers,
  });
  applyTally(input.survey.periodId, input.unitId, tally, 1);
  return { ok: true, id };
}
