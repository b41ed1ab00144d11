// What the root frame draws around a page depends on the page: a route says which kind it is in
// its `handle` ({ page: "survey" }), and the frame picks the page's meta description and the
// footer's privacy statement from that. The survey's "anonymous" statement belongs under surveys;
// a complaint asks for contact details, so complaint pages say who sees those instead; staff pages
// carry neither.
import { useLocation, useMatches } from "react-router";
import { useT } from "#app/i18n/context";

export type PageKind = "home" | "survey" | "complaint" | "track" | "results";

export interface PageHandle {
  page: PageKind;
  /**
   * Drawn whole on the server and sent without the framework's client runtime; the survey pages'
   * own script (app/enhance/survey.ts) enhances it (docs/decisions/0015).
   */
  lean?: boolean;
  /** Lean and without any script: the public results pages (docs/decisions/0020). */
  noScripts?: boolean;
}

/** Whether the deepest route that says so asks for a lean page. */
export function isLeanPage(matches: readonly { handle?: unknown }[]): boolean {
  return matches.some((m) => (m.handle as Partial<PageHandle> | undefined)?.lean === true || hasNoScripts([m]));
}

/** Whether the page asks for no script at all. */
export function hasNoScripts(matches: readonly { handle?: unknown }[]): boolean {
  return matches.some((m) => (m.handle as Partial<PageHandle> | undefined)?.noScripts === true);
}

/** The kind named by the deepest route that names one, or null. */
export function pageKindOf(matches: readonly { handle?: unknown }[]): PageKind | null {
  for (let i = matches.length - 1; i >= 0; i--) {
    const handle = matches[i]!.handle as Partial<PageHandle> | undefined;
    if (handle?.page) return handle.page;
  }
  return null;
}

function usePageKind(): { kind: PageKind | null; staff: boolean } {
  const kind = pageKindOf(useMatches());
  const { pathname } = useLocation();
  return { kind, staff: kind === null && /^\/staff(\/|$)/.test(pathname) };
}

/** The page's meta description: one per kind of citizen page, one for staff pages, one for the rest. */
export function PageDescription() {
  const { t } = useT();
  const { kind, staff } = usePageKind();
  return <meta name="description" content={staff ? t("staff.meta.description") : t(`meta.description.${kind ?? "site"}`)} />;
}

export function SiteFooter() {
  const { t } = useT();
  const { kind } = usePageKind();
  const notes = kind === "survey" ? ["site.privacyNote"] : kind === "complaint" || kind === "track" ? ["site.contactNote"] : kind === "home" ? ["site.privacyNote", "site.contactNote"] : [];
  if (notes.length === 0) return null;
  return (
    <footer className="site-footer">
      {notes.map((key) => (
        <p key={key}>{t(key)}</p>
      ))}
    </footer>
  );
}
