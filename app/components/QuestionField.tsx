import { useT } from "#app/i18n/context";
import { formatNumber } from "#app/i18n/format";
import { fieldName, grades, isGradeKind, NOT_APPLICABLE, DEFAULT_TEXT_MAX_LENGTH } from "#app/domain/questions";
import type { LocalizedSurvey } from "#app/services/citizen-survey.server";

type Question = LocalizedSurvey["questions"][number];

interface Props {
  question: Question;
  number: number;
  error?: string;
  value?: string | string[];
  autoFocus?: boolean;
  /** Hidden by its display condition (scripts running): not shown, not submitted. */
  hidden?: boolean;
  /** State the display condition in words (when scripts cannot hide the question). */
  showCondition?: boolean;
  /** "(required)" for screen readers only: the page says that every question must be answered. */
  quietRequired?: boolean;
}

/** One question as a labelled group; five grades are large, labelled radio choices. */
export function QuestionField({ question: q, number, error, value, autoFocus, hidden, showCondition, quietRequired }: Props) {
  const { t, lng } = useT();
  const name = fieldName(q.key);
  const errorId = `${name}-error`;
  const helpId = `${name}-help`;
  const conditionId = `${name}-condition`;
  const describedBy =
    [showCondition && q.conditionNote ? conditionId : null, q.help ? helpId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  const invalid = error ? true : undefined;
  const selected = Array.isArray(value) ? value : value ? [value] : [];

  const legend = (
    <>
      <span className="q-number">{t("survey.questionNumber", { number: formatNumber(number, lng) })}</span> {q.text}
      {q.required ? (
        <span className={quietRequired ? "visually-hidden" : "required"}> {t("survey.requiredMark")}</span>
      ) : (
        <span className="optional"> {t("survey.optionalMark")}</span>
      )}
    </>
  );
  const note = q.conditionNote;
  const helpAndError = (
    <>
      {showCondition && note ? (
        <p id={conditionId} className="q-condition">
          {t(note.op === "equals" ? "survey.conditionEquals" : "survey.conditionDiffers", {
            number: formatNumber(note.number, lng),
            answer: note.grade ? t(`grade.${note.grade}`) : (note.label ?? ""),
          })}
        </p>
      ) : null}
      {q.help ? (
        <p id={helpId} className="q-help">
          {q.help}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error">
          {t(error, { max: q.maxLength ?? DEFAULT_TEXT_MAX_LENGTH })}
        </p>
      ) : null}
    </>
  );

  if (q.kind === "text") {
    return (
      <div className={`question${error ? " has-error" : ""}`} data-question={q.key} hidden={hidden}>
        <label htmlFor={name} className="q-label">
          {legend}
        </label>
        {helpAndError}
        <textarea
          id={name}
          name={name}
          rows={4}
          maxLength={q.maxLength ?? DEFAULT_TEXT_MAX_LENGTH}
          defaultValue={selected[0] ?? ""}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          autoFocus={autoFocus}
          disabled={hidden}
        />
      </div>
    );
  }

  const choices: { value: string; label: string }[] = isGradeKind(q.kind)
    ? [
        ...grades.map((g) => ({ value: String(g), label: t(`grade.${g}`) })),
        ...(q.allowNa ? [{ value: NOT_APPLICABLE, label: t("grade.na") }] : []),
      ]
    : q.options.map((o) => ({ value: o, label: q.optionLabels[o] ?? o }));
  const type = q.kind === "multiple" ? "checkbox" : "radio";

  return (
    <fieldset className={`question${error ? " has-error" : ""}`} id={`${name}-group`} data-question={q.key} hidden={hidden} disabled={hidden}>
      <legend className="q-label">{legend}</legend>
      {helpAndError}
      <div className={isGradeKind(q.kind) ? "choices grades" : "choices"}>
        {choices.map((c, i) => (
          <label key={c.value} className={`choice${c.value === NOT_APPLICABLE ? " choice-na" : ""}`}>
            <input
              type={type}
              name={name}
              value={c.value}
              id={i === 0 ? name : undefined}
              defaultChecked={selected.includes(c.value)}
              aria-invalid={invalid}
              aria-describedby={describedBy}
              autoFocus={autoFocus && i === 0}
            />
            <span>{c.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
