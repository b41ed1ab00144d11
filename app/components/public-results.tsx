// Pieces of the public results pages (docs/decisions/0020): a unit's published figures as a short
// list of facts that fits a phone's width in every language, and the line naming the method.
import { Link } from "react-router";
import { useT } from "#app/i18n/context";
import { fmt } from "./score-parts";

export interface PublicFigures {
  n: number;
  s: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  t: number | null;
  timed: number;
  rank: number | null;
  insufficientSample: boolean;
}

/** S with its interval, n and T, as a description list. */
export function FigureFacts({ row, confidence, minSample }: { row: PublicFigures; confidence: number; minSample: number }) {
  const { t, lng } = useT();
  return (
    <>
      <dl className="facts">
        <div>
          <dt>{t("results.s")}</dt>
          <dd>
            <strong className="figure">{fmt(row.s, lng)}</strong>
          </dd>
        </div>
        <div>
          <dt>{t("results.ci", { level: fmt(confidence * 100, lng, 0) })}</dt>
          <dd>
            {row.ciLow === null || row.ciHigh === null ? (
              "—"
            ) : (
              <span dir="ltr">
                {fmt(row.ciLow, lng)} – {fmt(row.ciHigh, lng)}
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>{t("results.n")}</dt>
          <dd>{fmt(row.n, lng, 0)}</dd>
        </div>
        <div>
          <dt>{t("results.t")}</dt>
          <dd>{row.t === null ? t("results.noT") : t("results.percent", { value: fmt(row.t, lng) })}</dd>
        </div>
      </dl>
      {row.insufficientSample ? <p className="flag flag-insufficient_sample">{t("results.notRanked", { min: fmt(minSample, lng, 0) })}</p> : null}
    </>
  );
}

/** The method's version and the link to its text. */
export function MethodLine({ version }: { version: string }) {
  const { t } = useT();
  return (
    <p className="method-line">
      {t("results.methodVersion", { version })} · <Link to="/method">{t("results.methodLink")}</Link>
    </p>
  );
}

/** Public pages may be kept a minute by browsers and proxies; one that sets the language cookie only by the browser. */
export function publicCacheHeaders(parentHeaders: Headers): Headers {
  const headers = new Headers();
  headers.set("Cache-Control", parentHeaders.has("Set-Cookie") ? "private, max-age=60" : "public, max-age=60");
  headers.set("Vary", "Cookie, Accept-Language");
  return headers;
}
