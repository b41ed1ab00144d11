import { data, Form } from "react-router";
import type { Route } from "./+types/staff-calendar";
import { StatusPage } from "#app/components/StatusPage";
import { parseCalendarDay, parseDeadlineRule } from "#app/domain/staff-forms";
import { useT } from "#app/i18n/context";
import { getT } from "#app/i18n/i18next.server";
import { readForm } from "#app/lib/http.server";
import { requireOffice } from "#app/lib/staff-session.server";
import { listCalendarDays, listDeadlineRules, setCalendarDay, setDeadlineRule } from "#app/models/complaint.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

// The evaluation office keeps the holiday calendar and the deadlines per complaint type.
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireOffice(request);
  const [days, rules] = await Promise.all([listCalendarDays(), listDeadlineRules()]);
  return { title: getT(context)("staff.calendar.title"), days: days.map((d) => ({ date: d.date, kind: d.kind })), rules };
}

export async function action({ request }: Route.ActionArgs) {
  await requireOffice(request);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "day") {
    const parsed = parseCalendarDay(form);
    if (!parsed.ok) return data({ error: parsed.error }, { status: 400 });
    await setCalendarDay(parsed.data.date, parsed.data.kind);
    return { error: null };
  }
  if (intent === "rule") {
    const parsed = parseDeadlineRule(form);
    if (!parsed.ok) return data({ error: parsed.error }, { status: 400 });
    await setDeadlineRule(parsed.data);
    return { error: null };
  }
  return data({ error: "errors.invalidChoice" }, { status: 400 });
}

export default function CalendarPage({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  return (
    <article className="staff">
      <h1>{t("staff.calendar.title")}</h1>
      {actionData?.error ? (
        <p className="error-summary" role="alert">
          {t(actionData.error)}
        </p>
      ) : null}
      <section className="panel" aria-labelledby="days-title">
        <h2 id="days-title">{t("staff.calendar.days")}</h2>
        <p className="hint">{t("staff.calendar.daysHelp")}</p>
        <Form method="post" className="filters">
          <input type="hidden" name="intent" value="day" />
          <div className="field">
            <label htmlFor="cal-date">{t("staff.calendar.date")}</label>
            <input id="cal-date" name="date" type="date" required />
          </div>
          <div className="field">
            <label htmlFor="cal-kind">{t("staff.calendar.kind")}</label>
            <select id="cal-kind" name="kind" defaultValue="holiday">
              {(["holiday", "workday", "none"] as const).map((k) => (
                <option key={k} value={k}>
                  {t(`staff.calendar.kinds.${k}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button">
            {t("staff.calendar.save")}
          </button>
        </Form>
        <ul className="calendar-days">
          {loaderData.days.map((d) => (
            <li key={d.date}>
              <span dir="ltr">{d.date}</span> — {t(`staff.calendar.kinds.${d.kind}`)}
            </li>
          ))}
        </ul>
      </section>
      <section className="panel" aria-labelledby="rules-title">
        <h2 id="rules-title">{t("staff.calendar.rules")}</h2>
        {loaderData.rules.map((r) => (
          <Form key={r.type} method="post" className="filters">
            <input type="hidden" name="intent" value="rule" />
            <input type="hidden" name="type" value={r.type} />
            <strong className="rule-type">{t(`complaint.type.${r.type}`)}</strong>
            {(["acceptDays", "replyDays", "maxExtensionDays"] as const).map((k) => (
              <div className="field" key={k}>
                <label htmlFor={`${r.type}-${k}`}>{t(`staff.calendar.${k}`)}</label>
                <input id={`${r.type}-${k}`} name={k} type="number" min={0} max={60} defaultValue={r[k]} inputMode="numeric" />
              </div>
            ))}
            <button type="submit" className="button">
              {t("staff.calendar.save")}
            </button>
          </Form>
        ))}
      </section>
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
