import type { AnswerValue } from "#app/domain/survey-form";
import type { QualityFlag } from "#app/domain/quality";
import { nextAllowedAt, windowStart } from "#app/domain/repeat";
import { getDb } from "#app/lib/db.server";
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
 * rule inside that transaction. Returns only once the commit is durable.
 */
export async function submitResponse(input: NewResponse): Promise<SubmitResult> {
  const db = await getDb();
  const byKey = new Map(input.survey.version.questions.map((q) => [q.key, q]));
  return db.$transaction(async (tx) => {
    if (input.channel === "kiosk") {
      if (!input.visitId) return { ok: false, reason: "repeat", nextAllowedAt: null } as const;
      const seen = await tx.response.findUnique({ where: { visitId: input.visitId }, select: { id: true } });
      if (seen) return { ok: false, reason: "repeat", nextAllowedAt: null } as const;
    } else if (input.deviceId && input.survey.repeatWindowHours > 0) {
      const last = await tx.response.findFirst({
        where: {
          surveyId: input.survey.id,
          unitId: input.unitId,
          deviceId: input.deviceId,
          channel: { not: "kiosk" },
          submittedAt: { gte: windowStart(input.submittedAt, input.survey.repeatWindowHours) },
        },
        orderBy: { submittedAt: "desc" },
        select: { submittedAt: true },
      });
      if (last) {
        return {
          ok: false,
          reason: "repeat",
          nextAllowedAt: nextAllowedAt(last.submittedAt, input.submittedAt, input.survey.repeatWindowHours),
        } as const;
      }
    }
    const answers = Object.entries(input.answers).flatMap(([key, a]) => {
      const q = byKey.get(key);
      if (!q) return [];
      return [
        {
          questionId: q.id,
          grade: a.kind === "grade" ? a.grade : null,
          notApplicable: a.kind === "na",
          choice: a.kind === "single" ? a.value : a.kind === "multiple" ? JSON.stringify(a.values) : null,
          text: a.kind === "text" ? a.text : null,
        },
      ];
    });
    const created = await tx.response.create({
      data: {
        surveyId: input.survey.id,
        surveyVersionId: input.survey.version.id,
        periodId: input.survey.periodId,
        unitId: input.unitId,
        lang: input.lang,
        channel: input.channel,
        startedAt: input.startedAt,
        submittedAt: input.submittedAt,
        deviceId: input.deviceId,
        visitId: input.visitId,
        ipHash: input.ipHash,
        answers: { createMany: { data: answers } },
        flags: input.flags.length ? { createMany: { data: input.flags.map((flag) => ({ flag })) } } : undefined,
      },
      select: { id: true },
    });
    return { ok: true, id: created.id } as const;
  });
}
