import { data, Link } from "react-router";
import type { Route } from "./+types/period-report";
import { PeriodReportDocument, reportTitle, reportView } from "#app/components/PeriodReport";
import { PrintButton } from "#app/components/print-parts";
import { StatusPage } from "#app/components/StatusPage";
import { useT } from "#app/i18n/context";
import { getLocale, getT } from "#app/i18n/i18next.server";
import { findChromium } from "#app/lib/pdf.server";
import { requireOffice } from "#app/lib/staff-session.server";
import { getPeriod } from "#app/models/period.server";
import { assembleReport } from "#app/services/period-report.server";
import reportCss from "#app/styles/report.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: reportCss }];

export function meta({ data }: Route.MetaArgs) {
  return data ? [{ title: data.title }] : [];
}

// The 通报 report of a period (issue 14): a printable A4 document in the page's language, from the
// figures the platform serves (frozen or, marked so, live). Outside the staff frame: it is a
// document to print, with its own small toolbar.
export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireOffice(request);
  const period = await getPeriod(params.code);
  if (!period) throw data({ reason: "notFound" }, { status: 404 });
  const lng = getLocale(context);
  const t = getT(context);
  const report = reportView(await assembleReport(period), lng);
  return {
    title: reportTitle((key, vars) => t(key, vars), report),
    report,
    lng,
    pdfAvailable: findChromium() !== null,
  };
}

export default function PeriodReportPage({ loaderData }: Route.ComponentProps) {
  const { t } = useT();
  const { report, lng } = loaderData;
  const code = encodeURIComponent(report.period.code);
  return (
    <article className="report-page">
      <div className="report-toolbar">
        <Link to={`/staff/periods/${code}`}>{t("report.backToPeriod")}</Link>
        <PrintButton label={t("report.print")} />
        {loaderData.pdfAvailable ? (
          <a className="button primary" href={`/staff/periods/${code}/report.pdf?lng=${encodeURIComponent(lng)}`} download id="report-pdf">
            {t("report.downloadPdf")}
          </a>
        ) : (
          <p className="notice" role="note" id="report-pdf-unavailable">
            {t("report.pdfUnavailable")}
          </p>
        )}
      </div>
      <PeriodReportDocument report={report} />
    </article>
  );
}

export function ErrorBoundary(props: Route.ErrorBoundaryProps) {
  return <StatusPage error={props.error} />;
}
