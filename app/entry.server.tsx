import { randomBytes } from "node:crypto";
import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable } from "@react-router/node";
import { renderToPipeableStream } from "react-dom/server";
import { type EntryContext, type HandleErrorFunction, type RouterContextProvider, ServerRouter } from "react-router";
import { defaultLanguage } from "./i18n/languages";
import { I18nProvider } from "./i18n/context";
import { getLocale, resources } from "./i18n/i18next.server";
import { directionOf } from "./i18n/languages";
import { type Bundle, createTranslator } from "./i18n/translator";
import { logFor } from "./lib/log.server";
import { NonceProvider } from "./lib/nonce";
import { cachedPage, type PageCacheEntry } from "./lib/page-cache.server";
import { pageKeyFor } from "./services/survey-page.server";

// The server's fast path for the survey page (server/index.ts) reaches the app's modules, and
// their caches, through the build's entry module.
export { fastSurveyPage } from "./services/survey-page.server";
// …and the background jobs (notifications, backups, retention), which must share the app's
// database writer and write lock.
export { startBackgroundJobs } from "./services/jobs.server";
// …and the graceful shutdown: wait for queued writes, then close the database connections.
export { closeDatabases } from "./lib/db.server";
import { securityHeaders } from "./lib/security-headers.server";

export const streamTimeout = 5_000;

const errorLog = logFor("app");

/**
 * Unexpected errors of loaders, actions and rendering (thrown responses are answers, not errors):
 * one log line with the request's id (server/observe.ts), never its URL, which may carry a token.
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  errorLog.error({ err: error, reqId: request.headers.get("x-request-id") }, "request failed");
};

const isProduction = process.env.NODE_ENV === "production";

// Sections of the strings only staff pages use: citizen pages (phones, slow networks) do not
// carry them in the strings embedded for hydration.
// ("notify": the texts of notifications, rendered on the server only.)
const STAFF_ONLY_SECTIONS = new Set(["staff", "scores", "surveys", "admin", "distribution", "anomalies", "codes", "notify", "staffNotices", "report", "rectification", "appeal"]);

// Requests that never reached the i18n middleware still render, in the default language.
function i18nFor(context: RouterContextProvider, staffPage: boolean) {
  let lng = defaultLanguage;
  try {
    lng = getLocale(context);
  } catch {
    // no middleware ran for this request
  }
  const bundle = (resources[lng]?.common ?? {}) as Bundle;
  const fallback = (resources[defaultLanguage]?.common ?? {}) as Bundle;
  const embedded = staffPage ? bundle : (Object.fromEntries(Object.entries(bundle).filter(([k]) => !STAFF_ONLY_SECTIONS.has(k))) as Bundle);
  return { lng, dir: directionOf(lng), bundle: embedded, t: createTranslator(bundle, fallback) };
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  entryContext: EntryContext,
  routerContext: RouterContextProvider,
) {
  const nonce = randomBytes(16).toString("base64");
  const path = new URL(request.url).pathname;
  const staffPage = path.startsWith("/staff");
  const frameableBySelf = /^\/staff\/surveys\/[^/]+\/preview\/frame$/.test(path);
  for (const [name, value] of Object.entries(securityHeaders(nonce, isProduction, { styleAttributes: staffPage, frameableBySelf }))) {
    responseHeaders.set(name, value);
  }
  // Staff pages show complaints, contacts and one-time passwords: never kept by a browser's or a
  // proxy's cache (Back after sign-out must not show them).
  if (staffPage) responseHeaders.set("Cache-Control", "no-store");
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  // HEAD gets the same headers as GET (CSP and frame options included), without the body.
  if (request.method.toUpperCase() === "HEAD") {
    return new Response(null, { status: responseStatusCode, headers: responseHeaders });
  }

  const app = (
    <NonceProvider value={nonce}>
      <I18nProvider value={i18nFor(routerContext, staffPage)}>
        <ServerRouter context={entryContext} url={request.url} nonce={nonce} />
      </I18nProvider>
    </NonceProvider>
  );

  // A page its loader offers for reuse (app/lib/page-cache.server.ts) is drawn once per key and
  // address; this request's own values (and nonce) are put into the kept copy.
  const reusable = responseStatusCode === 200 && request.method.toUpperCase() === "GET" ? pageCacheOf(entryContext) : null;
  if (reusable) {
    return cachedPage(pageKeyFor(reusable.key, new URL(request.url)), { ...reusable.perRequest, nonce }, () => renderToString(app, nonce)).then(
      (html) => new Response(html, { headers: responseHeaders, status: responseStatusCode }),
    );
  }

  return new Promise((resolve, reject) => {
    let timeoutId: ReturnType<typeof setTimeout> | undefined = setTimeout(
      () => abort(),
      streamTimeout + 1000,
    );
    // Pages are small and must work without JavaScript, so they are sent whole.
    const { pipe, abort } = renderToPipeableStream(app, {
        nonce,
        onAllReady() {
          const body = new PassThrough({
            final(callback) {
              clearTimeout(timeoutId);
              timeoutId = undefined;
              callback();
            },
          });
          pipe(body);
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          errorLog.error({ err: error, reqId: request.headers.get("x-request-id") }, "page rendering failed");
        },
      });
  });
}

/** The reuse offer of the deepest route whose loader made one. */
function pageCacheOf(entryContext: EntryContext): PageCacheEntry | null {
  const { matches, loaderData, actionData } = entryContext.staticHandlerContext;
  if (actionData) return null;
  for (let i = matches.length - 1; i >= 0; i--) {
    const value = loaderData[matches[i]!.route.id] as { pageCache?: PageCacheEntry | null } | null | undefined;
    if (value && typeof value === "object" && value.pageCache) return value.pageCache;
  }
  return null;
}

/** The whole page as one string (for pages kept by the page cache). */
function renderToString(app: React.ReactElement, nonce: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(app, {
      nonce,
      onAllReady() {
        const chunks: Buffer[] = [];
        const body = new PassThrough();
        body.on("data", (chunk: Buffer) => chunks.push(chunk));
        body.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        body.on("error", reject);
        pipe(body);
      },
      onShellError: reject,
      onError(error: unknown) {
        errorLog.error({ err: error }, "page rendering failed");
        reject(error);
      },
    });
    setTimeout(() => abort(), streamTimeout + 1000).unref();
  });
}
