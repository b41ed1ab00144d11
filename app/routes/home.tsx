import { useT } from "#app/i18n/context";
import { Link } from "react-router";
import type { Route } from "./+types/home";
import type { PageHandle } from "#app/components/PageFrame";
import { UnitSearchForm } from "#app/components/UnitSearchForm";
import { pickText } from "#app/domain/localized";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage, languages } from "#app/i18n/languages";
import { buildTree, findUnitsByName, listUnits, type UnitTreeNode } from "#app/models/unit.server";

export const handle: PageHandle = { page: "home" };

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.pageTitle }] : [];
}

interface TreeItem {
  code: string;
  name: string;
  kind: string;
  children: TreeItem[];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const lng = getLocale(context);
  const t = getT(context);
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100);
  const units = await listUnits({ activeOnly: true });
  const named = units.map((u) => ({ ...u, name: pickText(u.names, lng, defaultLanguage) }));
  const toItem = (n: UnitTreeNode): TreeItem => ({
    code: n.code,
    kind: n.kind,
    name: pickText(n.names, lng, defaultLanguage),
    children: n.children.map(toItem),
  });
  return {
    pageTitle: t("site.name"),
    q,
    results: q ? findUnitsByName(named, q, lng).map((u) => ({ code: u.code, name: u.name, kind: u.kind })) : null,
    tree: buildTree(units).map(toItem),
  };
}

export default function Home({ loaderData }: Route.ComponentProps) {
  const { t, lng } = useT();
  const { q, results, tree } = loaderData;
  return (
    <>
      <section className="hero" aria-labelledby="home-title">
        <h1 id="home-title">{t("home.title")}</h1>
        <p>{t("home.lead")}</p>
      </section>

      <section aria-labelledby="lang-title" className="panel">
        <h2 id="lang-title">{t("home.chooseLanguage")}</h2>
        <ul className="lang-buttons">
          {languages.map((l) => (
            <li key={l.code}>
              <Link
                to={`/?lng=${l.code}`}
                reloadDocument
                className="button"
                lang={l.code}
                dir={l.dir}
                aria-current={l.code === lng ? "true" : undefined}
              >
                {l.name}
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="find-title" className="panel">
        <h2 id="find-title">{t("home.findUnit")}</h2>
        <UnitSearchForm action="/" q={q} id="home-q" />
        {results ? (
          <div aria-live="polite">
            <h3>{t("finder.resultsTitle", { count: results.length })}</h3>
            {results.length === 0 ? <p>{t("finder.noResults")}</p> : null}
            <ul className="unit-list">
              {results.map((u) => (
                <li key={u.code}>
                  <Link to={`/u/${u.code}`} className="unit-link">
                    {u.name}
                    <span className="unit-kind"> · {t(`unitKind.${u.kind}`)}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>

      <section aria-labelledby="browse-title" className="panel">
        <h2 id="browse-title">{t("home.browse")}</h2>
        <UnitTree items={tree} />
      </section>

      <section aria-labelledby="complaints-title" className="panel">
        <h2 id="complaints-title">{t("home.complaintsTitle")}</h2>
        <p>{t("home.complaintsLead")}</p>
        <ul className="reserved-links">
          <li>
            <Link to="/complaints/new" className="button">
              {t("home.fileComplaint")}
            </Link>
          </li>
          <li>
            <Link to="/track" className="button">
              {t("home.trackComplaint")}
            </Link>
          </li>
        </ul>
      </section>

      <section aria-labelledby="results-title" className="panel">
        <h2 id="results-title">{t("home.resultsTitle")}</h2>
        <p>
          <Link to="/results">{t("home.resultsLink")}</Link>
        </p>
      </section>
    </>
  );
}

function UnitTree({ items }: { items: TreeItem[] }) {
  const { t } = useT();
  return (
    <ul className="unit-tree">
      {items.map((item) =>
        item.children.length > 0 ? (
          <li key={item.code}>
            <details open={item.kind === "region"}>
              <summary>{item.name}</summary>
              {item.kind !== "region" ? (
                <Link to={`/u/${item.code}`} className="unit-link">
                  {t("home.rateUnit", { name: item.name })}
                </Link>
              ) : null}
              <UnitTree items={item.children} />
            </details>
          </li>
        ) : (
          <li key={item.code}>
            <Link to={`/u/${item.code}`} className="unit-link">
              {item.name}
            </Link>
          </li>
        ),
      )}
    </ul>
  );
}
