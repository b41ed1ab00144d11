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
import { responseTally } from "#app/domain/tally";
import { getDb, getWriter, sqliteDateTime, withWriteLock } from "#app/lib/db.server";
import { keyedHash } from "#app/lib/signing.server";
import type { RatingCodeRefusal } from "#app/domain/rating-codes";
import { checkRatingCode, useRatingCode } from "./rating-code.server";
import { applyTally } from "./score-tally.server";
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
  flags: QualityFlag[];
  answers: Record<string, AnswerValue>;
}

export type SubmitResult =
  | { ok: true; id: number; verified: boolean }
  | { ok: false; reason: "repeat"; nextAllowedAt: Date | null }
  | { ok: false; reason: "code"; code: RatingCodeRefusal };

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
      // A verified response counts too: the same phone should not add an unverified one after it.
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
  | {
      lastByDevice: Statement;
      visitSeen: Statement;
      fromNetwork: Statement;
      hopUnits: Statement;
      hopLog: Statement;
      hopPrune: Statement;
      copySeen: Statement;
      codeByDevice: Statement;
      response: Statement;
      answer: Statement;
      flag: Statement;
    }
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
    // One network's responses to the unit within a window: the ordinary ones (last parameter 0, the
    // network-burst rule) or the verified ones (1, the code-burst rule); kiosk visits never count.
    // A plain count over the window's index range (a LIMIT in a subquery cost three times more).
    fromNetwork: db.prepare(
      `SELECT COUNT(*) FROM Response
       WHERE surveyId = ? AND unitId = ? AND ipHash = ? AND submittedAt >= ? AND channel <> 'kiosk' AND (channel = 'verified') = ?`,
    ).pluck(),
    hopUnits: db.prepare(`SELECT COUNT(DISTINCT unitId) FROM RecentDevice WHERE hopKey = ? AND at >= ? AND unitId <> ?`).pluck(),
    hopLog: db.prepare(`INSERT INTO RecentDevice (hopKey, unitId, at) VALUES (?, ?, ?)`),
    hopPrune: db.prepare(`DELETE FROM RecentDevice WHERE at < ?`),
    // Earlier copies: whether each came from this network and within the short window (at most a few).
    copySeen: db.prepare(
      `SELECT ipHash = ? AS sameNetwork, submittedAt >= ? AS recent FROM Response
       WHERE surveyId = ? AND unitId = ? AND fingerprint = ? AND submittedAt >= ? LIMIT 20`,
    ),
    codeByDevice: db.prepare(
      `SELECT COUNT(*) FROM Response WHERE surveyId = ? AND unitId = ? AND deviceId = ? AND submittedAt >= ? AND channel = 'verified'`,
    ).pluck(),
    response: db.prepare(
      `INSERT INTO Response (surveyId, surveyVersionId, periodId, unitId, lang, channel, startedAt, submittedAt, deviceId, visitId, ipHash, fingerprint)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    answer: db.prepare(
      `INSERT INTO Answer (responseId, questionId, grade, notApplicable, choice, text) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    flag: db.prepare(`INSERT INTO ResponseFlag (responseId, flag, createdAt) VALUES (?, ?, ?)`),
  });
}

let lastHopPrune = 0;

const minutesBefore = (at: Date, minutes: number) => sqliteDateTime(new Date(at.getTime() - minutes * 60_000));

/**
 * The stuffing checks of app/domain/stuffing.ts, counted in the write transaction so that a burst
 * of simultaneous submissions sees each earlier one. Returns the flags they add, and logs the
 * device for the hopping rule (and forgets entries older than a day).
 */
