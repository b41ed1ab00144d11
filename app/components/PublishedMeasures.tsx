// The unit's published rectification measures (差评整改) on its public page: what the office
// accepted and chose to publish (publishedMeasures in app/services/rectification.server.ts).
import { useT } from "#app/i18n/context";
import { UserText } from "./UserText";

export interface PublicMeasure {
  id: number;
  /** What the dissatisfied ratings were about, in the page's language. */
  subject: string;
  /** The period's name. */
  period: string;
  /** The cause found and the measures taken, as the office accepted and published them. */
  text: string;
  publishedOn: string;
}

export function PublishedMeasures({ measures }: { measures: readonly PublicMeasure[] | null }) {
  const { t } = useT();
  if (measures === null) return null;
  return (
    <section className="panel" aria-labelledby="measures-title" id="measures">
      <h2 id="measures-title">{t("unitResults.measures")}</h2>
      {measures.length === 0 ? (
        <p>{t("unitResults.noMeasures")}</p>
      ) : (
        <ul className="measures">
          {measures.map((m) => (
            <li key={m.id}>
              <h3>{m.subject}</h3>
              <UserText as="p" text={m.text} />
              <p className="hint">
                {m.period} · {m.publishedOn}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
