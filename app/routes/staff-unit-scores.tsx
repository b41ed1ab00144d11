import { data, Form, Link } from "react-router";
import type { Route } from "./+types/staff-unit-scores";
import { ComplaintVolumes, GradeDistribution, ItemBars, TrendLine } from "#app/components/charts";
import { Delta } from "#app/components/PeriodReport";
import { ScoreFlags, fmt } from "#app/components/score-parts";
import { StatusPage } from "#app/components/StatusPage";
import { TextIn, UserText, WrittenIn } from "#app/components/UserText";
import { pickText } from "#app/domain/localized";
import { commentDetailFor } from "#app/domain/comment-detail";
import { canAppealRating, canManageScores, canSeeUnitScores } from "#app/domain/permissions";
import { emptyFollowUpCounts, followupShare } from "#app/domain/rating-followup";
import { parseModeration } from "#app/domain/score-forms";
import { exclusionReasons, median } from "#app/domain/scoring";
import { startOfLocalDay } from "#app/domain/working-days";
import { useT } from "#app/i18n/context";
import { formatDate, formatDateTime, formatPercent } from "#app/i18n/format";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { readForm } from "#app/lib/http.server";
import { requireOffice, requireStaff } from "#app/lib/staff-session.server";
import { periodForPage } from "#app/models/period.server";
import { findUnitByCode, unitIndex } from "#app/models/unit.server";
import { complaintVolumes, itemBreakdown, monthlyTrend, questionTexts, unitComments } from "#app/services/dashboard.server";
import { commentAppealHandle } from "#app/services/appeals.server";
import { excludeResponse, hideComment } from "#app/services/moderation.server";
import { changesFromPrevious } from "#app/services/period-report.server";
import { followUpsByUnit, followupsByUnit } from "#app/services/rating-followup.server";
import { servedFigures } from "#app/services/snapshots.server";

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