function stuffingFlags(input: NewResponse, st: NonNullable<typeof statements>, copy: { fingerprint: string; long: boolean } | null): QualityFlag[] {
  const flags: QualityFlag[] = [];
  const at = input.submittedAt;
  const verified = input.channel === "verified";
  const fromNetwork = () =>
    st.fromNetwork.get(input.survey.id, input.unitId, input.ipHash, minutesBefore(at, input.survey.burstWindowMinutes), verified ? 1 : 0) as number;
  if (verified) {
    const fromNetworkCount = input.ipHash ? fromNetwork() : 0;
    const fromDevice = input.deviceId
      ? (st.codeByDevice.get(input.survey.id, input.unitId, input.deviceId, sqliteDateTime(windowStart(at, Math.max(1, input.survey.repeatWindowHours)))) as number)
      : 0;
    if (isCodeBurst(fromNetworkCount, input.survey.burstLimit, fromDevice)) flags.push("code_burst");
  }
  if (input.ipHash && !exemptFromNetworkRules(input.channel) && input.survey.burstLimit > 0) {
    if (isNetworkBurst(fromNetwork(), input.survey.burstLimit)) flags.push("network_burst");
  }
  if (input.hopKey && !exemptFromNetworkRules(input.channel)) {
    const otherUnits = st.hopUnits.get(input.hopKey, minutesBefore(at, HOP_WINDOW_MINUTES), input.unitId) as number;
    if (isDeviceHopping(otherUnits)) flags.push("device_hopping");
    st.hopLog.run(input.hopKey, input.unitId, sqliteDateTime(at));
    // Forgetting old entries once a minute is enough (the rule only looks back 30 minutes).
    if (at.getTime() - lastHopPrune > 60_000 || at.getTime() < lastHopPrune) {
      st.hopPrune.run(minutesBefore(at, HOP_LOG_HOURS * 60));
      lastHopPrune = at.getTime();
    }
  }
  if (copy) {
    const earlier = st.copySeen.all(
      input.ipHash,
      minutesBefore(at, FINGERPRINT_SHORT_WINDOW_HOURS * 60),
      input.survey.id,
      input.unitId,
      copy.fingerprint,
      minutesBefore(at, FINGERPRINT_WINDOW_HOURS * 60),
    ) as { sameNetwork: number | null; recent: number }[];
    if (isCopy(copy.long, earlier.map((e) => ({ sameNetwork: e.sameNetwork === 1, recent: e.recent === 1 })))) flags.push("same_answers");
  }
  return flags;
}

/** The repeat check, the stuffing checks and the inserts; runs inside withWriteLock's transaction. */
function writeResponse(given: NewResponse): SubmitResult {
  const st = prepare();
  // A rating code is checked and used in this transaction: two citizens sending one code at once
  // cannot both be verified.
  let codeId: number | null = null;
  let input = given;
  if (given.ratingCodeHash) {
    const check = checkRatingCode(given.ratingCodeHash, given.survey.id, given.unitId, given.submittedAt);
    if (!check.ok) return { ok: false, reason: "code", code: check.reason };
    codeId = check.codeId;
    input = { ...given, channel: "verified" };
  }
  const byKey = new Map(input.survey.version.questions.map((q) => [q.key, q]));
  const submittedAt = sqliteDateTime(input.submittedAt);
  if (input.channel === "kiosk") {
    if (!input.visitId || st.visitSeen.get(input.visitId)) {
      return { ok: false, reason: "repeat", nextAllowedAt: null };
    }
  } else if (input.channel !== "verified" && input.deviceId && input.survey.repeatWindowHours > 0) {
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
  const pattern = answerPattern(input.answers);
  const copy = pattern ? { fingerprint: keyedHash("fingerprint", `${input.survey.id}|${input.unitId}|${pattern.pattern}`).slice(0, 32), long: pattern.long } : null;
  const fingerprint = copy?.fingerprint ?? null;
  const flags = [...input.flags, ...stuffingFlags(input, st, copy)];
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
    fingerprint,
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
  for (const flag of flags) st.flag.run(id, flag, submittedAt);
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
  applyTally(input.survey.periodId, input.unitId, tally, 1);
  if (codeId !== null) useRatingCode(codeId, id, input.submittedAt);
  return { ok: true, id, verified: codeId !== null };
}
