// Small pieces shared by the score pages.
import { useT } from "#app/i18n/context";
import { formatNumber } from "#app/i18n/format";

/** A published figure: 2 decimals in the page language, a dash when there is none. */
export function fmt(x: number | null | undefined, lng: string, digits = 2): string {
  return x === null || x === undefined ? "—" : formatNumber(x, lng, digits);
}

export function ScoreFlags({ flags }: { flags: readonly string[] }) {
  const { t } = useT();
  if (flags.length === 0) return null;
  return (
    <ul className="flags">
      {flags.map((f) => (
        <li key={f} className={`flag flag-${f}`}>
          {t(`scores.flag.${f}`)}
        </li>
      ))}
    </ul>
  );
}
