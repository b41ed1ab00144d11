import { createContext, createCookie, type MiddlewareFunction, type RouterContextProvider } from "react-router";
import i18next, { type Resource, type ResourceLanguage, type TFunction } from "i18next";
import { LanguageDetector, type LanguageDetectorOption } from "remix-i18next/server";
import { defaultLanguage, languageCodes } from "./languages";

const bundles = import.meta.glob<ResourceLanguage>("../../locales/*/common.json", {
  eager: true,
  import: "default",
});

export const resources: Resource = Object.fromEntries(
  Object.entries(bundles).map(([path, common]) => [path.split("/").at(-2)!, { common }]),
);

// Remembers an explicit choice (?lng=) so the next page keeps the language.
export const localeCookie = createCookie("lng", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  secure: process.env.NODE_ENV === "production" && process.env.INSECURE_COOKIES !== "1",
  maxAge: 60 * 60 * 24 * 365,
});

// Detection order required by the product: ?lng=, then the cookie, then Accept-Language.
export const detectionOptions: LanguageDetectorOption = {
  supportedLanguages: [...languageCodes.filter((c) => c !== defaultLanguage), defaultLanguage],
  fallbackLanguage: defaultLanguage,
  cookie: localeCookie,
  order: ["searchParams", "cookie", "header"],
};

const detector = new LanguageDetector(detectionOptions);
const localeContext = createContext<string>(defaultLanguage);

// One i18next instance for the process; loaders get a `t` fixed to the request's language.
// (remix-i18next's own middleware builds a new instance per request, ~1 ms each: too much for
// the submission path; see docs/benchmarks.md.)
const shared = i18next.createInstance();
void shared.init({
  resources,
  defaultNS: "common",
  ns: ["common"],
  fallbackLng: defaultLanguage,
  initAsync: false,
  interpolation: { escapeValue: false },
});

export const i18nextMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  context.set(localeContext, await detectLocale(request));
  return next();
};

/** The request's language, by the order above (also for the survey page's fast path). */
export function detectLocale(request: Pick<Request, "url" | "headers">): Promise<string> {
  return detector.detect(request as Request);
}

export function getLocale(context: Readonly<RouterContextProvider>): string {
  return context.get(localeContext);
}

/** The i18next translation function in the request's language, for loaders and actions. */
export function getT(context: Readonly<RouterContextProvider>): TFunction {
  return shared.getFixedT(getLocale(context));
}

/** The translation function of one language (messages rendered in their recipient's language). */
export function tIn(lng: string): TFunction {
  return shared.getFixedT(languageCodes.includes(lng) ? lng : defaultLanguage);
}

/**
 * One string in every supported language, for pages that show them all at once (posters). A
 * language whose locale file lacks the key is left out, not filled with another language's words.
 */
export function translateEveryLanguage(key: string, vars?: Record<string, string | number>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const lng of languageCodes) {
    if (typeof shared.getResource(lng, "common", key) !== "string") continue;
    out[lng] = shared.getFixedT(lng)(key, vars);
  }
  return out;
}
