// A complaint opened by the signed link in a message to its citizen (issue 13; docs/decisions/0016
// "Citizens' links"): the page /track shows after the reference and code, without the code. Opening
// it only reads (mail scanners follow links); the rating forms carry the link's token back, and
// the action checks it again. A forged, expired or no longer valid link gets a translated 4xx
// page with the ordinary tracking form. The citizen can delete their contact details from the
// complaint here (issue 15): `?forget=1` shows the confirmation step (still only a read), and only
// its button's post (confirm=1) deletes; without the confirmation the post answers 400.
import { data } from "react-router";
import type { Route } from "./+types/track-open";
import type { PageHandle } from "#app/components/PageFrame";
import { ComplaintStatus } from "#app/components/CitizenCase";
import { ContactRemoved, ForgetContact } from "#app/components/ContactErasure";
import { StatusPage } from "#app/components/StatusPage";
import { LinkRefused } from "#app/components/LinkRefused";
import { parseLinkVerdict } from "#app/domain/case-link-forms";
import { FORGET_STEP_PARAM, isContactErasure, parseContactErasure } from "#app/domain/contact-erasure-form";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { grantTrackedPhotos } from "#app/lib/complaint-cookies.server";
import { readForm } from "#app/lib/http.server";
import { citizenView, LINK_REFUSAL_STATUS, type LinkRefusal, openCaseLink, verdictByLink } from "#app/services/citizen-case.server";
import { eraseContactByLink } from "#app/services/retention.server";
import type { CitizenComplaint } from "#app/models/complaint.server";

export const handle: PageHandle = { page: "track" };

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

// The address carries a bearer token: never kept by a shared cache or the browser's.
export function headers({ actionHeaders, loaderHeaders }: Route.HeadersArgs) {
  const headers = new Headers(actionHeaders.has("Set-Cookie") ? actionHeaders : loaderHeaders);
  headers.set("Cache-Control", "no-store");
  return headers;
}

/** The contact-deletion section's state: its confirmation step open or not, and why a post was refused. */
type ForgetState = { step: boolean; error: string | null };

function refused(reason: LinkRefusal, title: string) {
  return data({ title, refused: reason, complaint: null, forget: null, removed: null }, { status: LINK_REFUSAL_STATUS[reason] });
}

async function opened(
  c: CitizenComplaint,
  token: string,
  lng: string,
  title: string,
  { verdictError = null, forget = { step: false, error: null } }: { verdictError?: string | null; forget?: ForgetState } = {},
) {
  // Proof for the photos' own requests, as /track gives (app/domain/track-proof.ts): a cookie, no stored state.
  const headers = { "Set-Cookie": await grantTrackedPhotos(c.reference) };
  const complaint = { ...citizenView(c, lng, { t: token }), verdictError };
  return data({ title, refused: null, complaint, forget, removed: null }, { status: verdictError || forget.error ? 400 : 200, headers });
}

/** The citizen's request to delete their contact details: the link checked again, then the confirmation. */
async function forgetContact(form: { get(name: string): unknown }, t: (key: string) => string, lng: string) {
  const parsed = parseContactErasure(form);
  const now = new Date();
  const result = await openCaseLink(parsed.t, now);
  if ("refused" in result) return refused(result.refused, t(`caseLinks.refused.${result.refused}.title`));
  if (!parsed.ok) return opened(result.complaint, parsed.t!, lng, t("track.title"), { forget: { step: true, error: parsed.error } });
  const done = await eraseContactByLink(parsed.t, now);
  if ("refused" in done) return refused(done.refused, t(`caseLinks.refused.${done.refused}.title`));
  return data({ title: t("caseLinks.forget.doneTitle"), refused: null, complaint: null, forget: null, removed: { reference: done.reference } });
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const t = getT(context);
  const url = new URL(request.url);
  const token = url.searchParams.get("t");
  const result = await openCaseLink(token, new Date());
  if ("refused" in result) return refused(result.refused, t(`caseLinks.refused.${result.refused}.title`));
  return opened(result.complaint, token!, getLocale(context), t("track.title"), { forget: { step: url.searchParams.get(FORGET_STEP_PARAM) === "1", error: null } });
}

export async function action({ request, context }: Route.ActionArgs) {
  const t = getT(context);
  const lng = getLocale(context);
  const form = await readForm(request);
  if (isContactErasure(form)) return forgetContact(form, t, lng);
  const parsed = parseLinkVerdict(form);
  const token = parsed.ok ? parsed.data.t : (parsed.values.t ?? null);
  const now = new Date();
  if (!parsed.ok) {
    // The case again, with the form's error, when the link still opens it.
    const result = await openCaseLink(token, now);
    if ("refused" in result) return refused(result.refused, t(`caseLinks.refused.${result.refused}.title`));
    return opened(result.complaint, token!, lng, t("track.title"), { verdictError: parsed.errors.grade ?? parsed.errors.note ?? parsed.errors.intent ?? "errors.invalidChoice" });
  }
  const { intent, grade, note } = parsed.data;
  const verdict = intent === "rate" ? { grade: Number(grade) } : { notResolved: true as const, note: note ?? null };
  const result = await verdictByLink(parsed.data.t, verdict, now);
  if ("refused" in result) return refused(result.refused, t(`caseLinks.refused.${result.refused}.title`));
  return opened(result.complaint, parsed.data.t, lng, t("track.title"));
}

export default function TrackOpen({ loaderData, actionData }: Route.ComponentProps) {
  const page = actionData ?? loaderData;
  if (page.removed) return <ContactRemoved reference={page.removed.reference} />;
  if (page.complaint) {
    const c = page.complaint;
    return (
      <ComplaintStatus c={c}>
        {c.hasContact && c.proof.t ? <ForgetContact token={c.proof.t} reference={c.reference} step={page.forget?.step ?? false} error={page.forget?.error ?? null} /> : null}
      </ComplaintStatus>
    );
  }
  return <LinkRefused reason={page.refused!} />;
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
