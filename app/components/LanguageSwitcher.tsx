import { useT } from "#app/i18n/context";
import { Link, useLocation } from "react-router";
import { languages } from "#app/i18n/languages";

/** Links to this page in each language. A full page load brings that language's strings. */
export function LanguageSwitcher({ current }: { current: string }) {
  const { t } = useT();
  const location = useLocation();
  return (
    <nav aria-label={t("nav.language")} className="lang-switcher">
      <ul>
        {languages.map((l) => {
          const params = new URLSearchParams(location.search);
          params.set("lng", l.code);
          return (
            <li key={l.code}>
              <Link
                to={`${location.pathname}?${params}`}
                reloadDocument
                lang={l.code}
                dir={l.dir}
                hrefLang={l.code}
                aria-current={l.code === current ? "true" : undefined}
              >
                {l.name}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
