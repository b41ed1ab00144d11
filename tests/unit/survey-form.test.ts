import { describe, expect, it } from "vitest";
import type { FormQuestion } from "#app/domain/questions";
import { parseAnswers, readSubmittedValues } from "#app/domain/survey-form";

const questions: FormQuestion[] = [
  { key: "overall", kind: "grade_core", required: true, allowNa: false, options: [], maxLength: null, condition: null },
  { key: "efficiency", kind: "grade_core", required: true, allowNa: true, options: [], maxLength: null, condition: null },
  { key: "facilities", kind: "grade_diagnostic", required: false, allowNa: true, options: [], maxLength: null, condition: null },
  { key: "visits", kind: "single", required: true, allowNa: false, options: ["one", "two"], maxLength: null, condition: null },
  { key: "channels", kind: "multiple", required: false, allowNa: false, options: ["counter", "online"], maxLength: null, condition: null },
  { key: "comment", kind: "text", required: false, allowNa: false, options: [], maxLength: 10, condition: null },
];

function form(entries: [string, string][]) {
  const params = new URLSearchParams(entries);
  return readSubmittedValues(params, questions);
}

describe("survey answers validation", () => {
  it("accepts a complete submission and normalises its answers", () => {
    const result = parseAnswers(
      form([
        ["q_overall", "5"],
        ["q_efficiency", "na"],
        ["q_visits", "two"],
        ["q_channels", "online"],
        ["q_channels", "counter"],
        ["q_channels", "online"],
        ["q_comment", "  fine \r\n "],
      ]),
      questions,
    );
    expect(result).toEqual({
      ok: true,
      answers: {
        overall: { kind: "grade", grade: 5 },
        efficiency: { kind: "na" },
        visits: { kind: "single", value: "two" },
        channels: { kind: "multiple", values: ["online", "counter"] },
        comment: { kind: "text", text: "fine" },
      },
    });
  });

  it("reports every missing required answer as a translation key, in form order", () => {
    const result = parseAnswers(form([["q_comment", "hi"]]), questions);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      q_overall: "errors.required",
      q_efficiency: "errors.required",
      q_visits: "errors.required",
    });
    expect(Object.keys(result.errors)).toEqual(["q_overall", "q_efficiency", "q_visits"]);
    // What the citizen typed is returned, to be shown again.
    expect(result.values).toEqual({ q_comment: "hi", q_channels: [] });
  });

  it("refuses values that were not offered", () => {
    const result = parseAnswers(
      form([
        ["q_overall", "na"], // "not applicable" is not offered on this item
        ["q_efficiency", "6"],
        ["q_visits", "seven"],
        ["q_channels", "fax"],
      ]),
      questions,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      q_overall: "errors.invalidChoice",
      q_efficiency: "errors.invalidChoice",
      q_visits: "errors.invalidChoice",
      q_channels: "errors.invalidChoice",
    });
  });

  it("enforces text length limits", () => {
    const result = parseAnswers(
      form([
        ["q_overall", "1"],
        ["q_efficiency", "2"],
        ["q_visits", "one"],
        ["q_comment", "x".repeat(11)],
      ]),
      questions,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toEqual({ q_comment: "errors.tooLong" });
  });

  it("treats empty fields as unanswered and leaves optional ones out", () => {
    const result = parseAnswers(
      form([
        ["q_overall", "3"],
        ["q_efficiency", "3"],
        ["q_visits", "one"],
        ["q_facilities", ""],
        ["q_comment", "   "],
      ]),
      questions,
    );
    expect(result).toEqual({
      ok: true,
      answers: {
        overall: { kind: "grade", grade: 3 },
        efficiency: { kind: "grade", grade: 3 },
        visits: { kind: "single", value: "one" },
      },
    });
  });

  it("requires at least one choice for a required multiple-choice question", () => {
    const required: FormQuestion[] = [{ ...questions[4]!, required: true }];
    const result = parseAnswers(readSubmittedValues(new URLSearchParams(), required), required);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toEqual({ q_channels: "errors.required" });
  });

  it("ignores fields that are not questions of the survey", () => {
    const result = parseAnswers(
      form([
        ["q_overall", "4"],
        ["q_efficiency", "4"],
        ["q_visits", "one"],
        ["q_injected", "5"],
        ["website", "spam"],
      ]),
      questions,
    );
    expect(result.ok && Object.keys(result.answers)).toEqual(["overall", "efficiency", "visits"]);
  });
});
