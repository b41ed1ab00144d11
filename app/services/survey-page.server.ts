// The citizen's survey page in its common case (a link or QR code, no rating code, not a tablet):
// what the route's loader draws, and the server's fast path that answers from the kept page
// without going through the framework (server/index.ts; docs/decisions/0015). Both take the
// localized survey and the page's key from surveyPageFor, so they cannot disagree about which
// kept page belongs to a request.
import { randomBytes, randomUUID } from "node:crypto";
import { pickText } from "#app/domain/localized";
import { hasDetailStep } from "#app/domain/survey-steps";
import { detectLocale } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { deviceCookie, deviceKey, newDeviceId, readDeviceId } from "#app/lib/device.server";
import { fillGzip, fillPage, pageCacheKey, peekPage } from "#app/lib/page-cache.server";
import { securityHeaders } from "#app/lib/security-headers.server";
import { startToken } from "#app/lib/start-token.server";
import { deviceNextAllowedAt } from "#app/models/response.server";
import type { AnswerableSurvey } from "#app/models/survey.server";
import type { UnitRecord } from "#app/models/unit.server";
import { localizeSurvey, resolveSurveyContext } from "./citizen-survey.server";

export interface SurveyPage {
  survey: ReturnType<typeof localizeSurvey>;
  unitName: string;
  steps: 1 | 2;
  draftKey: string;
  /** The kept page's key, without the address (pageKeyFor adds it). */
  key: string;
}

// Survey and unit records are replaced when their short caches reload, so this is recomputed at
// most every few seconds, and never kept for records no longer in use.
const pages = new WeakMap<AnswerableSurvey, WeakMap<UnitRecord, Map<string, SurveyPage>>>();

/** The survey as drawn for this unit and language, with its page key. */
export function surveyPageFor(record: AnswerableSurvey, unit: UnitRecord, lng: string): SurveyPage {
  let byUnit = pages.get(record);
  if (!byUnit) pages.set(record, (byUnit = new WeakMap()));
  let byLng = byUnit.get(unit);
  if (!byLng) byUnit.set(unit, (byLng = new Map()));
  let page = byLng.get(lng);
  if (!page) {
    const survey = localizeSurvey(record, lng);
    const unitName = pickText(unit.names, lng, defaultLanguage);
    const steps = hasDetailStep(record.version.questions) ? (2 as const) : (1 as const);
    page = {
      survey,
      unitName,
      steps,
      draftKey: `${record.slug}|${record.version.id}|${unit.code}|1`,
      key: pageCacheKey("survey", { survey, unitName, unitCode: unit.code, steps, lng }),
    };
    byLng.set(lng, page);
  }
  return page;
}

/** The kept page's full key: the page's key and its address (the language links carry the query). */
export function pageKeyFor(key: string, url: URL): string {
  return `${key}|${url.pathname}${url.search}`;
}

export interface FastAnswer {
  headers: Record<string, string>;
  body: Buffer | string;
}

const isProduction = process.env.NODE_ENV === "production";

/**
 * The survey page answered from the kept page, or null when the request is anything but the
 * common case, or the page is not kept yet: then the framework draws it (and keeps it).
 * - Not here: a rating code (c=), a tablet link (kiosk=), an explicit language (lng=, which the
 *   root loader remembers in a cookie), a survey or unit that is unknown, closed or inactive, and
 *   a phone that already rated (the repeat page).
 */
export async function fastSurveyPage(input: { url: string; cookie?: string; acceptLanguage?: string; acceptsGzip: boolean }): Promise<FastAnswer | null> {
  const url = new URL(input.url);
  const slug = /^\/s\/([a-z0-9-]{1,80})$/.exec(url.pathname)?.[1];
  if (!slug || url.searchParams.has("c") || url.searchParams.has("kiosk") || url.searchParams.has("lng")) return null;
  // The two headers the page depends on (remix-i18next's detector wants a real Request).
  const headers = new Headers();
  if (input.cookie) headers.set("Cookie", input.cookie);
  if (input.acceptLanguage) headers.set("Accept-Language", input.acceptLanguage);
  const request = new Request(url, { headers });
  let ctx;
  try {
    ctx = await resolveSurveyContext(request, slug);
  } catch {
    return null; // unknown, closed, not yet open, a bad tablet link: the framework's status page
  }
  if (ctx.step !== "answer" || ctx.channel === "kiosk") return null;
  const lng = await detectLocale(request);
  const page = surveyPageFor(ctx.survey, ctx.unit, lng);
  const template = peekPage(pageKeyFor(page.key, url));
  if (!template) return null;

  let deviceId = readDeviceId(request);
  const answer: Record<string, string> = {};
  if (deviceId) {
    if (await deviceNextAllowedAt(ctx.survey, ctx.unit.id, deviceKey(deviceId, ctx.survey.id, ctx.unit.id))) return null;
  } else {
    deviceId = newDeviceId();
    answer["Set-Cookie"] = deviceCookie(deviceId);
  }
  const nonce = randomBytes(16).toString("base64");
  const values = { started: startToken(deviceId, ctx.survey.slug, ctx.unit.code, Date.now()), submissionId: randomUUID(), nonce };
  Object.assign(answer, securityHeaders(nonce, isProduction), { "Content-Type": "text/html; charset=utf-8", Vary: "Accept-Encoding" });
  if (input.acceptsGzip) {
    answer["Content-Encoding"] = "gzip";
    return { headers: answer, body: fillGzip(template, values) };
  }
  return { headers: answer, body: fillPage(template, values) };
}
