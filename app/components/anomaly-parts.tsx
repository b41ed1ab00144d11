// Pieces the anomalies pages share: a p-value, the verdict of the distribution test, and the test
// stated in words (the page must say what "different" means).
import { MIN_DAY_RESPONSES, SIGNIFICANCE } from "#app/domain/anomaly-test";
import { useT } from "#app/i18n/context";
import { fmt } from "./score-parts";

/** The calendar day a region-local day string names, for formatting in region time. */
export const dayDate = (day: string) => new Date(`${day}T12:00:00+08:00`);

export function PValue({ p }: { p: number | null }) {
  const { lng } = useT();
  if (p === null) return <>—</>;
  return <span dir="ltr">{p < 0.0001 ? `< ${fmt(0.0001, lng, 4)}` : fmt(p, lng, 4)}</span>;
}

export function Verdict({ n, p, significant }: { n: number; p: number | null; significant: boolean }) {
  const { t } = useT();
  if (significant) return <strong>{t("anomalies.verdict.different")}</strong>;
  if (n < MIN_DAY_RESPONSES) return <>{t("anomalies.verdict.tooFew", { min: MIN_DAY_RESPONSES })}</>;
  if (p === null) return <>{t("anomalies.verdict.untested")}</>;
  return <>{t("anomalies.verdict.same")}</>;
}

export function TestNote() {
  const { t, lng } = useT();
  return <p className="hint">{t("anomalies.testNote", { min: MIN_DAY_RESPONSES, alpha: fmt(SIGNIFICANCE, lng, 3) })}</p>;
}
