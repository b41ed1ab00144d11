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
]);

/** A translated page for a survey that cannot be answered (unknown, closed, not yet open...). */
export function StatusPage({ error }: { error: unknown }) {
  const { t } = useT();
  let reason = "error";
  if (isRouteErrorResponse(error)) {
    const r = (error.data as { reason?: string } | null)?.reason;
    reason = r && reasons.has(r) ? r : error.status === 404 ? "unknown" : error.status === 413 ? "too_large" : "error";
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
