// The portable definition of a survey: what the office's editor edits (saved as typed, as a
// draft), what publishing applies, and what JSON export and import carry between installs. One
// zod schema checks all three; error messages are translation keys, and issue paths are the
// editor's field names ("questions.2.texts.en"), so an error lands next to its field.
import { z } from "zod";
import { canBeConditionSubject, type Condition, conditionOps } from "./conditions";
import { grades, isGradeKind, NOT_APPLICABLE, questionKinds, type QuestionKind } from "./questions";
import { targetModes } from "./survey-availability";
import { unitKinds } from "./unit-tree";

export const DEFINITION_FORMAT = "civic-satisfaction/survey@1";
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,79}$/;
export const KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
export const OPTION_VALUE_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;
export { targetModes };
/** A survey may target every unit of one kind (the region itself is never answered for). */
export const targetKinds = unitKinds.filter((k) => k !== "region") as unknown as readonly ["county", "department"];
export const MAX_QUESTIONS = 100;
export const MAX_OPTIONS = 30;
export const MAX_TEXT = 2000;

/** The definition as the editor holds it: every field as typed, numbers and dates as strings. */
export interface QuestionInput {
  key: string;
  kind: QuestionKind | string;
  required: boolean;
  allowNa: boolean;
  texts: Record<string, string>;
  helps: Record<string, string>;
  options: { value: string; labels: Record<string, string> }[];
  maxLength: string | number | null;
  condition: Condition | null;
}

export interface DefinitionInput {
  format: string;
  slug: string;
  period: string;
  titles: Record<string, string>;
  intros: Record<string, string>;
  target: { mode: string; kind: string | null; units: string[] };
  opensOn: string | null;
  closesOn: string | null;
  repeatWindowHours: string | number;
  minSeconds: string | number;
  kioskEnabled: boolean;
  questions: QuestionInput[];
}

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
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "surveys.errors.date").nullable(),
);

const questionSchema = z.object({
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
});

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
    questions: z.array(questionSchema).min(1, "surveys.errors.noQuestions").max(MAX_QUESTIONS, "surveys.errors.tooMany"),
  })
  .superRefine((def, ctx) => {
    for (const [path, message] of crossFieldIssues(def)) ctx.addIssue({ code: "custom", path, message });
  })
  .transform((def) => ({
    ...def,
    // What a kind does not use is dropped, so a changed kind leaves nothing stale behind.
    questions: def.questions.map((q) => ({
      ...q,
      allowNa: isGradeKind(q.kind) ? q.allowNa : false,
      options: q.kind === "single" || q.kind === "multiple" ? q.options : [],
      maxLength: q.kind === "text" ? q.maxLength : null,
    })),
    target: {
      mode: def.target.mode,
      kind: def.target.mode === "kind" ? def.target.kind : null,
      units: def.target.mode === "units" ? [...new Set(def.target.units)].sort() : [],
    },
  }));

export type SurveyDefinition = z.output<typeof surveyDefinitionSchema>;
export type QuestionDefinition = SurveyDefinition["questions"][number];

type LooseDefinition = Pick<DefinitionInput, "target" | "opensOn" | "closesOn"> & {
  questions: readonly Pick<QuestionInput, "key" | "kind" | "allowNa" | "options" | "condition">[];
};

/**
 * Rules that span fields: unique keys and option values, enough options, conditions on an
 * earlier question and a value it can take, units for a unit target, dates in order. They run on
 * the typed draft too, so the editor shows them together with the fields' own errors.
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
      }
    }
  });
  return issues;
}

/** The answers a question can be given that a condition can name. */
export function answerValues(q: { kind: string; allowNa: boolean; options: { value: string }[] }): string[] {
  if (isGradeKind(q.kind)) return [...grades.map(String), ...(q.allowNa ? [NOT_APPLICABLE] : [])];
  if (q.kind === "single" || q.kind === "multiple") return q.options.map((o) => o.value);
  return [];
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

export interface MissingText {
  /** The field's name without the language: "titles", "questions.2.options.1.labels". */
  field: string;
  lang: string;
}

/**
 * Texts that must exist in every language before a survey can be published: the title, every
 * question and every option label; an introduction or a help text once it exists in any language.
 */
export function missingTranslations(def: DefinitionInput | SurveyDefinition, languages: readonly string[]): MissingText[] {
  const missing: MissingText[] = [];
  const need = (field: string, map: Record<string, string> | undefined, always: boolean) => {
    const present = map ? Object.values(map).some((v) => v.trim() !== "") : false;
    if (!always && !present) return;
    for (const lang of languages) if (!map?.[lang]?.trim()) missing.push({ field, lang });
  };
  need("titles", def.titles, true);
  need("intros", def.intros, false);
  def.questions.forEach((q, i) => {
    need(`questions.${i}.texts`, q.texts, true);
    need(`questions.${i}.helps`, q.helps, false);
    if (q.kind === "single" || q.kind === "multiple") {
      q.options.forEach((o, j) => need(`questions.${i}.options.${j}.labels`, o.labels, true));
    }
  });
  return missing;
}

/** The definition as the editor holds it (numbers and dates as strings). */
export function toInput(def: SurveyDefinition): DefinitionInput {
  return {
    ...def,
    opensOn: def.opensOn ?? "",
    closesOn: def.closesOn ?? "",
    repeatWindowHours: String(def.repeatWindowHours),
    minSeconds: String(def.minSeconds),
    target: { ...def.target },
    questions: def.questions.map((q) => ({ ...q, maxLength: q.maxLength === null ? null : String(q.maxLength) })),
  };
}

/** An empty question of a kind, for the editor's "add question". */
export function blankQuestion(key: string, kind: QuestionKind = "grade_core"): QuestionInput {
  return { key, kind, required: true, allowNa: false, texts: {}, helps: {}, options: [], maxLength: null, condition: null };
}

/** A new survey's starting point. */
export function blankDefinition(slug: string, period: string): DefinitionInput {
  return {
    format: DEFINITION_FORMAT,
    slug,
    period,
    titles: {},
    intros: {},
    target: { mode: "all", kind: null, units: [] },
    opensOn: "",
    closesOn: "",
    repeatWindowHours: "24",
    minSeconds: "8",
    kioskEnabled: true,
    questions: [blankQuestion("q1")],
  };
}

/** How one version's questions differ from the previous one's, shown in the survey's history. */
export interface QuestionChanges {
  added: string[];
  removed: string[];
  changed: string[];
  reordered: boolean;
}

function comparable(q: QuestionDefinition): string {
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sortKeys)
      : v && typeof v === "object"
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sortKeys(x)]))
        : v;
  return JSON.stringify(sortKeys(q));
}

export function diffQuestions(before: readonly QuestionDefinition[], after: readonly QuestionDefinition[]): QuestionChanges {
  const old = new Map(before.map((q) => [q.key, q]));
  const now = new Map(after.map((q) => [q.key, q]));
  const kept = after.filter((q) => old.has(q.key)).map((q) => q.key);
  return {
    added: after.filter((q) => !old.has(q.key)).map((q) => q.key),
    removed: before.filter((q) => !now.has(q.key)).map((q) => q.key),
    changed: kept.filter((k) => comparable(old.get(k)!) !== comparable(now.get(k)!)),
    reordered: kept.join() !== before.filter((q) => now.has(q.key)).map((q) => q.key).join(),
  };
}

export function hasChanges(c: QuestionChanges): boolean {
  return c.added.length + c.removed.length + c.changed.length > 0 || c.reordered;
}
