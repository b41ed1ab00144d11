import { useRef } from "react";
import { data } from "react-router";
import type { Route } from "./+types/track";
import type { PageHandle } from "#app/components/PageFrame";
import { useFocusFirstError } from "#app/components/form-fields";
import { ComplaintStatus } from "#app/components/CitizenCase";
import { StatusPage } from "#app/components/StatusPage";
import { TrackForm } from "#app/components/TrackForm";
import { parseTracking } from "#app/domain/complaint-form";
import { useT } from "#app/i18n/context";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { passRetryAfter, readForm } from "#app/lib/http.server";
import { networkKey, recordTrackingFailure, trackingBlockedFor } from "#app/lib/rate-limit.server";
import { grantTrackedPhotos } from "#app/lib/complaint-cookies.server";
import { findByReferenceAndCode, recordCitizenVerdict } from "#app/models/complaint.server";
import { citizenView } from "#app/services/citizen-case.server";

export const handle: PageHandle = { page: "track" };

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

export const headers = passRetryAfter;

export async function loader({ request, context }: Route.LoaderArgs) {
  return { title: getT(context)("track.title"), reference: new URL(request.url).searchParams.get("ref") ?? "" };
}

export async function action({ request, context }: Route.ActionArgs) {
  const lng = getLocale(context);
  const form = await readForm(request);
  let parsed = parseTracking(form);
  // A verdict without a grade (or with a too long note): show the case again with the error.
  let verdictError: string | null = null;
  if (!parsed.ok && !parsed.errors.reference && !parsed.errors.code) {
    verdictError = parsed.errors.grade ?? parsed.errors.note ?? "errors.invalidChoice";
    parsed = parseTracking(new URLSearchParams({ reference: parsed.values.reference ?? "", code: parsed.values.code ?? "", intent: "view" }));
  }
  if (!parsed.ok) {
    return data({ errors: parsed.errors as Record<string, string>, values: parsed.values, complaint: null, wait: 0 }, { status: 400 });
  }
  const { reference, code, intent } = parsed.data;
  // Counted per network only: nobody can lock a citizen out of their own reference (rate-limit.server.ts).
  const network = networkKey(request);
  const wait = await trackingBlockedFor(network);
  if (wait > 0) {
    return data(
      { errors: null, values: { reference } as Record<string, string>, complaint: null, wait: Math.ceil(wait / 60) },
      { status: 429, headers: { "Retry-After": String(wait) } },
    );
  }
  let complaint = await findByReferenceAndCode(reference, code);
  if (!complaint) {
    await recordTrackingFailure(network);
    // The same answer for an unknown reference and a wrong code.
    return data(
      { errors: { code: "errors.notFound" } as Record<string, string>, values: { reference } as Record<string, string>, complaint: null, wait: 0 },
      { status: 404 },
    );
  }
  if (intent !== "view") {
    const done =
      intent === "rate"
        ? await recordCitizenVerdict(complaint.id, { grade: Number(parsed.data.grade) })
        : await recordCitizenVerdict(complaint.id, { notResolved: true, note: parsed.data.note ?? null });
    if (done) complaint = (await findByReferenceAndCode(reference, code))!;
  }
  const view = { ...citizenView(complaint, lng, { reference: complaint.reference, code }), verdictError };
  // Proof for the photos' own requests (they carry no code): see app/domain/track-proof.ts.
  const headers = { "Set-Cookie": await grantTrackedPhotos(complaint.reference) };
  return data({ errors: null, values: null, complaint: view, wait: 0 }, { status: verdictError ? 400 : 200, headers });
}

export default function Track({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const formRef = useRef<HTMLFormElement>(null);
  const errors: Record<string, string> = actionData?.errors ?? {};
  const first = ["reference", "code"].find((f) => errors[f]);
  useFocusFirstError(formRef, first, errors);
  const complaint = actionData?.complaint;
  if (complaint) return <ComplaintStatus c={complaint} />;
  const values: Record<string, string> = actionData?.values ?? { reference: loaderData.reference };
  return (
    <article className="survey">
      <h1>{t("track.title")}</h1>
      <p className="intro">{t("track.lead")}</p>
      <TrackForm errors={errors} values={values} wait={actionData?.wait ?? 0} formRef={formRef} first={first} />
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
