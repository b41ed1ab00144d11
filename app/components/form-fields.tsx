// Form building blocks shared by the citizen forms: labelled fields whose errors are translated,
// announced (aria-invalid + aria-describedby) and kept next to the field.
import { type RefObject, useEffect, useRef } from "react";
import { nameField } from "#app/domain/form-helpers";
import { useT } from "#app/i18n/context";
import { type LanguageMeta, languages } from "#app/i18n/languages";

interface FieldProps {
  name: string;
  label: string;
  error?: string;
  help?: string;
  value?: string;
  maxLength?: number;
  autoFocus?: boolean;
  errorVars?: Record<string, string | number>;
}

function describedBy(name: string, help?: string, error?: string) {
  return [help ? `${name}-help` : null, error ? `${name}-error` : null].filter(Boolean).join(" ") || undefined;
}

export function FieldMessages({ name, help, error, errorVars }: Pick<FieldProps, "name" | "help" | "error" | "errorVars">) {
  const { t } = useT();
  return (
    <>
      {help ? (
        <p id={`${name}-help`} className="q-help">
          {help}
        </p>
      ) : null}
      {error ? (
        <p id={`${name}-error`} className="field-error">
          {t(error, errorVars)}
        </p>
      ) : null}
    </>
  );
}

export function TextField(
  props: FieldProps & {
    type?: "text" | "tel" | "email" | "date" | "datetime-local" | "number";
    autoComplete?: string;
    inputMode?: "tel" | "email" | "text" | "decimal" | "numeric";
    step?: string;
    dir?: "ltr" | "rtl" | "auto";
    /** The language of the value when it is not the page's (a name in each language). */
    lang?: string;
  },
) {
  const { name, label, error, help, value, maxLength, autoFocus, type = "text", autoComplete, inputMode, step, dir, lang } = props;
  return (
    <div className={`field${error ? " has-error" : ""}`}>
      <label htmlFor={name} className="q-label">
        {label}
      </label>
      <FieldMessages {...props} />
      <input
        id={name}
        name={name}
        type={type}
        defaultValue={value ?? ""}
        maxLength={maxLength}
        autoComplete={autoComplete ?? "off"}
        inputMode={inputMode}
        step={step}
        dir={dir}
        lang={lang}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, help, error)}
        autoFocus={autoFocus}
      />
    </div>
  );
}

/** Free text people type, in whatever language and script: its direction follows the text (dir="auto"). */
export function TextAreaField(props: FieldProps & { rows?: number; dir?: "ltr" | "rtl" | "auto" }) {
  const { name, label, error, help, value, maxLength, autoFocus, rows = 6, dir = "auto" } = props;
  return (
    <div className={`field${error ? " has-error" : ""}`}>
      <label htmlFor={name} className="q-label">
        {label}
      </label>
      <FieldMessages {...props} />
      <textarea
        id={name}
        name={name}
        rows={rows}
        defaultValue={value ?? ""}
        maxLength={maxLength}
        dir={dir}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, help, error)}
        autoFocus={autoFocus}
      />
    </div>
  );
}

/** A name in every supported language, one field each, written in that language's direction. */
export function NameFields({
  label,
  values,
  errors,
  maxLength,
}: {
  label: (language: LanguageMeta) => string;
  values: Record<string, string | undefined>;
  errors: Record<string, string | undefined>;
  maxLength?: number;
}) {
  return (
    <>
      {languages.map((l) => (
        <TextField
          key={l.code}
          name={nameField(l.code)}
          label={label(l)}
          value={values[nameField(l.code)]}
          error={errors[nameField(l.code)]}
          maxLength={maxLength}
          errorVars={maxLength === undefined ? undefined : { max: maxLength }}
          dir={l.dir}
          lang={l.code}
        />
      ))}
    </>
  );
}

/** A labelled choice from a list, with its error announced like the other fields. */
export function SelectField(props: FieldProps & { options: readonly { value: string; label: string }[] }) {
  const { name, label, error, help, value, options } = props;
  return (
    <div className={`field${error ? " has-error" : ""}`}>
      <label htmlFor={name} className="q-label">
        {label}
      </label>
      <FieldMessages {...props} />
      <select id={name} name={name} defaultValue={value ?? ""} aria-invalid={error ? true : undefined} aria-describedby={describedBy(name, help, error)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * The list of problems at the top of a form, linking to each field. With `focusOn` (the errors
 * object, new after each failed submission), it takes the focus, so a screen reader reads the
 * list and the keyboard starts above it: on load without scripts (autofocus), and in an effect
 * after a check in the browser or a post answered with errors.
 */
export function ErrorSummary({ items, focusOn }: { items: { name: string; label: string }[]; focusOn?: unknown }) {
  const { t } = useT();
  const ref = useRef<HTMLDivElement>(null);
  const focus = focusOn !== undefined && items.length > 0;
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus, focusOn]);
  if (items.length === 0) return null;
  return (
    <div ref={ref} className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={focus ? -1 : undefined} autoFocus={focus || undefined}>
      <h2 id="error-summary-title">{t("form.errorSummary", { count: items.length })}</h2>
      <ul>
        {items.map((i) => (
          <li key={i.name}>
            <a href={`#${i.name}`}>{i.label}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** After a failed submission, moves focus to the first field with an error. */
export function useFocusFirstError(form: RefObject<HTMLFormElement | null>, first: string | undefined, trigger: unknown) {
  useEffect(() => {
    if (!first) return;
    form.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  }, [form, first, trigger]);
}
