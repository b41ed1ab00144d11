import { data, type MiddlewareFunction } from "react-router";
import { getEnv } from "./env.server";
import { CROSS_SITE_MARKER, isCrossSiteRequest } from "./origin";

/** Refuses cross-site posts (403) and bodies declared larger than the limit (413). */
export const requestGuardMiddleware: MiddlewareFunction<Response> = async ({ request }, next) => {
  if (
    request.headers.get(CROSS_SITE_MARKER) === "1" ||
    isCrossSiteRequest({
      method: request.method,
      url: request.url,
      origin: request.headers.get("origin"),
      secFetchSite: request.headers.get("sec-fetch-site"),
    })
  ) {
    throw data({ reason: "cross_site" }, { status: 403 });
  }
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > bodyLimitFor(new URL(request.url).pathname)) {
    throw data({ reason: "too_large" }, { status: 413 });
  }
  return next();
};

/**
 * Headers for every answer of the app, whatever route, error or redirect produced it: never
 * sniffed into another type (CSV, JSON and the API included), and the data requests of staff pages
 * never stored by a cache, like the pages themselves (entry.server.tsx).
 */
export const responseHeadersMiddleware: MiddlewareFunction<Response> = async ({ request }, next) => {
  const response = await next();
  try {
    response.headers.set("X-Content-Type-Options", "nosniff");
    const path = new URL(request.url).pathname;
    if (/^\/staff([/.]|$)/.test(path) && path.endsWith(".data")) response.headers.set("Cache-Control", "no-store");
  } catch {
    // A response with immutable headers (Response.redirect) carries no content to sniff.
  }
  return response;
};

/** The survey editor posts every text of up to 100 questions in every language; an imported file is as large. */
export const SURVEY_FORM_MAX_BYTES = 2 * 1024 * 1024;

/**
 * The one table of body limits, used by the request guard and by readForm: the complaint form
 * takes photos, the office's survey editor and import take whole survey definitions; every other
 * form is small.
 */
export function bodyLimitFor(pathname: string): number {
  const env = getEnv();
  const path = pathname.replace(/\.data$/, "");
  if (path === "/complaints/new") return env.MAX_UPLOAD_BYTES;
  if (path === "/staff/surveys" || /^\/staff\/surveys\/[^/]+$/.test(path)) return Math.max(SURVEY_FORM_MAX_BYTES, env.MAX_FORM_BYTES);
  return env.MAX_FORM_BYTES;
}

/**
 * Reads a url-encoded or multipart form, refusing (413) a body over the limit even when the
 * client sent no Content-Length.
 */
export async function readForm(request: Request, maxBytes = bodyLimitFor(new URL(request.url).pathname)): Promise<FormData | URLSearchParams> {
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        // Read (and drop) a bounded rest of the body so the client gets the 413 page instead of
        // a reset connection; past 16 × the limit, hang up.
        if (size > maxBytes * 16) {
          await reader.cancel();
          break;
        }
        continue;
      }
      chunks.push(value);
    }
  }
  if (size > maxBytes) throw data({ reason: "too_large" }, { status: 413 });
  const body = Buffer.concat(chunks);
  const type = request.headers.get("content-type") ?? "";
  if (/^multipart\/form-data\b/i.test(type)) {
    // A multipart body without a boundary, with another boundary than its parts, or that is not
    // multipart at all makes the parser throw: that is the client's mistake (400, the translated
    // page), never a server error.
    try {
      return await new Response(body, { headers: { "content-type": type } }).formData();
    } catch {
      throw data({ reason: "bad_request" }, { status: 400 });
    }
  }
  return new URLSearchParams(body.toString("utf8"));
}

/** The client address as set by our own server (server/index.ts), never by the client. */
export function clientAddress(request: Request): string | null {
  return request.headers.get("x-civic-client-address");
}

/**
 * A route's `headers` export for forms that may answer 429: document responses take their headers
 * from here, so a slowed-down attempt keeps its Retry-After.
 */
export function passRetryAfter({ actionHeaders, loaderHeaders }: { actionHeaders: Headers; loaderHeaders: Headers }) {
  return actionHeaders.has("Retry-After") ? actionHeaders : loaderHeaders;
}
