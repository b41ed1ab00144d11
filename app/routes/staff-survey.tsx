import { useEffect, useRef, useState } from "react";
import { data, Form, redirect, type ShouldRevalidateFunctionArgs, useBlocker, useLocation, useNavigation, useSubmit } from "react-router";
import type { Route } from "./+types/staff-survey";
import { ConfirmStep } from "#app/components/ConfirmStep";
import { TextField } from "#app/components/form-fields";
import { StatusPage } from "#app/components/StatusPage";
import { SurveyTabs } from "#app/components/SurveyTabs";
import { canBeConditionSubject, conditionOps } from "#app/domain/conditions";
import { isConfirmed } from "#app/domain/confirmation";
import { pickText } from "#app/domain/localized";
import { isGradeKind, questionKinds, type QuestionKind } from "#app/domain/questions";
import { DEFAULT_BURST_LIMIT, DEFAULT_BURST_WINDOW_MINUTES } from "#app/domain/stuffing";
import { answerValues, type DefinitionInput, inputStep, type QuestionInput, stepCounts, targetKinds, targetModes } from "#app/domain/survey-definition";
import { applyIntent, conditionFieldValue, droppedQuestions, keepDroppedQuestions, parseIntent, readEditorForm } from "#app/domain/survey-editor";
import { useT } from "#app/i18n/context";
import { formatDateTime, formatNumber } from "#app/i18n/format";
import { getLocale } from "#app/i18n/i18next.server";
import { defaultLanguage, languageCodes, languages } from "#app/i18n/languages";
import { readForm } from "#app/lib/http.server";
import { requireOffice } from "#app/lib/staff-session.server";
import { listPeriods } from "#app/models/period.server";
import { listUnits } from "#app/models/unit.server";
import { publishFeed, removalFacts } from "#app/services/safeguards.server";
import {
  type AuthoringSurvey,
  checkDraft,
  discardDraft,
  duplicateSurvey,
  draftRevision,
  getAuthoringSurvey,
  publishSurvey,
  saveDraft,
  setSurveyOpen,
  SurveyAuthoringError,
} from "#app/services/survey-authoring.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}


