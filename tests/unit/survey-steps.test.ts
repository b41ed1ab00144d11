import { describe, expect, it } from "vitest";
import type { FormQuestion } from "#app/domain/questions";
import { answersAsValues, hasDetailStep, isDissatisfied, parseStep, questionsOfStep } from "#app/domain/survey-steps";

const q = (over: Partial<FormQuestion> & Pick<FormQuestion, "key" | "kind">): FormQuestion => ({
  required: true,
  allowNa: false,
  options: [],
  maxLength: null,
  condition: null,
  ...over,
});

const questions: FormQuestion[] = [
  q({ key: "overall", kind: "grade_core" }),
  q({ key: "efficiency", kind: "grade_core", allowNa: true }),
  q({ key: "visited", kind: "single", options: ["yes", "no"], step: 1 }),
  q({ key: "guidance", kind: "grade_diagnostic" }),
  // Asked in the detail step only of those who said in step 1 that they visited.
  q({ key: "why", kind: "text", condition: { question: "visited", op: "equals", value: "yes" } }),
  q({ key: "comment", kind: "text", required: false }),
];

describe("the two steps of a rating", () => {
  it("puts scored core items in step 1 unless the author chose otherwise", () => {
    expect(questionsOfStep(questions, 1).map((x) => x.key)).toEqual(["overall", "efficiency", "visited"]);
    expect(questionsOfStep(questions, 2).map((x) => x.key)).toEqual(["guidance", "why", "comment"]);
    expect(hasDetailStep(questions)).toBe(true);
    expect(hasDetailStep(questionsOfStep(questions, 1))).toBe(false);
  });

  it("step 1 checks and keeps only its own questions, whatever else the form carried", () => {
    const r = parseStep({ q_overall: "5", q_efficiency: "na", q_visited: "yes", q_guidance: "1", q_comment: "sneaked in" }, questions, 1);
    expect(r).toEqual({
      ok: true,
      answers: { overall: { kind: "grade", grade: 5 }, efficiency: { kind: "na" }, visited: { kind: "single", value: "yes" } },
    });
    // Step 2's required items are not asked for in step 1.
    const missing = parseStep({ q_overall: "5" }, questions, 1);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(Object.keys(missing.errors).sort()).toEqual(["q_efficiency", "q_visited"]);
  });

  it("step 2's display conditions read the answers given in step 1", () => {
    const given = { q_overall: "2", q_efficiency: "3", q_visited: "yes" };
    const asked = parseStep({ q_guidance: "4" }, questions, 2, given);
    expect(asked.ok).toBe(false);
    if (!asked.ok) expect(asked.errors).toEqual({ q_why: "errors.required" });
    const notAsked = parseStep({ q_guidance: "4", q_why: "ignored" }, questions, 2, { ...given, q_visited: "no" });
    expect(notAsked).toEqual({ ok: true, answers: { guidance: { kind: "grade", grade: 4 } } });
    // A step-2 form cannot change a step-1 answer.
    const r = parseStep({ q_guidance: "4", q_why: "queue", q_overall: "5" }, questions, 2, given);
    expect(r).toEqual({ ok: true, answers: { guidance: { kind: "grade", grade: 4 }, why: { kind: "text", text: "queue" } } });
  });

  it("turns stored answers back into form values", () => {
    expect(
      answersAsValues({
        a: { kind: "grade", grade: 3 },
        b: { kind: "na" },
        c: { kind: "single", value: "x" },
        d: { kind: "multiple", values: ["y", "z"] },
        e: { kind: "text", text: "t" },
      }),
    ).toEqual({ q_a: "3", q_b: "na", q_c: "x", q_d: ["y", "z"], q_e: "t" });
  });

  it("calls a rating dissatisfied when a scored item is graded 2 or 1", () => {
    expect(isDissatisfied(questions, { overall: { kind: "grade", grade: 2 }, efficiency: { kind: "grade", grade: 5 } })).toBe(true);
    expect(isDissatisfied(questions, { overall: { kind: "grade", grade: 1 } })).toBe(true);
    expect(isDissatisfied(questions, { overall: { kind: "grade", grade: 3 }, efficiency: { kind: "na" } })).toBe(false);
    // A low diagnostic item is not a dissatisfied rating.
    expect(isDissatisfied(questions, { overall: { kind: "grade", grade: 4 }, guidance: { kind: "grade", grade: 1 } })).toBe(false);
  });
});

describe("the quick step in a survey's definition", () => {
  it("cannot be empty", async () => {
    const { checkDefinition } = await import("#app/domain/survey-schema");
    const { blankDefinition, blankQuestion } = await import("#app/domain/survey-definition");
    const texts = { "zh-Hans": "意见", ug: "پىكىر", kk: "پىكىر", en: "Comment" };
    const base = { ...blankDefinition("steps-2027", "2026"), titles: texts, target: { mode: "all" as const, kind: null, units: [] } };
    const comment = { ...blankQuestion("comment", "text"), texts, required: false, step: 2 as const };
    const result = checkDefinition({ ...base, questions: [comment] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors["questions.0.step"]).toBe("surveys.errors.noQuickStep");
    expect(checkDefinition({ ...base, questions: [{ ...comment, step: 1 as const }] }).ok).toBe(true);
  });
});
