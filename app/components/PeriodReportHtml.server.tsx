// The report as one self-contained HTML document for Chromium to print (docs/decisions/0019): the
// same component as the page, the page's language and direction, the site's and the report's
// styles inline, no script and nothing fetched.
import { renderToStaticMarkup } from "react-dom/server";
import { PeriodReportDocument, reportTitle, type ReportViewData } from "#app/components/PeriodReport";
import { I18nProvider } from "#app/i18n/context";
import { resources } from "#app/i18n/i18next.server";
import { defaultLanguage, directionOf } from "#app/i18n/languages";
import { type Bundle, createTranslator } from "#app/i18n/translator";
import appCss from "#app/styles/app.css?raw";
import reportCss from "#app/styles/report.css?raw";

export function i18nOf(lng: string) {
  const bundle = (resources[lng]?.common ?? {}) as Bundle;
  const t = createTranslator(bundle, (resources[defaultLanguage]?.common ?? {}) as Bundle);
  return { lng, dir: directionOf(lng), t, bundle };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function documentHtml(lng: string, title: string, body: string): string {
  return `<!DOCTYPE html><html lang="${escapeHtml(lng)}" dir="${directionOf(lng)}"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"><title>${escapeHtml(title)}</title><style>${appCss}\n${reportCss}</style></head><body class="report-print"><main>${body}</main></body></html>`;
}

/** The report drawn as the page draws it, without the page's frame. */
export function reportHtml(report: ReportViewData, lng: string): string {
  const i18n = i18nOf(lng);
  const body = renderToStaticMarkup(
    <I18nProvider value={i18n}>
      <PeriodReportDocument report={report} />
    </I18nProvider>,
  );
  return documentHtml(lng, reportTitle(i18n.t, report), body);
}

/** A translated page for when no PDF can be made (no Chromium, a failure, another print running). */
export function pdfStatusHtml(lng: string, key: "pdfUnavailablePage" | "pdfBusyPage", back: string): string {
  const { t } = i18nOf(lng);
  const title = t(`report.${key}.title`);
  return documentHtml(
    lng,
    `${title} – ${t("site.name")}`,
    `<section class="panel"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(t(`report.${key}.body`))}</p><p><a class="button" href="${escapeHtml(back)}">${escapeHtml(t("report.backToReport"))}</a></p></section>`,
  );
}
