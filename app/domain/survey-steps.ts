// The two steps of a rating (docs/decisions/0015): step 1 is the quick step (by default the scored
// core items), stored as soon as it is sent so that a citizen who leaves still counts; step 2 is
// the optional detail offered after it, added to the same response. One validation serves both
// steps, on the server and in the browser: the answers already given in the other step take part
// in the display conditions, and only the step's own questions are checked and kept.
import { fieldName, stepOf, type FormQuestion, type SurveyStep } from "./questions";
import { parseAnswers, type AnswerValue, type ParseResult, type SubmittedValues } from "./survey-form";

export function questionsOfStep<Q extends FormQuestion>(questions: readonly Q[], step: SurveyStep): Q[] {
  return questions.filter((q) => stepOf(q) === step);
}

/** Whether the survey offers a step 2 at all. */
export function hasDetailStep(questions: readonly FormQuestion[]): boolean {
  return questions.some((q) => stepOf(q) === 2);
}

// Per question list and step: the list with the other step's questions optional (their answers
// were checked when they were given), kept so that parseAnswers' schema cache keeps working.
const relaxed = new WeakMap<readonly FormQuestion[], Map<SurveyStep, readonly FormQuestion[]>>();
function relaxedFor(questions: readonly FormQuestion[], step: SurveyStep): readonly FormQuestion[] {
  let bySteps = relaxed.get(questions);
  if (!bySteps) relaxed.set(questions, (bySteps = new Map()));
  let list = bySteps.get(step);
  if (!list) bySteps.set(step, (list = questions.map((q) => (stepOf(q) === step ? q : { ...q, required: false }))));
  return list;
}

/**
 * Validates one step's answers. `given` are the answers of the other step (as form values): they
 * decide display conditions but are neither checked again nor returned.
 */
export function parseStep(values: SubmittedValues, questions: readonly FormQuestion[], step: SurveyStep, given: SubmittedValues = {}): ParseResult {
  const own = new Set(questionsOfStep(questions, step).map((q) => fieldName(q.key)));
  const merged: SubmittedValues = {};
  for (const [name, value] of Object.entries(given)) if (!own.has(name)) merged[name] = value;
  for (const [name, value] of Object.entries(values)) if (own.has(name)) merged[name] = value;
  const result = parseAnswers(merged, relaxedFor(questions, step));
  if (!result.ok) {
    const errors = Object.fromEntries(Object.entries(result.errors).filter(([name]) => own.has(name)));
    // A given answer that no longer fits (never, for stored ones) is dropped rather than blamed.
    if (Object.keys(errors).length === 0) return parseStep(values, questions, step, {});
    return { ok: false, errors, values: Object.fromEntries(Object.entries(merged).filter(([name]) => own.has(name))) };
  }
  const answers = Object.fromEntries(Object.entries(result.answers).filter(([key]) => own.has(fieldName(key))));
  return { ok: true, answers };
}

/** Stored answers as the form values they came from (for step 2's display conditions). */
export function answersAsValues(answers: Readonly<Record<string, AnswerValue>>): SubmittedValues {
  const values: SubmittedValues = {};
  for (const [key, a] of Object.entries(answers)) {
    const name = fieldName(key);
    if (a.kind === "grade") values[name] = String(a.grade);
    else if (a.kind === "na") values[name] = "na";
    else if (a.kind === "single") values[name] = a.value;
    else if (a.kind === "multiple") values[name] = [...a.values];
    else values[name] = a.text;
  }
  return values;
}

/** 不满意 or 非常不满意 on any scored item: the thanks page offers "tell us what went wrong". */
export function isDissatisfied(questions: readonly FormQuestion[], answers: Readonly<Record<string, AnswerValue>>): boolean {
  return questions.some((q) => {
    const a = answers[q.key];
    return q.kind === "grade_core" && a?.kind === "grade" && a.grade <= 2;
  });
}