async function requireSurvey(slug: string) {
  const survey = await getAuthoringSurvey(slug);
  if (!survey) throw data({ reason: "not_found" }, { status: 404 });
  return survey;
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireOffice(request);
  const lng = getLocale(context);
  const survey = await requireSurvey(params.slug);
  const [check, periods, units] = await Promise.all([checkDraft(survey, survey.draft), listPeriods(), listUnits({ activeOnly: true })]);
  const title = pickText(survey.draft.titles, lng, defaultLanguage) || survey.slug;
  return {
    title,
    slug: survey.slug,
    status: survey.status,
    currentVersion: survey.currentVersion,
    published: survey.published !== null,
    versionResponses: survey.versionResponses,
    responses: survey.responses,
    hasDraft: survey.draftSavedAt !== null,
    savedAt: survey.draftSavedAt ? formatDateTime(survey.draftSavedAt, lng) : null,
    revision: draftRevision(survey),
    draft: survey.draft,
    errors: check.errors,
    missing: check.missing,
    periods: periods.map((p) => ({ value: p.code, label: pickText(p.names, lng, defaultLanguage) || p.code })),
    units: units.filter((u) => u.kind !== "region").map((u) => ({ code: u.code, kind: u.kind, name: pickText(u.names, lng, defaultLanguage) })),
    imported: new URL(request.url).searchParams.has("imported"),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { user } = await requireOffice(request);
  const survey = await requireSurvey(params.slug);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "save");
  if (intent === "close" || intent === "reopen") {
    await setSurveyOpen(survey, intent === "reopen", user.id);
    return { focus: null, published: null, failed: false, duplicateError: null };
  }
  if (intent === "discard") {
    await discardDraft(survey, user.id);
    return { focus: null, published: null, failed: false, duplicateError: null };
  }
  if (intent === "duplicate") {
    const slug = String(form.get("newSlug") ?? "").trim();
    try {
      await duplicateSurvey(survey, slug, user.id);
    } catch (error) {
      if (error instanceof SurveyAuthoringError) {
        return data({ focus: "newSlug", published: null, failed: false, duplicateError: error.errors.slug ?? "surveys.errors.slug" }, { status: 400 });
      }
      throw error;
    }
    return redirect(`/staff/surveys/${slug}`, { status: 303 });
  }
  const change = parseIntent(intent, String(form.get("newKind") ?? ""));
  const stale = String(form.get("revision") ?? "") !== String(draftRevision(survey));
  // The confirmation step of a removal or a publication (below) posts only the intent, the
  // revision it was drawn from and confirm=1: the first step saved the typed draft, and that
  // saved draft is what was confirmed. A newer save in between makes the confirmation stale.
  if (isConfirmed(form) && (change.type === "remove" || change.type === "publish")) {
    if (stale) return data({ focus: "editor-status", published: null, failed: false, duplicateError: null, conflict: "surveys.errors.conflict" }, { status: 409 });
    if (change.type === "remove") {
      const { draft, focus } = applyIntent(survey.draft, change);
      await saveDraft(survey, draft);
      return redirect(`/staff/surveys/${survey.slug}${focus ? `#${focus}` : ""}`, { status: 303 });
    }
    return publish(survey, survey.draft, user.id);
  }
  // Everything else posts the whole editor: what was typed is saved first, whatever happens next.
  const typed = readEditorForm(form, languageCodes, survey.slug);
  // Someone else saved or published since this page was drawn: saving would silently undo their
  // work, so nothing is saved; this person's typing is shown back, and saving again replaces theirs.
  if (stale) {
    return data({ focus: "editor-status", published: null, failed: false, duplicateError: null, staleDraft: typed }, { status: 409 });
  }
  // A question leaves the draft only through its Remove button and the confirmation step: a post
  // with fewer questions than the saved draft (crafted, or drawn before someone added one) saves
  // nothing; the typing comes back with the dropped questions put back in their places.
  const dropped = droppedQuestions(survey.draft.questions, typed.questions);
  if (dropped.length > 0) {
    const kept = dropped.map((q) => ({ number: q.index + 1, key: q.key }));
    return data(
      { focus: "editor-status", published: null, failed: false, duplicateError: null, staleDraft: keepDroppedQuestions(typed, survey.draft, dropped), kept },
      { status: 409 },
    );
  }
  // Removing a question: the typed draft is saved, the question is not removed yet; the page says
  // what happens to its answers and to the scores, and asks (ConfirmStep).
  const removal = change.type === "remove" ? await removalFacts(survey, typed, change.index) : null;
  if (removal) {
    const revision = await saveDraft(survey, typed);
    return { focus: "confirm-step", published: null, failed: false, duplicateError: null, confirm: { kind: "remove", intent, revision, ...removal } } as const;
  }
  const { draft, focus } = applyIntent(typed, change);
  const revision = await saveDraft(survey, draft);
  // Post, then redirect to the page at the changed place: without JavaScript the browser scrolls
  // there (and a reload does not post again); with it, the focus follows (below).
  if (change.type !== "publish") return redirect(`/staff/surveys/${survey.slug}${focus ? `#${focus}` : ""}`, { status: 303 });
  // Publishing scored questions into an open period feeds units' official figures: when it would
  // feed a unit it did not feed before, the page first lists those units by name.
  const check = await checkDraft(survey, draft);
  if (check.definition && check.missing.length === 0) {
    const feed = await publishFeed(survey, check.definition);
    if (feed.newly.length > 0) {
      const lng = getLocale(context);
      return {
        focus: "confirm-step",
        published: null,
        failed: false,
        duplicateError: null,
        confirm: {
          kind: "publish",
          intent,
          revision,
          period: feed.period ? pickText(feed.period.names, lng, defaultLanguage) || feed.period.code : "",
          scoredItems: feed.scoredItems,
          units: feed.units.map((u) => ({ code: u.code, name: pickText(u.names, lng, defaultLanguage) || u.code, isNew: u.isNew })),
        },
      } as const;
    }
  }
  return publish(survey, draft, user.id);
}

async function publish(survey: AuthoringSurvey, draft: DefinitionInput, actorId: number) {
  const result = await publishSurvey({ ...survey, draft, draftSavedAt: new Date() }, actorId);
  if (!result.ok) return data({ focus: "editor-problems", published: null, failed: true, duplicateError: null, conflict: result.check.errors.form ?? null }, { status: 400 });
  return { focus: "editor-status", published: { version: result.version, newVersion: result.newVersion }, failed: false, duplicateError: null } as const;
}

// Every post saves the draft, even one answered 400 (publishing refused): the page must reload
// what was saved and what still blocks publishing.
export function shouldRevalidate({ formMethod, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  return formMethod?.toUpperCase() === "POST" ? true : defaultShouldRevalidate;
}

type LoaderData = Route.ComponentProps["loaderData"];

export default function SurveyEditor({ loaderData: d, actionData }: Route.ComponentProps) {
  const { t, lng } = useT();
  const formRef = useRef<HTMLFormElement>(null);
  const submit = useSubmit();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const missing = new Set(d.missing.map((m) => `${m.field}.${m.lang}`));
  const errors = d.errors as Record<string, string>;
  const problems = Object.keys(errors).length + d.missing.length;
  // After a refused stale save, the form shows what this person typed, not the saved draft.
  const staleDraft = actionData && "staleDraft" in actionData ? (actionData.staleDraft as DefinitionInput) : null;
  const draft = staleDraft ?? (d.draft as DefinitionInput);
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const confirm = actionData && "confirm" in actionData ? actionData.confirm : null;
  const kept = actionData && "kept" in actionData ? (actionData.kept as { number: number; key: string }[]) : null;
  // While a confirmation step is open the editor is locked: the step confirms the draft the first
  // post saved, so typing meanwhile would be silently dropped by the confirm.
  const locked = confirm !== null;

  // After a structural change the form is drawn again from the saved draft: put the focus where
  // the change happened, so keyboard users keep their place.
  // Typing not yet saved is not lost to a stray click on another tab or page: leaving asks first.
  const [dirty, setDirty] = useState(false);
  useEffect(() => setDirty(false), [d.revision, actionData]);
  // The count of questions per step follows the step and kind choices as they are made.
  const [typedSteps, setTypedSteps] = useState<{ quick: number; detail: number } | null>(null);
  useEffect(() => setTypedSteps(null), [d.revision, actionData]);
  const steps = typedSteps ?? stepCounts(draft.questions);
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    if (window.confirm(t("surveys.editor.leaveUnsaved"))) blocker.proceed();
    else blocker.reset();
  }, [blocker, t]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
  const location = useLocation();
  useEffect(() => {
    const id = actionData?.focus ?? (location.hash ? decodeURIComponent(location.hash.slice(1)) : null);
    if (id) document.getElementById(id)?.focus();
  }, [actionData, d.revision, location.key, location.hash]);

  function move(from: number, to: number) {
    if (!formRef.current || from === to || locked) return;
    const body = new FormData(formRef.current);
    body.set("intent", `move:${from}:${to}`);
    void submit(body, { method: "post" });
  }

  const missingByLang = languages
    .map((l) => ({ ...l, count: d.missing.filter((m) => m.lang === l.code).length, first: d.missing.find((m) => m.lang === l.code) }))
    .filter((l) => l.count > 0);

  return (
    <article className="staff survey-editor">
      <SurveyTabs slug={d.slug} title={d.title} />
      <h1>{t("surveys.editor.title")}</h1>
      {confirm ? <EditorConfirmStep confirm={confirm} slug={d.slug} /> : null}

      <section id="editor-status" tabIndex={-1} className="panel" aria-labelledby="status-title">
        <h2 id="status-title">{t("surveys.editor.statusTitle")}</h2>
        {d.imported ? <p role="status">{t("surveys.import.done")}</p> : null}
        {actionData?.published ? (
          <p role="status" className="success">
            {actionData.published.newVersion
              ? t("surveys.editor.publishedNew", { version: formatNumber(actionData.published.version, lng) })
              : t("surveys.editor.publishedSame", { version: formatNumber(actionData.published.version, lng) })}
          </p>
        ) : null}
        <p>
          {t(`surveys.status.${d.status}`)}
          {d.published ? ` · ${t("surveys.editor.currentVersion", { version: formatNumber(d.currentVersion, lng), count: d.versionResponses, responses: formatNumber(d.versionResponses, lng) })}` : ` · ${t("surveys.editor.neverPublished")}`}
        </p>
        <p className="hint">
          {d.published && d.versionResponses > 0
            ? t("surveys.editor.lockedHelp", { next: formatNumber(d.currentVersion + 1, lng) })
            : t("surveys.editor.unlockedHelp")}
        </p>
        {d.savedAt ? <p className="hint">{t("surveys.editor.draftSaved", { time: d.savedAt })}</p> : null}
        {kept ? (
          <p role="alert" className="field-error">
            {t("surveys.editor.keptQuestions", { questions: kept.map((q) => `${formatNumber(q.number, lng)} (${q.key})`).join(", ") })}
          </p>
        ) : staleDraft ? (
          <p role="alert" className="field-error">
            {t("surveys.editor.stale")}
          </p>
        ) : null}
        {actionData && "conflict" in actionData && actionData.conflict ? (
          <p role="alert" className="field-error">
            {t(actionData.conflict)}
          </p>
        ) : null}
        {d.status === "open" || d.status === "closed" ? (
          <Form method="post">
            <button type="submit" name="intent" value={d.status === "open" ? "close" : "reopen"} className="button">
              {t(d.status === "open" ? "surveys.editor.close" : "surveys.editor.reopen")}
            </button>
          </Form>
        ) : null}
      </section>

      {problems > 0 ? (
        <section id="editor-problems" tabIndex={-1} className={actionData?.failed ? "error-summary" : "panel notice"} role={actionData?.failed ? "alert" : undefined}>
          <h2>{actionData?.failed ? t("surveys.editor.cannotPublish") : t("surveys.editor.beforePublish")}</h2>
          {missingByLang.length > 0 ? (
            <ul className="missing-summary">
              {missingByLang.map((l) => (
                <li key={l.code}>
                  <a href={`#${l.first!.field}.${l.code}`}>{t("surveys.editor.missingIn", { count: l.count, language: l.name })}</a>
                </li>
              ))}
            </ul>
          ) : null}
          {Object.keys(errors).length > 0 ? (
            <ul>
              {Object.entries(errors).map(([field, message]) => (
                <li key={field}>
                  <a href={`#${field}`}>{fieldLabel(field, t)}</a>: {t(message)}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}

      <Form
        method="post"
        ref={formRef}
        key={`${d.revision}${staleDraft ? (kept ? "-kept" : "-typed") : ""}`}
        noValidate
        className="editor-form"
        data-revision={d.revision}
        onChange={(event) => {
          setDirty(true);
          const name = (event.target as { name?: string }).name ?? "";
          if (formRef.current && /^questions\.\d+\.(step|kind)$/.test(name)) {
            setTypedSteps(stepCounts(readEditorForm(new FormData(formRef.current), [], d.slug).questions));
          }
        }}
        onSubmit={() => setDirty(false)}
      >
        {locked ? (
          <p id="editor-locked" className="notice">
            {t("surveys.editor.lockedWhileConfirming")}
          </p>
        ) : null}
        <fieldset className="editor-lock" disabled={locked} aria-describedby={locked ? "editor-locked" : undefined}>
          <input type="hidden" name="revision" value={d.revision} />
          <Settings d={d} draft={draft} errors={errors} missing={missing} />
          <section id="questions" tabIndex={-1} aria-labelledby="questions-title">
            <h2 id="questions-title">{t("surveys.editor.questions")}</h2>
            <p className="hint">{t("surveys.editor.orderHelp")}</p>
            <p className="hint">{t("surveys.steps.help")}</p>
            <p id="step-counts" className="step-counts" aria-live="polite">
              {t("surveys.steps.count", { quick: formatNumber(steps.quick, lng), detail: formatNumber(steps.detail, lng) })}
            </p>
            <input type="hidden" name="questions.count" value={draft.questions.length} />
            <ol className="q-edit-list">
              {draft.questions.map((q, i) => (
                <li
                  key={i}
                  className={dragFrom === i ? "q-edit dragging" : "q-edit"}
                  onDragOver={(e) => dragFrom !== null && e.preventDefault()}
                  onDrop={(e) => {
                    e.preventDefault();
                    if (dragFrom !== null) move(dragFrom, i);
                    setDragFrom(null);
                  }}
                >
                  <QuestionEditor
                    q={q}
                    index={i}
                    count={draft.questions.length}
                    earlier={draft.questions.slice(0, i)}
                    errors={errors}
                    missing={missing}
                    onDragStart={() => setDragFrom(i)}
                    onDragEnd={() => setDragFrom(null)}
                  />
                </li>
              ))}
            </ol>
            <div className="add-question">
              <label htmlFor="newKind">{t("surveys.editor.newKind")}</label>
              <select id="newKind" name="newKind" defaultValue="grade_core">
                {questionKinds.map((k) => (
                  <option key={k} value={k}>
                    {t(`surveys.kinds.${k}`)}
                  </option>
                ))}
              </select>
              <button type="submit" id="questions.add" name="intent" value="add" className="button">
                {t("surveys.editor.addQuestion")}
              </button>
            </div>
          </section>
          <div className="editor-actions">
            <button type="submit" name="intent" value="save" className="button" disabled={busy}>
              {t("surveys.editor.save")}
            </button>
            <button type="submit" name="intent" value="publish" className="button primary" disabled={busy}>
              {t("surveys.editor.publish")}
            </button>
          </div>
        </fieldset>
      </Form>

      <section className="panel" aria-labelledby="more-title">
        <h2 id="more-title">{t("surveys.editor.more")}</h2>
        <p>
          {d.published ? (
            <a className="button" href={`/staff/surveys/${d.slug}/export.json`} download>
              {t("surveys.editor.exportPublished")}
            </a>
          ) : null}{" "}
          <a className="button" href={`/staff/surveys/${d.slug}/export.json?draft=1`} download>
            {t("surveys.editor.exportDraft")}
          </a>
        </p>
        {d.hasDraft && d.published ? (
          <Form method="post">
            <button type="submit" name="intent" value="discard" className="button">
              {t("surveys.editor.discard")}
            </button>
          </Form>
        ) : null}
        <Form method="post" className="inline-form">
          <label htmlFor="newSlug">{t("surveys.editor.duplicateAs")}</label>
          <input
            type="text"
            id="newSlug"
            name="newSlug"
            dir="ltr"
            aria-invalid={actionData?.duplicateError ? true : undefined}
            aria-describedby={actionData?.duplicateError ? "newSlug-error" : undefined}
          />
          <button type="submit" name="intent" value="duplicate" className="button">
            {t("surveys.editor.duplicate")}
          </button>
          {actionData?.duplicateError ? (
            <p id="newSlug-error" className="field-error">
              {t(actionData.duplicateError)}
            </p>
          ) : null}
        </Form>
      </section>
    </article>
  );
}

type EditorConfirm = Extract<NonNullable<Route.ComponentProps["actionData"]>, { confirm: unknown }>["confirm"];

/**
 * The confirmation step of removing a question or of publishing into an open period. It posts the
 * intent and the revision of the draft the first step saved with confirm=1: that revision comes
 * with the step itself, so a confirm pressed before the page has reloaded the draft is not stale.
 */
function EditorConfirmStep({ confirm: c, slug }: { confirm: EditorConfirm; slug: string }) {
  const { t, lng } = useT();
  const fields = [
    ["intent", c.intent],
    ["revision", c.revision],
  ] as const;
  if (c.kind === "remove") {
    const number = formatNumber(c.number, lng);
    return (
      <ConfirmStep title={t("surveys.confirmRemove.title", { number, key: c.key })} fields={fields} confirmLabel={t("surveys.confirmRemove.submit", { number })} cancelTo={`/staff/surveys/${slug}`}>
        <ul>
          <li>
            {c.answers > 0
              ? t("surveys.confirmRemove.answers", { answers: formatNumber(c.answers, lng) })
              : c.published
                ? t("surveys.confirmRemove.noAnswers")
                : t("surveys.confirmRemove.draftOnly")}
          </li>
          {c.published ? <li>{t("surveys.confirmRemove.nextVersion")}</li> : null}
          <li>{c.scored ? t("surveys.confirmRemove.scored") : t("surveys.confirmRemove.notScored")}</li>
        </ul>
      </ConfirmStep>
    );
  }
  const someKnown = c.units.some((u) => !u.isNew);
  return (
    <ConfirmStep title={t("surveys.confirmPublish.title", { period: c.period })} fields={fields} confirmLabel={t("surveys.confirmPublish.submit")} cancelTo={`/staff/surveys/${slug}`}>
      <p>{t("surveys.confirmPublish.units", { items: formatNumber(c.scoredItems, lng), units: formatNumber(c.units.length, lng) })}</p>
      <ul className="fed-units">
        {c.units.map((u) => (
          <li key={u.code}>
            {u.name} <span dir="ltr">({u.code})</span>
            {someKnown && u.isNew ? ` · ${t("surveys.confirmPublish.new")}` : ""}
          </li>
        ))}
      </ul>
      <p>{t("surveys.confirmPublish.live")}</p>
    </ConfirmStep>
  );
}

type T = ReturnType<typeof useT>["t"];

/** "questions.2.texts.en" → "Question 3 · Question text · English" for the problem list. */
function fieldLabel(field: string, t: T): string {
  const parts = field.split(".");
  const lang = languages.find((l) => l.code === parts.at(-1));
  const bits: string[] = [];
  if (parts[0] === "questions" && parts[1] !== undefined && /^\d+$/.test(parts[1])) {
    bits.push(t("surveys.editor.questionN", { number: Number(parts[1]) + 1 }));
    const rest = parts.slice(2).filter((p) => !/^\d+$/.test(p) && p !== lang?.code);
    if (rest[0]) bits.push(t(`surveys.fields.${rest.at(-1) === "value" ? "optionValue" : rest.at(-1) === "labels" ? "optionLabel" : rest[0]}`));
  } else {
    bits.push(t(`surveys.fields.${parts[0] === "target" ? (parts[1] === "units" ? "targetUnits" : "targetKind") : parts[0]}`));
  }
  if (lang) bits.push(lang.name);
  return bits.join(" · ");
}

/** One text in every language, side by side (stacked on a narrow screen). */
function LanguageTexts({
  name,
  label,
  values,
  errors,
  missing,
  multiline,
}: {
  name: string;
  label: string;
  values: Record<string, string>;
  errors: Record<string, string>;
  missing: Set<string>;
  multiline?: boolean;
}) {
  const { t } = useT();
  return (
    <fieldset className="lang-texts">
      <legend>{label}</legend>
      <div className="lang-grid">
        {languages.map((l) => {
          const field = `${name}.${l.code}`;
          const isMissing = missing.has(field);
          const error = errors[field];
          const described = [isMissing ? `${field}-missing` : null, error ? `${field}-error` : null].filter(Boolean).join(" ") || undefined;
          const common = {
            id: field,
            name: field,
            lang: l.code,
            dir: l.dir,
            defaultValue: values[l.code] ?? "",
            "aria-invalid": error || isMissing ? true : undefined,
            "aria-describedby": described,
            className: isMissing ? "missing" : undefined,
          };
          return (
            <div key={l.code} className="lang-cell">
              <label htmlFor={field}>{l.name}</label>
              {multiline ? <textarea rows={2} {...common} /> : <input type="text" {...common} />}
              {isMissing ? (
                <p id={`${field}-missing`} className="field-error">
                  {t("surveys.editor.missing")}
                </p>
              ) : null}
              {error ? (
                <p id={`${field}-error`} className="field-error">
                  {t(error)}
                </p>
              ) : null}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

function FieldError({ name, errors }: { name: string; errors: Record<string, string> }) {
  const { t } = useT();
  return errors[name] ? (
    <p id={`${name}-error`} className="field-error">
      {t(errors[name]!, { max: "" })}
    </p>
  ) : null;
}

function invalid(name: string, errors: Record<string, string>) {
  return errors[name] ? { "aria-invalid": true as const, "aria-describedby": `${name}-error` } : {};
}

function Settings({ d, draft, errors, missing }: { d: LoaderData; draft: DefinitionInput; errors: Record<string, string>; missing: Set<string> }) {
  const { t } = useT();
  const chosen = new Set(draft.target.units);
  return (
    <section aria-labelledby="settings-title" className="editor-settings">
      <h2 id="settings-title">{t("surveys.editor.settings")}</h2>
      <p>
        {t("surveys.fields.slug")}: <code dir="ltr">{d.slug}</code> <span className="hint">{t("surveys.editor.slugFixed")}</span>
      </p>
      <LanguageTexts name="titles" label={t("surveys.fields.titles")} values={draft.titles} errors={errors} missing={missing} />
      <LanguageTexts name="intros" label={t("surveys.fields.intros")} values={draft.intros} errors={errors} missing={missing} multiline />
      <div className="form-grid">
        <div className="field">
          <label htmlFor="period" className="q-label">
            {t("surveys.fields.period")}
          </label>
          <select id="period" name="period" defaultValue={draft.period} {...invalid("period", errors)}>
            {d.periods.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
          <FieldError name="period" errors={errors} />
        </div>
        <TextField name="opensOn" type="date" label={t("surveys.fields.opensOn")} value={draft.opensOn ?? ""} error={errors.opensOn} />
        <TextField name="closesOn" type="date" label={t("surveys.fields.closesOn")} value={draft.closesOn ?? ""} error={errors.closesOn} />
        <TextField name="repeatWindowHours" inputMode="numeric" label={t("surveys.fields.repeatWindowHours")} value={String(draft.repeatWindowHours)} error={errors.repeatWindowHours} />
        <TextField name="minSeconds" inputMode="numeric" label={t("surveys.fields.minSeconds")} value={String(draft.minSeconds)} error={errors.minSeconds} />
        <label className="checkbox">
          <input type="checkbox" name="kioskEnabled" defaultChecked={draft.kioskEnabled} /> {t("surveys.fields.kioskEnabled")}
        </label>
      </div>
      <fieldset>
        <legend>{t("surveys.fields.burst")}</legend>
        <p className="hint">{t("surveys.fields.burstHelp")}</p>
        <div className="form-grid">
          <TextField name="burstLimit" inputMode="numeric" label={t("surveys.fields.burstLimit")} value={String(draft.burstLimit ?? DEFAULT_BURST_LIMIT)} error={errors.burstLimit} />
          <TextField name="burstWindowMinutes" inputMode="numeric" label={t("surveys.fields.burstWindowMinutes")} value={String(draft.burstWindowMinutes ?? DEFAULT_BURST_WINDOW_MINUTES)} error={errors.burstWindowMinutes} />
        </div>
      </fieldset>
      <fieldset className="target">
        <legend>{t("surveys.fields.target")}</legend>
        {targetModes.map((m, i) => (
          <label key={m} className="checkbox">
            <input type="radio" id={i === 0 ? "target.mode" : undefined} name="target.mode" value={m} defaultChecked={draft.target.mode === m} /> {t(`surveys.target.${m}`)}
          </label>
        ))}
        <div className="field">
          <label htmlFor="target.kind">{t("surveys.fields.targetKind")}</label>
          <select id="target.kind" name="target.kind" defaultValue={draft.target.kind ?? ""} {...invalid("target.kind", errors)}>
            <option value="">—</option>
            {targetKinds.map((k) => (
              <option key={k} value={k}>
                {t(`unitKind.${k}`)}
              </option>
            ))}
          </select>
          <FieldError name="target.kind" errors={errors} />
        </div>
        <details open={draft.target.mode === "units" || undefined}>
          <summary id="target.units">{t("surveys.fields.targetUnits")}</summary>
          <FieldError name="target.units" errors={errors} />
          {/* Chosen units this list does not offer (deactivated since) are kept as they are. */}
          {draft.target.units
            .filter((code) => !d.units.some((u) => u.code === code))
            .map((code) => (
              <input key={code} type="hidden" name="target.units" value={code} />
            ))}
          <div className="unit-checks">
            {d.units.map((u) => (
              <label key={u.code} className="checkbox">
                <input type="checkbox" name="target.units" value={u.code} defaultChecked={chosen.has(u.code)} /> {u.name} <code>{u.code}</code>
              </label>
            ))}
          </div>
        </details>
      </fieldset>
    </section>
  );
}

function QuestionEditor({
  q,
  index: i,
  count,
  earlier,
  errors,
  missing,
  onDragStart,
  onDragEnd,
}: {
  q: QuestionInput;
  index: number;
  count: number;
  earlier: QuestionInput[];
  errors: Record<string, string>;
  missing: Set<string>;
  onDragStart: () => void;
  onDragEnd: () => void;
}) {
  const { t, lng } = useT();
  const p = `questions.${i}`;
  const number = formatNumber(i + 1, lng);
  const subjects = earlier
    .map((s, j) => ({ s, j }))
    .filter(({ s }) => (questionKinds as readonly string[]).includes(s.kind) && canBeConditionSubject(s.kind as QuestionKind));
  // A condition the earlier questions no longer offer (one moved below it, an option renamed) is
  // kept and shown as such, so the next save does not silently drop it; its error says why.
  const current = conditionFieldValue(q.condition);
  const offered = subjects.some(({ s }) => answerValues({ kind: s.kind, allowNa: s.allowNa, options: s.options }).some((v) => `${s.key}=${v}` === current));
  const staleCondition = current && !offered ? current : null;
  // The step as saved; a value that is neither step checks no choice (its error says so).
  const step = q.step === undefined || q.step === null || q.step === "" ? String(inputStep(q)) : String(q.step);
  const valueLabel = (s: QuestionInput, v: string) =>
    isGradeKind(s.kind) ? t(`grade.${v}`) : pickText(s.options.find((o) => o.value === v)?.labels, lng, defaultLanguage) || v;
  return (
    <fieldset className="q-edit-body" aria-labelledby={`${p}-legend`}>
      <div className="q-edit-head">
        <span
          className="drag-handle"
          draggable
          onDragStart={(e) => {
            e.dataTransfer.effectAllowed = "move";
            e.dataTransfer.setData("text/plain", String(i));
            onDragStart();
          }}
          onDragEnd={onDragEnd}
          title={t("surveys.editor.drag")}
          aria-hidden="true"
        >
          ⠿
        </span>
        <h3 id={`${p}-legend`}>{t("surveys.editor.questionN", { number })}</h3>
        <div className="q-edit-buttons">
          <button type="submit" name="intent" value={`move:${i}:${i - 1}`} className="button small" disabled={i === 0} aria-label={t("surveys.editor.moveUpN", { number })}>
            ↑
          </button>
          <button type="submit" name="intent" value={`move:${i}:${i + 1}`} className="button small" disabled={i === count - 1} aria-label={t("surveys.editor.moveDownN", { number })}>
            ↓
          </button>
          <button type="submit" name="intent" value={`remove:${i}`} className="button small danger" aria-label={t("surveys.editor.removeN", { number })}>
            {t("surveys.editor.remove")}
          </button>
        </div>
      </div>
      <div className="form-grid">
        <TextField name={`${p}.key`} dir="ltr" label={t("surveys.fields.key")} value={q.key} error={errors[`${p}.key`]} />
        <div className="field">
          <label htmlFor={`${p}.kind`}>{t("surveys.fields.kind")}</label>
          <select id={`${p}.kind`} name={`${p}.kind`} defaultValue={q.kind} className="kind-select" {...invalid(`${p}.kind`, errors)}>
            {questionKinds.map((k) => (
              <option key={k} value={k}>
                {t(`surveys.kinds.${k}`)}
              </option>
            ))}
          </select>
          <FieldError name={`${p}.kind`} errors={errors} />
        </div>
        <label className="checkbox">
          <input type="checkbox" name={`${p}.required`} defaultChecked={q.required} /> {t("surveys.fields.required")}
        </label>
        <label className="checkbox for-grade">
          <input type="checkbox" name={`${p}.allowNa`} defaultChecked={q.allowNa} /> {t("surveys.fields.allowNa")}
        </label>
        <div className="for-text">
          <TextField name={`${p}.maxLength`} inputMode="numeric" label={t("surveys.fields.maxLength")} value={q.maxLength === null ? "" : String(q.maxLength)} error={errors[`${p}.maxLength`]} />
        </div>
      </div>
      {/* Shown for every kind but scored core items, which are always in the quick step (styles: :has on the kind). */}
      <fieldset className="step-choice for-not-core" aria-describedby={errors[`${p}.step`] ? `${p}.step-error` : undefined}>
        <legend>{t("surveys.fields.step")}</legend>
        {(["1", "2"] as const).map((value) => (
          <label key={value} className="checkbox">
            <input
              type="radio"
              id={value === "1" ? `${p}.step` : undefined}
              name={`${p}.step`}
              value={value}
              defaultChecked={step === value}
              aria-invalid={errors[`${p}.step`] ? true : undefined}
            />{" "}
            {t(value === "1" ? "surveys.steps.quick" : "surveys.steps.detail")}
          </label>
        ))}
        <FieldError name={`${p}.step`} errors={errors} />
      </fieldset>
      <p className="hint for-core">{t("surveys.steps.coreNote")}</p>
      <LanguageTexts name={`${p}.texts`} label={t("surveys.fields.texts")} values={q.texts} errors={errors} missing={missing} multiline />
      <details open={Object.keys(q.helps).length > 0 || undefined}>
        <summary>{t("surveys.fields.helps")}</summary>
        <LanguageTexts name={`${p}.helps`} label={t("surveys.fields.helps")} values={q.helps} errors={errors} missing={missing} />
      </details>
      <div className="for-choice">
        <input type="hidden" name={`${p}.options.count`} value={q.options.length} />
        <h4 id={`${p}.options`} tabIndex={-1}>
          {t("surveys.fields.options")}
        </h4>
        <FieldError name={`${p}.options`} errors={errors} />
        {q.options.map((o, j) => (
          <div key={j} className="option-edit">
            <TextField name={`${p}.options.${j}.value`} dir="ltr" label={t("surveys.fields.optionValue")} value={o.value} error={errors[`${p}.options.${j}.value`]} />
            <LanguageTexts name={`${p}.options.${j}.labels`} label={t("surveys.fields.optionLabel")} values={o.labels} errors={errors} missing={missing} />
            <button type="submit" name="intent" value={`removeOption:${i}:${j}`} className="button small">
              {t("surveys.editor.removeOption")}
              {/* The name starts with the visible text (WCAG 2.5.3), then says which option. */}
              <span className="visually-hidden"> ({t("surveys.editor.optionOfQuestion", { option: o.value || String(j + 1), number })})</span>
            </button>
          </div>
        ))}
        <button type="submit" id={`${p}.options.add`} name="intent" value={`addOption:${i}`} className="button small">
          {t("surveys.editor.addOption")}
        </button>
      </div>
      <div className="condition-edit">
        <div className="field">
          <label htmlFor={`${p}.condition`}>{t("surveys.fields.condition")}</label>
          <select id={`${p}.condition`} name={`${p}.condition`} defaultValue={conditionFieldValue(q.condition)} {...invalid(`${p}.condition`, errors)}>
            <option value="">{t("surveys.editor.always")}</option>
            {staleCondition ? <option value={staleCondition}>{t("surveys.editor.invalidCondition", { condition: staleCondition })}</option> : null}
            {subjects.map(({ s, j }) => (
              <optgroup key={s.key} label={`${formatNumber(j + 1, lng)}. ${pickText(s.texts, lng, defaultLanguage) || s.key}`}>
                {answerValues({ kind: s.kind, allowNa: s.allowNa, options: s.options }).map((v) => (
                  <option key={v} value={`${s.key}=${v}`}>
                    {t("surveys.editor.whenAnswer", { number: formatNumber(j + 1, lng), answer: valueLabel(s, v) })}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          <FieldError name={`${p}.condition`} errors={errors} />
        </div>
        <div className="field">
          <label htmlFor={`${p}.conditionOp`}>{t("surveys.fields.conditionOp")}</label>
          <select id={`${p}.conditionOp`} name={`${p}.conditionOp`} defaultValue={q.condition?.op ?? "equals"}>
            {conditionOps.map((op) => (
              <option key={op} value={op}>
                {t(`surveys.conditionOps.${op}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
    </fieldset>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
