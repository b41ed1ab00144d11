// One validation for the survey form, run on the server (always) and in the browser (as an
// enhancement). Error messages are translation keys; the component translates them.
// zod/mini keeps the browser bundle small; imported as a namespace, which esbuild tree-shakes
// (the named `z` export pulls in all of zod, locales included: ~89 KB gzipped instead of ~6).
import * as z from "zod/mini";
import { visibleQuestionKeys } from "./conditions";
import {
  DEFAULT_TEXT_MAX_LENGTH,
  type FormQuestion,
  fieldName,
  grades,
  isGradeKind,
  NOT_APPLICABLE,
} from "./questions";

export type AnswerValue =
  | { kind: "grade"; grade: number }
  | { kind: "na" }
  | { kind: "single"; value: string }
  | { kind: "multiple"; values: string[] }
  | { kind: "text"; text: string };

export type FieldErrors = Record<string, string>;

export type ParseResult =
  | { ok: true; answers: Record<string, AnswerValue> }
  | { ok: false; errors: FieldErrors; values: SubmittedValues };

/** The hidden field that carries a valid single-use rating code (一次一评) from the link to the post. */
export const RATING_CODE_FIELD = "c";

/** The raw values per field name, kept so that a form with errors can be shown again as typed. */
export type SubmittedValues = Record<string, string | string[]>;

function choiceError(issue: { input?: unknown }) {
  return issue.input === undefined ? "errors.required" : "errors.invalidChoice";
}

function fieldSchema(q: FormQuestion) {
  if (isGradeKind(q.kind)) {
    const allowed = grades.map(String);
    if (q.allowNa) allowed.push(NOT_APPLICABLE);
    return z.enum(allowed as [string, ...string[]], { error: choiceError });
  }
  if (q.kind === "single") {
    return z.enum(q.options as [string, ...string[]], { error: choiceError });
  }
  if (q.kind === "multiple") {
    const item = z.enum(q.options as [string, ...string[]], { error: "errors.invalidChoice" });
    const list = z.array(item, { error: "errors.invalidChoice" });
    return q.required ? list.check(z.minLength(1, { error: "errors.required" })) : list;
  }
  const max = q.maxLength ?? DEFAULT_TEXT_MAX_LENGTH;
  const text = z
    .string({ error: "errors.required" })
    .check(z.maxLength(max, { error: "errors.tooLong" }));
  return q.required ? text.check(z.minLength(1, { error: "errors.required" })) : text;
}

/** Builds the zod schema of a survey version's answers, keyed by form field name. */
export function buildAnswerSchema(questions: readonly FormQuestion[]) {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const q of questions) {
    const field = fieldSchema(q);
    shape[fieldName(q.key)] = q.required && q.kind !== "multiple" ? field : z.optional(field);
  }
  return z.object(shape);
}

/** Reads the survey's fields from a form submission; empty strings count as "not answered". */
export function readSubmittedValues(
  form: { get(name: string): unknown; getAll(name: string): unknown[] },
  questions: readonly FormQuestion[],
): SubmittedValues {
  const values: SubmittedValues = {};
  for (const q of questions) {
    const name = fieldName(q.key);
    if (q.kind === "multiple") {
      values[name] = form.getAll(name).filter((v): v is string => typeof v === "string" && v !== "");
      continue;
    }
    const raw = form.get(name);
    if (typeof raw !== "string") continue;
    const value = q.kind === "text" ? raw.replace(/\r\n/g, "\n").trim() : raw;
    if (value !== "") values[name] = value;
  }
  return values;
}

// The question list of a survey version is a stable object while the survey is cached, so its
// schemas (one per set of questions the display conditions hide) are built once rather than on
// every submission.
const schemas = new WeakMap<readonly FormQuestion[], Map<string, ReturnType<typeof buildAnswerSchema>>>();
function schemaFor(questions: readonly FormQuestion[], shown: readonly FormQuestion[]) {
  let byShown = schemas.get(questions);
  if (!byShown) schemas.set(questions, (byShown = new Map()));
  const key = shown.length === questions.length ? "" : shown.map((q) => q.key).join(",");
  let schema = byShown.get(key);
  if (!schema) {
    // Citizens choose which questions are shown by their answers: keep the cache bounded.
    if (byShown.size >= 64) byShown.clear();
    byShown.set(key, (schema = buildAnswerSchema(shown)));
  }
  return schema;
}

/** The questions the display conditions show for these values, in order. */
export function shownQuestions<Q extends FormQuestion>(questions: readonly Q[], values: SubmittedValues): readonly Q[] {
  if (!questions.some((q) => q.condition)) return questions;
  const visible = visibleQuestionKeys(questions, values);
  return questions.filter((q) => visible.has(q.key));
}

/**
 * Validates the answers to the questions shown. An answer to a question its display condition
 * hides is neither required nor kept (it is not in `answers`), whatever the browser sent.
 */
export function parseAnswers(
  values: SubmittedValues,
  questions: readonly FormQuestion[],
): ParseResult {
  const shown = shownQuestions(questions, values);
  const input: Record<string, unknown> = {};
  for (const q of shown) {
    const name = fieldName(q.key);
    // A missing multiple-choice field is an empty list, so "required" gives the right message.
    input[name] = values[name] ?? (q.kind === "multiple" ? [] : undefined);
  }
  const result = schemaFor(questions, shown).safeParse(input);
  if (!result.success) {
    const errors: FieldErrors = {};
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? "");
      if (name && !errors[name]) errors[name] = issue.message;
    }
    return { ok: false, errors, values };
  }
  const data = result.data as Record<string, unknown>;
  const answers: Record<string, AnswerValue> = {};
  for (const q of shown) {
    const v = data[fieldName(q.key)];
    if (v === undefined) continue;
    if (isGradeKind(q.kind)) {
      answers[q.key] = v === NOT_APPLICABLE ? { kind: "na" } : { kind: "grade", grade: Number(v) };
    } else if (q.kind === "single") {
      answers[q.key] = { kind: "single", value: v as string };
    } else if (q.kind === "multiple") {
      const list = v as string[];
      if (list.length > 0) answers[q.key] = { kind: "multiple", values: [...new Set(list)] };
    } else if ((v as string) !== "") {
      answers[q.key] = { kind: "text", text: v as string };
    }
  }
  return { ok: true, answers };
}
