// The evaluation office's distribution of a survey: which units get links, QR codes and posters,
// and the kiosk links of their tablets.
import { data } from "react-router";
import { isPrivateNetworkOrigin } from "#app/domain/link-origin";
import { buildPoster, kioskUrl, type PosterModel, type QrFormat, qrFileName, unitLinks } from "#app/domain/distribution";
import { translateEveryLanguage } from "#app/i18n/i18next.server";
import { languages } from "#app/i18n/languages";
import { getEnv } from "#app/lib/env.server";
import { kioskToken } from "#app/lib/kiosk-link.server";
import { type QrDrawing, qrDrawing, qrPng, qrSvg } from "#app/lib/qr.server";
import { getSurveyBySlug, type SurveyRecord } from "#app/models/survey.server";
import type { UnitRecord } from "#app/models/unit.server";
import { applicableUnits } from "./citizen-survey.server";

/** The survey by slug, whatever its status (posters are printed before it opens); 404 otherwise. */
export async function requireSurvey(slug: string): Promise<SurveyRecord> {
  const survey = await getSurveyBySlug(slug);
  if (!survey) throw data({ reason: "unknown" }, { status: 404 });
  return survey;
}

/**
 * One of the units that get a link, a QR code and a poster (the active units the survey applies
 * to, `applicableUnits`) by code; 404 for an unknown unit or one the survey does not apply to. */
export async function requireDistributedUnit(survey: SurveyRecord, code: string): Promise<UnitRecord> {
  const unit = (await applicableUnits(survey)).find((u) => u.code === code);
  if (!unit) throw data({ reason: "unknown_unit" }, { status: 404 });
  return unit;
}

/** Where printed links point: PUBLIC_ORIGIN when set (the office may browse by an intranet address). */
export function originOf(request: Request): string {
  return getEnv().PUBLIC_ORIGIN ?? new URL(request.url).origin;
}

/**
 * The origin printed links would carry when it is a loopback or private-network address that
 * citizens' phones cannot reach (PUBLIC_ORIGIN unset, the office browsing by 127.0.0.1 or an
 * intranet address), for the pages' warning; null when the links are fine.
 */
export function unreachableLinkOrigin(request: Request): string | null {
  if (getEnv().PUBLIC_ORIGIN) return null;
  const origin = originOf(request);
  return isPrivateNetworkOrigin(origin) ? origin : null;
}

export type PosterData = PosterModel & { qrImage: QrDrawing };

/** The posters of these units: texts in every language and the QR code drawn inline. */
export function postersFor(origin: string, survey: SurveyRecord, units: readonly UnitRecord[]): PosterData[] {
  const call = translateEveryLanguage("distribution.poster.call");
  const note = translateEveryLanguage("distribution.poster.note");
  return units.map((unit) => {
    const poster = buildPoster({ origin, survey, unit, call, note, languages });
    return { ...poster, qrImage: qrDrawing(poster.links.qr) };
  });
}

/** The QR code file of a unit's link, as a download. */
export async function qrDownload(origin: string, survey: SurveyRecord, unit: UnitRecord, format: QrFormat): Promise<Response> {
  const text = unitLinks(origin, survey.slug, unit.code).qr;
  const body = format === "svg" ? Buffer.from(qrSvg(text)) : new Uint8Array(await qrPng(text));
  return new Response(body, {
    headers: {
      "Content-Type": format === "svg" ? "image/svg+xml; charset=utf-8" : "image/png",
      "Content-Disposition": `attachment; filename="${qrFileName(survey.slug, unit.code, format)}"`,
      "Content-Length": String(body.byteLength),
      "X-Content-Type-Options": "nosniff",
      // An SVG opened on its own runs nothing and loads nothing.
      "Content-Security-Policy": "default-src 'none'",
      "Cache-Control": "private, no-cache",
    },
  });
}

/** The full tablet link of a kiosk id. */
export function kioskLinkUrl(origin: string, survey: SurveyRecord, unitCode: string, kioskId: string): string {
  return kioskUrl(origin, survey.slug, unitCode, kioskToken(survey.slug, unitCode, kioskId));
}
