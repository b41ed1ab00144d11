import { useT } from "#app/i18n/context";
import { useSearchParams } from "react-router";
import { UnitSearchForm } from "./UnitSearchForm";

interface Unit {
  code: string;
  kind: string;
  name: string;
}

/**
 * Lets the citizen pick the unit for a survey: a name filter (works without JavaScript) and the list
 * by kind. The loader filters the list by the query (findUnitsByName, on the server: its pinyin
 * table stays off the citizen's phone).
 */
export function UnitChooser({
  title,
  action,
  units,
  unknownCode,
  inactiveName = null,
  heading,
}: {
  title: string;
  /** The question above the list; the survey's by default. */
  heading?: string;
  action: string;
  /** The units matching ?q=, best first; every unit without a query. */
  units: Unit[];
  unknownCode: string | null;
  /** The name of the deactivated unit the link named, if it did. */
  inactiveName?: string | null;
}) {
  const { t } = useT();
  const [params] = useSearchParams();
  const q = params.get("q") ?? "";
  const shown = units;
  const kinds = ["county", "department"] as const;
  const keep = new URLSearchParams(params);
  keep.delete("unit");
  keep.delete("q");
  return (
    <section aria-labelledby="choose-title">
      <p className="unit-name">{title}</p>
      <h1 id="choose-title">{heading ?? t("chooser.title")}</h1>
      {unknownCode ? (
        <p className="notice" role="status">
          {t("chooser.unknownCode", { code: unknownCode })}
        </p>
      ) : null}
      {inactiveName ? (
        <p className="notice" role="status">
          {t("unit.inactive.chooser", { name: inactiveName })}
        </p>
      ) : null}
      <UnitSearchForm action={action} q={q} id="unit-q" hidden={[...keep.entries()]} />
      {shown.length === 0 ? <p role="status">{t("finder.noResults")}</p> : null}
      {kinds.map((kind) => {
        const list = shown.filter((u) => u.kind === kind);
        if (list.length === 0) return null;
        return (
          <section key={kind} aria-labelledby={`kind-${kind}`}>
            <h2 id={`kind-${kind}`}>{t(`unitKind.${kind}`)}</h2>
            <ul className="unit-list">
              {list.map((u) => {
                const link = new URLSearchParams(keep);
                link.set("unit", u.code);
                return (
                  <li key={u.code}>
                    <a href={`${action}?${link}`} className="unit-link">
                      {u.name}
                    </a>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </section>
  );
}
