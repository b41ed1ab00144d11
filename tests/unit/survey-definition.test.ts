import { describe, expect, it } from "vitest";
import { visibleQuestionKeys } from "#app/domain/conditions";
import type { FormQuestion } from "#app/domain/questions";
import { checkDefinition } from "#app/domain/survey-schema";
import {
  blankDefinition,
  blankQuestion,
  type DefinitionInput,
  diffQuestions,
  hasChanges,
  missingTranslations,
  toInput,
} from "#app/domain/survey-definition";
import { applyIntent, parseIntent, readEditorForm } from "#app/domain/survey-editor";
import { parseAnswers, readSubmittedValues } from "#app/domain/survey-form";

const langs = ["zh-Hans", "ug", "en"];
const all = (text: string) => Object.fromEntries(langs.map((l) => [l, `${text} ${l}`]));

function definition(): DefinitionInput {
  return {
    ...blankDefinition("hall-2027", "2026"),
    titles: all("Title"),
    // A new survey applies to no unit (below); this one was given every unit.
    target: { mode: "all", kind: null, units: [] },
    // "visited" is asked in the quick step: the scored item there depends on it. The others have
    // no step, as in drafts saved before steps existed.
    questions: [
      { key: "visited", kind: "single", required: true, allowNa: false, texts: all("Visited?"), helps: {}, options: [{ value: "yes", labels: all("Yes") }, { value: "no", labels: all("No") }], maxLength: null, condition: null, step: 1 },
      { key: "waiting", kind: "grade_core", required: true, allowNa: true, texts: all("Waiting"), helps: {}, options: [], maxLength: null, condition: { question: "visited", op: "equals", value: "yes" } },
      { key: "why", kind: "text", required: true, allowNa: false, texts: all("Why?"), helps: {}, options: [], maxLength: "200", condition: { question: "waiting", op: "differs", value: "5" } },
    ],
  };
}

describe("survey definition schema", () => {
  it("accepts a complete definition and normalises numbers, dates and unused fields", () => {
    const input = definition();
    input.questions[1]!.options = [{ value: "stale", labels: {} }];
    const result = checkDefinition(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.definition.repeatWindowHours).toBe(24);
    expect(result.definition.opensOn).toBeNull();
    expect(result.definition.questions[1]!.options).toEqual([]);
    expect(result.definition.questions[2]!.maxLength).toBe(200);
  });

  it("names each bad field with a translation key", () => {
    const input = definition();
    input.repeatWindowHours = "many";
    input.minSeconds = "";
    input.questions[0]!.options = [{ value: "yes", labels: {} }, { value: "yes", labels: {} }];
    input.questions[2]!.key = "Why Not";
    input.target = { mode: "units", kind: null, units: [] };
    input.closesOn = "2026-01-01";
    input.opensOn = "2026-02-01";
    const result = checkDefinition(input);
    expect(result).toEqual({
      ok: false,
      errors: expect.objectContaining({
        repeatWindowHours: "surveys.errors.number",
        minSeconds: "errors.required",
        "questions.0.options.1.value": "surveys.errors.duplicateOption",
        "questions.2.key": "surveys.errors.key",
        "target.units": "surveys.errors.targetUnits",
        closesOn: "surveys.errors.dateOrder",
      }),
    });
  });

  it("refuses conditions on a later question, on a text question, or on a value it cannot take", () => {
    const later = definition();
    later.questions[0]!.condition = { question: "waiting", op: "equals", value: "5" };
    expect(checkDefinition(later)).toMatchObject({ ok: false, errors: { "questions.0.condition": "surveys.errors.conditionSubject" } });

    const onText = definition();
    onText.questions.push({ ...onText.questions[2]!, key: "after", condition: { question: "why", op: "equals", value: "x" } });
    expect(checkDefinition(onText)).toMatchObject({ ok: false, errors: { "questions.3.condition": "surveys.errors.conditionSubject" } });

    const badValue = definition();
    badValue.questions[1]!.condition = { question: "visited", op: "equals", value: "maybe" };
    expect(checkDefinition(badValue)).toMatchObject({ ok: false, errors: { "questions.1.condition": "surveys.errors.conditionValue" } });

    const naNotOffered = definition();
    naNotOffered.questions[1]!.allowNa = false;
    naNotOffered.questions[2]!.condition = { question: "waiting", op: "equals", value: "na" };
    expect(checkDefinition(naNotOffered)).toMatchObject({ ok: false, errors: { "questions.2.condition": "surveys.errors.conditionValue" } });
  });

  it("lists every text missing in a language, helps and intros only once they exist", () => {
    const input = definition();
    delete input.titles.ug;
    input.questions[0]!.options[1]!.labels = { "zh-Hans": "否" };
    input.questions[1]!.helps = { en: "Minutes" };
    expect(missingTranslations(input, langs)).toEqual([
      { field: "titles", lang: "ug" },
      { field: "questions.0.options.1.labels", lang: "ug" },
      { field: "questions.0.options.1.labels", lang: "en" },
      { field: "questions.1.helps", lang: "zh-Hans" },
      { field: "questions.1.helps", lang: "ug" },
    ]);
    expect(missingTranslations(definition(), langs)).toEqual([]);
    expect(missingTranslations(definition(), [...langs, "kk"]).length).toBeGreaterThan(0);
  });

  it("round-trips through JSON export and import unchanged", () => {
    const result = checkDefinition(definition());
    if (!result.ok) throw new Error("definition should be valid");
    const again = checkDefinition(JSON.parse(JSON.stringify(result.definition)));
    expect(again).toEqual(result);
    expect(checkDefinition(toInput(result.definition))).toEqual(result);
  });

  it("refuses dates that do not exist, and ignores fields a question's kind does not use", () => {
    const input = definition();
    input.opensOn = "2026-02-30";
    input.closesOn = "2026-13-01";
    expect(checkDefinition(input)).toMatchObject({ ok: false, errors: { opensOn: "surveys.errors.realDate", closesOn: "surveys.errors.realDate" } });
    const stale = definition();
    // A text question with a bad "longest answer", turned into five grades: the hidden field is dropped.
    stale.questions[2] = { ...stale.questions[2]!, kind: "grade_diagnostic", maxLength: "abc", options: [{ value: "Bad Value", labels: {} }] };
    const result = checkDefinition(stale);
    expect(result.ok && result.definition.questions[2]).toMatchObject({ kind: "grade_diagnostic", maxLength: null, options: [] });
  });

  it("refuses a file of another format", () => {
    expect(checkDefinition({ ...definition(), format: "limesurvey" })).toMatchObject({ ok: false, errors: { format: "surveys.errors.format" } });
  });
});

