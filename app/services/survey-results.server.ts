// One survey's results for its results page: responses month by month, each question's answers,
// and the latest comments, for the whole survey (the office) or some units (a unit's own staff).
// Questions are matched across versions by their key; the texts shown are the latest version's.
// Responses with a quality flag (too fast, duplicate, honeypot, excluded by the office) are
// counted apart and left out of the distributions; "unverified start" alone does not exclude,
// as in the scores' default parameters.
import { data } from "react-router";
import { type CommentDetail, type CommentFacts, commentDetailFor, commentMeta } from "#app/domain/comment-detail";
import { unitReaderOrder } from "#app/domain/comment-order";
import { surveyResultUnits } from "#app/domain/permissions";
import { localDate, startOfLocalDay } from "#app/domain/working-days";
import { db, dbDateTime, type Sql, sqlIdList } from "#app/lib/db.server";
import { dialect } from "#app/lib/db/dialect.server";
import { commentOrderKey } from "#app/lib/signing.server";
import { requireStaff } from "#app/lib/staff-session.server";
import { getSurveyBySlug } from "#app/models/survey.server";
import { unitIndex } from "#app/models/unit.server";
import { grades, isGradeKind, NOT_APPLICABLE } from "#app/domain/questions";

export interface QuestionResult {
  key: string;
  kind: string;
  texts: Record<string, string>;
  optionLabels: Record<string, Record<string, string>>;
  /** Five-grade: [5, 4, 3, 2, 1, n/a]; choice: per option value; text: { answered: n }. */
  counts: Record<string, number>;
  answered: number;
}

export interface SurveyResults {
  total: number;
  flagged: number;
  byVersion: { version: number; count: number }[];
  monthly: { month: string; count: number }[];
  questions: QuestionResult[];
  /** `full` (ids and exact time) only with detail "full": unit staff get the day alone (comment-detail.ts). */
  comments: { text: string; lang: string; day: string; full: CommentFacts | null; unitCode: string; unitNames: Record<string, string>; questionKey: string }[];
}

/** A five-grade question's answers: 5 … 1, then "not applicable" (the charts' order). */
export const gradeSlots = [...grades.map(String), NOT_APPLICABLE];

const COUNTED = `NOT EXISTS (SELECT 1 FROM ResponseFlag f WHERE f.responseId = r.id AND f.flag <> 'unverified_start')`;

export async function surveyResults(surveyId: number, unitIds: readonly number[] | null, detail: CommentDetail): Promise<SurveyResults> {
  const sql = db().read;
  const units = unitIds ? ` AND r.unitId IN ${sqlIdList(unitIds)}` : "";
  const scope = `r.surveyId = ?${units}`;
  const totals = (await sql.get<{ total: number; flagged: number | null }>(
    `SELECT COUNT(*) AS total, SUM(CASE WHEN ${COUNTED} THEN 0 ELSE 1 END) AS flagged FROM Response r WHERE ${scope}`,
    surveyId,
  ))!;
  const byVersion = await sql.all<{ version: number; count: number }>(
    `SELECT v.version, COUNT(*) AS count FROM Response r JOIN SurveyVersion v ON v.id = r.surveyVersionId WHERE ${scope} GROUP BY v.version ORDER BY v.version`,
    surveyId,
  );
  // Months in region time (UTC+8), like the scores.
  const month = dialect().regionMonth("r.submittedAt");
  const monthly = await sql.all<{ month: string; count: number }>(
    `SELECT ${month} AS month, COUNT(*) AS count FROM Response r WHERE ${scope} AND ${COUNTED} GROUP BY ${month} ORDER BY month`,
    surveyId,
  );

  const questionRows = await sql.all<{ id: number; key: string; kind: string; texts: string; options: string | null; version: number }>(
    `SELECT q.id, q.key, q.kind, q.texts, q.options, v.version FROM Question q JOIN SurveyVersion v ON v.id = q.surveyVersionId
     WHERE v.surveyId = ? ORDER BY v.version DESC, q.position`,
    surveyId,
  );
  const byKey = new Map<string, QuestionResult>();
  const keyOf = new Map<number, string>();
  const latest = questionRows.length ? questionRows[0]!.version : 0;
  const ordered: string[] = [];
  for (const q of questionRows) {
    keyOf.set(q.id, q.key);
    if (byKey.has(q.key)) continue;
    // Questions of the latest version come first, in its order; earlier versions' own ones after.
    if (q.version === latest || !ordered.includes(q.key)) ordered.push(q.key);
    const options = (q.options ? JSON.parse(q.options) : []) as { value: string; labels: Record<string, string> }[];
    byKey.set(q.key, {
      key: q.key,
      kind: q.kind,
      texts: JSON.parse(q.texts) as Record<string, string>,
      optionLabels: Object.fromEntries(options.map((o) => [o.value, o.labels])),
      counts: Object.fromEntries((isGradeKind(q.kind) ? gradeSlots : options.map((o) => o.value)).map((slot) => [slot, 0])),
      answered: 0,
    });
  }
  const answerRows = await sql.all<{ q: number; grade: number | null; na: number; choice: string | null; isText: number; n: number }>(
    `SELECT a.questionId AS q, a.grade, a.notApplicable AS na, a.choice, (a.text IS NOT NULL) AS isText, COUNT(*) AS n
     FROM Answer a JOIN Response r ON r.id = a.responseId WHERE ${scope} AND ${COUNTED}
     GROUP BY a.questionId, a.grade, a.notApplicable, a.choice, (a.text IS NOT NULL)`,
    surveyId,
  );
  for (const a of answerRows) {
    const result = byKey.get(keyOf.get(a.q) ?? "");
    if (!result) continue;
    result.answered += a.n;
    if (isGradeKind(result.kind)) {
      const slot = a.na ? NOT_APPLICABLE : String(a.grade);
      result.counts[slot] = (result.counts[slot] ?? 0) + a.n;
    } else if (result.kind === "multiple" && a.choice) {
      for (const v of JSON.parse(a.choice) as string[]) result.counts[v] = (result.counts[v] ?? 0) + a.n;
    } else if (result.kind === "single" && a.choice) {
      result.counts[a.choice] = (result.counts[a.choice] ?? 0) + a.n;
    }
  }
  const comments = await latestComments(sql, scope, surveyId, detail);
  return {
    total: totals.total,
    flagged: totals.flagged ?? 0,
    byVersion,
    monthly,
    questions: ordered.map((k) => byKey.get(k)!),
    comments: comments.map((c) => ({
      ...commentMeta({ answerId: c.id, responseId: c.responseId, submittedAt: new Date(c.submittedAt) }, detail),
      text: c.text,
      lang: c.lang,
      unitCode: c.unitCode,
      unitNames: JSON.parse(c.unitNames) as Record<string, string>,
      questionKey: c.questionKey,
    })),
  };
}

