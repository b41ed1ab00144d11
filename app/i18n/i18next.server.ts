import { createCookie } from "react-router";
import { createI18nextMiddleware } from "remix-i18next/middleware";
import type { LanguageDetectorOption } from "remix-i18next/server";
import type { Resource, ResourceLanguage } from "i18next";
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

export const [i18nextMiddleware, getLocale, getInstance] = createI18nextMiddleware({
  detection: detectionOptions,
  i18next: {
    resources,
    defaultNS: "common",
    ns: ["common"],
    fallbackLng: defaultLanguage,
    interpolation: { escapeValue: false },
  },
});
