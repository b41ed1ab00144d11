// The facts the confirmation steps show before an action on official numbers (app/domain/
// confirmation.ts, app/domain/safeguards.ts). Each function only reads: the first post of every
// such action changes nothing.
import { removalConsequence, type RemovalConsequence, scoreChanges, newlyFedUnits } from "#app/domain/safeguards";
import type { MethodParams } from "#app/domain/scoring";
import type { DefinitionInput, SurveyDefinition } from "#app/domain/survey-definition";
import { surveyAppliesTo } from "#app/domain/survey-availability";
import { db } from "#app/lib/db.server";
import { getPeriod, type PeriodRecord } from "#app/models/period.server";
import { listUnits, type UnitRecord } from "#app/models/unit.server";
import { computeFigures } from "./scores.server";
import type { AuthoringSurvey } from "./survey-authoring.server";

/** What closing a period freezes: its live figures as they stand. */
export async function closeConsequence(period: PeriodRecord) {
  const figures = await computeFigures(period, { now: new Date() });
  return {
    responses: figures.total,
    counted: figures.units.reduce((sum, u) => sum + u.n, 0),
    units: figures.units.length,
    withScore: figures.units.filter((u) => u.q !== null).length,
  };
}

/**
 * What new parameters would do to an open period's live figures: both computed with the scoring
 * code from the same tallies at the same moment; nothing is saved or cached.
 */
export async function paramsEffect(period: PeriodRecord, params: MethodParams) {
  const now = new Date();
  const [before, after] = await Promise.all([computeFigures(period, { now }), computeFigures(period, { now, params })]);
  const names = new Map(after.units.map((u) => [u.code, u.names]));
  return {
    units: after.units.length,
    changes: scoreChanges(before.units, after.units).map((c) => ({ ...c, names: names.get(c.code) ?? {} })),
  };
}

/** What removing the draft's question at `index` does to stored answers and to the scores. */
export async function removalFacts(survey: AuthoringSurvey, draft: DefinitionInput, index: number): Promise<RemovalConsequence | null> {
  const q = draft.questions[index];
  if (!q) return null;
  const answers = Number(
    await db().read.value(
      `SELECT COUNT(*) FROM Answer a JOIN Question q ON q.id = a.questionId JOIN SurveyVersion v ON v.id = q.surveyVersionId
       WHERE v.surveyId = ? AND q.key = ?`,
      survey.id,
      q.key,
    ),
  );
  return removalConsequence(draft.questions, index, survey.published?.questions ?? null, answers);
}

type Target = SurveyDefinition["target"];

function unitsOf(target: Target, units: readonly UnitRecord[]): UnitRecord[] {
  const ids = new Set(units.filter((u) => target.units.includes(u.code)).map((u) => u.id));
  return units.filter((u) => surveyAppliesTo({ targetMode: target.mode, targetKind: target.kind, targetUnitIds: [...ids] }, u));
}

const hasScoredItems = (questions: readonly { kind: string }[]) => questions.some((q) => q.kind === "grade_core");

/**
 * The units whose figures publishing this definition starts to feed (newlyFedUnits), with every
 * unit it will feed, by name, for the confirmation step. Empty when it feeds nobody new.
 */
export async function publishFeed(survey: AuthoringSurvey, def: SurveyDefinition) {
  const period = await getPeriod(def.period);
  const units = await listUnits({ activeOnly: true });
  const after = unitsOf(def.target, units);
  const before = survey.published ? unitsOf(survey.published.target, units) : [];
  const newly = newlyFedUnits(
    survey.published ? { periodCode: survey.published.period, scored: hasScoredItems(survey.published.questions), units: before.map((u) => u.code) } : null,
    { periodCode: def.period, scored: hasScoredItems(def.questions), units: after.map((u) => u.code) },
    period?.status === "open",
  );
  return {
    period: period ? { code: period.code, names: period.names } : null,
    newly,
    units: after.map((u) => ({ code: u.code, names: u.names, isNew: newly.includes(u.code) })),
    scoredItems: def.questions.filter((q) => q.kind === "grade_core").length,
  };
}

/** What deactivating a unit leaves and stops: its open complaints, its surveys' links, its tablets. */
export async function deactivationConsequence(unit: UnitRecord) {
  const read = db().read;
  const statuses = await read.all<{ status: string; n: number }>(`SELECT status, COUNT(*) AS n FROM Complaint WHERE unitId = ? GROUP BY status`, unit.id);
  // Open: not closed or rejected (a replied case can still be reopened by the citizen).
  const openComplaints = statuses.filter((s) => s.status !== "closed" && s.status !== "rejected").reduce((sum, s) => sum + Number(s.n), 0);
  const surveys = (
    await read.all<{ slug: string; titles: string; targetMode: string; targetKind: string | null; chosen: number }>(
      `SELECT s.slug, s.titles, s.targetMode, s.targetKind, EXISTS (SELECT 1 FROM SurveyUnit t WHERE t.surveyId = s.id AND t.unitId = ?) AS chosen
       FROM Survey s WHERE s.status = 'open' ORDER BY s.id`,
      unit.id,
    )
  )
    .filter((s) => surveyAppliesTo({ targetMode: s.targetMode, targetKind: s.targetKind, targetUnitIds: s.chosen ? [unit.id] : [] }, unit))
    .map((s) => ({ slug: s.slug, titles: JSON.parse(s.titles) as Record<string, string> }));
  const tablets = Number(await read.value(`SELECT COUNT(*) FROM KioskLink WHERE unitId = ? AND revokedAt IS NULL`, unit.id));
  return { openComplaints, surveys, tablets };
}
