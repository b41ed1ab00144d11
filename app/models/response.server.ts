import type { AnswerValue } from "#app/domain/survey-form";
import type { QualityFlag } from "#app/domain/quality";
import { nextAllowedAt, windowStart } from "#app/domain/repeat";
import {
  answerPattern,
  exemptFromNetworkRules,
  FINGERPRINT_SHORT_WINDOW_HOURS,
  FINGERPRINT_WINDOW_HOURS,
  HOP_LOG_HOURS,
  HOP_WINDOW_MINUTES,
  isCodeBurst,
  isCopy,
  isDeviceHopping,
  isNetworkBurst,
} from "#app/domain/stuffing";
import { isDissatisfied } from "#app/domain/survey-steps";
import { type GradeAnswer, responseTally } from "#app/domain/tally";
import { stepOf } from "#app/domain/questions";
import { db, dbDateTime, type WriteTx } from "#app/lib/db.server";
import { dialect } from "#app/lib/db/dialect.server";
import { countRefusedSubmission, countSubmission } from "#app/lib/metrics.server";
import { keyedHash } from "#app/lib/signing.server";
import type { RatingCodeRefusal } from "#app/domain/rating-codes";
import { checkRatingCode, useRatingCode } from "./rating-code.server";
import { applyItemTally, applyTally } from "./score-tally.server";
import type { AnswerableSurvey, SurveyRecord } from "./survey.server";

/** How a response arrived; "verified" when it was made with a single-use rating code. */
export type Channel = "link" | "qr" | "kiosk" | "verified";

export interface NewResponse {
  survey: AnswerableSurvey;
  unitId: number;
  lang: string;
  channel: Channel;
  deviceId: string | null;
  visitId: string | null;
  ipHash: string | null;
  /**
   * The keyed hash of a single-use rating code (一次一评) the citizen came with: a valid unused code
   * of this survey and unit makes the response "verified" (its channel), and is used up with it.
   */
  ratingCodeHash?: string | null;
  /** Keyed hash of the device id for the survey (not the unit): the cross-unit hopping rule. */
  hopKey?: string | null;
  startedAt: Date | null;
  submittedAt: Date;
  /**
   * When the citizen pressed send, by the phone's clock, clamped between startedAt and submittedAt
   * (finishedAtFrom). Kept for the office; the period and the flags go by submittedAt.
   */
  finishedAt?: Date | null;
  /**
   * The random id the form carried. A second post with the same id is the same response: with the
   * same unit and answers it gets the first outcome again, never a second row; with different ones
   * it is refused ("conflict").
   */
  submissionId?: string | null;
  flags: QualityFlag[];
  /** The answers of the quick step (step 1); step 2 comes later through addDetail. */
  answers: Record<string, AnswerValue>;
}

export type SubmitResult =
  | { ok: true; id: number; verified: boolean; dissatisfied: boolean; detailAdded: boolean; resent: boolean }
  | { ok: false; reason: "repeat"; nextAllowedAt: Date | null }
  | { ok: false; reason: "code"; code: RatingCodeRefusal }
  | { ok: false; reason: "conflict" };

/**
 * What a submission id vouches for: the unit and the answers, in a canonical order, as a keyed hash
 * (the stored digest says nothing about the answers by itself).
 */
export function answersDigest(scope: string, answers: Readonly<Record<string, AnswerValue>>): string {
  const canonical = Object.keys(answers)
    .sort()
    .map((key) => [key, answers[key]]);
  return keyedHash("submission", `${scope}|${JSON.stringify(canonical)}`).slice(0, 32);
}

/** A submission id as forms carry it: a UUID (anything else is ignored, as if absent). */
export function readSubmissionId(raw: unknown): string | null {
  return typeof raw === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(raw) ? raw.toLowerCase() : null;
}

/** When a public-link device may answer this survey for this unit again (null: now). */
export async function deviceNextAllowedAt(
  survey: Pick<SurveyRecord, "id" | "repeatWindowHours">,
  unitId: number,
  deviceId: string | null,
  now = new Date(),
): Promise<Date | null> {
  if (!deviceId || survey.repeatWindowHours <= 0) return null;
  // The write path's own statement (one indexed look-up, no round trip through Prisma): the survey
  // page asks it on every visit of a phone that answered before. A verified response counts too:
  // the same phone should not add an unverified one after it.
  const last = await db().read.get<{ submittedAt: string }>(S.lastByDevice, survey.id, unitId, deviceId, dbDateTime(windowStart(now, survey.repeatWindowHours)));
  return nextAllowedAt(last ? new Date(last.submittedAt) : null, now, survey.repeatWindowHours);
}

