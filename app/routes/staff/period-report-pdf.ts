import { data } from "react-router";
import type { Route } from "./+types/period-report-pdf";
import { reportView } from "#app/components/PeriodReport";
import { pdfStatusHtml, reportHtml } from "#app/components/PeriodReportHtml.server";
import { getLocale } from "#app/i18n/i18next.server";
import { logFor } from "#app/lib/log.server";
import { htmlToPdf, PdfBusyError, PdfUnavailableError } from "#app/lib/pdf.server";
import { requireOffice } from "#app/lib/staff-session.server";
import { getPeriod } from "#app/models/period.server";
import { assembleReport } from "#app/services/period-report.server";

/** Seconds a caller is asked to wait while another report is being printed. */
const RETRY_AFTER = 10;

// The report as a PDF, printed on the server by Chromium from the same component as the page
// (docs/decisions/0019). Without a Chromium, or when printing fails: a translated 503 page that
// points back to the report (to print from the browser); while another report prints: 429.
export async function loader({ request, params, context }: Route.LoaderArgs) {
  await requireOffice(request);
  const period = await getPeriod(params.code);
  if (!period) throw data({ reason: "notFound" }, { status: 404 });
  const lng = getLocale(context);
  const back = `/staff/periods/${encodeURIComponent(period.code)}/report?lng=${encodeURIComponent(lng)}`;
  const page = (status: number, key: "pdfUnavailablePage" | "pdfBusyPage", headers: Record<string, string> = {}) =>
    new Response(pdfStatusHtml(lng, key, back), {
      status,
      headers: {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
        // A page of its own (not drawn by entry.server): its own policy, its styles inline, nothing else.
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ...headers,
      },
    });
  try {
    const pdf = await htmlToPdf(reportHtml(reportView(await assembleReport(period), lng), lng));
    return new Response(new Uint8Array(pdf), {
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="report-${period.code}-${lng}.pdf"`,
        "Content-Length": String(pdf.length),
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof PdfBusyError) return page(429, "pdfBusyPage", { "Retry-After": String(RETRY_AFTER) });
    if (error instanceof PdfUnavailableError) {
      logFor("report").warn({ event: "report.pdf_unavailable", period: period.code, lang: lng, reason: error.message }, "report PDF unavailable");
      return page(503, "pdfUnavailablePage");
    }
    throw error;
  }
}
