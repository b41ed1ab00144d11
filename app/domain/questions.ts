// Question kinds and the five-grade scale, shared by the server, the browser and the seed.
import type { Condition } from "./conditions";

export const questionKinds = [
  "grade_core", // five-grade item that enters the satisfaction score
  "grade_diagnostic", // five-grade item that explains the score but is not part of it
  "single",
  "multiple",
  "text",
] as const;
export type QuestionKind = (typeof questionKinds)[number];

export function isGradeKind(kind: string): boolean {
  return kind === "grade_core" || kind === "grade_diagnostic";
}

/** 5 = very satisfied ... 1 = very dissatisfied, shown best first. */
export const grades = [5, 4, 3, 2, 1] as const;
export type Grade = (typeof grades)[number];
export const NOT_APPLICABLE = "na";

export const DEFAULT_TEXT_MAX_LENGTH = 1000;

/** What the form needs to know about a question, independent of language. */
export interface FormQuestion {
  key: string;
  kind: QuestionKind;
  required: boolean;
  allowNa: boolean;
  options: readonly string[];
  maxLength: number | null;
  /** Shown only when this holds (app/domain/conditions.ts); null: always shown. */
  condition: Condition | null;
  /**
   * 1: the quick step sent first; 2: the optional detail after it (app/domain/survey-steps.ts).
   * Unset: the default for its kind (stepOf).
   */
  step?: SurveyStep;
}

export type SurveyStep = 1 | 2;

/** The step a question is in when its author did not choose: scored core items first. */
export function defaultStep(kind: QuestionKind): SurveyStep {
  return kind === "grade_core" ? 1 : 2;
}

export function stepOf(q: Pick<FormQuestion, "kind" | "step">): SurveyStep {
  return q.step ?? defaultStep(q.kind);
}

export function fieldName(questionKey: string): string {
  return `q_${questionKey}`;
}
