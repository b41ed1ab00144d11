// Audit events as the administration pages show them: the action in words (or its code, for an
// action newer than the list of known ones), who and when, and the recorded before/after.
import { isKnownAuditAction } from "#app/domain/audit-actions";
import { useT } from "#app/i18n/context";
import { UserText } from "./UserText";

export interface AuditEventView {
  id: number;
  action: string;
  at: string;
  actor: string | null;
  note: string | null;
  data: unknown;
}

export function AuditAction({ action }: { action: string }) {
  const { t } = useT();
  return isKnownAuditAction(action) ? <>{t(`admin.auditActions.${action}`)}</> : <code dir="ltr">{action}</code>;
}

export function AuditData({ data }: { data: unknown }) {
  const { t } = useT();
  if (data === null || data === undefined) return null;
  return (
    <details>
      <summary>{t("admin.audit.details")}</summary>
      <pre className="audit-data" dir="ltr">
        <code>{JSON.stringify(data, null, 2)}</code>
      </pre>
    </details>
  );
}

/** A record's own history, newest first. */
export function AuditTrail({ title, events }: { title: string; events: readonly AuditEventView[] }) {
  const { t } = useT();
  return (
    <section aria-labelledby="audit-trail">
      <h2 id="audit-trail">{title}</h2>
      {events.length === 0 ? (
        <p>{t("admin.audit.none")}</p>
      ) : (
        <ul className="timeline">
          {events.map((e) => (
            <li key={e.id}>
              <span className="when">
                {e.at} · {e.actor ? <UserText text={e.actor} /> : t("admin.audit.system")}
              </span>
              <AuditAction action={e.action} />
              {e.note ? (
                <UserText as="p" className="reply-text" text={e.note} />
              ) : null}
              <AuditData data={e.data} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
