// What a signed link that opens nothing shows (forged or damaged, out of date, or no complaint any
// more for that contact; /track/open and /track/mine): why, and the ordinary tracking form.
import { TrackForm } from "#app/components/TrackForm";
import { useT } from "#app/i18n/context";

export function LinkRefused({ reason }: { reason: string }) {
  const { t } = useT();
  return (
    <article className="survey">
      <h1>{t(`caseLinks.refused.${reason}.title`)}</h1>
      <p className="intro" role="alert">
        {t(`caseLinks.refused.${reason}.body`)}
      </p>
      <h2>{t("track.title")}</h2>
      <p>{t("track.lead")}</p>
      <TrackForm action="/track" />
    </article>
  );
}
