// Small pieces shared by the score pages.
import { useT } from "#app/i18n/context";
import { formatNumber } from "#app/i18n/format";

/** A published figure: 2 decimals in the page language, a dash when there is none. */
export function fmt(x: number | null | undefined, lng: string, digits = 2): string {
  return x === null || x === undefined ? "—" : formatNumber(x, lng, digits);
}

/** The period picker of the office's period pages (the dashboard, the anomalies review). */
export function PeriodSelect({ id, value, periods }: { id: string; value: string; periods: readonly { code: string; name: string }[] }) {
  const { t } = useT();
  return (
    <div className="field">
      <label htmlFor={id}>{t("scores.period")}</label>
      <select id={id} name="period" defaultValue={value}>
        {periods.map((p) => (
          <option key={p.code} value={p.code}>
            {p.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A unit's flags as a list; `words` names the section of their translations (the report has its own). */
export function ScoreFlags({ flags, words = "scores.flag" }: { flags: readonly string[]; words?: string }) {
  const { t } = useT();
  if (flags.length === 0) return null;
  return (
    <ul className="flags">
      {flags.map((f) => (
        <li key={f} className={`flag flag-${f}`}>
          {t(`${words}.${f}`)}
        </li>
      ))}
    </ul>
  );
}
