import { useT } from "#app/i18n/context";
import { tCount } from "#app/i18n/plural";
import { UserText } from "#app/components/UserText";

export interface TimelineEvent {
  id: number;
  at: string;
  action: string;
  note: string | null;
  /** The citizen's handling grade, for "rate" events. */
  grade?: string | null;
  /** Staff-only events are marked as such on staff pages. */
  internal?: boolean;
  /** Working days asked for or granted, for extension events (extensionEventDetail). */
  days?: number | null;
  /** A call-back after a dissatisfied rating (staff pages only): when, how and with what outcome. */
  followUp?: { calledAt: string; method: string; outcome: string };
}

/** What happened to a complaint, oldest first: the citizen's tracking page and the staff case page. */
export function CaseTimeline({ events }: { events: readonly TimelineEvent[] }) {
  const { t, lng } = useT();
  return (
    <section className="panel" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t("track.timeline")}</h2>
      <ol className="timeline">
        {events.map((e) => (
          <li key={e.id}>
            <span className="when">{e.at}</span> {t(`track.event.${e.action}`)}
            {e.grade ? ` — ${t(`grade.${e.grade}`)}` : null}
            {e.days ? ` — ${tCount(t, lng, e.action === "extension_requested" ? "staff.case.moreDays" : "staff.case.extendedBy", e.days)}` : null}
            {e.followUp
              ? ` — ${t(`staff.followUp.outcome.${e.followUp.outcome}`)} · ${t(`staff.followUp.method.${e.followUp.method}`)} · ${t("staff.followUp.calledAt", { date: e.followUp.calledAt })}`
              : null}
            {e.internal ? ` (${t("staff.case.internal")})` : null}
            {e.note ? <UserText as="p" className="reply-text" text={e.note} /> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
