import { useT } from "#app/i18n/context";

/**
 * Said on the pages that print or hand out survey links (distribution, posters) when those links
 * would carry a loopback or private-network address (distribution.server.ts unreachableLinkOrigin).
 * Posters' toolbar, where it sits, is not printed.
 */
export function LinkOriginWarning({ origin }: { origin: string | null }) {
  const { t } = useT();
  if (!origin) return null;
  return (
    <div className="link-warning" role="note" id="link-origin-warning">
      <p>
        <strong>{t("distribution.privateOrigin.title")}</strong>
      </p>
      <p>
        {t("distribution.privateOrigin.body", { origin: "\u2068" + origin + "\u2069" })}
      </p>
    </div>
  );
}
