// The one place that knows which languages exist. Each folder under locales/ with a meta.json
// is a supported language, so adding one (e.g. Kazakh in Arabic script) means adding its folder:
// meta.json (native name, direction, order) and common.json (the UI strings). Only the small
// meta files are bundled here, so this module is safe to import in the browser.
import { z } from "zod/mini";

const metaSchema = z.object({
  name: z.string(),
  dir: z.enum(["ltr", "rtl"]),
  order: z.number(),
  default: z.optional(z.boolean()),
  /** The locale Intl formats dates and numbers with, when it is not the code itself (kk → kk-Arab). */
  intl: z.optional(z.string()),
});

export type LanguageMeta = z.infer<typeof metaSchema> & { code: string };

const metaFiles = import.meta.glob<unknown>("../../locales/*/meta.json", {
  eager: true,
  import: "default",
});

export const languages: readonly LanguageMeta[] = Object.entries(metaFiles)
  .map(([path, raw]) => {
    const code = path.split("/").at(-2)!;
    return { ...metaSchema.parse(raw), code };
  })
  .sort((a, b) => a.order - b.order);

export const languageCodes = languages.map((l) => l.code);

export const defaultLanguage = (languages.find((l) => l.default) ?? languages[0]!).code;

export function isLanguage(code: unknown): code is string {
  return typeof code === "string" && languageCodes.includes(code);
}

/** The Intl locale of a language: its meta.json `intl`, else its code. */
export function intlLocale(code: string): string {
  return languages.find((l) => l.code === code)?.intl ?? code;
}

export function directionOf(code: string): "ltr" | "rtl" {
  return languages.find((l) => l.code === code)?.dir ?? "ltr";
}