describe("versions", () => {
  const published = () => {
    const r = checkDefinition(definition());
    if (!r.ok) throw new Error("invalid");
    return r.definition.questions;
  };

  it("sees no change when only survey-wide settings change", () => {
    expect(hasChanges(diffQuestions(published(), published()))).toBe(false);
  });

  it("lists added, removed, changed and reordered questions", () => {
    const next = published();
    next[1] = { ...next[1]!, kind: "grade_diagnostic" };
    next.splice(2, 1);
    next.push({ ...next[0]!, key: "extra", condition: null });
    expect(diffQuestions(published(), next)).toEqual({ added: ["extra"], removed: ["why"], changed: ["waiting"], stepMoved: [], reordered: false });
    const swapped = published();
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    expect(diffQuestions(published(), swapped)).toMatchObject({ changed: [], reordered: true });
  });

  it("names a question moved to the other step, and counts it as a change of the questions", () => {
    const next = published();
    next[0] = { ...next[0]!, step: 2 };
    next[1] = { ...next[1]!, condition: null };
    const changes = diffQuestions(published(), next);
    expect(changes).toEqual({ added: [], removed: [], changed: ["waiting"], stepMoved: ["visited"], reordered: false });
    const onlyMoved = published();
    onlyMoved[2] = { ...onlyMoved[2]!, step: 1 };
    expect(diffQuestions(published(), onlyMoved)).toMatchObject({ changed: [], stepMoved: ["why"] });
    expect(hasChanges(diffQuestions(published(), onlyMoved))).toBe(true);
    // Change lists recorded before steps existed have no stepMoved.
    expect(hasChanges({ added: [], removed: [], changed: [], reordered: false })).toBe(false);
  });
});

