import { useT } from "#app/i18n/context";
import { isRouteErrorResponse } from "react-router";

const reasons = new Set([
  "unknown",
  "draft",
  "closed",
  "ended",
  "not_yet_open",
  "bad_kiosk",
  "cross_site",
  "too_large",
  "unknown_unit",
  "unknown_page",
  "bad_request",
  "forbidden",
  "gone",
  "conflict",
  "resent_different",
  "detail_used",
]);

// Errors without a reason of ours (e.g. from the framework) are explained by their status.
const byStatus: Record<number, string> = {
  400: "bad_request",
  403: "forbidden",
  404: "unknown_page",
  405: "bad_request",
  409: "conflict",
  410: "gone",
  413: "too_large",
};

/** The translated page for anything that cannot be shown: unknown, closed, refused, failed. Never a stack trace. */
export function StatusPage({ error }: { error: unknown }) {
  const { t } = useT();
  let reason = "error";
  if (isRouteErrorResponse(error)) {
    const r = (error.data as { reason?: string } | null)?.reason;
    reason = r && reasons.has(r) ? r : (byStatus[error.status] ?? "error");
  } else {
    console.error(error);
  }
  return (
    <section className="panel" aria-labelledby="status-title">
      {/* React hoists this into <head>. */}
      <title>{`${t(`status.${reason}.title`)} – ${t("site.name")}`}</title>
      <h1 id="status-title">{t(`status.${reason}.title`)}</h1>
      <p>{t(`status.${reason}.body`)}</p>
      <p>
        <a className="button" href="/">
          {t("nav.home")}
        </a>
      </p>
    </section>
  );
}
