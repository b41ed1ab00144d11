import { getDb } from "#app/lib/db.server";
import { announceChange, sharedTtlCache } from "#app/lib/shared-cache.server";
import type { Condition } from "#app/domain/conditions";
import type { FormQuestion, QuestionKind } from "#app/domain/questions";
import { surveyAppliesTo } from "#app/domain/survey-availability";
import type { UnitRecord } from "./unit.server";

export interface QuestionRecord extends FormQuestion {
  id: number;
  position: number;
  texts: Record<string, string>;
  helps: Record<string, string> | null;
  optionLabels: Record<string, Record<string, string>>;
}

export interface SurveyRecord {
  id: number;
  slug: string;
  periodId: number;
  /** The evaluation period's bounds: responses outside them do not count (docs/scoring.md). */
  period: { startsOn: Date; endsOn: Date };
  status: string;
  titles: Record<string, string>;
  intros: Record<string, string> | null;
  opensAt: Date | null;
  closesAt: Date | null;
  repeatWindowHours: number;
  minSeconds: number;
  kioskEnabled: boolean;
  /** Network bursts (app/domain/stuffing.ts): the limit and its window in minutes. */
  burstLimit: number;
  burstWindowMinutes: number;
  targetMode: string;
  targetKind: string | null;
  targetUnitIds: number[];
  /** The version citizens answer; null for a survey that has none yet (a draft). */
  version: { id: number; version: number; questions: QuestionRecord[] } | null;
}

export type AnswerableSurvey = SurveyRecord & { version: NonNullable<SurveyRecord["version"]> };

type OptionJson = { value: string; labels: Record<string, string> };

/** A question as the citizen's page and the submission use it: from a stored version or a draft. */
export function questionRecord(q: Omit<QuestionRecord, "options" | "optionLabels"> & { options: readonly OptionJson[] }): QuestionRecord {
  return {
    id: q.id,
    key: q.key,
    kind: q.kind,
    required: q.required,
    allowNa: q.allowNa,
    position: q.position,
    maxLength: q.maxLength,
    texts: q.texts,
    helps: q.helps,
    options: q.options.map((o) => o.value),
    optionLabels: Object.fromEntries(q.options.map((o) => [o.value, o.labels])),
    condition: q.condition,
    step: q.step,
  };
}

async function loadSurvey(slug: string): Promise<SurveyRecord | null> {
  const db = await getDb();
  const s = await db.survey.findUnique({
    where: { slug },
    include: { targets: { select: { unitId: true } }, period: { select: { startsOn: true, endsOn: true } } },
  });
  if (!s) return null;
  const version = await db.surveyVersion.findUnique({
    where: { surveyId_version: { surveyId: s.id, version: s.currentVersion } },
    include: { questions: { orderBy: { position: "asc" } } },
  });
  return {
    id: s.id,
    slug: s.slug,
    periodId: s.periodId,
    period: s.period,
    status: s.status,
    titles: s.titles as Record<string, string>,
    intros: (s.intros as Record<string, string> | null) ?? null,
    opensAt: s.opensAt,
    closesAt: s.closesAt,
    repeatWindowHours: s.repeatWindowHours,
    minSeconds: s.minSeconds,
    kioskEnabled: s.kioskEnabled,
    burstLimit: s.burstLimit,
    burstWindowMinutes: s.burstWindowMinutes,
    targetMode: s.targetMode,
    targetKind: s.targetKind,
    targetUnitIds: s.targets.map((t) => t.unitId),
    version: version && {
      id: version.id,
      version: version.version,
      questions: version.questions.map((q) =>
        questionRecord({
          ...q,
          kind: q.kind as QuestionKind,
          texts: q.texts as Record<string, string>,
          helps: (q.helps as Record<string, string> | null) ?? null,
          options: (q.options as OptionJson[] | null) ?? [],
          condition: (q.condition as Condition | null) ?? null,
          step: q.step === 1 ? 1 : 2,
        }),
      ),
    },
  };
}

// Survey definitions are read on every survey page and submission but change rarely (and, once
// answered, never within a version): a short per-process cache keeps the hot path to the writes.
const surveys = sharedTtlCache("surveys", 5_000, loadSurvey);

export function getSurveyBySlug(slug: string): Promise<SurveyRecord | null> {
  if (!/^[a-z0-9-]{1,80}$/.test(slug)) return Promise.resolve(null);
  return surveys.get(slug);
}

/** After a survey changed: every app process reads it afresh. */
export function clearSurveyCache(): Promise<void> {
  return announceChange("surveys");
}

/** Open surveys (status open; dates are checked by the caller) that apply to the unit. */
export async function openSurveysForUnit(unit: UnitRecord, now = new Date()) {
  const db = await getDb();
  const rows = await db.survey.findMany({
    where: {
      status: "open",
      AND: [
        { OR: [{ opensAt: null }, { opensAt: { lte: now } }] },
        { OR: [{ closesAt: null }, { closesAt: { gt: now } }] },
      ],
    },
    include: { targets: { select: { unitId: true } } },
    orderBy: { id: "asc" },
  });
  return rows
    .filter((s) =>
      surveyAppliesTo(
        { targetMode: s.targetMode, targetKind: s.targetKind, targetUnitIds: s.targets.map((t) => t.unitId) },
        unit,
      ),
    )
    .map((s) => ({ slug: s.slug, titles: s.titles as Record<string, string> }));
}
