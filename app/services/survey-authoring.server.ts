// The evaluation office's survey editor: drafts, publishing (with versions once a survey is
// answered), duplication, JSON import/export and the history. Rules (docs/decisions/0009):
// - The editor always edits a draft, saved as typed; citizens answer the published version.
// - Publishing checks the definition, every text in every language, the period and the units.
// - Publishing changed questions replaces the current version's questions while nobody has
//   answered it, and otherwise creates the next version; responses keep their version, and the
//   scores tally each response with its own version's scored items.
// - The slug (printed in links and QR codes) and, once answered, the period never change.
import type { Condition } from "#app/domain/conditions";
import { checkDefinition, type DefinitionErrors } from "#app/domain/survey-schema";
import {
  DEFINITION_FORMAT,
  type DefinitionInput,
  diffQuestions,
  hasChanges,
  missingTranslations,
  type MissingText,
  type QuestionChanges,
  type QuestionDefinition,
  SLUG_PATTERN,
  type SurveyDefinition,
  toInput,
  blankDefinition,
  inputStep,
} from "#app/domain/survey-definition";
import { isGradeKind, questionKinds, type QuestionKind } from "#app/domain/questions";
import { surveyAvailability } from "#app/domain/survey-availability";
import { endOfLocalDay, localDate, startOfLocalDay } from "#app/domain/working-days";
import { languageCodes } from "#app/i18n/languages";
import { db, dbDateTime, getDb } from "#app/lib/db.server";
import { writeAudit } from "#app/models/audit.server";
import { clearSurveyCache, questionRecord } from "#app/models/survey.server";

export interface SurveySummary {
  id: number;
  slug: string;
  titles: Record<string, string>;
  status: string;
  currentVersion: number;
  periodCode: string;
  responses: number;
  draftPending: boolean;
}

export async function listSurveys(): Promise<SurveySummary[]> {
  const db = await getDb();
  const rows = await db.survey.findMany({ include: { period: { select: { code: true } } }, orderBy: { id: "desc" } });
  const counts = await db.response.groupBy({ by: ["surveyId"], _count: { _all: true } });
  const byId = new Map(counts.map((c) => [c.surveyId, c._count._all]));
  return rows.map((s) => ({
    id: s.id,
    slug: s.slug,
    titles: s.titles as Record<string, string>,
    status: s.status,
    currentVersion: s.currentVersion,
    periodCode: s.period.code,
    responses: byId.get(s.id) ?? 0,
    draftPending: s.draft !== null,
  }));
}

type QuestionRow = {
  key: string;
  kind: string;
  required: boolean;
  allowNa: boolean;
  texts: unknown;
  helps: unknown;
  options: unknown;
  maxLength: number | null;
  condition: unknown;
  step: number;
};

function questionDefinition(q: QuestionRow): QuestionDefinition {
  return {
    key: q.key,
    kind: q.kind as QuestionKind,
    required: q.required,
    allowNa: q.allowNa,
    texts: (q.texts ?? {}) as Record<string, string>,
    helps: (q.helps ?? {}) as Record<string, string>,
    options: ((q.options ?? []) as { value: string; labels: Record<string, string> }[]).map((o) => ({ value: o.value, labels: o.labels })),
    maxLength: q.maxLength,
    condition: (q.condition as Condition | null) ?? null,
    step: q.step === 1 ? 1 : 2,
  };
}

export interface AuthoringSurvey {
  id: number;
  slug: string;
  status: string;
  currentVersion: number;
  titles: Record<string, string>;
  /** Responses to the current version and to the survey as a whole. */
  versionResponses: number;
  responses: number;
  /** The published definition; null while the survey has never been published. */
  published: SurveyDefinition | null;
  /** What the editor shows: the saved draft, or else the published definition. */
  draft: DefinitionInput;
  draftSavedAt: Date | null;
}

