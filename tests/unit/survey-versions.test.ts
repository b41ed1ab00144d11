// Publishing through the office's editor, on the real data layer: a survey answered under one
// version keeps its responses there when its questions change (a new version), each response is
// scored with its own version's scored items (the live tallies still equal the audit's
// recomputation), and what blocks publishing (a missing translation, a changed period) blocks it.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "./support/test-db";

const { dir } = freshTestDatabase("survey-versions");

const { getDb } = await import("#app/lib/db.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { submitResponse } = await import("#app/models/response.server");
const { clearSurveyCache } = await import("#app/models/survey.server");
const { resolveSurvey } = await import("#app/services/citizen-survey.server");
const { readTallies, recomputeTallies } = await import("#app/models/score-tally.server");
const authoring = await import("#app/services/survey-authoring.server");
const { checkDefinition } = await import("#app/domain/survey-schema");

const at = new Date("2026-06-01T10:00:00Z");
const sortRows = <T,>(rows: T[]) => [...rows].map((r) => JSON.stringify(r)).sort();
let officeId = 0;

async function answerAll(grade: 1 | 2 | 3 | 4 | 5) {
  clearSurveyCache();
  const survey = await resolveSurvey("satisfaction-2026", at);
  const answers = Object.fromEntries(
    survey.version.questions.filter((q) => q.kind.startsWith("grade_")).map((q) => [q.key, { kind: "grade" as const, grade }]),
  );
  const result = await submitResponse({
    survey,
    unitId: (await (await getDb()).unit.findUniqueOrThrow({ where: { code: "D12" } })).id,
    lang: "en",
    channel: "link",
    deviceId: null,
    visitId: null,
    ipHash: null,
    startedAt: null,
    submittedAt: at,
    flags: [],
    answers,
  });
  expect(result.ok).toBe(true);
  return survey.version.version;
}

async function editDraft(change: (draft: import("#app/domain/survey-definition").DefinitionInput) => void) {
  const survey = (await authoring.getAuthoringSurvey("satisfaction-2026"))!;
  const draft = structuredClone(survey.draft);
  change(draft);
  await authoring.saveDraft(survey, draft);
  return (await authoring.getAuthoringSurvey("satisfaction-2026"))!;
}

beforeAll(async () => {
  const db = await getDb();
  await seedStructure(db);
  officeId = (await db.staffUser.create({ data: { username: "office", displayName: "Office", passwordHash: "x" } })).id;
});

afterAll(async () => {
  await (await getDb()).$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("publishing and versions", () => {
  it("keeps responses on their version and scores each with its own scored items", async () => {
    expect(await answerAll(5)).toBe(1);
    // "efficiency" stops being scored, and a conditional question is added.
    const survey = await editDraft((d) => {
      d.questions[0]!.kind = "grade_diagnostic";
      d.questions.push({
        key: "why",
        kind: "text",
        required: false,
        allowNa: false,
        texts: { "zh-Hans": "为什么？", ug: "نېمىشقا؟", en: "Why?", kk: "نەگە؟" },
        helps: {},
        options: [],
        maxLength: "300",
        condition: { question: "overall", op: "differs", value: "5" },
      });
    });
    const published = await authoring.publishSurvey(survey, officeId);
    expect(published).toEqual({ ok: true, version: 2, newVersion: true, changes: { added: ["why"], removed: [], changed: ["efficiency"], stepMoved: [], reordered: false } });
    expect(await answerAll(5)).toBe(2);

    // Version 1's response has five scored core answers, version 2's four.
    const ks = sortRows((await readTallies(1)).scores.map((r) => ({ k: r.k, n: r.moments.n })));
    expect(ks).toEqual(sortRows([{ k: 5, n: 1 }, { k: 4, n: 1 }]));
    const live = (await readTallies(1));
    const audit = (await recomputeTallies(1));
    expect(sortRows(live.scores)).toEqual(sortRows(audit.scores));
    expect(sortRows(live.items)).toEqual(sortRows(audit.items));

    const versions = await (await getDb()).response.groupBy({ by: ["surveyVersionId"], _count: { _all: true } });
    expect(versions.map((v) => v._count._all)).toEqual([1, 1]);
  });

  it("changes only settings without a new version when the questions stay the same", async () => {
    const survey = await editDraft((d) => {
      d.titles.en = "2026 Public Satisfaction Survey (revised)";
      d.repeatWindowHours = "12";
    });
    expect(await authoring.publishSurvey(survey, officeId)).toMatchObject({ ok: true, version: 2, newVersion: false });
    clearSurveyCache();
    const live = await resolveSurvey("satisfaction-2026", at);
    expect(live.titles.en).toBe("2026 Public Satisfaction Survey (revised)");
    expect(live.repeatWindowHours).toBe(12);
  });

  it("refuses to publish with a text missing in a language, and keeps the draft", async () => {
    const survey = await editDraft((d) => {
      delete d.questions[1]!.texts.kk;
    });
    const result = await authoring.publishSurvey(survey, officeId);
    expect(result).toMatchObject({ ok: false, check: { missing: [{ field: "questions.1.texts", lang: "kk" }] } });
    expect((await authoring.getAuthoringSurvey("satisfaction-2026"))!.draft.questions[1]!.texts.kk).toBeUndefined();
    await authoring.discardDraft(survey, officeId);
  });

  it("refuses to move an answered survey to another period", async () => {
    const db = await getDb();
    await db.evaluationPeriod.create({ data: { code: "2027", names: { en: "2027" }, startsOn: new Date("2027-01-01T00:00:00+08:00"), endsOn: new Date("2027-12-31T23:59:59+08:00"), status: "draft" } });
    const survey = await editDraft((d) => {
      d.period = "2027";
    });
    expect(await authoring.publishSurvey(survey, officeId)).toMatchObject({ ok: false, check: { errors: { period: "surveys.errors.periodLocked" } } });
    await authoring.discardDraft(survey, officeId);
  });

  it("replaces an unanswered version's questions in place only while nobody can be answering it", async () => {
    const source = (await authoring.getAuthoringSurvey("satisfaction-2026"))!;
    await authoring.duplicateSurvey(source, "copy-2026", officeId);
    let copy = (await authoring.getAuthoringSurvey("copy-2026"))!;
    const count = copy.draft.questions.length;
    expect(await authoring.publishSurvey(copy, officeId)).toMatchObject({ ok: true, version: 1, newVersion: true, changes: null });
    // Open and unanswered: a citizen may have the form open, so a change is a new version.
    copy = (await authoring.getAuthoringSurvey("copy-2026"))!;
    await authoring.saveDraft(copy, { ...copy.draft, questions: copy.draft.questions.slice(1) });
    copy = (await authoring.getAuthoringSurvey("copy-2026"))!;
    expect(await authoring.publishSurvey(copy, officeId)).toMatchObject({ ok: true, version: 2, newVersion: true, changes: { removed: ["efficiency"] } });
    // Closed and unanswered: version 2 is replaced where it is; its changes are against version 1.
    copy = (await authoring.getAuthoringSurvey("copy-2026"))!;
    await authoring.setSurveyOpen(copy, false, officeId);
    copy = (await authoring.getAuthoringSurvey("copy-2026"))!;
    await authoring.saveDraft(copy, { ...copy.draft, questions: copy.draft.questions.slice(1) });
    copy = (await authoring.getAuthoringSurvey("copy-2026"))!;
    expect(await authoring.publishSurvey(copy, officeId)).toMatchObject({
      ok: true,
      version: 2,
      newVersion: false,
      changes: { removed: ["efficiency", "attitude"], added: [], changed: [] },
    });
    expect((await authoring.getAuthoringSurvey("copy-2026"))!.published!.questions).toHaveLength(count - 2);
  });

  it("refuses a publish based on a version that another publish has replaced", async () => {
    const stale = (await authoring.getAuthoringSurvey("copy-2026"))!;
    const fresh = (await authoring.getAuthoringSurvey("copy-2026"))!;
    await authoring.saveDraft(fresh, { ...fresh.draft, questions: fresh.draft.questions.slice(1) });
    await authoring.setSurveyOpen(fresh, true, officeId);
    expect(await authoring.publishSurvey((await authoring.getAuthoringSurvey("copy-2026"))!, officeId)).toMatchObject({ ok: true, version: 3 });
    expect(await authoring.publishSurvey(stale, officeId)).toEqual({ ok: false, check: { errors: { form: "surveys.errors.conflict" }, missing: [] } });
  });

  it("moves a survey through its JSON file unchanged, and refuses a taken name or a broken file", async () => {
    const survey = (await authoring.getAuthoringSurvey("satisfaction-2026"))!;
    const file = JSON.stringify(authoring.exportDefinition(survey, "published"));
    expect(await authoring.importSurvey(file, "", officeId)).toEqual({ ok: false, errors: { slug: "surveys.errors.slugTaken" } });
    expect(await authoring.importSurvey("[1, 2", "moved", officeId)).toEqual({ ok: false, errors: { file: "surveys.errors.notJson" } });
    expect(await authoring.importSurvey(JSON.stringify({ format: "civic-satisfaction/survey@1", questions: [] }), "moved", officeId)).toMatchObject({
      ok: false,
      errors: { questions: "surveys.errors.noQuestions", period: "errors.required" },
    });
    expect(await authoring.importSurvey(file, "moved", officeId)).toEqual({ ok: true, slug: "moved" });
    const moved = (await authoring.getAuthoringSurvey("moved"))!;
    expect(moved.status).toBe("draft");
    const again = checkDefinition(moved.draft);
    expect(again.ok && { ...again.definition, slug: survey.slug }).toEqual(survey.published);
  });

  it("stores each question's step; moving one to the other step makes a new version once answered, named in its changes", async () => {
    const db = await getDb();
    const stepsOf = async (slug: string, version: number) =>
      Object.fromEntries(
        (await db.question.findMany({ where: { surveyVersion: { survey: { slug }, version } }, select: { key: true, step: true } })).map((q) => [q.key, q.step]),
      );
    // Version 2 (answered): scored items in the quick step, "why" (added without a step) in the detail step.
    const v2 = await stepsOf("satisfaction-2026", 2);
    expect(v2.why).toBe(2);
    expect(v2.overall).toBe(1);
    expect(await answerAll(4)).toBe(2);
    const survey = await editDraft((d) => {
      d.questions.find((q) => q.key === "why")!.step = "1";
    });
    expect(await authoring.publishSurvey(survey, officeId)).toEqual({
      ok: true,
      version: 3,
      newVersion: true,
      changes: { added: [], removed: [], changed: [], stepMoved: ["why"], reordered: false },
    });
    expect(await stepsOf("satisfaction-2026", 3)).toEqual({ ...v2, why: 1 });
    expect(await stepsOf("satisfaction-2026", 2)).toEqual(v2);
    const history = await authoring.versionHistory((await authoring.getAuthoringSurvey("satisfaction-2026"))!);
    expect(history[0]).toMatchObject({ version: 3, changes: { stepMoved: ["why"] } });
    clearSurveyCache();
    expect((await resolveSurvey("satisfaction-2026", at)).version.questions.find((q) => q.key === "why")!.step).toBe(1);

    // The JSON file carries the steps into another install, and the import publishes them as they were.
    const published = (await authoring.getAuthoringSurvey("satisfaction-2026"))!;
    expect(await authoring.importSurvey(JSON.stringify(authoring.exportDefinition(published, "published")), "stepped", officeId)).toEqual({ ok: true, slug: "stepped" });
    const imported = (await authoring.getAuthoringSurvey("stepped"))!;
    expect(await authoring.publishSurvey(imported, officeId)).toMatchObject({ ok: true, version: 1 });
    expect(await stepsOf("stepped", 1)).toEqual(await stepsOf("satisfaction-2026", 3));

    // The preview of a draft shows each question in its step.
    const preview = authoring.previewSurvey(published.draft);
    expect(preview.version.questions.find((q) => q.key === "why")!.step).toBe(1);
    expect(preview.version.questions.find((q) => q.key === "overall")!.step).toBe(1);
  });
});
