// "I lost my code" (issue 13; docs/decisions/0016 "Citizens' links"): a citizen gives the e-mail
// address or phone number they left with their complaints, and the platform sends that contact one
// message with a link to them. The answer is the same whether or not any complaint carries the
// contact; requests are limited per network and per contact (429 with Retry-After).
import { useRef } from "react";
import { data, Form } from "react-router";
import type { Route } from "./+types/track-lost";
import type { PageHandle } from "#app/components/PageFrame";
import { ErrorSummary, TextField, useFocusFirstError } from "#app/components/form-fields";
import { StatusPage } from "#app/components/StatusPage";
import { parseLostCode } from "#app/domain/case-link-forms";
import { useT } from "#app/i18n/context";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { passRetryAfter, readForm } from "#app/lib/http.server";
import { logFor } from "#app/lib/log.server";
import { scrubLogText } from "#app/lib/log-scrub";
import { lostCodeRequest, networkKey } from "#app/lib/rate-limit.server";
import { contactHash } from "#app/models/notification.server";
import { requestCaseLinks } from "#app/services/citizen-case.server";

export const handle: PageHandle = { page: "track" };

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

export const headers = passRetryAfter;

export async function loader({ context }: Route.LoaderArgs) {
  return { title: getT(context)("caseLinks.lost.title") };
}

export async function action({ request, context }: Route.ActionArgs) {
  const title = getT(context)("caseLinks.lost.title");
  const parsed = parseLostCode(await readForm(request));
  if (!parsed.ok) return data({ title, errors: parsed.errors, values: parsed.values, sent: false, wait: 0 }, { status: 400 });
  const wait = await lostCodeRequest(networkKey(request), contactHash(parsed.contact));
  if (wait > 0) {
    return data(
      { title, errors: {} as Record<string, string>, values: { contact: parsed.contact }, sent: false, wait: Math.ceil(wait / 60) },
      { status: 429, headers: { "Retry-After": String(wait) } },
    );
  }
  // After the answer, not before it: looking the contact up and writing its message take longer
  // when it has complaints, and the answer's timing must not tell (it is the same text either way).
  const contact = parsed.contact;
  const lang = getLocale(context);
  setImmediate(() => {
    requestCaseLinks(contact, lang, new Date()).catch((error: unknown) =>
      logFor("notify").error({ event: "case_links.failed", error: scrubLogText(error instanceof Error ? error.message : String(error)) }, "case links request failed"),
    );
  });
  return { title, errors: {} as Record<string, string>, values: {} as Record<string, string>, sent: true, wait: 0 };
}

export default function TrackLost({ actionData }: Route.ComponentProps) {
  const { t } = useT();
  const formRef = useRef<HTMLFormElement>(null);
  const errors: Record<string, string> = actionData?.errors ?? {};
  useFocusFirstError(formRef, errors.contact ? "contact" : undefined, errors);
  return (
    <article className="survey">
      <h1>{t("caseLinks.lost.title")}</h1>
      {actionData?.sent ? (
        <p className="notice" role="status" data-testid="lost-answer">
          {t("caseLinks.lost.answer")}
        </p>
      ) : (
        <>
          <p className="intro">{t("caseLinks.lost.lead")}</p>
          {actionData?.wait ? (
            <p className="error-summary" role="alert">
              {t("caseLinks.lost.slowDown", { minutes: actionData.wait })}
            </p>
          ) : (
            <ErrorSummary items={errors.contact ? [{ name: "contact", label: t("caseLinks.lost.contact") }] : []} />
          )}
          <Form method="post" ref={formRef} noValidate className="question">
            <input type="hidden" name="intent" value="send" />
            <TextField name="contact" label={t("caseLinks.lost.contact")} help={t("caseLinks.lost.contactHelp")} error={errors.contact} value={actionData?.values?.contact} maxLength={320} autoComplete="email" dir="ltr" />
            <button type="submit" className="button primary submit">
              {t("caseLinks.lost.submit")}
            </button>
          </Form>
        </>
      )}
      <p>
        <a href="/track">{t("track.title")}</a>
      </p>
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