export async function getAuthoringSurvey(slug: string): Promise<AuthoringSurvey | null> {
  if (!SLUG_PATTERN.test(slug)) return null;
  const db = await getDb();
  const s = await db.survey.findUnique({
    where: { slug },
    include: { period: { select: { code: true } }, targets: { select: { unit: { select: { code: true } } } } },
  });
  if (!s) return null;
  const version = await db.surveyVersion.findUnique({
    where: { surveyId_version: { surveyId: s.id, version: s.currentVersion } },
    include: { questions: { orderBy: { position: "asc" } }, _count: { select: { responses: true } } },
  });
  const responses = await db.response.count({ where: { surveyId: s.id } });
  const published: SurveyDefinition | null = version
    ? {
        format: DEFINITION_FORMAT,
        slug: s.slug,
        period: s.period.code,
        titles: s.titles as Record<string, string>,
        intros: (s.intros ?? {}) as Record<string, string>,
        target: {
          mode: s.targetMode as SurveyDefinition["target"]["mode"],
          kind: s.targetMode === "kind" ? (s.targetKind as SurveyDefinition["target"]["kind"]) : null,
          units: s.targets.map((t) => t.unit.code).sort(),
        },
        opensOn: s.opensAt ? localDate(s.opensAt) : null,
        closesOn: s.closesAt ? localDate(new Date(s.closesAt.getTime() - 1)) : null,
        repeatWindowHours: s.repeatWindowHours,
        minSeconds: s.minSeconds,
        kioskEnabled: s.kioskEnabled,
        burstLimit: s.burstLimit,
        burstWindowMinutes: s.burstWindowMinutes,
        questions: version.questions.map(questionDefinition),
      }
    : null;
  return {
    id: s.id,
    slug: s.slug,
    status: s.status,
    currentVersion: s.currentVersion,
    titles: s.titles as Record<string, string>,
    versionResponses: version?._count.responses ?? 0,
    responses,
    published,
    draft: (s.draft as DefinitionInput | null) ?? (published ? toInput(published) : blankDefinition(s.slug, s.period.code)),
    draftSavedAt: s.draftSavedAt,
  };
}

export class SurveyAuthoringError extends Error {
  constructor(public readonly errors: DefinitionErrors) {
    super("survey authoring refused");
  }
}

async function assertSlugFree(slug: string) {
  if (!SLUG_PATTERN.test(slug)) throw new SurveyAuthoringError({ slug: "surveys.errors.slug" });
  const db = await getDb();
  if (await db.survey.findUnique({ where: { slug } })) throw new SurveyAuthoringError({ slug: "surveys.errors.slugTaken" });
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  // SQLite's codes, Prisma's, and PostgreSQL's unique_violation.
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "P2002" || code === "23505";
}

async function periodId(code: string): Promise<number | null> {
  const db = await getDb();
  return (await db.evaluationPeriod.findUnique({ where: { code } }))?.id ?? null;
}

/** A new survey: a draft with one empty question (or the given definition), never published. */
export async function createSurvey(input: { slug: string; period: string; draft?: DefinitionInput; actorId: number | null; action?: string }) {
  await assertSlugFree(input.slug);
  const pid = await periodId(input.period);
  if (!pid) throw new SurveyAuthoringError({ period: "surveys.errors.unknownPeriod" });
  const draft = { ...(input.draft ?? blankDefinition(input.slug, input.period)), slug: input.slug, period: input.period };
  const now = dbDateTime(new Date());
  // The check above answers early; this one, inside the write transaction, decides: two creations
  // of one name at once both pass the first check, and the second must get "already taken", not a
  // 500 from the unique index (which is caught too, for a writer outside this process).
  return db().write(async (tx) => {
    if (await tx.get(`SELECT 1 FROM Survey WHERE slug = ?`, input.slug)) throw new SurveyAuthoringError({ slug: "surveys.errors.slugTaken" });
    try {
      const id = await tx.insert(
        `INSERT INTO Survey (slug, periodId, status, currentVersion, titles, targetMode, repeatWindowHours, minSeconds, kioskEnabled, draft, draftSavedAt, createdAt, updatedAt)
         VALUES (?, ?, 'draft', 0, ?, 'units', 24, 8, TRUE, ?, ?, ?, ?) RETURNING id`,
        input.slug,
        pid,
        JSON.stringify(draft.titles ?? {}),
        JSON.stringify(draft),
        now,
        now,
        now,
      );
      await writeAudit(tx, { actorId: input.actorId, action: input.action ?? "survey.create", targetType: "survey", targetId: input.slug });
      return id;
    } catch (error) {
      if (isUniqueViolation(error)) throw new SurveyAuthoringError({ slug: "surveys.errors.slugTaken" });
      throw error;
    }
  });
}

/** A copy of a survey's editor content (draft or published) under a new slug, as a new draft. */
export async function duplicateSurvey(source: AuthoringSurvey, slug: string, actorId: number) {
  return createSurvey({ slug, period: source.draft.period, draft: { ...source.draft, slug }, actorId, action: "survey.duplicate" });
}

