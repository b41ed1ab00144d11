// The 通报 report of a period as a printable A4 document (issue 14, docs/decisions/0019): drawn
// the same in the browser's page and, on the server, into the HTML Chromium prints to PDF.
// Everything it shows comes from the report object (app/services/period-report.server.ts), turned
// into display values by reportView in the page's language.
import { ComplaintVolumes, IntervalBars } from "#app/components/charts";
import { fmt, ScoreFlags } from "#app/components/score-parts";
import { pickText } from "#app/domain/localized";
import type { ReportFlag, UnitChange } from "#app/domain/period-report";
import { useT } from "#app/i18n/context";
import { formatDate, formatDateTime, formatPercent } from "#app/i18n/format";
import { defaultLanguage } from "#app/i18n/languages";
import type { PeriodReport, ReportUnit } from "#app/services/period-report.server";

/** The report in display form: names and dates in the page's language, numbers still numbers. */
export function reportView(r: PeriodReport, lng: string) {
  const name = (names: Record<string, string>) => pickText(names, lng, defaultLanguage);
  const unit = ({ names, ...u }: ReportUnit) => ({ ...u, name: name(names) || u.code });
  return {
    period: { code: r.period.code, name: name(r.period.names), startsOn: formatDate(r.period.startsOn, lng), endsOn: formatDate(r.period.endsOn, lng), status: r.period.status },
    frozen: r.frozen,
    snapshot: r.snapshot ? { id: r.snapshot.id, kind: r.snapshot.kind, label: r.snapshot.label, createdAt: formatDateTime(r.snapshot.createdAt, lng) } : null,
    methodVersion: r.methodVersion,
    params: {
      gradePoints: [r.params.gradePoints["5"], r.params.gradePoints["4"], r.params.gradePoints["3"], r.params.gradePoints["2"], r.params.gradePoints["1"]],
      surveyWeight: r.params.surveyWeight,
      timelinessWeight: r.params.timelinessWeight,
      maxPoints: r.params.maxPoints,
      minSample: r.params.minSample,
      confidence: r.params.confidence,
      verifiedOnly: r.params.verifiedOnly,
      verifiedWeight: r.params.verifiedWeight,
      assumeSatisfied: r.params.assumeSatisfied,
      assumeSatisfiedDays: r.params.assumeSatisfiedDays,
      excludingFlags: r.params.excludingFlags,
    },
    threshold: r.threshold,
    generatedAt: formatDateTime(r.generatedAt, lng),
    previous: r.previous ? { code: r.previous.code, name: name(r.previous.names), frozen: r.previous.frozen, snapshotId: r.previous.snapshotId } : null,
    kinds: r.kinds.map((k) => ({
      kind: k.kind,
      units: k.units.map(unit),
      weakItems: k.weakItems.map(({ texts, ...w }) => ({ ...w, label: pickText(texts, lng, defaultLanguage) || w.key })),
    })),
    flagged: r.flagged.map(unit),
    total: r.total,
    counted: r.counted,
    exclusions: r.exclusions,
    complaints: r.complaints,
    rectifications: r.rectifications.map((x) => ({
      id: x.id,
      unit: name(x.unitNames) || x.unitCode,
      item: x.source === "item" ? pickText(x.itemTexts ?? {}, lng, defaultLanguage) || (x.itemKey ?? "") : null,
      complaintType: x.source === "complaint" ? x.complaintType : null,
      status: x.status,
      due: formatDate(x.dueAt, lng),
      overdue: x.overdue,
    })),
  };
}

export type ReportViewData = ReturnType<typeof reportView>;
type ViewUnit = ReportViewData["kinds"][number]["units"][number];

/** The report's title (the document's <title>, and the PDF's). */
export function reportTitle(t: (key: string, vars?: Record<string, string | number>) => string, report: Pick<ReportViewData, "period">): string {
  return t("report.documentTitle", { period: report.period.name });
}

function Ci({ u, lng }: { u: { ciLow: number | null; ciHigh: number | null }; lng: string }) {
  return <span dir="ltr">{u.ciLow === null ? "—" : `${fmt(u.ciLow, lng)} – ${fmt(u.ciHigh, lng)}`}</span>;
}