describe("the two steps of a rating", () => {
  const stepsOf = (input: DefinitionInput) => {
    const result = checkDefinition(input);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.definition.questions.map((q) => [q.key, q.step]);
  };

  it("puts scored core items in the quick step and, by default, every other question in the detail step", () => {
    const input = definition();
    delete input.questions[0]!.step;
    input.questions[1]!.condition = null;
    input.questions.push({ ...input.questions[1]!, key: "staff", kind: "grade_diagnostic" });
    expect(stepsOf(input)).toEqual([["visited", 2], ["waiting", 1], ["why", 2], ["staff", 2]]);
    expect(blankQuestion("q9", "grade_core").step).toBe(1);
    expect(blankQuestion("q9", "text").step).toBe(2);
    expect(applyIntent(input, parseIntent("add", "single")).draft.questions.at(-1)!.step).toBe(2);
  });

  it("keeps the author's choice for other questions, and never moves a scored core item out of the quick step", () => {
    const input = definition();
    input.questions[1]!.step = 2;
    input.questions[2]!.step = "1";
    expect(stepsOf(input)).toEqual([["visited", 1], ["waiting", 1], ["why", 1]]);
    // A core item turned into a diagnostic one stays where it was until its author moves it.
    const turned = definition();
    turned.questions[1] = { ...turned.questions[1]!, kind: "grade_diagnostic", step: 1 };
    expect(stepsOf(turned)).toEqual([["visited", 1], ["waiting", 1], ["why", 2]]);
  });

  it("refuses a step that is neither 1 nor 2", () => {
    for (const step of [3, "detail", 0, [1]]) {
      const input = definition();
      (input.questions[2] as unknown as Record<string, unknown>).step = step;
      expect(checkDefinition(input)).toMatchObject({ ok: false, errors: { "questions.2.step": "surveys.errors.step" } });
    }
  });

  it("refuses a question of the quick step shown by an answer of the detail step", () => {
    const input = definition();
    input.questions[0]!.step = 2;
    expect(checkDefinition(input)).toEqual({ ok: false, errors: { "questions.1.condition": "surveys.errors.conditionStep" } });
    // Also on the typed draft when other fields fail (the editor shows both).
    input.repeatWindowHours = "x";
    expect(checkDefinition(input)).toMatchObject({ ok: false, errors: { repeatWindowHours: "surveys.errors.number", "questions.1.condition": "surveys.errors.conditionStep" } });
    // A detail question shown by a quick-step answer is fine, and so is one shown by another detail answer.
    const fine = definition();
    fine.questions.push({ ...fine.questions[2]!, key: "more", condition: { question: "visited", op: "equals", value: "no" } });
    fine.questions[0]!.step = 2;
    fine.questions[1]!.condition = null;
    expect(checkDefinition(fine).ok).toBe(true);
  });

  it("carries each question's step through the JSON file, and gives files without steps the defaults", () => {
    const input = definition();
    input.questions[2]!.step = 1;
    const result = checkDefinition(input);
    if (!result.ok) throw new Error("definition should be valid");
    const file = JSON.parse(JSON.stringify(result.definition)) as { questions: Record<string, unknown>[] };
    expect(file.questions.map((q) => q.step)).toEqual([1, 1, 1]);
    expect(checkDefinition(file)).toEqual(result);
    expect(checkDefinition(toInput(result.definition))).toEqual(result);
    for (const q of file.questions) delete q.step;
    file.questions[0]!.step = 1;
    const older = checkDefinition(file);
    expect(older.ok && older.definition.questions.map((q) => q.step)).toEqual([1, 1, 2]);
  });

  it("reads the step choice from the editor's form, core items always in the quick step", () => {
    const form = new URLSearchParams([
      ["questions.count", "4"],
      ["questions.0.kind", "single"],
      ["questions.0.step", "1"],
      ["questions.1.kind", "grade_core"],
      ["questions.1.step", "2"],
      ["questions.2.kind", "text"],
      ["questions.3.kind", "grade_diagnostic"],
      ["questions.3.step", "soon"],
    ]);
    expect(readEditorForm(form, langs, "s").questions.map((q) => q.step)).toEqual([1, 1, 2, "soon"]);
  });
});

