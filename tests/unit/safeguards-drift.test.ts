// The safeguards against a confirmation that no longer matches what happens, and against a save
// that removes questions without one: the revision of a period's parameters a parameters step is
// drawn against, and the questions a post of the survey editor would drop.
import { describe, expect, it } from "vitest";
import { paramsRevision } from "#app/domain/safeguards";
import { defaultParams, paramsOf } from "#app/domain/scoring";
import { blankDefinition, blankQuestion, type DefinitionInput } from "#app/domain/survey-definition";
import { droppedQuestions, keepDroppedQuestions, readEditorForm } from "#app/domain/survey-editor";

describe("the revision of a period's parameters", () => {
  it("moves when other parameters are stored, and not for the same ones stored again", () => {
    const now = paramsRevision(defaultParams);
    expect(now).toMatch(/^[0-9a-f]{16}$/);
    expect(paramsRevision(paramsOf(null))).toBe(now);
    expect(paramsRevision(paramsOf(JSON.parse(JSON.stringify(defaultParams))))).toBe(now);
    expect(paramsRevision({ ...defaultParams, minSample: defaultParams.minSample + 1 })).not.toBe(now);
    expect(paramsRevision({ ...defaultParams, surveyWeight: 0.61 })).not.toBe(paramsRevision({ ...defaultParams, surveyWeight: 0.6 }));
    expect(paramsRevision({ ...defaultParams, gradePoints: { ...defaultParams.gradePoints, "3": 59 } })).not.toBe(now);
    expect(paramsRevision({ ...defaultParams, verifiedOnly: !defaultParams.verifiedOnly })).not.toBe(now);
  });

  it("does not depend on the order of the excluding flags or of the stored keys", () => {
    const a = { ...defaultParams, excludingFlags: ["duplicate", "too_fast"] as typeof defaultParams.excludingFlags };
    const b = { ...defaultParams, excludingFlags: ["too_fast", "duplicate"] as typeof defaultParams.excludingFlags };
    expect(paramsRevision(a)).toBe(paramsRevision(b));
    const reversed = Object.fromEntries(Object.entries(defaultParams).reverse()) as typeof defaultParams;
    expect(paramsRevision(reversed)).toBe(paramsRevision(defaultParams));
    expect(paramsRevision({ ...defaultParams, excludingFlags: [] })).not.toBe(paramsRevision(a));
  });
});

function draftWith(keys: string[]): DefinitionInput {
  return { ...blankDefinition("s", "2026"), questions: keys.map((k) => ({ ...blankQuestion(k), texts: { en: `Text of ${k}` } })) };
}

/** The editor's form for a draft, as the page posts it (the fields readEditorForm reads). */
function editorForm(draft: DefinitionInput, count = draft.questions.length): URLSearchParams {
  const form = new URLSearchParams([["intent", "save"], ["period", draft.period], ["target.mode", "units"], ["questions.count", String(count)]]);
  draft.questions.forEach((q, i) => {
    form.set(`questions.${i}.key`, q.key);
    form.set(`questions.${i}.kind`, q.kind);
    form.set(`questions.${i}.options.count`, "0");
    for (const [lang, text] of Object.entries(q.texts)) form.set(`questions.${i}.texts.${lang}`, text);
  });
  return form;
}

describe("a save that would drop questions of the saved draft", () => {
  it("a post with a smaller questions.count drops the last question: it is found, and put back", () => {
    const saved = draftWith(["q1", "q2", "q3"]);
    const typed = readEditorForm(editorForm(saved, 2), ["en"], "s");
    expect(typed.questions.map((q) => q.key)).toEqual(["q1", "q2"]);
    const dropped = droppedQuestions(saved.questions, typed.questions);
    expect(dropped).toEqual([{ index: 2, key: "q3" }]);
    const kept = keepDroppedQuestions(typed, saved, dropped);
    expect(kept.questions.map((q) => q.key)).toEqual(["q1", "q2", "q3"]);
    expect(kept.questions[2]!.texts).toEqual({ en: "Text of q3" });
  });

  it("the whole editor posted back drops nothing, nor do renamed keys, added questions or an empty post of an empty draft", () => {
    const saved = draftWith(["q1", "q2", "q3"]);
    expect(droppedQuestions(saved.questions, readEditorForm(editorForm(saved), ["en"], "s").questions)).toEqual([]);
    expect(droppedQuestions(saved.questions, draftWith(["speed", "q2", "q3"]).questions)).toEqual([]);
    expect(droppedQuestions(saved.questions, draftWith(["q1", "q2", "q3", "q4"]).questions)).toEqual([]);
    expect(droppedQuestions([], [])).toEqual([]);
  });

  it("names the questions whose keys are gone, in their places, and keeps the typing of the others", () => {
    const saved = draftWith(["q1", "q2", "q3", "q4"]);
    // A post without q2 and q4 (crafted, or from a page drawn before someone added them).
    const typed = { ...draftWith(["q1", "q3"]), titles: { en: "Typed title" } };
    const dropped = droppedQuestions(saved.questions, typed.questions);
    expect(dropped).toEqual([
      { index: 1, key: "q2" },
      { index: 3, key: "q4" },
    ]);
    const kept = keepDroppedQuestions(typed, saved, dropped);
    expect(kept.questions.map((q) => q.key)).toEqual(["q1", "q2", "q3", "q4"]);
    expect(kept.titles).toEqual({ en: "Typed title" });
    // A renamed question and a dropped one: only as many as are missing are named, the last ones.
    expect(droppedQuestions(draftWith(["a", "b", "c"]).questions, draftWith(["a", "x"]).questions)).toEqual([{ index: 2, key: "c" }]);
    // Keys that do not tell (duplicates): the questions past the post's end.
    expect(droppedQuestions(draftWith(["a", "a", "a"]).questions, draftWith(["a"]).questions)).toEqual([
      { index: 1, key: "a" },
      { index: 2, key: "a" },
    ]);
  });
});
