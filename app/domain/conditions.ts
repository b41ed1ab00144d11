// Display conditions: a question shown only when an earlier answer equals, or differs from, a
// value. One evaluation serves the server (which neither requires nor stores an answer to a
// hidden question), the browser (which hides the question as the citizen answers) and the editor
// (which offers only earlier questions with fixed answers as the condition's subject).
// Rules, where a survey author could wonder:
// - The subject must be an earlier five-grade, single or multiple choice question.
// - A condition needs an answer: while the subject is unanswered (or itself hidden), the
//   question stays hidden, whether the condition says "equals" or "differs".
// - For a multiple choice subject, "equals" means the value is among the ticked ones.
import { fieldName, isGradeKind, type QuestionKind } from "./questions";

export const conditionOps = ["equals", "differs"] as const;
export type ConditionOp = (typeof conditionOps)[number];

export interface Condition {
  question: string;
  op: ConditionOp;
  value: string;
}

export interface ConditionalQuestion {
  key: string;
  kind: QuestionKind;
  condition: Condition | null;
}

export function canBeConditionSubject(kind: QuestionKind): boolean {
  return isGradeKind(kind) || kind === "single" || kind === "multiple";
}

/** Whether the condition holds for the subject's answer (undefined: not answered). */
export function conditionHolds(condition: Condition, answer: string | readonly string[] | undefined): boolean {
  if (answer === undefined || answer === "" || (Array.isArray(answer) && answer.length === 0)) return false;
  const matches = Array.isArray(answer) ? answer.includes(condition.value) : answer === condition.value;
  return condition.op === "equals" ? matches : !matches;
}

/**
 * The keys of the questions shown for these form values (keyed by field name, as submitted).
 * Questions are taken in order, so a question whose subject is hidden is hidden too.
 */
export function visibleQuestionKeys(
  questions: readonly ConditionalQuestion[],
  values: Readonly<Record<string, string | readonly string[] | undefined>>,
): Set<string> {
  const visible = new Set<string>();
  for (const q of questions) {
    const c = q.condition;
    if (!c) {
      visible.add(q.key);
      continue;
    }
    const answer = visible.has(c.question) ? values[fieldName(c.question)] : undefined;
    if (conditionHolds(c, answer)) visible.add(q.key);
  }
  return visible;
}