/** Which saved state of the draft an editor page shows: a stale page must not overwrite a newer one. */
export function draftRevision(survey: Pick<AuthoringSurvey, "draftSavedAt" | "currentVersion">): string {
  return `${survey.currentVersion}:${survey.draftSavedAt?.getTime() ?? 0}`;
}

/** Saves the draft and returns its new revision (what a page drawn from it would carry). */
export async function saveDraft(survey: AuthoringSurvey, draft: DefinitionInput): Promise<string> {
  const db = await getDb();
  const draftSavedAt = new Date();
  await db.survey.update({ where: { id: survey.id }, data: { draft: JSON.parse(JSON.stringify({ ...draft, slug: survey.slug })), draftSavedAt } });
  return draftRevision({ currentVersion: survey.currentVersion, draftSavedAt });
}

/** Drops the draft: the editor shows the published definition again. */
export async function discardDraft(survey: AuthoringSurvey, actorId: number) {
  await db().write(async (tx) => {
    await tx.run(`UPDATE Survey SET draft = NULL, draftSavedAt = NULL WHERE id = ?`, survey.id);
    await writeAudit(tx, { actorId, action: "survey.discard_draft", targetType: "survey", targetId: survey.slug });
  });
}

export interface EditorCheck {
  errors: DefinitionErrors;
  missing: MissingText[];
}

/** What stands between a draft and publishing: invalid fields and missing translations. */
export async function checkDraft(survey: AuthoringSurvey, draft: DefinitionInput): Promise<EditorCheck & { definition: SurveyDefinition | null }> {
  const missing = missingTranslations(draft, languageCodes);
  const checked = checkDefinition(draft);
  const errors: DefinitionErrors = checked.ok ? {} : { ...checked.errors };
  const def = checked.ok ? checked.definition : null;
  if (def) {
    const db = await getDb();
    const period = await db.evaluationPeriod.findUnique({ where: { code: def.period } });
    if (!period) errors.period = "surveys.errors.unknownPeriod";
    else if (survey.published && survey.responses > 0 && def.period !== survey.published.period) errors.period = "surveys.errors.periodLocked";
    if (def.target.units.length > 0) {
      const known = new Set((await db.unit.findMany({ where: { code: { in: def.target.units } }, select: { code: true } })).map((u) => u.code));
      if (def.target.units.some((c) => !known.has(c))) errors["target.units"] = "surveys.errors.unknownUnit";
    }
  }
  return { errors, missing, definition: Object.keys(errors).length === 0 ? def : null };
}

export type PublishResult =
  | { ok: true; version: number; newVersion: boolean; changes: QuestionChanges | null }
  | { ok: false; check: EditorCheck };

/**
 * Publishes the draft. Survey-wide settings (texts of the survey, dates, units, repeat window...)
 * apply at once; changed questions make a new version when the current one has responses.
 */