// One unit's satisfaction page, for the office and for that unit's own staff and heads: its
// figures against the median of units of its kind, the items that pull it down, its trend,
// complaints, and its citizens' comments (the office can hide an abusive one or exclude a response).
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { actor } = await requireStaff(request);
  const unit = await findUnitByCode(params.unitCode);
  if (!unit || unit.kind === "region") throw data({ reason: "notFound" }, { status: 404 });
  const index = await unitIndex();
  if (!canSeeUnitScores(actor, unit.id, index.ancestorsOf)) throw data({ reason: "forbidden" }, { status: 403 });
  const url = new URL(request.url);
  const period = await periodForPage(url.searchParams.get("period"));
  if (!period) throw data({ reason: "notFound" }, { status: 404 });
  const lng = getLocale(context);
  const office = canManageScores(actor);
  const mayAppeal = canAppealRating(actor, unit.id, index.ancestorsOf);
  const [figures, unitItems, regionItems, texts, comments, followups, callbacks] = await Promise.all([
    servedFigures(period),
    itemBreakdown(period, period.params, unit.id),
    itemBreakdown(period, period.params),
    questionTexts(period.id),
    // Unit staff get each comment's day only (no time, no numbers): at a small service window the
    // minute tells who wrote it. The service leaves the rest out, so it never reaches the browser.
    unitComments(period.id, unit.id, { includeHidden: office, detail: commentDetailFor(actor) }),
    // Integrity complaints are counted for the office only (a unit never learns that one exists).
    followupsByUnit(period.id, unit.id, office),
    followUpsByUnit(period.id, { unitId: unit.id, withIntegrity: office }),
  ]);
  const own = figures.units.find((u) => u.unitId === unit.id);
  // Against the previous period, by the report's rule (app/domain/period-report.ts): this unit only.
  const comparison = own ? await changesFromPrevious(period, { units: [own] }) : null;
  const change = own ? comparison!.changes.get(own.unitId)! : null;
  const peers = figures.units.filter((u) => u.kind === unit.kind);
  const medianOf = (units: typeof peers, pick: (u: (typeof peers)[number]) => number | null) => median(units.map(pick).filter((x): x is number => x !== null));
  const med = (pick: (u: (typeof peers)[number]) => number | null) => medianOf(peers, pick);
  const regionMed = (pick: (u: (typeof peers)[number]) => number | null) => medianOf(figures.units, pick);
  const label = (key: string) => pickText(texts.get(key), lng, defaultLanguage) || key;
  const regionMean = new Map(regionItems.map((i) => [i.key, i.mean]));
  const name = pickText(unit.names, lng, defaultLanguage);
  return {
    title: `${name} · ${getT(context)("scores.unitPage")}`,
    office,
    unit: { code: unit.code, name, kind: unit.kind },
    period: { code: period.code, name: pickText(period.names, lng, defaultLanguage) },
    snapshot: figures.snapshot ? { id: figures.snapshot.id, label: figures.snapshot.label } : null,
    previous:
      comparison?.previous && change
        ? { name: pickText(comparison.previous.names, lng, defaultLanguage), frozen: comparison.previous.frozen, s: change.previous?.s ?? null, deltaS: change.deltaS, beyond: change.beyond }
        : null,
    peerCount: peers.filter((p) => p.rank !== null).length,
    figures: own
      ? { n: own.n, s: own.s, ciLow: own.ciLow, ciHigh: own.ciHigh, c: own.c, t: own.t, h: own.h, q: own.q, points: own.points, rank: own.rank, flags: own.flags, due: own.due, ratings: own.ratings, assumedRatings: own.assumedRatings, excludedRatings: own.excludedRatings, exclusions: own.exclusions }
      : null,
    // The period's assumed-satisfaction rule (ADR 0018): its N, or null while it is off.
    assumeDays: figures.params.assumeSatisfied ? figures.params.assumeSatisfiedDays : null,
    followups: followups.get(unit.id) ?? { dissatisfied: 0, followed: 0 },
    callbacks: callbacks.get(unit.id) ?? emptyFollowUpCounts(),
    medians: { s: med((u) => u.s), c: med((u) => u.c), q: med((u) => u.q), points: med((u) => u.points) },
    regionMedians: { s: regionMed((u) => u.s), c: regionMed((u) => u.c), q: regionMed((u) => u.q), points: regionMed((u) => u.points) },
    items: unitItems.map((i) => ({ label: label(i.key), unit: i.mean, region: regionMean.get(i.key) ?? null, core: i.core })),
    distribution: unitItems.map((i) => ({ label: label(i.key), counts: [...i.counts].reverse().concat(i.notApplicable) })),
    trend: await monthlyTrend(period, period.params, unit.id),
    // Integrity complaints are hidden from the unit complained about (permissions.ts): its own staff
    // do not even see how many there are. The office does.
    volumes: (await complaintVolumes(period, unit.id)).filter((v) => office || v.type !== "integrity"),
    comments: comments.map((c) => ({
      ids: c.full ? { answer: c.full.answerId, response: c.full.responseId } : null,
      text: c.text,
      lang: c.lang,
      at: c.full ? formatDateTime(c.full.submittedAt, lng) : formatDate(startOfLocalDay(c.day), lng),
      hidden: c.hidden,
      excluded: c.excluded,
      // 申诉 (issue 14): a head of the unit may appeal the rating behind a comment, named by a keyed
      // handle of what they see of it (day and text), never by its response number.
      appeal: mayAppeal && !c.hidden && !c.excluded ? commentAppealHandle(unit.id, period.id, c.day, c.text) : null,
    })),
  };
}

export async function action({ request }: Route.ActionArgs) {
  const { user } = await requireOffice(request);
  const form = await readForm(request);
  const intent = form.get("intent");
  const parsed = parseModeration(form);
  if (!parsed.ok) return data({ intent, id: String(form.get("id") ?? ""), errors: parsed.errors, values: parsed.values, done: false }, { status: 400 });
  let result;
  if (intent === "hide_comment") result = await hideComment(parsed.data.id, parsed.data.reason, user.id);
  else if (intent === "exclude_response") result = await excludeResponse(parsed.data.id, parsed.data.reason, user.id);
  else return data({ intent, id: "", errors: { form: "errors.invalidChoice" }, values: {}, done: false }, { status: 400 });
  if (result !== "done") return data({ intent, id: String(parsed.data.id), errors: { form: "errors.periodState" }, values: {}, done: false }, { status: 409 });
  return { intent, id: String(parsed.data.id), errors: {}, values: {}, done: true };
}

