// The tracking form (reference and access code), on /track and on the page a refused link shows
// (/track/open, /track/mine), which posts it to /track. With the way to ask for links instead.
import type { RefObject } from "react";
import { Form } from "react-router";
import { ErrorSummary, TextField } from "#app/components/form-fields";
import { useT } from "#app/i18n/context";

export function TrackForm({
  errors = {},
  values = {},
  wait = 0,
  formRef,
  first,
  action,
}: {
  errors?: Record<string, string>;
  values?: Record<string, string>;
  /** Minutes to wait after too many wrong codes (0: none). */
  wait?: number;
  formRef?: RefObject<HTMLFormElement | null>;
  first?: string;
  /** Where the form posts (another page's copy posts to /track). */
  action?: string;
}) {
  const { t } = useT();
  return (
    <>
      {wait ? (
        <p className="error-summary" role="alert">
          {t("track.slowDown", { minutes: wait })}
        </p>
      ) : (
        <ErrorSummary items={["reference", "code"].filter((f) => errors[f]).map((f) => ({ name: f, label: t(`complaint.field.${f}`) }))} />
      )}
      <Form method="post" action={action} ref={formRef} noValidate className="question">
        <input type="hidden" name="intent" value="view" />
        <TextField name="reference" label={t("complaint.field.reference")} help={t("track.referenceHelp")} error={errors.reference} value={values.reference} maxLength={20} autoFocus={first === "reference"} />
        <TextField name="code" label={t("complaint.field.code")} error={errors.code} value="" maxLength={12} autoFocus={first === "code"} />
        <button type="submit" className="button primary submit">
          {t("track.submit")}
        </button>
      </Form>
      <p>
        <a href="/track/lost">{t("caseLinks.lostLink")}</a>
      </p>
      <p>
        <a href="/complaints/new">{t("home.fileComplaint")}</a>
      </p>
    </>
  );
}
