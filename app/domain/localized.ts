// Texts stored per language in the database ({"zh-Hans": "...", "ug": "...", "en": "..."}).
import { z } from "zod/mini";

export const localizedTextSchema = z.record(z.string(), z.string());
export type LocalizedText = Record<string, string>;

/** The text in the wanted language, else the default language, else any. */
export function pickText(texts: unknown, lng: string, fallback: string): string {
  if (!texts || typeof texts !== "object") return "";
  const map = texts as Record<string, unknown>;
  const value = map[lng] ?? map[fallback] ?? Object.values(map)[0];
  return typeof value === "string" ? value : "";
}
