// The portable definition of a survey: what the office's editor edits (saved as typed, as a
// draft), what publishing applies, and what JSON export and import carry between installs. Its
// one zod schema is in ./survey-schema.ts (kept apart so the editor's browser code does not pull
// the full zod into the shared chunk citizens download); here are the shapes and the rules that
// need no schema: missing translations, the answers a condition can name, versions' differences.
import type { Condition } from "./conditions";
import { defaultStep, grades, isGradeKind, NOT_APPLICABLE, type QuestionKind, questionKinds, type SurveyStep } from "./questions";
import { DEFAULT_BURST_LIMIT, DEFAULT_BURST_WINDOW_MINUTES } from "./stuffing";
import type { SurveyDefinition, QuestionDefinition } from "./survey-schema";
import { targetModes } from "./survey-availability";
import { unitKinds } from "./unit-tree";

export const DEFINITION_FORMAT = "civic-satisfaction/survey@1";
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,79}$/;
export const KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
export const OPTION_VALUE_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;
export { targetModes };
export type { SurveyDefinition, QuestionDefinition };
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
  /**
   * The step it is asked in (app/domain/survey-steps.ts), as posted: 1, 2 or "1", "2". Absent in
   * drafts saved before steps existed: the default for its kind (inputStep).
   */
  step?: SurveyStep | string;
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
  /** Network bursts (app/domain/stuffing.ts); absent in drafts saved before they existed. */
  burstLimit?: string | number;
  burstWindowMinutes?: string | number;
  questions: QuestionInput[];
}

/**
 * The step a question of the editor's draft or of a file is asked in. Scored core items are always
 * in the quick step, so a score never depends on who goes on to the optional detail; any other
 * question is where its author put it, else in the detail step. An unreadable value reads as the
 * default here (the schema names it as an error).
 */
export function inputStep(q: { kind: string; step?: unknown }): SurveyStep {
  if (q.kind === "grade_core") return 1;
  const step = String(q.step ?? "");
  if (step === "1" || step === "2") return Number(step) as SurveyStep;
  return (questionKinds as readonly string[]).includes(q.kind) ? defaultStep(q.kind as QuestionKind) : 2;
}

/** How many questions each step asks (the editor shows it beside the question list). */
export function stepCounts(questions: readonly { kind: string; step?: unknown }[]): { quick: number; detail: number } {
  const quick = questions.filter((q) => inputStep(q) === 1).length;
  return { quick, detail: questions.length - quick };
}

/** The answers a question can be given that a condition can name. */
export function answerValues(q: { kind: string; allowNa: boolean; options: { value: string }[] }): string[] {
  if (isGradeKind(q.kind)) return [...grades.map(String), ...(q.allowNa ? [NOT_APPLICABLE] : [])];
  if (q.kind === "single" || q.kind === "multiple") return q.options.map((o) => o.value);
  return [];
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
    burstLimit: String(def.burstLimit),
    burstWindowMinutes: String(def.burstWindowMinutes),
    target: { ...def.target },
    questions: def.questions.map((q) => ({ ...q, maxLength: q.maxLength === null ? null : String(q.maxLength) })),
  };
}

/** An empty question of a kind, for the editor's "add question". */
export function blankQuestion(key: string, kind: QuestionKind = "grade_core"): QuestionInput {
  return { key, kind, required: true, allowNa: false, texts: {}, helps: {}, options: [], maxLength: null, condition: null, step: defaultStep(kind) };
}

/**
 * A new survey's starting point. It applies to no unit until the office chooses some: a survey
 * made for one purpose must not silently feed every unit's figures of an open period.
 */
export function blankDefinition(slug: string, period: string): DefinitionInput {
  return {
    format: DEFINITION_FORMAT,
    slug,
    period,
    titles: {},
    intros: {},
    target: { mode: "units", kind: null, units: [] },
    opensOn: "",
    closesOn: "",
    repeatWindowHours: "24",
    minSeconds: "8",
    kioskEnabled: true,
    burstLimit: String(DEFAULT_BURST_LIMIT),
    burstWindowMinutes: String(DEFAULT_BURST_WINDOW_MINUTES),
    questions: [blankQuestion("q1")],
  };
}

/** How one version's questions differ from the previous one's, shown in the survey's history. */
export interface QuestionChanges {
  added: string[];
  removed: string[];
  /** Kept questions changed in anything but their step. */
  changed: string[];
  /** Kept questions moved to the other step (absent in versions published before steps existed). */
  stepMoved?: string[];
  reordered: boolean;
}

function comparable({ step: _step, ...q }: QuestionDefinition): string {
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
    stepMoved: kept.filter((k) => inputStep(old.get(k)!) !== inputStep(now.get(k)!)),
    reordered: kept.join() !== before.filter((q) => now.has(q.key)).map((q) => q.key).join(),
  };
}

export function hasChanges(c: QuestionChanges): boolean {
  return c.added.length + c.removed.length + c.changed.length + (c.stepMoved?.length ?? 0) > 0 || c.reordered;
}