export async function publishSurvey(survey: AuthoringSurvey, actorId: number, now = new Date()): Promise<PublishResult> {
  const check = await checkDraft(survey, survey.draft);
  const def = check.definition;
  if (!def || check.missing.length > 0) return { ok: false, check };
  const pid = (await periodId(def.period))!;
  const prisma = await getDb();
  const unitIds = def.target.units.length
    ? (await prisma.unit.findMany({ where: { code: { in: def.target.units } }, select: { id: true } })).map((u) => u.id)
    : [];
  const before = survey.published?.questions ?? [];
  const changes = survey.published ? diffQuestions(before, def.questions) : null;
  const questionsChanged = !survey.published || hasChanges(changes!);
  // Were the current version replaced in place, its change list is against the version before it.
  const previous =
    survey.currentVersion > 1
      ? await prisma.surveyVersion.findUnique({
          where: { surveyId_version: { surveyId: survey.id, version: survey.currentVersion - 1 } },
          include: { questions: { orderBy: { position: "asc" } } },
        })
      : null;
  const changesInPlace = previous ? diffQuestions(previous.questions.map(questionDefinition), def.questions) : null;

  const result = await db().write(async (tx) => {
    const at = dbDateTime(now);
    // Re-read inside the transaction: another publish, or a response, may have come since the page loaded.
    const row = (await tx.get<{
      status: string;
      currentVersion: number;
      opensAt: string | null;
      closesAt: string | null;
    }>(`SELECT status, currentVersion, opensAt, closesAt FROM Survey WHERE id = ?`, survey.id))!;
    if (row.currentVersion !== survey.currentVersion) return null;
    const current = await tx.get<{ id: number; answered: number }>(
      `SELECT v.id, (SELECT COUNT(*) FROM Response r WHERE r.surveyVersionId = v.id) AS answered FROM SurveyVersion v WHERE v.surveyId = ? AND v.version = ?`,
      survey.id,
      survey.currentVersion,
    );
    // A citizen may have the form open while the survey takes answers: then even an unanswered
    // version is kept, so an answer is never stored against questions it was not given to.
    const acceptingAnswers =
      surveyAvailability({ status: row.status, opensAt: row.opensAt ? new Date(row.opensAt) : null, closesAt: row.closesAt ? new Date(row.closesAt) : null }, now) === "open";
    let version = survey.currentVersion;
    let newVersion = false;
    let recorded = changes;
    if (questionsChanged) {
      let versionId: number;
      if (current && Number(current.answered) === 0 && !acceptingAnswers) {
        // Nobody answered this version, and nobody can be answering it: replaced where it is.
        recorded = changesInPlace;
        await tx.run(`DELETE FROM Question WHERE surveyVersionId = ?`, current.id);
        await tx.run(`UPDATE SurveyVersion SET publishedAt = ?, publishedById = ?, changes = ? WHERE id = ?`, at, actorId, recorded ? JSON.stringify(recorded) : null, current.id);
        versionId = current.id;
      } else {
        const last = Number(await tx.value(`SELECT COALESCE(MAX(version), 0) AS v FROM SurveyVersion WHERE surveyId = ?`, survey.id));
        version = last + 1;
        newVersion = true;
        versionId = await tx.insert(
          `INSERT INTO SurveyVersion (surveyId, version, publishedAt, publishedById, changes, createdAt) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
          survey.id,
          version,
          at,
          actorId,
          changes ? JSON.stringify(changes) : null,
          at,
        );
      }
      for (const [i, q] of def.questions.entries()) {
        await tx.run(
          `INSERT INTO Question (surveyVersionId, key, kind, required, position, allowNa, texts, helps, options, maxLength, condition, step) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          versionId,
          q.key,
          q.kind,
          q.required ? 1 : 0,
          i + 1,
          q.allowNa ? 1 : 0,
          JSON.stringify(q.texts),
          Object.keys(q.helps).length ? JSON.stringify(q.helps) : null,
          q.options.length ? JSON.stringify(q.options) : null,
          q.maxLength,
          q.condition ? JSON.stringify(q.condition) : null,
          q.step,
        );
      }
    }
    await tx.run(
      `UPDATE Survey SET periodId = ?, status = CASE WHEN status = 'draft' THEN 'open' ELSE status END, currentVersion = ?, titles = ?, intros = ?,
         targetMode = ?, targetKind = ?, opensAt = ?, closesAt = ?, repeatWindowHours = ?, minSeconds = ?, kioskEnabled = ?,
         burstLimit = ?, burstWindowMinutes = ?, draft = NULL, draftSavedAt = NULL, updatedAt = ? WHERE id = ?`,
      pid,
      version,
      JSON.stringify(def.titles),
      Object.keys(def.intros).length ? JSON.stringify(def.intros) : null,
      def.target.mode,
      def.target.kind,
      def.opensOn ? dbDateTime(startOfLocalDay(def.opensOn)) : null,
      def.closesOn ? dbDateTime(new Date(endOfLocalDay(def.closesOn).getTime() + 1)) : null,
      def.repeatWindowHours,
      def.minSeconds,
      def.kioskEnabled ? 1 : 0,
      def.burstLimit,
      def.burstWindowMinutes,
      at,
      survey.id,
    );
    await tx.run(`DELETE FROM SurveyUnit WHERE surveyId = ?`, survey.id);
    for (const id of unitIds) await tx.run(`INSERT INTO SurveyUnit (surveyId, unitId) VALUES (?, ?)`, survey.id, id);
    await writeAudit(tx, {
      actorId,
      action: "survey.publish",
      targetType: "survey",
      targetId: survey.slug,
      data: { version, newVersion, changes: recorded },
    });
    return { version, newVersion, changes: recorded };
  });
  if (!result) return { ok: false, check: { errors: { form: "surveys.errors.conflict" }, missing: [] } };
  await clearSurveyCache();
  return { ok: true, ...result };
}

