import { NavLink } from "react-router";
import { useT } from "#app/i18n/context";

export type SurveyTab = "edit" | "preview" | "history" | "distribution" | "results";
const tabs: { key: SurveyTab; path: string }[] = [
  { key: "edit", path: "" },
  { key: "preview", path: "/preview" },
  { key: "history", path: "/history" },
  { key: "distribution", path: "/distribution" },
  { key: "results", path: "/results" },
];

/** The pages of one survey in the office's tools. Unit staff see only the results tab. */
export function SurveyTabs({ slug, title, only }: { slug: string; title: string; only?: SurveyTab[] }) {
  const { t } = useT();
  const shown = only ? tabs.filter((tab) => only.includes(tab.key)) : tabs;
  return (
    <header className="survey-tabs">
      <p className="hint">
        <NavLink to="/staff/surveys">{t("surveys.list.title")}</NavLink> › <span dir="auto">{title}</span>
      </p>
      <nav aria-label={t("surveys.tabs.label")}>
        <ul className="tabs">
          {shown.map((tab) => (
            <li key={tab.key}>
              <NavLink to={`/staff/surveys/${slug}${tab.path}`} end>
                {t(`surveys.tabs.${tab.key}`)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}
