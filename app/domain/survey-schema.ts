// The one zod schema of a survey definition (./survey-definition.ts): it checks the editor's
// draft, what publishing applies and an imported JSON file. Error messages are translation keys,
// and issue paths are the editor's field names ("questions.2.texts.en"), so an error lands next to
// its field. Server-side only (full zod; the editor's browser code imports none of it).
import { BURST_LIMIT_RANGE, BURST_WINDOW_RANGE, DEFAULT_BURST_LIMIT, DEFAULT_BURST_WINDOW_MINUTES } from "./stuffing";
import { z } from "zod";
import { isCalendarDate } from "./working-days";
import { canBeConditionSubject, conditionOps } from "./conditions";
import { isGradeKind, questionKinds, type QuestionKind } from "./questions";
import {
  answerValues,
  DEFINITION_FORMAT,
  inputStep,
  type DefinitionInput,
  KEY_PATTERN,
  MAX_OPTIONS,
  MAX_QUESTIONS,
  MAX_TEXT,
  OPTION_VALUE_PATTERN,
  type QuestionInput,
  SLUG_PATTERN,
  targetKinds,
  targetModes,
} from "./survey-definition";

const texts = z.record(z.string(), z.string().max(MAX_TEXT, "surveys.errors.tooLong"));

/** A whole number typed in a form or given in JSON; an empty field is "required". */
function count(min: number, max: number) {
  return z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : Number(v.trim())) : v),
    z
      .number({ error: (i) => (i.input === undefined ? "errors.required" : "surveys.errors.number") })
      .int("surveys.errors.number")
      .min(min, "surveys.errors.range")
      .max(max, "surveys.errors.range"),
  );
}

const optionalDate = z.preprocess(
  (v) => (v === "" || v === undefined ? null : v),
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "surveys.errors.date")
    .refine(isCalendarDate, "surveys.errors.realDate")
    .nullable(),
);

/**
 * What a question's kind does not use is dropped before it is checked: a field the editor hides
 * for that kind (a stale "longest answer" on a question turned into five grades) never blocks
 * publishing, and nothing stale is kept.
 */
function dropUnused(q: unknown): unknown {
  if (!q || typeof q !== "object") return q;
  const question = q as Record<string, unknown>;
  const kind = String(question.kind);
  return {
    ...question,
    allowNa: isGradeKind(kind) ? question.allowNa : false,
    options: kind === "single" || kind === "multiple" ? question.options : [],
    maxLength: kind === "text" ? question.maxLength : null,
    // Scored core items are always in the quick step; a question without a step (a draft or file
    // from before steps existed) is in its kind's default step; "1"/"2" are read as numbers.
    step: kind === "grade_core" || question.step === undefined || question.step === null || question.step === "" ? inputStep({ kind }) : stepNumber(question.step),
  };
}

function stepNumber(v: unknown): unknown {
  return v === "1" || v === "2" ? Number(v) : v;
}

const questionObject = z.object({
  key: z.string().regex(KEY_PATTERN, "surveys.errors.key"),
  kind: z.enum(questionKinds, "surveys.errors.kind"),
  required: z.boolean(),
  allowNa: z.boolean().default(false),
  texts,
  helps: texts.default({}),
  options: z
    .array(z.object({ value: z.string().regex(OPTION_VALUE_PATTERN, "surveys.errors.optionValue"), labels: texts }))
    .max(MAX_OPTIONS, "surveys.errors.tooMany")
    .default([]),
  maxLength: z.preprocess((v) => (v === "" ? null : v), count(1, 5000).nullable()).default(null),
  condition: z
    .object({ question: z.string(), op: z.enum(conditionOps, "surveys.errors.conditionOp"), value: z.string() })
    .nullable()
    .default(null),
  step: z.union([z.literal(1), z.literal(2)], "surveys.errors.step"),
});
const questionSchema = z.preprocess(dropUnused, questionObject);

export const surveyDefinitionSchema = z
  .object({
    format: z.literal(DEFINITION_FORMAT, "surveys.errors.format"),
    slug: z.string().regex(SLUG_PATTERN, "surveys.errors.slug"),
    period: z.string().trim().min(1, "errors.required"),
    titles: texts,
    intros: texts.default({}),
    target: z.object({
      mode: z.enum(targetModes, "surveys.errors.targetMode"),
      kind: z.enum(targetKinds, "surveys.errors.targetKind").nullable().default(null),
      units: z.array(z.string()).default([]),
    }),
    opensOn: optionalDate.default(null),
    closesOn: optionalDate.default(null),
    repeatWindowHours: count(0, 24 * 366),
    minSeconds: count(0, 3600),
    kioskEnabled: z.boolean(),
    // Files exported before these settings existed get the defaults.
    burstLimit: count(...BURST_LIMIT_RANGE).default(DEFAULT_BURST_LIMIT),
    burstWindowMinutes: count(...BURST_WINDOW_RANGE).default(DEFAULT_BURST_WINDOW_MINUTES),
    questions: z.array(questionSchema).min(1, "surveys.errors.noQuestions").max(MAX_QUESTIONS, "surveys.errors.tooMany"),
  })
  .superRefine((def, ctx) => {
    for (const [path, message] of crossFieldIssues(def)) ctx.addIssue({ code: "custom", path, message });
  })
  .transform((def) => ({
    ...def,
    target: {
      mode: def.target.mode,
      kind: def.target.mode === "kind" ? def.target.kind : null,
      units: def.target.mode === "units" ? [...new Set(def.target.units)].sort() : [],
    },
  }));

