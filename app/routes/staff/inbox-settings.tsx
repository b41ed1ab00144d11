// A staff account's notification settings (issue 13): where its messages go (e-mail, SMS), in
// which language, and for each kind whether it is sent at once, in the daily digest at 08:00, or
// only shown in the account's list. Each account sets its own.
import { useRef } from "react";
import { data, Form, Link } from "react-router";
import type { Route } from "./+types/inbox-settings";
import { ErrorSummary, FieldMessages, SelectField, TextField, useFocusFirstError } from "#app/components/form-fields";
import { StatusPage } from "#app/components/StatusPage";
import { deliveryFor, deliveryModes, modeField, parseNoticeSettings, staffNoticeKinds } from "#app/domain/staff-notices";
import { useT } from "#app/i18n/context";
import { getT } from "#app/i18n/i18next.server";
import { languageCodes, languages } from "#app/i18n/languages";
import { readForm } from "#app/lib/http.server";
import { requireStaff } from "#app/lib/staff-session.server";
import { noticeSettings, saveNoticeSettings } from "#app/models/staff-notice.server";

export function meta({ data }: Route.MetaArgs) {
  return data && "title" in data ? [{ title: data.title }] : [];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const { user, actor } = await requireStaff(request);
  const s = await noticeSettings(user.id);
  const office = actor.grants.some((g) => g.role === "office");
  const values: Record<string, string> = { email: s.email ?? "", phone: s.phone ?? "", lang: s.lang };
  for (const k of staffNoticeKinds) values[modeField(k)] = deliveryFor(k, s.prefs, office);
  return { title: getT(context)("staffNotices.settings.title"), values };
}

export async function action({ request }: Route.ActionArgs) {
  const { user } = await requireStaff(request);
  const parsed = parseNoticeSettings(await readForm(request), languageCodes);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values, saved: false }, { status: 400 });
  await saveNoticeSettings(user.id, parsed.data);
  return { errors: null, values: null, saved: true };
}

export default function InboxSettings({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? loaderData.values;
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, Object.keys(errors)[0], actionData);
  const label = (name: string) =>
    name === "email" ? t("staffNotices.settings.email") : name === "phone" ? t("staffNotices.settings.phone") : name === "lang" ? t("staffNotices.settings.lang") : t(`staffNotices.kindName.${name.replace(/^mode_/, "")}`);
  return (
    <article className="staff">
      <h1>{t("staffNotices.settings.title")}</h1>
      <p>
        <Link to="/staff/inbox">{t("staffNotices.inbox.title")}</Link>
      </p>
      <p className="hint">{t("staffNotices.settings.intro")}</p>
      {actionData?.saved ? (
        <p className="notice" role="status">
          {t("staffNotices.settings.saved")}
        </p>
      ) : null}
      <ErrorSummary items={Object.keys(errors).map((name) => ({ name, label: label(name) }))} focusOn={actionData?.errors ?? undefined} />
      <Form method="post" ref={formRef} noValidate>
        <TextField name="email" type="email" label={t("staffNotices.settings.email")} value={values.email} error={errors.email} maxLength={200} autoComplete="email" dir="ltr" />
        <TextField name="phone" type="tel" label={t("staffNotices.settings.phone")} value={values.phone} error={errors.phone} maxLength={20} autoComplete="tel" dir="ltr" />
        <p className="hint">{t("staffNotices.settings.noAddress")}</p>
        <SelectField
          name="lang"
          label={t("staffNotices.settings.lang")}
          value={values.lang}
          error={errors.lang}
          options={languages.map((l) => ({ value: l.code, label: l.name }))}
        />
        <fieldset>
          <legend>{t("staffNotices.settings.kinds")}</legend>
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t("staffNotices.settings.kinds")}>
            <table className="notice-modes">
              <tbody>
                {staffNoticeKinds.map((k) => {
                  const name = modeField(k);
                  return (
                    <tr key={k}>
                      <th scope="row" id={`${name}-label`}>
                        {t(`staffNotices.kindName.${k}`)}
                        <FieldMessages name={name} error={errors[name]} />
                      </th>
                      {deliveryModes.map((m, i) => (
                        <td key={m}>
                          <label className="checkbox">
                            <input
                              type="radio"
                              id={i === 0 ? name : undefined}
                              name={name}
                              value={m}
                              defaultChecked={values[name] === m}
                              aria-invalid={errors[name] ? true : undefined}
                              aria-describedby={errors[name] ? `${name}-error` : `${name}-label`}
                            />
                            {t(`staffNotices.mode.${m}`)}
                          </label>
                        </td>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </fieldset>
        <button type="submit" className="button primary">
          {t("staffNotices.settings.save")}
        </button>
      </Form>
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