/**
 * Stores a response with its answers and flags in one transaction, after checking the repeat
 * rule inside that transaction. When it returns, the commit is durable (synchronous=FULL).
 */
export async function submitResponse(input: NewResponse): Promise<SubmitResult> {
  // IMMEDIATE takes the write lock before the repeat check, so no other connection or process
  // can slip a response in between the check and the insert.
  const stored: { channel?: Channel; flags?: QualityFlag[] } = {};
  const result = await db().write((tx) => writeResponse(tx, input, (s) => Object.assign(stored, s)), { hot: true });
  // Counted once committed (db().write resolves after the commit); a resend is not counted again.
  if (result.ok && stored.channel && stored.flags) countSubmission(stored.channel, stored.flags);
  else if (!result.ok) countRefusedSubmission(result.reason);
  return result;
}

/** The statements of the write path, prepared once per connection by text. */
const S = {
    lastByDevice:
      `SELECT submittedAt FROM Response
       WHERE surveyId = ? AND unitId = ? AND deviceId = ? AND channel <> 'kiosk' AND submittedAt >= ?
       ORDER BY submittedAt DESC LIMIT 1`,
    visitSeen: `SELECT 1 FROM Response WHERE visitId = ?`,
    // One network's responses to the unit within a window: the ordinary ones (last parameter 0, the
    // network-burst rule) or the verified ones (1, the code-burst rule); kiosk visits never count.
    // A plain count over the window's index range (a LIMIT in a subquery cost three times more).
    fromNetwork:
      `SELECT COUNT(*) FROM Response
       WHERE surveyId = ? AND unitId = ? AND ipHash = ? AND submittedAt >= ? AND channel <> 'kiosk' AND (channel = 'verified') = ?`,
    hopUnits: `SELECT COUNT(DISTINCT unitId) FROM RecentDevice WHERE hopKey = ? AND at >= ? AND unitId <> ?`,
    hopLog: `INSERT INTO RecentDevice (hopKey, unitId, at) VALUES (?, ?, ?)`,
    hopPrune: `DELETE FROM RecentDevice WHERE at < ?`,
    // Earlier copies: whether each came from this network and within the short window (at most a few).
    copySeen:
      `SELECT ipHash = ? AS sameNetwork, submittedAt >= ? AS recent FROM Response
       WHERE surveyId = ? AND unitId = ? AND fingerprint = ? AND submittedAt >= ? LIMIT 20`,
    codeByDevice:
      `SELECT COUNT(*) FROM Response WHERE surveyId = ? AND unitId = ? AND deviceId = ? AND submittedAt >= ? AND channel = 'verified'`,
    bySubmission:
      `SELECT id, submissionDigest, channel, dissatisfied, detailAt FROM Response WHERE surveyId = ? AND submissionId = ?`,
    response:
      `INSERT INTO Response (surveyId, surveyVersionId, periodId, unitId, lang, channel, startedAt, submittedAt, deviceId, visitId, ipHash, fingerprint,
         submissionId, submissionDigest, finishedAt, dissatisfied)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    answer:
      `INSERT INTO Answer (responseId, questionId, grade, notApplicable, choice, text) VALUES (?, ?, ?, ?, ?, ?)`,
    flag: `INSERT INTO ResponseFlag (responseId, flag, createdAt) VALUES (?, ?, ?)`,
    // Step 2 and the thanks page: the response a ticket names, its flags and its answers.
    byId:
      `SELECT id, surveyId, surveyVersionId, periodId, unitId, channel, submittedAt, dissatisfied, detailAt, detailDigest FROM Response WHERE id = ?`,
    flagsOf: `SELECT flag FROM ResponseFlag WHERE responseId = ?`,
    markDetail: `UPDATE Response SET detailAt = ?, detailDigest = ? WHERE id = ? AND detailAt IS NULL`,
    answersOf:
      `SELECT q.key, q.kind, a.grade, a.notApplicable, a.choice, a.text FROM Answer a JOIN Question q ON q.id = a.questionId WHERE a.responseId = ?`,
  } as const;

/** A stored response's row as step 2 and the thanks page read it. */
interface ResponseRow {
  id: number;
  surveyId: number;
  surveyVersionId: number;
  periodId: number;
  unitId: number;
  channel: string;
  submittedAt: string;
  dissatisfied: number;
  detailAt: string | null;
  detailDigest: string | null;
}

let lastHopPrune = 0;

const minutesBefore = (at: Date, minutes: number) => dbDateTime(new Date(at.getTime() - minutes * 60_000));

/**
 * The stuffing checks of app/domain/stuffing.ts, counted in the write transaction so that a burst
 * of simultaneous submissions sees each earlier one. Returns the flags they add, and logs the
 * device for the hopping rule (and forgets entries older than a day).
 */
async function stuffingFlags(tx: WriteTx, input: NewResponse, copy: { fingerprint: string; long: boolean } | null): Promise<QualityFlag[]> {
  const flags: QualityFlag[] = [];
  const at = input.submittedAt;
  const verified = input.channel === "verified";
  const fromNetwork = async () =>
    Number(await tx.value(S.fromNetwork, input.survey.id, input.unitId, input.ipHash, minutesBefore(at, input.survey.burstWindowMinutes), verified ? 1 : 0));
  if (verified) {
    const fromNetworkCount = input.ipHash ? await fromNetwork() : 0;
    const fromDevice = input.deviceId
      ? Number(await tx.value(S.codeByDevice, input.survey.id, input.unitId, input.deviceId, dbDateTime(windowStart(at, Math.max(1, input.survey.repeatWindowHours)))))
      : 0;
    if (isCodeBurst(fromNetworkCount, input.survey.burstLimit, fromDevice)) flags.push("code_burst");
  }
  if (input.ipHash && !exemptFromNetworkRules(input.channel) && input.survey.burstLimit > 0) {
    if (isNetworkBurst(await fromNetwork(), input.survey.burstLimit)) flags.push("network_burst");
  }
  if (input.hopKey && !exemptFromNetworkRules(input.channel)) {
    const otherUnits = Number(await tx.value(S.hopUnits, input.hopKey, minutesBefore(at, HOP_WINDOW_MINUTES), input.unitId));
    if (isDeviceHopping(otherUnits)) flags.push("device_hopping");
    await tx.run(S.hopLog, input.hopKey, input.unitId, dbDateTime(at));
    // Forgetting old entries once a minute is enough (the rule only looks back 30 minutes).
    if (at.getTime() - lastHopPrune > 60_000 || at.getTime() < lastHopPrune) {
      await tx.run(S.hopPrune, minutesBefore(at, HOP_LOG_HOURS * 60));
      lastHopPrune = at.getTime();
    }
  }
  if (copy) {
    const earlier = await tx.all<{ sameNetwork: number | null; recent: number }>(
      S.copySeen,
      input.ipHash,
      minutesBefore(at, FINGERPRINT_SHORT_WINDOW_HOURS * 60),
      input.survey.id,
      input.unitId,
      copy.fingerprint,
      minutesBefore(at, FINGERPRINT_WINDOW_HOURS * 60),
    );
    if (isCopy(copy.long, earlier.map((e) => ({ sameNetwork: e.sameNetwork === 1, recent: e.recent === 1 })))) flags.push("same_answers");
  }
  return flags;
}

/** The repeat check, the stuffing checks and the inserts, in one write transaction. */
async function writeResponse(
  tx: WriteTx,
  given: NewResponse,
  onStored?: (stored: { channel: Channel; flags: QualityFlag[] }) => void,
): Promise<SubmitResult> {
  // A resend (the phone lost the answer, a double tap, the offline outbox) is recognised first:
  // before the repeat rule, which the first copy would otherwise trip, and before the rating code,
  // which the first copy used.
  const digest = given.submissionId ? answersDigest(String(given.unitId), given.answers) : null;
  // On a database with several writers at once, the checks below and the insert must not
  // interleave with another submission of the same resend, device or kiosk visit.
  const keys: string[] = [];
  if (given.submissionId) keys.push(`submission|${given.survey.id}|${given.submissionId}`);
  if (given.deviceId) keys.push(`device|${given.survey.id}|${given.unitId}|${given.deviceId}`);
  if (given.visitId) keys.push(`visit|${given.visitId}`);
  if (keys.length > 0) await dialect().lockKeys(tx, keys);
  if (given.submissionId) {
    const prior = await tx.get<{ id: number; submissionDigest: string | null; channel: string; dissatisfied: number; detailAt: string | null }>(
      S.bySubmission,
      given.survey.id,
      given.submissionId,
    );
    if (prior) {
      if (prior.submissionDigest !== digest) return { ok: false, reason: "conflict" };
      return { ok: true, id: prior.id, verified: prior.channel === "verified", dissatisfied: prior.dissatisfied === 1, detailAdded: prior.detailAt !== null, resent: true };
    }
  }
  // A rating code is checked and used in this transaction: two citizens sending one code at once
  // cannot both be verified.
  let codeId: number | null = null;
  let input = given;
  if (given.ratingCodeHash) {
    const check = await checkRatingCode(tx, given.ratingCodeHash, given.survey.id, given.unitId, given.submittedAt);
    if (!check.ok) return { ok: false, reason: "code", code: check.reason };
    codeId = check.codeId;
    input = { ...given, channel: "verified" };
  }
  const byKey = new Map(input.survey.version.questions.map((q) => [q.key, q]));
  const submittedAt = dbDateTime(input.submittedAt);
  if (input.channel === "kiosk") {
    if (!input.visitId || (await tx.value(S.visitSeen, input.visitId)) !== undefined) {
      return { ok: false, reason: "repeat", nextAllowedAt: null };
    }
  } else if (input.channel !== "verified" && input.deviceId && input.survey.repeatWindowHours > 0) {
    const from = dbDateTime(windowStart(input.submittedAt, input.survey.repeatWindowHours));
    const last = await tx.get<{ submittedAt: string }>(S.lastByDevice, input.survey.id, input.unitId, input.deviceId, from);
    if (last) {
      return {
        ok: false,
        reason: "repeat",
        nextAllowedAt: nextAllowedAt(new Date(last.submittedAt), input.submittedAt, input.survey.repeatWindowHours),
      };
    }
  }
  const pattern = answerPattern(input.answers);
  const copy = pattern ? { fingerprint: keyedHash("fingerprint", `${input.survey.id}|${input.unitId}|${pattern.pattern}`).slice(0, 32), long: pattern.long } : null;
  const fingerprint = copy?.fingerprint ?? null;
  const flags = [...input.flags, ...(await stuffingFlags(tx, input, copy))];
  const dissatisfied = isDissatisfied(input.survey.version.questions, input.answers);
  const id = await tx.insert(
    S.response,
    input.survey.id,
    input.survey.version.id,
    input.survey.periodId,
    input.unitId,
    input.lang,
    input.channel,
    input.startedAt ? dbDateTime(input.startedAt) : null,
    submittedAt,
    input.deviceId,
    input.visitId,
    input.ipHash,
    fingerprint,
    input.submissionId ?? null,
    digest,
    input.finishedAt ? dbDateTime(input.finishedAt) : null,
    dissatisfied ? 1 : 0,
  );
  for (const [key, a] of Object.entries(input.answers)) {
    const q = byKey.get(key);
    if (!q) continue;
    await tx.run(
      S.answer,
      id,
      q.id,
      a.kind === "grade" ? a.grade : null,
      a.kind === "na" ? 1 : 0,
      a.kind === "single" ? a.value : a.kind === "multiple" ? JSON.stringify(a.values) : null,
      a.kind === "text" ? a.text : null,
    );
  }
  for (const flag of flags) await tx.run(S.flag, id, flag, submittedAt);
  // The scores' running tallies change in the same transaction as the response itself.
  const gradeAnswers = input.survey.version.questions.flatMap((q) => {
    const a = input.answers[q.key];
    if (!a || (a.kind !== "grade" && a.kind !== "na")) return [];
    return [{ questionKey: q.key, core: q.kind === "grade_core", grade: a.kind === "grade" ? a.grade : null }];
  });
  const tally = responseTally({
    submittedAt: input.submittedAt,
    flags,
    channel: input.channel,
    period: input.survey.period,
    answers: gradeAnswers,
  });
  applyTally(tx, input.survey.periodId, input.unitId, tally, 1);
  if (codeId !== null) await useRatingCode(tx, codeId, id, input.submittedAt);
  onStored?.({ channel: input.channel, flags });
  return { ok: true, id, verified: codeId !== null, dissatisfied, detailAdded: false, resent: false };
}

export interface NewDetail {
  survey: AnswerableSurvey;
  responseId: number;
  unitId: number;
  /** Answers to step 2's questions only (parseStep). */
  answers: Record<string, AnswerValue>;
}

export type DetailResult = { ok: true; resent: boolean } | { ok: false; reason: "unknown" | "used" };

/**
 * Adds the optional detail (step 2) to a stored response, once. The same detail sent again (a
 * resend) is accepted again without a change; a different one is refused ("used"). Five-grade
 * items given here move the item counts only: the response, its flags and its score were settled
 * with step 1.
 */
export function addDetail(input: NewDetail): Promise<DetailResult> {
  return db().write((tx) => writeDetail(tx, input), { hot: true });
}

async function writeDetail(tx: WriteTx, input: NewDetail): Promise<DetailResult> {
  const r = await tx.get<ResponseRow>(S.byId, input.responseId);
  // The detail belongs to the version the response answered: after a new version it is no longer offered.
  if (!r || r.surveyId !== input.survey.id || r.unitId !== input.unitId || r.surveyVersionId !== input.survey.version.id) {
    return { ok: false, reason: "unknown" };
  }
  const digest = answersDigest(`detail|${input.responseId}`, input.answers);
  if (r.detailAt !== null) return r.detailDigest === digest ? { ok: true, resent: true } : { ok: false, reason: "used" };
  const detailQuestions = input.survey.version.questions.filter((q) => stepOf(q) === 2);
  const gradeAnswers: GradeAnswer[] = [];
  for (const q of detailQuestions) {
    const a = input.answers[q.key];
    if (!a) continue;
    await tx.run(
      S.answer,
      input.responseId,
      q.id,
      a.kind === "grade" ? a.grade : null,
      a.kind === "na" ? 1 : 0,
      a.kind === "single" ? a.value : a.kind === "multiple" ? JSON.stringify(a.values) : null,
      a.kind === "text" ? a.text : null,
    );
    if (a.kind === "grade" || a.kind === "na") gradeAnswers.push({ questionKey: q.key, core: q.kind === "grade_core", grade: a.kind === "grade" ? a.grade : null });
  }
  await tx.run(S.markDetail, dbDateTime(new Date()), digest, input.responseId);
  if (gradeAnswers.length > 0) {
    const tally = responseTally({
      submittedAt: new Date(r.submittedAt),
      flags: await tx.pluck<string>(S.flagsOf, input.responseId),
      channel: r.channel,
      period: input.survey.period,
      answers: gradeAnswers,
    });
    applyItemTally(tx, r.periodId, r.unitId, tally);
  }
  return { ok: true, resent: false };
}

export interface StoredRating {
  id: number;
  surveyId: number;
  surveyVersionId: number;
  unitId: number;
  submittedAt: Date;
  dissatisfied: boolean;
  detailAdded: boolean;
  /** The answers stored so far, by question key (the thanks page's display conditions). */
  answers: Record<string, AnswerValue>;
}

/** A stored response as the thanks page needs it (the ticket in its address names it). */
export async function storedRating(id: number): Promise<StoredRating | null> {
  const r = await db().read.get<ResponseRow>(S.byId, id);
  if (!r) return null;
  const rows = await db().read.all<{ key: string; kind: string; grade: number | null; notApplicable: number; choice: string | null; text: string | null }>(
    S.answersOf,
    id,
  );
  const answers: Record<string, AnswerValue> = {};
  for (const a of rows) {
    if (a.notApplicable) answers[a.key] = { kind: "na" };
    else if (a.grade !== null) answers[a.key] = { kind: "grade", grade: a.grade };
    else if (a.kind === "multiple" && a.choice) answers[a.key] = { kind: "multiple", values: JSON.parse(a.choice) as string[] };
    else if (a.choice !== null) answers[a.key] = { kind: "single", value: a.choice };
    else if (a.text !== null) answers[a.key] = { kind: "text", text: a.text };
  }
  return {
    id: r.id,
    surveyId: r.surveyId,
    surveyVersionId: r.surveyVersionId,
    unitId: r.unitId,
    submittedAt: new Date(r.submittedAt),
    dissatisfied: r.dissatisfied === 1,
    detailAdded: r.detailAt !== null,
    answers,
  };
}
