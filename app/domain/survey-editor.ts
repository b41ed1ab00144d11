// The survey editor's form: every field posts with the name of its place in the definition
// ("questions.2.texts.en"), so the page works without JavaScript, what was typed is saved as a
// draft even when incomplete, and validation errors map back to their fields. The buttons that
// change the structure (add, remove, move, options) are intents applied to the draft here.
import { conditionOps, type Condition } from "./conditions";
import { type FormLike, formString as str } from "./form-helpers";
import { blankQuestion, DEFINITION_FORMAT, type DefinitionInput, inputStep, MAX_OPTIONS, MAX_QUESTIONS, type QuestionInput } from "./survey-definition";
import { questionKinds, type QuestionKind } from "./questions";


function textsOf(form: FormLike, prefix: string, languages: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const lang of languages) {
    const v = str(form, `${prefix}.${lang}`).replace(/\r\n/g, "\n");
    if (v) out[lang] = v;
  }
  return out;
}

/** The condition select's value: "subjectKey=value" ("" for none). */
export function conditionFieldValue(c: Condition | null): string {
  return c ? `${c.question}=${c.value}` : "";
}

function readCondition(form: FormLike, prefix: string): Condition | null {
  const raw = str(form, `${prefix}.condition`);
  const at = raw.indexOf("=");
  if (at <= 0) return null;
  const op = str(form, `${prefix}.conditionOp`);
  return {
    question: raw.slice(0, at),
    value: raw.slice(at + 1),
    op: (conditionOps as readonly string[]).includes(op) ? (op as Condition["op"]) : "equals",
  };
}

function countOf(form: FormLike, name: string, max: number): number {
  const n = Number(str(form, name));
  return Number.isInteger(n) && n >= 0 ? Math.min(n, max) : 0;
}

/** Reads the editor's form into a draft; the slug never changes once a survey exists. */
export function readEditorForm(form: FormLike, languages: readonly string[], slug: string): DefinitionInput {
  const questions: QuestionInput[] = [];
  for (let i = 0; i < countOf(form, "questions.count", MAX_QUESTIONS + 1); i++) {
    const p = `questions.${i}`;
    const options = [];
    for (let j = 0; j < countOf(form, `${p}.options.count`, MAX_OPTIONS + 1); j++) {
      options.push({ value: str(form, `${p}.options.${j}.value`), labels: textsOf(form, `${p}.options.${j}.labels`, languages) });
    }
    const maxLength = str(form, `${p}.maxLength`);
    const kind = str(form, `${p}.kind`);
    const step = str(form, `${p}.step`);
    questions.push({
      key: str(form, `${p}.key`),
      kind,
      required: form.get(`${p}.required`) === "on",
      allowNa: form.get(`${p}.allowNa`) === "on",
      texts: textsOf(form, `${p}.texts`, languages),
      helps: textsOf(form, `${p}.helps`, languages),
      options,
      maxLength: maxLength === "" ? null : maxLength,
      condition: readCondition(form, p),
      // Scored core items are always in the quick step (their step choice is hidden); a post
      // without a choice gets its kind's default; any other value is kept for the check to name.
      step: kind === "grade_core" || step === "" ? inputStep({ kind }) : step === "1" || step === "2" ? inputStep({ kind, step }) : step,
    });
  }
  return {
    format: DEFINITION_FORMAT,
    slug,
    period: str(form, "period"),
    titles: textsOf(form, "titles", languages),
    intros: textsOf(form, "intros", languages),
    target: {
      // No choice posted is no unit, never every unit (see blankDefinition).
      mode: str(form, "target.mode") || "units",
      kind: str(form, "target.kind") || null,
      units: form.getAll("target.units").filter((v): v is string => typeof v === "string" && v !== ""),
    },
    opensOn: str(form, "opensOn"),
    closesOn: str(form, "closesOn"),
    repeatWindowHours: str(form, "repeatWindowHours"),
    minSeconds: str(form, "minSeconds"),
    kioskEnabled: form.get("kioskEnabled") === "on",
    burstLimit: str(form, "burstLimit"),
    burstWindowMinutes: str(form, "burstWindowMinutes"),
    questions,
  };
}

export type EditorIntent =
  | { type: "save" }
  | { type: "publish" }
  | { type: "add"; kind: QuestionKind }
  | { type: "remove"; index: number }
  | { type: "move"; from: number; to: number }
  | { type: "addOption"; index: number }
  | { type: "removeOption"; index: number; option: number };

