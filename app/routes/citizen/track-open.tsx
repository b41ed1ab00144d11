// A complaint opened by the signed link in a message to its citizen (issue 13; docs/decisions/0016
// "Citizens' links"): the page /track shows after the reference and code, without the code. Opening
// it only reads (mail scanners follow links); the rating forms carry the link's token back, and
// the action checks it again. A forged, expired or no longer valid link gets a translated 4xx
// page with the ordinary tracking form.
import { data } from "react-router";
import type { Route } from "./+types/track-open";
import type { PageHandle } from "#app/components/PageFrame";
import { ComplaintStatus } from "#app/components/CitizenCase";
import { StatusPage } from "#app/components/StatusPage";
import { LinkRefused } from "#app/components/LinkRefused";
import { parseLinkVerdict } from "#app/domain/case-link-forms";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { grantTrackedPhotos } from "#app/lib/complaint-cookies.server";
import { readForm } from "#app/lib/http.server";
import { citizenView, LINK_REFUSAL_STATUS, type LinkRefusal, openCaseLink, verdictByLink } from "#app/services/citizen-case.server";
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

function refused(reason: LinkRefusal, title: string) {
  return data({ title, refused: reason, complaint: null }, { status: LINK_REFUSAL_STATUS[reason] });
}

async function opened(c: CitizenComplaint, token: string, lng: string, title: string, verdictError: string | null = null) {
  // Proof for the photos' own requests, as /track gives (app/domain/track-proof.ts): a cookie, no stored state.
  const headers = { "Set-Cookie": await grantTrackedPhotos(c.reference) };
  const complaint = { ...citizenView(c, lng, { t: token }), verdictError };
  return data({ title, refused: null, complaint }, { status: verdictError ? 400 : 200, headers });
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const t = getT(context);
  const token = new URL(request.url).searchParams.get("t");
  const result = await openCaseLink(token, new Date());
  if ("refused" in result) return refused(result.refused, t(`caseLinks.refused.${result.refused}.title`));
  return opened(result.complaint, token!, getLocale(context), t("track.title"));
}

export async function action({ request, context }: Route.ActionArgs) {
  const t = getT(context);
  const lng = getLocale(context);
  const form = await readForm(request);
  const parsed = parseLinkVerdict(form);
  const token = parsed.ok ? parsed.data.t : (parsed.values.t ?? null);
  const now = new Date();
  if (!parsed.ok) {
    // The case again, with the form's error, when the link still opens it.
    const result = await openCaseLink(token, now);
    if ("refused" in result) return refused(result.refused, t(`caseLinks.refused.${result.refused}.title`));
    return opened(result.complaint, token!, lng, t("track.title"), parsed.errors.grade ?? parsed.errors.note ?? parsed.errors.intent ?? "errors.invalidChoice");
  }
  const { intent, grade, note } = parsed.data;
  const verdict = intent === "rate" ? { grade: Number(grade) } : { notResolved: true as const, note: note ?? null };
  const result = await verdictByLink(parsed.data.t, verdict, now);
  if ("refused" in result) return refused(result.refused, t(`caseLinks.refused.${result.refused}.title`));
  return opened(result.complaint, parsed.data.t, lng, t("track.title"));
}

export default function TrackOpen({ loaderData, actionData }: Route.ComponentProps) {
  const page = actionData ?? loaderData;
  if (page.complaint) return <ComplaintStatus c={page.complaint} />;
  return <LinkRefused reason={page.refused!} />;
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