/** Stops or resumes accepting responses (dates still apply when open). */
export async function setSurveyOpen(survey: AuthoringSurvey, open: boolean, actorId: number) {
  await db().write(async (tx) => {
    const { changes } = await tx.run(`UPDATE Survey SET status = ? WHERE id = ? AND status <> 'draft' AND status <> ?`, open ? "open" : "closed", survey.id, open ? "open" : "closed");
    if (changes > 0) await writeAudit(tx, { actorId, action: open ? "survey.reopen" : "survey.close", targetType: "survey", targetId: survey.slug });
  });
  await clearSurveyCache();
}

/** The portable JSON of a survey: the published definition, or the draft when asked. */
export function exportDefinition(survey: AuthoringSurvey, which: "published" | "draft"): unknown {
  if (which === "published" && survey.published) return survey.published;
  const checked = checkDefinition(survey.draft);
  return checked.ok ? checked.definition : survey.draft;
}

export type ImportResult = { ok: true; slug: string } | { ok: false; errors: DefinitionErrors };

/**
 * Creates a draft survey from an exported JSON file. The file must pass the same checks as the
 * editor's structure (translations may still be missing: publishing checks them).
 */
export async function importSurvey(text: string, slugOverride: string, actorId: number): Promise<ImportResult> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, errors: { file: "surveys.errors.notJson" } };
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return { ok: false, errors: { file: "surveys.errors.format" } };
  const slug = slugOverride.trim() || String((raw as { slug?: unknown }).slug ?? "");
  const checked = checkDefinition({ ...raw, slug });
  if (!checked.ok) return checked;
  try {
    await createSurvey({ slug, period: checked.definition.period, draft: toInput(checked.definition), actorId, action: "survey.import" });
  } catch (error) {
    if (error instanceof SurveyAuthoringError) return { ok: false, errors: error.errors };
    throw error;
  }
  return { ok: true, slug };
}

export interface VersionEntry {
  version: number;
  publishedAt: Date | null;
  publishedBy: string | null;
  changes: QuestionChanges | null;
  questions: number;
  responses: number;
}

export async function versionHistory(survey: AuthoringSurvey): Promise<VersionEntry[]> {
  const db = await getDb();
  const versions = await db.surveyVersion.findMany({
    where: { surveyId: survey.id },
    orderBy: { version: "desc" },
    include: { _count: { select: { questions: true, responses: true } } },
  });
  const people = await db.staffUser.findMany({
    where: { id: { in: versions.map((v) => v.publishedById).filter((id): id is number => id !== null) } },
    select: { id: true, displayName: true },
  });
  const nameOf = new Map(people.map((p) => [p.id, p.displayName]));
  return versions.map((v) => ({
    version: v.version,
    publishedAt: v.publishedAt,
    publishedBy: v.publishedById ? (nameOf.get(v.publishedById) ?? null) : null,
    changes: (v.changes as QuestionChanges | null) ?? null,
    questions: v._count.questions,
    responses: v._count.responses,
  }));
}

/**
 * The editor's draft shaped like a published survey, for the preview: questions of an unknown
 * kind are left out, and a condition whose subject is not an earlier question is ignored, so an
 * unfinished draft still previews as far as it goes.
 */
export function previewSurvey(draft: DefinitionInput) {
  const questions = draft.questions
    .filter((q) => (questionKinds as readonly string[]).includes(q.kind))
    .map((q, i, list) => {
      const kind = q.kind as QuestionKind;
      const choice = kind === "single" || kind === "multiple";
      const subjectOk = q.condition && list.slice(0, i).some((s) => s.key === q.condition!.question);
      const maxLength = Number(q.maxLength);
      return questionRecord({
        id: i,
        key: q.key || `q${i + 1}`,
        kind,
        required: q.required,
        allowNa: isGradeKind(kind) && q.allowNa,
        position: i + 1,
        maxLength: kind === "text" && Number.isInteger(maxLength) && maxLength > 0 ? maxLength : null,
        texts: q.texts,
        helps: Object.keys(q.helps).length ? q.helps : null,
        options: choice ? q.options : [],
        condition: subjectOk ? q.condition : null,
        step: inputStep(q),
      });
    });
  return {
    slug: draft.slug,
    titles: draft.titles,
    intros: Object.keys(draft.intros).length ? draft.intros : null,
    version: { id: 0, version: 0, questions },
  };
}