/** Parses the pressed button's value ("move:3:2", "add", ...); unknown values save. */
export function parseIntent(raw: string, newKind: string): EditorIntent {
  const [type, a, b] = raw.split(":");
  const n = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : -1);
  switch (type) {
    case "publish":
      return { type: "publish" };
    case "add":
      return { type: "add", kind: (questionKinds as readonly string[]).includes(newKind) ? (newKind as QuestionKind) : "grade_core" };
    case "remove":
      return { type: "remove", index: n(a) };
    case "move":
      return { type: "move", from: n(a), to: n(b) };
    case "addOption":
      return { type: "addOption", index: n(a) };
    case "removeOption":
      return { type: "removeOption", index: n(a), option: n(b) };
    default:
      return { type: "save" };
  }
}

function freshKey(existing: readonly { key: string }[], stem: string): string {
  const keys = new Set(existing.map((q) => q.key));
  for (let i = existing.length + 1; ; i++) if (!keys.has(`${stem}${i}`)) return `${stem}${i}`;
}

/**
 * Applies a structural change to the draft. Returns the new draft and the field to focus
 * afterwards (the added question, the moved one's new place...), so keyboard users keep their place.
 */
export function applyIntent(draft: DefinitionInput, intent: EditorIntent): { draft: DefinitionInput; focus: string | null } {
  const questions = [...draft.questions];
  const at = (i: number) => (i >= 0 && i < questions.length ? questions[i] : undefined);
  switch (intent.type) {
    case "add": {
      if (questions.length >= MAX_QUESTIONS) break;
      const q = blankQuestion(freshKey(questions, "q"), intent.kind);
      if (intent.kind === "single" || intent.kind === "multiple") {
        q.options = [{ value: "o1", labels: {} }, { value: "o2", labels: {} }];
      }
      questions.push(q);
      return { draft: { ...draft, questions }, focus: `questions.${questions.length - 1}.key` };
    }
    case "remove":
      if (!at(intent.index)) break;
      questions.splice(intent.index, 1);
      return { draft: { ...draft, questions }, focus: "questions.add" };
    case "move": {
      const to = Math.max(0, Math.min(questions.length - 1, intent.to));
      if (!at(intent.from) || to === intent.from) break;
      const [moved] = questions.splice(intent.from, 1);
      questions.splice(to, 0, moved!);
      return { draft: { ...draft, questions }, focus: `questions.${to}.key` };
    }
    case "addOption": {
      const q = at(intent.index);
      if (!q || q.options.length >= MAX_OPTIONS) break;
      const options = [...q.options, { value: freshKey(q.options.map((o) => ({ key: o.value })), "o"), labels: {} }];
      questions[intent.index] = { ...q, options };
      return { draft: { ...draft, questions }, focus: `questions.${intent.index}.options.${options.length - 1}.value` };
    }
    case "removeOption": {
      const q = at(intent.index);
      if (!q || !q.options[intent.option]) break;
      questions[intent.index] = { ...q, options: q.options.filter((_, j) => j !== intent.option) };
      return { draft: { ...draft, questions }, focus: `questions.${intent.index}.options.add` };
    }
    default:
      break;
  }
  return { draft, focus: null };
}

export interface DroppedQuestion {
  /** Its place (0-based) in the saved draft. */
  index: number;
  key: string;
}

/**
 * The saved draft's questions that a post of the whole editor would drop. The editor posts every
 * question it drew (questions.count), and a question leaves the draft only through its Remove
 * button and that removal's confirmation step; so a post holding fewer questions than the saved
 * draft (a crafted post, or a page drawn before someone else added a question) would remove some
 * silently. Which ones: the saved keys the post no longer holds, as many as are missing (the last
 * of them: a key typed over in place is a renamed question, not a removed one), else the saved
 * questions past the post's end. Empty when the post drops none.
 */
export function droppedQuestions(saved: readonly { key: string }[], typed: readonly { key: string }[]): DroppedQuestion[] {
  const lost = saved.length - typed.length;
  if (lost <= 0) return [];
  const kept = new Set(typed.map((q) => q.key));
  const missing = saved.map((q, index) => ({ index, key: q.key })).filter((q) => !kept.has(q.key));
  if (missing.length >= lost) return missing.slice(missing.length - lost);
  return saved.slice(typed.length).map((q, i) => ({ index: typed.length + i, key: q.key }));
}

/** The typed draft with the saved questions it dropped put back at their places (droppedQuestions). */
export function keepDroppedQuestions(typed: DefinitionInput, saved: DefinitionInput, dropped: readonly DroppedQuestion[]): DefinitionInput {
  const questions = [...typed.questions];
  for (const d of [...dropped].sort((a, b) => a.index - b.index)) {
    const q = saved.questions[d.index];
    if (q) questions.splice(Math.min(d.index, questions.length), 0, q);
  }
  return { ...typed, questions };
}