export default function UnitScores({ loaderData, actionData }: Route.ComponentProps) {
  const { t, lng } = useT();
  const { figures, medians, regionMedians, unit, period } = loaderData;
  const rows = (["s", "c", "q", "points"] as const).map((key) => ({
    key,
    label: t(`scores.col.${key}`),
    value: figures?.[key],
    median: medians[key],
    regionMedian: regionMedians[key],
  }));
  const followedShare = followupShare(loaderData.followups);
  const errorFor = (intent: string, id: number) =>
    actionData && actionData.intent === intent && actionData.id === String(id) ? (actionData.errors as Record<string, string>) : {};
  const valueFor = (intent: string, id: number) =>
    actionData && actionData.intent === intent && actionData.id === String(id) ? ((actionData.values as Record<string, string>).reason ?? "") : "";
  return (
    <article className="staff">
      <h1>
        {unit.name} · {period.name}
      </h1>
      <p role="note">
        {loaderData.snapshot ? t("scores.servedSnapshotShort", { id: loaderData.snapshot.id, label: loaderData.snapshot.label }) : t("scores.servedLive")}
        {loaderData.office ? (
          <>
            {" · "}
            <Link to={`/staff/scores?period=${encodeURIComponent(period.code)}`}>{t("scores.dashboard")}</Link>
          </>
        ) : null}
      </p>
      {actionData?.done ? (
        <p className="notice" role="status">
          {t("staff.period.saved")}
        </p>
      ) : null}
      {actionData && (actionData.errors as Record<string, string>).form ? (
        <p className="error-summary" role="alert">
          {t((actionData.errors as Record<string, string>).form!)}
        </p>
      ) : null}
      {figures ? (
        <section className="panel" aria-labelledby="own-title">
          <h2 id="own-title">{t("scores.ownFigures")}</h2>
          <p>
            {t("scores.sampleLine", { n: figures.n })}
            {figures.ciLow !== null ? ` · ${t("scores.col.ci")}: ` : ""}
            {figures.ciLow !== null ? <span dir="ltr">{`${fmt(figures.ciLow, lng)} – ${fmt(figures.ciHigh, lng)}`}</span> : null}
            {" · "}
            {figures.rank !== null ? t("scores.rankOf", { rank: figures.rank, count: loaderData.peerCount }) : t("scores.notRanked")}
          </p>
          <ScoreFlags flags={figures.flags} />
          {loaderData.previous ? (
            <p id="score-change">
              {t("scores.change.unitLine", { period: loaderData.previous.name, before: fmt(loaderData.previous.s, lng), now: fmt(figures.s, lng) })}{" "}
              (<Delta value={loaderData.previous.deltaS} lng={lng} beyond={loaderData.previous.beyond} />)
            </p>
          ) : null}
          {loaderData.previous ? <p className="hint">{t("report.change.rule")}</p> : null}
          <p className="muted">
            {t("scores.complaintsLine", { due: figures.due, ratings: figures.ratings, excluded: figures.excludedRatings })}
            {exclusionReasons
              .filter((r) => figures.exclusions[r])
              .map((r) => ` · ${t(`scores.exclusion.${r}`)}: ${figures.exclusions[r]}`)
              .join("")}
          </p>
          {loaderData.assumeDays !== null || figures.assumedRatings > 0 ? (
            <p className="muted" id="assumed-ratings">
              {t("scores.assumedLine", { assumed: figures.assumedRatings, days: loaderData.assumeDays ?? "—" })}
            </p>
          ) : null}
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="median-caption">
            <table className="queue">
              <caption id="median-caption">{t("scores.againstMedian", { kind: t(`unitKind.${unit.kind}`) })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("scores.figure")}</th>
                  <th scope="col">{unit.name}</th>
                  <th scope="col">{t("scores.median")}</th>
                  <th scope="col">{t("scores.regionMedian")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.key}>
                    <th scope="row">{r.label}</th>
                    <td>{fmt(r.value ?? null, lng)}</td>
                    <td>{fmt(r.median, lng)}</td>
                    <td>{fmt(r.regionMedian, lng)}</td>
                  </tr>
                ))}
                <tr>
                  <th scope="row">{t("scores.col.t")}</th>
                  <td>{fmt(figures.t, lng)}</td>
                  <td>—</td>
                  <td>—</td>
                </tr>
                <tr>
                  <th scope="row">{t("scores.col.h")}</th>
                  <td>{fmt(figures.h, lng)}</td>
                  <td>—</td>
                  <td>—</td>
                </tr>
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      <section className="panel" aria-labelledby="followups-title">
        <h2 id="followups-title">{t("scores.followups.caption")}</h2>
        <p data-testid="followups">
          {t("scores.followups.line", {
            dissatisfied: loaderData.followups.dissatisfied,
            followed: loaderData.followups.followed,
            share: followedShare === null ? "—" : formatPercent(followedShare, lng),
          })}
        </p>
        <p data-testid="callbacks">
          {t("scores.followups.callbackLine", {
            onTime: loaderData.callbacks.done_on_time,
            late: loaderData.callbacks.done_late,
            overdue: loaderData.callbacks.overdue,
            pending: loaderData.callbacks.due,
          })}
        </p>
        <p className="hint">{t("scores.followups.help")}</p>
        <p className="hint">{t("scores.followups.callbackHelp")}</p>
      </section>
      <ItemBars id="chart-items" title={t("scores.chart.items")} data={loaderData.items} unitName={unit.name} />
      <GradeDistribution id="chart-grades" title={t("scores.chart.grades")} data={loaderData.distribution} />
      <TrendLine id="chart-trend" title={t("scores.chart.trend")} data={loaderData.trend} />
      <ComplaintVolumes
        id="chart-volumes"
        title={t("scores.chart.volumes")}
        data={loaderData.volumes.map((v) => ({ label: t(`complaint.type.${v.type}`), onTime: v.onTime, late: v.late, pending: v.pending, rejected: v.rejected }))}
      />
      <section className="panel" aria-labelledby="comments-title">
        <h2 id="comments-title">{t("scores.comments")}</h2>
        {loaderData.comments.length === 0 ? <p>{t("scores.noComments")}</p> : null}
        <ul className="comments">
          {loaderData.comments.map((c, i) => (
            <li key={c.ids?.answer ?? `c${i}`} className={c.hidden ? "comment hidden-comment" : "comment"}>
              <p className="muted">
                {c.at}
                {c.ids ? (
                  <>
                    {" · "}
                    <span dir="ltr">#{c.ids.response}</span>
                  </>
                ) : null}
                {c.excluded ? ` · ${t("scores.exclusion.excluded")}` : ""}
                {c.appeal ? (
                  <>
                    {" · "}
                    <Link to={`/staff/appeals/new?${new URLSearchParams({ unit: unit.code, period: period.code, comment: c.appeal })}`}>{t("appeal.thisRating")}</Link>
                  </>
                ) : null}
              </p>
              {c.hidden ? (
                <p>
                  <em>
                    <TextIn sentence={(reason) => t("scores.commentHidden", { reason })} text={c.hidden.reason ?? ""} />
                  </em>
                </p>
              ) : null}
              {!c.hidden || loaderData.office ? (
                <>
                  <UserText as="blockquote" className="reply-text" text={c.text} stored={c.lang} />
                  <WrittenIn text={c.text} stored={c.lang} />
                </>
              ) : null}
              {loaderData.office && c.ids ? (
                <div className="moderation">
                  {!c.hidden ? (
                    <ModerationForm intent="hide_comment" id={c.ids.answer} label={t("scores.hideComment")} errors={errorFor("hide_comment", c.ids.answer)} value={valueFor("hide_comment", c.ids.answer)} />
                  ) : null}
                  {!c.excluded ? (
                    <ModerationForm intent="exclude_response" id={c.ids.response} label={t("scores.excludeResponse")} errors={errorFor("exclude_response", c.ids.response)} value={valueFor("exclude_response", c.ids.response)} />
                  ) : null}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </article>
  );
}

function ModerationForm({ intent, id, label, errors, value }: { intent: string; id: number; label: string; errors: Record<string, string>; value: string }) {
  const { t } = useT();
  const fieldId = `${intent}-${id}`;
  return (
    <Form method="post" className="filters">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="id" value={id} />
      <div className={`field${errors.reason ? " has-error" : ""}`}>
        <label htmlFor={fieldId}>{t("scores.moderationReason")}</label>
        {errors.reason ? (
          <p id={`${fieldId}-error`} className="field-error">
            {t(errors.reason)}
          </p>
        ) : null}
        <input id={fieldId} name="reason" maxLength={500} defaultValue={value} aria-invalid={errors.reason ? true : undefined} aria-describedby={errors.reason ? `${fieldId}-error` : undefined} />
      </div>
      <button type="submit" className="button">
        {label}
      </button>
    </Form>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