/** A signed difference of published figures, with a mark when S moved beyond its interval. */
export function Delta({ value, lng, beyond }: { value: number | null; lng: string; beyond?: UnitChange["beyond"] }) {
  const { t } = useT();
  if (value === null) return <>—</>;
  const text = `${value > 0 ? "+" : value < 0 ? "−" : "±"}${fmt(Math.abs(value), lng)}`;
  return (
    <>
      <span dir="ltr">{text}</span>
      {beyond ? (
        <strong className={`report-beyond report-beyond-${beyond}`}>
          {" "}
          {beyond === "up" ? "▲" : "▼"} {t(`report.change.beyond.${beyond}`)}
        </strong>
      ) : null}
    </>
  );
}

function FlagList({ flags }: { flags: readonly ReportFlag[] }) {
  return <ScoreFlags flags={flags} words="report.flag" />;
}

export function PeriodReportDocument({ report }: { report: ReportViewData }) {
  const { t, lng } = useT();
  const p = report.params;
  const pct = (x: number) => formatPercent(x, lng);
  return (
    // On a phone the A4 tables are wider than the screen: the document scrolls within itself (a
    // labelled region the keyboard reaches), so the page, and its toolbar, stay in place.
    <div className="report" data-frozen={report.frozen ? "true" : "false"} tabIndex={0} role="region" aria-label={reportTitle(t, report)}>
      <section className="report-title-page" aria-labelledby="report-title">
        <p className="report-issuer">{t("report.issuer")}</p>
        <h1 id="report-title">{reportTitle(t, report)}</h1>
        <p className="report-dates">
          <span dir="ltr">{report.period.code}</span> · {report.period.startsOn} – {report.period.endsOn}
        </p>
        {report.frozen && report.snapshot ? (
          <p className="report-state report-frozen" id="report-state">
            {t("report.frozen", { id: report.snapshot.id, label: report.snapshot.label, at: report.snapshot.createdAt })}
          </p>
        ) : (
          <p className="report-state report-live" id="report-state">
            <strong>{t("report.live", { at: report.generatedAt })}</strong>
          </p>
        )}
        <p>{t("report.methodVersion", { version: report.methodVersion })}</p>
        <p className="muted">{t("report.generatedAt", { at: report.generatedAt })}</p>
        <nav aria-label={t("report.contents")} className="report-contents">
          <h2>{t("report.contents")}</h2>
          <ol>
            <li>{t("report.method.title")}</li>
            {report.kinds.map((k) => (
              <li key={k.kind}>{t("report.ranking.title", { kind: t(`report.kinds.${k.kind}`) })}</li>
            ))}
            <li>{t("report.flagged.title")}</li>
            <li>{t("report.exclusions.title")}</li>
            <li>{t("report.change.title")}</li>
            <li>{t("report.items.title")}</li>
            <li>{t("report.complaints.title")}</li>
            <li>{t("report.rectification.title")}</li>
          </ol>
        </nav>
      </section>

      <section className="report-section" aria-labelledby="report-method">
        <h2 id="report-method">{t("report.method.title")}</h2>
        <p>{t("report.method.version", { version: report.methodVersion })}</p>
        <ul>
          <li>{t("report.method.s", { points: p.gradePoints.join(" / ") })}</li>
          <li>{t("report.method.ci", { confidence: pct(p.confidence) })}</li>
          <li>{t("report.method.c", { weight: pct(p.timelinessWeight), rest: pct(1 - p.timelinessWeight) })}</li>
          <li>{t("report.method.q", { weight: pct(p.surveyWeight), rest: pct(1 - p.surveyWeight) })}</li>
          <li>{t("report.method.points", { max: fmt(p.maxPoints, lng, 0) })}</li>
          <li>{t("report.method.rank", { min: fmt(p.minSample, lng, 0) })}</li>
          <li>
            {t("report.method.exclusions", {
              flags: p.excludingFlags.map((f) => t(`scores.exclusion.${f}`)).join(t("report.listSeparator")) || "—",
            })}
          </li>
          {p.verifiedOnly ? <li>{t("report.method.verifiedOnly")}</li> : p.verifiedWeight !== 1 ? <li>{t("report.method.verifiedWeight", { weight: fmt(p.verifiedWeight, lng) })}</li> : null}
          {p.assumeSatisfied ? <li>{t("report.method.assumed", { days: p.assumeSatisfiedDays })}</li> : null}
          <li>{t("report.method.threshold", { threshold: fmt(report.threshold, lng) })}</li>
        </ul>
        <p className="muted">{t("report.method.reproduce")}</p>
      </section>

      {report.kinds.map((k) => (
        <section key={k.kind} className="report-section" aria-labelledby={`report-ranking-${k.kind}`}>
          <h2 id={`report-ranking-${k.kind}`}>{t("report.ranking.title", { kind: t(`report.kinds.${k.kind}`) })}</h2>
          <table className="queue report-table" id={`ranking-${k.kind}`}>
            <thead>
              <tr>
                <th scope="col">{t("scores.col.rank")}</th>
                <th scope="col">{t("scores.col.unit")}</th>
                <th scope="col">{t("scores.col.n")}</th>
                <th scope="col">{t("scores.col.s")}</th>
                <th scope="col">{t("report.col.ci", { confidence: pct(p.confidence) })}</th>
                <th scope="col">{t("scores.col.c")}</th>
                <th scope="col">{t("scores.col.q")}</th>
                <th scope="col">{t("scores.col.points")}</th>
                <th scope="col">{t("report.col.deltaS")}</th>
                <th scope="col">{t("scores.col.flags")}</th>
              </tr>
            </thead>
            <tbody>
              {k.units.map((u) => (
                <tr key={u.code} data-unit={u.code}>
                  <td>{u.rank ?? "—"}</td>
                  <th scope="row">{u.name}</th>
                  <td>{fmt(u.n, lng, 0)}</td>
                  <td>{fmt(u.s, lng)}</td>
                  <td>
                    <Ci u={u} lng={lng} />
                  </td>
                  <td>{fmt(u.c, lng)}</td>
                  <td>{fmt(u.q, lng)}</td>
                  <td>{fmt(u.points, lng)}</td>
                  <td>
                    <Delta value={u.change.deltaS} lng={lng} beyond={u.change.beyond} />
                  </td>
                  <td>
                    <FlagList flags={u.flags} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">{t("report.ranking.note", { min: fmt(p.minSample, lng, 0) })}</p>
          <IntervalBars
            id={`report-chart-${k.kind}`}
            title={t("report.ranking.chart", { kind: t(`report.kinds.${k.kind}`) })}
            tableId={`ranking-${k.kind}`}
            data={k.units
              .filter((u) => u.s !== null && u.ciLow !== null && u.ciHigh !== null)
              .map((u) => ({ label: u.name, value: u.s!, low: u.ciLow!, high: u.ciHigh!, n: u.n }))}
          />
        </section>
      ))}

      <section className="report-section" aria-labelledby="report-flagged">
        <h2 id="report-flagged">{t("report.flagged.title")}</h2>
        <p>{t("report.flagged.intro", { min: fmt(p.minSample, lng, 0), threshold: fmt(report.threshold, lng) })}</p>
        {report.flagged.length === 0 ? (
          <p>{t("report.flagged.none")}</p>
        ) : (
          <table className="queue report-table" id="flagged">
            <thead>
              <tr>
                <th scope="col">{t("scores.col.unit")}</th>
                <th scope="col">{t("scores.kind")}</th>
                <th scope="col">{t("scores.col.n")}</th>
                <th scope="col">{t("scores.col.s")}</th>
                <th scope="col">{t("scores.col.flags")}</th>
              </tr>
            </thead>
            <tbody>
              {report.flagged.map((u) => (
                <tr key={u.code} data-unit={u.code}>
                  <th scope="row">{u.name}</th>
                  <td>{t(`unitKind.${u.kind}`)}</td>
                  <td>{fmt(u.n, lng, 0)}</td>
                  <td>{fmt(u.s, lng)}</td>
                  <td>
                    <FlagList flags={u.flags} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="report-section" aria-labelledby="report-exclusions">
        <h2 id="report-exclusions">{t("report.exclusions.title")}</h2>
        <p>{t("report.exclusions.intro", { total: fmt(report.total, lng, 0), counted: fmt(report.counted, lng, 0) })}</p>
        {report.exclusions.length === 0 ? (
          <p>{t("report.exclusions.none")}</p>
        ) : (
          <table className="queue report-table report-narrow" id="exclusions">
            <thead>
              <tr>
                <th scope="col">{t("report.exclusions.reason")}</th>
                <th scope="col">{t("report.exclusions.count")}</th>
              </tr>
            </thead>
            <tbody>
              {report.exclusions.map((e) => (
                <tr key={e.reason}>
                  <th scope="row">{t(`scores.exclusion.${e.reason}`)}</th>
                  <td>{fmt(e.count, lng, 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="muted">{t("report.exclusions.note")}</p>
      </section>

      <section className="report-section" aria-labelledby="report-change">
        <h2 id="report-change">{t("report.change.title")}</h2>
        {report.previous ? (
          <>
            <p>
              {t(report.previous.frozen ? "report.change.previousFrozen" : "report.change.previousLive", {
                period: report.previous.name,
                id: report.previous.snapshotId ?? "",
              })}
            </p>
            <p className="muted">{t("report.change.rule")}</p>
            <table className="queue report-table" id="changes">
              <thead>
                <tr>
                  <th scope="col">{t("scores.col.unit")}</th>
                  <th scope="col">{t("report.change.sBefore")}</th>
                  <th scope="col">{t("report.change.sNow")}</th>
                  <th scope="col">{t("report.col.deltaS")}</th>
                  <th scope="col">{t("report.change.deltaQ")}</th>
                  <th scope="col">{t("report.change.rank")}</th>
                </tr>
              </thead>
              <tbody>
                {report.kinds.flatMap((k) => k.units).map((u) => (
                  <ChangeRow key={u.code} u={u} lng={lng} />
                ))}
              </tbody>
            </table>
          </>
        ) : (
          <p>{t("report.change.noPrevious")}</p>
        )}
      </section>

      <section className="report-section" aria-labelledby="report-items">
        <h2 id="report-items">{t("report.items.title")}</h2>
        <p className="muted">{t("report.items.intro")}</p>
        {report.kinds.map((k) => (
          <div key={k.kind} className="report-block">
            <h3>{t(`report.kinds.${k.kind}`)}</h3>
            {k.weakItems.length === 0 ? (
              <p>{t("report.items.none")}</p>
            ) : (
              <table className="queue report-table" id={`items-${k.kind}`}>
                <thead>
                  <tr>
                    <th scope="col">{t("scores.col.item")}</th>
                    <th scope="col">{t("report.items.mean")}</th>
                    <th scope="col">{t("report.items.dissatisfied")}</th>
                    <th scope="col">{t("report.items.answers")}</th>
                  </tr>
                </thead>
                <tbody>
                  {k.weakItems.map((i) => (
                    <tr key={i.key}>
                      <th scope="row">
                        {i.label}
                        {i.core ? null : <span className="muted"> ({t("report.items.diagnostic")})</span>}
                      </th>
                      <td>{fmt(i.mean, lng)}</td>
                      <td>{pct(i.dissatisfied)}</td>
                      <td>{fmt(i.answers, lng, 0)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        ))}
      </section>

      <section className="report-section" aria-labelledby="report-complaints">
        <h2 id="report-complaints">{t("report.complaints.title")}</h2>
        <p id="complaint-totals">
          {t("report.complaints.totals", {
            due: fmt(report.complaints.totals.due, lng, 0),
            t: fmt(report.complaints.totals.t, lng),
            overdue: fmt(report.complaints.totals.overdue, lng, 0),
            reopened: fmt(report.complaints.totals.reopened, lng, 0),
          })}
        </p>
        <p className="muted">{t("report.complaints.asOf", { at: report.generatedAt })}</p>
        <table className="queue report-table" id="complaint-types">
          <caption>{t("report.complaints.byType")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("scores.col.type")}</th>
              <th scope="col">{t("report.complaints.due")}</th>
              <th scope="col">{t("scores.volume.onTime")}</th>
              <th scope="col">{t("scores.volume.late")}</th>
              <th scope="col">{t("scores.volume.pending")}</th>
              <th scope="col">{t("scores.volume.rejected")}</th>
            </tr>
          </thead>
          <tbody>
            {report.complaints.byType.map((v) => (
              <tr key={v.type}>
                <th scope="row">{t(`complaint.type.${v.type}`)}</th>
                <td>{fmt(v.due, lng, 0)}</td>
                <td>{fmt(v.onTime, lng, 0)}</td>
                <td>{fmt(v.late, lng, 0)}</td>
                <td>{fmt(v.pending, lng, 0)}</td>
                <td>{fmt(v.rejected, lng, 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <ComplaintVolumes
          id="report-chart-volumes"
          title={t("scores.chart.volumes")}
          data={report.complaints.byType.map((v) => ({ label: t(`complaint.type.${v.type}`), onTime: v.onTime, late: v.late, pending: v.pending, rejected: v.rejected }))}
        />
        <table className="queue report-table" id="complaint-units">
          <caption>{t("report.complaints.byUnit")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("scores.col.unit")}</th>
              <th scope="col">{t("report.complaints.due")}</th>
              <th scope="col">{t("scores.volume.onTime")}</th>
              <th scope="col">{t("scores.volume.late")}</th>
              <th scope="col">{t("scores.col.t")}</th>
              <th scope="col">{t("report.complaints.overdue")}</th>
              <th scope="col">{t("report.complaints.reopened")}</th>
            </tr>
          </thead>
          <tbody>
            {report.kinds.flatMap((k) => k.units).map((u) => (
              <tr key={u.code} data-unit={u.code}>
                <th scope="row">{u.name}</th>
                <td>{fmt(u.due, lng, 0)}</td>
                <td>{fmt(u.onTime, lng, 0)}</td>
                <td>{fmt(u.late, lng, 0)}</td>
                <td>{fmt(u.t, lng)}</td>
                <td>{fmt(u.overdue, lng, 0)}</td>
                <td>{fmt(u.reopened, lng, 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">{t("report.complaints.note")}</p>
      </section>

      <section className="report-section" aria-labelledby="report-rectification">
        <h2 id="report-rectification">{t("report.rectification.title")}</h2>
        <p id="rectification-totals">
          {t("report.rectification.totals", {
            total: fmt(report.rectifications.length, lng, 0),
            accepted: fmt(report.rectifications.filter((x) => x.status === "accepted").length, lng, 0),
            overdue: fmt(report.rectifications.filter((x) => x.overdue).length, lng, 0),
          })}
        </p>
        {report.rectifications.length > 0 ? (
          <table className="queue report-table" id="rectification-records">
            <caption>{t("report.rectification.caption", { at: report.generatedAt })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("rectification.unit")}</th>
                <th scope="col">{t("rectification.subject")}</th>
                <th scope="col">{t("rectification.statusCol")}</th>
                <th scope="col">{t("rectification.due")}</th>
              </tr>
            </thead>
            <tbody>
              {report.rectifications.map((x) => (
                <tr key={x.id} data-rectification={x.id} className={x.overdue ? "overdue" : undefined}>
                  <th scope="row">{x.unit}</th>
                  <td dir="auto">{x.item !== null ? t("report.rectification.item", { item: x.item }) : t("rectification.complaintSubject", { type: t(`complaint.type.${x.complaintType}`) })}</td>
                  <td>{t(`rectification.status.${x.status}`)}</td>
                  <td>
                    {x.due}
                    {x.overdue ? <strong> · {t("rectification.overdue")}</strong> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </div>
  );
}

function ChangeRow({ u, lng }: { u: ViewUnit; lng: string }) {
  const { t } = useT();
  const c = u.change;
  return (
    <tr data-unit={u.code}>
      <th scope="row">{u.name}</th>
      <td>{c.previous ? fmt(c.previous.s, lng) : "—"}</td>
      <td>{fmt(u.s, lng)}</td>
      <td>
        <Delta value={c.deltaS} lng={lng} beyond={c.beyond} />
      </td>
      <td>
        <Delta value={c.deltaQ} lng={lng} />
      </td>
      <td>
        {c.previous?.rank != null && u.rank !== null ? (
          <span>{t("report.change.rankFromTo", { before: c.previous.rank, after: u.rank })}</span>
        ) : (
          "—"
        )}
      </td>
    </tr>
  );
}
