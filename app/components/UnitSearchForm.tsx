import { useT } from "#app/i18n/context";

/** The "find a unit by name" form: a plain GET form, so it works without JavaScript. */
export function UnitSearchForm({
  action,
  q,
  id,
  hidden = [],
}: {
  action: string;
  q: string;
  id: string;
  hidden?: [string, string][];
}) {
  const { t } = useT();
  return (
    <form method="get" action={action} className="search-form" role="search">
      {hidden.map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <label htmlFor={id}>{t("finder.label")}</label>
      <div className="search-row">
        <input id={id} type="search" name="q" defaultValue={q} autoComplete="off" maxLength={100} />
        <button type="submit" className="button">
          {t("finder.submit")}
        </button>
      </div>
    </form>
  );
}