type CommentRow = { id: number; responseId: number; text: string; lang: string; submittedAt: string; unitCode: string; unitNames: string; questionKey: string };

const COMMENTS_SHOWN = 30;

/**
 * The latest comments: for the office the last 30 in submission order; for unit readers those of
 * the latest days, newest day first and in a keyed order within a day (app/domain/comment-order.ts).
 * All of the oldest day that reaches 30 is read, so which of its comments are shown does not
 * depend on who came last either.
 */
async function latestComments(sql: Sql, scope: string, surveyId: number, detail: CommentDetail): Promise<CommentRow[]> {
  const where = `${scope} AND a.text IS NOT NULL AND a.hiddenAt IS NULL AND ${COUNTED}`;
  const select = `SELECT a.id, r.id AS responseId, a.text, r.lang, r.submittedAt, u.code AS unitCode, u.names AS unitNames, q.key AS questionKey
       FROM Answer a JOIN Response r ON r.id = a.responseId JOIN Unit u ON u.id = r.unitId JOIN Question q ON q.id = a.questionId
       WHERE ${where}`;
  if (detail === "full") return sql.all<CommentRow>(`${select} ORDER BY r.id DESC LIMIT ${COMMENTS_SHOWN}`, surveyId);
  const last = await sql.get<{ submittedAt: string }>(
    `SELECT r.submittedAt FROM Answer a JOIN Response r ON r.id = a.responseId WHERE ${where} ORDER BY r.submittedAt DESC LIMIT 1 OFFSET ${COMMENTS_SHOWN - 1}`,
    surveyId,
  );
  const rows = last
    ? await sql.all<CommentRow>(`${select} AND r.submittedAt >= ?`, surveyId, dbDateTime(startOfLocalDay(localDate(new Date(last.submittedAt)))))
    : await sql.all<CommentRow>(select, surveyId);
  return unitReaderOrder(rows, { day: (c) => localDate(new Date(c.submittedAt)), responseId: (c) => c.responseId, key: commentOrderKey(), limit: COMMENTS_SHOWN });
}

/**
 * Who asks for a survey's results and which units they may see: the office every unit, unit staff
 * and heads their own units (and sub-units when their role says so). `?unit=CODE` narrows it to
 * one unit among those. Anyone else gets 403, an unknown survey 404.
 */
export async function requireResultsScope(request: Request, slug: string) {
  const { user, actor } = await requireStaff(request);
  const survey = await getSurveyBySlug(slug);
  if (!survey) throw data({ reason: "not_found" }, { status: 404 });
  const index = await unitIndex();
  const allowed = surveyResultUnits(actor, index.descendantsOf);
  if (allowed !== null && allowed.length === 0) throw data({ reason: "forbidden" }, { status: 403 });
  const code = new URL(request.url).searchParams.get("unit");
  const chosen = code ? [...index.byId.values()].find((u) => u.code === code) : undefined;
  if (code && (!chosen || (allowed !== null && !allowed.includes(chosen.id)))) throw data({ reason: "forbidden" }, { status: 403 });
  const unitIds = chosen ? [chosen.id] : allowed;
  const choices = (allowed ?? [...index.byId.keys()]).map((id) => index.byId.get(id)!).filter((u) => u.kind !== "region");
  return { user, office: allowed === null, detail: commentDetailFor(actor), survey, unitIds, unit: chosen ?? null, choices };
}