describe("display conditions", () => {
  const questions: FormQuestion[] = [
    { key: "visited", kind: "single", required: true, allowNa: false, options: ["yes", "no"], maxLength: null, condition: null },
    { key: "waiting", kind: "grade_core", required: true, allowNa: true, options: [], maxLength: null, condition: { question: "visited", op: "equals", value: "yes" } },
    { key: "why", kind: "text", required: true, allowNa: false, options: [], maxLength: 200, condition: { question: "waiting", op: "differs", value: "5" } },
  ];
  const values = (entries: [string, string][]) => readSubmittedValues(new URLSearchParams(entries), questions);

  it("hides a question until its subject has the named answer, and cascades", () => {
    expect([...visibleQuestionKeys(questions, {})]).toEqual(["visited"]);
    expect([...visibleQuestionKeys(questions, { q_visited: "yes" })]).toEqual(["visited", "waiting"]);
    expect([...visibleQuestionKeys(questions, { q_visited: "yes", q_waiting: "3" })]).toEqual(["visited", "waiting", "why"]);
    expect([...visibleQuestionKeys(questions, { q_visited: "yes", q_waiting: "5" })]).toEqual(["visited", "waiting"]);
    // "why" depends on "waiting", which is hidden when the citizen did not visit: hidden too.
    expect([...visibleQuestionKeys(questions, { q_visited: "no", q_waiting: "3" })]).toEqual(["visited"]);
  });

  it("does not require, and does not keep, an answer to a hidden question", () => {
    expect(parseAnswers(values([["q_visited", "no"], ["q_waiting", "2"], ["q_why", "slow"]]), questions)).toEqual({
      ok: true,
      answers: { visited: { kind: "single", value: "no" } },
    });
  });

  it("requires a shown question", () => {
    expect(parseAnswers(values([["q_visited", "yes"], ["q_waiting", "2"]]), questions)).toMatchObject({
      ok: false,
      errors: { q_why: "errors.required" },
    });
  });
});

describe("a new survey", () => {
  it("applies to no unit until units are chosen: publishing it as it starts is refused for the units", () => {
    const blank = blankDefinition("hall-2027", "2026");
    expect(blank.target).toEqual({ mode: "units", kind: null, units: [] });
    const result = checkDefinition({ ...definition(), target: blank.target });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors["target.units"]).toBe("surveys.errors.targetUnits");
  });

  it("an editor post without a unit choice means no unit, never every unit", () => {
    expect(readEditorForm(new URLSearchParams([["questions.count", "0"]]), langs, "s").target).toEqual({ mode: "units", kind: null, units: [] });
  });
});

describe("the editor form", () => {
  it("reads what was typed, even when invalid, and keeps the slug", () => {
    const form = new URLSearchParams([
      ["period", "2026"],
      ["titles.en", " Hall survey "],
      ["titles.ug", ""],
      ["repeatWindowHours", "abc"],
      ["minSeconds", "8"],
      ["kioskEnabled", "on"],
      ["target.mode", "units"],
      ["target.units", "C01"],
      ["target.units", "D12"],
      ["questions.count", "2"],
      ["questions.0.key", "visited"],
      ["questions.0.kind", "single"],
      ["questions.0.required", "on"],
      ["questions.0.texts.en", "Visited?"],
      ["questions.0.options.count", "1"],
      ["questions.0.options.0.value", "yes"],
      ["questions.0.options.0.labels.en", "Yes"],
      ["questions.1.key", "waiting"],
      ["questions.1.kind", "grade_core"],
      ["questions.1.condition", "visited=yes"],
      ["questions.1.conditionOp", "differs"],
    ]);
    const draft = readEditorForm(form, langs, "kept-slug");
    expect(draft).toMatchObject({
      slug: "kept-slug",
      titles: { en: "Hall survey" },
      repeatWindowHours: "abc",
      kioskEnabled: true,
      target: { mode: "units", units: ["C01", "D12"] },
    });
    expect(draft.questions[0]).toMatchObject({ key: "visited", required: true, options: [{ value: "yes", labels: { en: "Yes" } }] });
    expect(draft.questions[1]).toMatchObject({ required: false, condition: { question: "visited", op: "differs", value: "yes" } });
  });

  it("adds, moves and removes questions and options, and says where to put the focus", () => {
    let draft = definition();
    const added = applyIntent(draft, parseIntent("add", "multiple"));
    expect(added.draft.questions.at(-1)).toMatchObject({ key: "q4", kind: "multiple", options: [{ value: "o1" }, { value: "o2" }] });
    expect(added.focus).toBe("questions.3.key");
    draft = applyIntent(added.draft, parseIntent("move:3:0", "")).draft;
    expect(draft.questions.map((q) => q.key)).toEqual(["q4", "visited", "waiting", "why"]);
    draft = applyIntent(draft, parseIntent("addOption:0", "")).draft;
    expect(draft.questions[0]!.options.map((o) => o.value)).toEqual(["o1", "o2", "o3"]);
    draft = applyIntent(draft, parseIntent("removeOption:0:1", "")).draft;
    expect(draft.questions[0]!.options.map((o) => o.value)).toEqual(["o1", "o3"]);
    draft = applyIntent(draft, parseIntent("remove:0", "")).draft;
    expect(draft.questions.map((q) => q.key)).toEqual(["visited", "waiting", "why"]);
    // Out of range: nothing changes.
    expect(applyIntent(draft, parseIntent("move:9:0", "")).draft).toBe(draft);
  });
});