export type SurveyDefinition = z.output<typeof surveyDefinitionSchema>;
export type QuestionDefinition = SurveyDefinition["questions"][number];

type LooseDefinition = Pick<DefinitionInput, "target" | "opensOn" | "closesOn"> & {
  questions: readonly Pick<QuestionInput, "key" | "kind" | "allowNa" | "options" | "condition" | "step">[];
};

/**
 * Rules that span fields: unique keys and option values, enough options, conditions on an
 * earlier question and a value it can take, no question of the quick step shown by an answer of
 * the detail step (the quick step is sent before the detail step is seen), units for a unit
 * target, dates in order. They run on the typed draft too, so the editor shows them together with
 * the fields' own errors.
 */
function crossFieldIssues(def: LooseDefinition): [(string | number)[], string][] {
  const issues: [(string | number)[], string][] = [];
  const issue = (path: (string | number)[], message: string) => issues.push([path, message]);
  if (def.target.mode === "kind" && !def.target.kind) issue(["target", "kind"], "surveys.errors.targetKind");
  if (def.target.mode === "units" && def.target.units.length === 0) issue(["target", "units"], "surveys.errors.targetUnits");
  if (def.opensOn && def.closesOn && def.closesOn < def.opensOn) issue(["closesOn"], "surveys.errors.dateOrder");
  const seen = new Set<string>();
  def.questions.forEach((q, i) => {
    if (seen.has(q.key)) issue(["questions", i, "key"], "surveys.errors.duplicateKey");
    seen.add(q.key);
    if (q.kind === "single" || q.kind === "multiple") {
      if (q.options.length < 2) issue(["questions", i, "options"], "surveys.errors.fewOptions");
      const values = new Set<string>();
      q.options.forEach((o, j) => {
        if (values.has(o.value)) issue(["questions", i, "options", j, "value"], "surveys.errors.duplicateOption");
        values.add(o.value);
      });
    }
    if (q.condition) {
      const subjectIndex = def.questions.findIndex((s) => s.key === q.condition!.question);
      const subject = def.questions[subjectIndex];
      if (!subject || subjectIndex >= i || !canBeConditionSubject(subject.kind as QuestionKind)) {
        issue(["questions", i, "condition"], "surveys.errors.conditionSubject");
      } else if (!answerValues(subject).includes(q.condition.value)) {
        issue(["questions", i, "condition"], "surveys.errors.conditionValue");
      } else if (inputStep(q) === 1 && inputStep(subject) === 2) {
        issue(["questions", i, "condition"], "surveys.errors.conditionStep");
      }
    }
  });
  // The quick step is what a citizen sends first and what is stored at once: it cannot be empty.
  // (Shown at the first question's step choice: with no question in the quick step, the first is
  // not a core item, so it has that choice.)
  if (def.questions.length > 0 && !def.questions.some((q) => inputStep(q) === 1)) issue(["questions", 0, "step"], "surveys.errors.noQuickStep");
  return issues;
}

export type DefinitionErrors = Record<string, string>;

export type DefinitionResult =
  | { ok: true; definition: SurveyDefinition }
  | { ok: false; errors: DefinitionErrors };

/** Checks a definition (from the editor or a JSON file); errors are keyed by field name. */
export function checkDefinition(input: unknown): DefinitionResult {
  const result = surveyDefinitionSchema.safeParse(input);
  if (result.success) return { ok: true, definition: result.data };
  const errors: DefinitionErrors = {};
  for (const issue of result.error.issues) {
    const name = issue.path.join(".") || "file";
    errors[name] ??= issue.message.startsWith("errors.") || issue.message.startsWith("surveys.")
      ? issue.message
      : issue.code === "invalid_type" && /received undefined/.test(issue.message)
        ? "errors.required"
        : "surveys.errors.invalid";
  }
  // zod stops before rules that span fields when a field fails: run them on what was typed.
  try {
    for (const [path, message] of crossFieldIssues(input as LooseDefinition)) errors[path.join(".")] ??= message;
  } catch {
    // Not shaped like a definition at all: the field errors say so.
  }
  return { ok: false, errors };
}

