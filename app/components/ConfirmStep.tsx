import { type ReactNode, useEffect, useRef } from "react";
import { Form, Link } from "react-router";
import { CONFIRM_FIELD } from "#app/domain/confirmation";
import { useT } from "#app/i18n/context";

/**
 * The confirmation step of an action on official numbers (app/domain/confirmation.ts): the
 * consequence, then a button that posts the same values again with confirm=1, and a way back that
 * changes nothing. Drawn by the server from the first post's answer, so it works without
 * JavaScript; the panel takes the focus (autofocus without scripts, an effect with them) so a
 * screen reader meets the consequence first.
 */
export function ConfirmStep({
  title,
  children,
  fields,
  confirmLabel,
  cancelTo,
  id = "confirm-step",
}: {
  title: string;
  children: ReactNode;
  /** The first post's fields, carried again (carriedFields). */
  fields: readonly (readonly [string, string])[];
  confirmLabel: string;
  /** Where "Cancel" goes: the page without the step. */
  cancelTo: string;
  id?: string;
}) {
  const { t } = useT();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <section ref={ref} id={id} className="confirm-step" tabIndex={-1} aria-labelledby={`${id}-title`} autoFocus>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
      <Form method="post" className="action-buttons">
        {fields.map(([name, value], i) => (
          <input key={`${name}-${i}`} type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name={CONFIRM_FIELD} value="1" />
        <button type="submit" className="button danger">
          {confirmLabel}
        </button>
        <Link to={cancelTo} className="button">
          {t("staff.confirm.cancel")}
        </Link>
      </Form>
    </section>
  );
}
