// Distribution of a survey to its units: the stable links printed as QR codes and on posters,
// the poster's texts in every language, and the office's kiosk-link forms. Plain functions; the
// QR matrix itself is drawn in app/lib/qr.server.ts.
import { z } from "zod/mini";
import { idField } from "./ids";
import { normalize } from "./unit-search";
import { firstErrors, type FormLike, formString as str } from "./form-helpers";

export interface UnitLinks {
  /** What a citizen types or taps: `/s/<slug>?unit=<CODE>`. */
  link: string;
  /** What the QR code holds: the same with `&ch=qr`, so scans are counted as their own channel. */
  qr: string;
  /** The link without its scheme, as printed under the QR code. */
  display: string;
}

export function unitLinks(origin: string, slug: string, unitCode: string): UnitLinks {
  const link = `${origin.replace(/\/$/, "")}/s/${encodeURIComponent(slug)}?${new URLSearchParams({ unit: unitCode })}`;
  return { link, qr: `${link}&ch=qr`, display: link.replace(/^https?:\/\//, "") };
}

/** The full tablet link; `token` is the signed kiosk parameter (app/lib/kiosk-link.server.ts). */
export function kioskUrl(origin: string, slug: string, unitCode: string, token: string): string {
  return `${origin.replace(/\/$/, "")}/s/${encodeURIComponent(slug)}?${new URLSearchParams({ unit: unitCode, kiosk: token })}`;
}

export const qrFormats = ["svg", "png"] as const;
export type QrFormat = (typeof qrFormats)[number];

/** The QR route's last segment, `<CODE>.svg` or `<CODE>.png`; null for anything else. */
export function parseQrFile(file: string): { unitCode: string; format: QrFormat } | null {
  const m = /^([A-Za-z0-9_-]{1,32})\.(svg|png)$/.exec(file);
  return m ? { unitCode: m[1]!, format: m[2] as QrFormat } : null;
}

export function qrFileName(slug: string, unitCode: string, format: QrFormat): string {
  return `${slug}-${unitCode}.${format}`;
}

export const posterSizes = ["a4", "a5"] as const;
export type PosterSize = (typeof posterSizes)[number];

/** The `size` parameter of the poster page: A4 unless A5 is asked for; null for a wrong value. */
export function parsePosterSize(value: string | null): PosterSize | null {
  if (value === null || value === "") return "a4";
  const v = value.toLowerCase();
  return (posterSizes as readonly string[]).includes(v) ? (v as PosterSize) : null;
}

export function posterPath(slug: string, size: PosterSize, unitCode?: string): string {
  const params = new URLSearchParams(unitCode ? { unit: unitCode, size } : { size });
  return `/staff/surveys/${encodeURIComponent(slug)}/posters?${params}`;
}

export interface LangText {
  lng: string;
  dir: "ltr" | "rtl";
  text: string;
}

/**
 * A text in every supported language that has it, each with its language and direction, in the
 * languages' order. A language without the text is left out: printing another language's words
 * under its tag would be wrong, and the poster still shows the others.
 */
export function everyLanguage(
  texts: Record<string, string> | null | undefined,
  languages: readonly { code: string; dir: "ltr" | "rtl" }[],
): LangText[] {
  return languages.flatMap((l) => {
    const text = texts?.[l.code]?.trim();
    return text ? [{ lng: l.code, dir: l.dir, text }] : [];
  });
}

export interface PosterModel {
  unitCode: string;
  names: LangText[];
  calls: LangText[];
  titles: LangText[];
  notes: LangText[];
  links: UnitLinks;
}

/** One unit's poster: its names, the call to rate, the survey's title and a note, each in every language. */
export function buildPoster(input: {
  origin: string;
  survey: { slug: string; titles: Record<string, string> };
  unit: { code: string; names: Record<string, string> };
  /** The call to rate and the note under it, by language (from the locale files). */
  call: Record<string, string>;
  note: Record<string, string>;
  languages: readonly { code: string; dir: "ltr" | "rtl" }[];
}): PosterModel {
  const { languages } = input;
  return {
    unitCode: input.unit.code,
    names: everyLanguage(input.unit.names, languages),
    calls: everyLanguage(input.call, languages),
    titles: everyLanguage(input.survey.titles, languages),
    notes: everyLanguage(input.note, languages),
    links: unitLinks(input.origin, input.survey.slug, input.unit.code),
  };
}

/** Units grouped by kind, in the kinds' order (unknown kinds last), each group keeping the units' order. */
export function groupByKind<U extends { kind: string }>(units: readonly U[]): { kind: string; units: U[] }[] {
  const kinds = ["region", "county", "department"];
  const order = (k: string) => {
    const i = kinds.indexOf(k);
    return i < 0 ? kinds.length : i;
  };
  const groups = new Map<string, U[]>();
  for (const u of units) {
    const list = groups.get(u.kind) ?? [];
    list.push(u);
    groups.set(u.kind, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([kind, list]) => ({ kind, units: list }));
}

/** The distribution page's search: part of a name in any language, or the code. */
export function matchesUnit(unit: { code: string; names: Record<string, string> }, query: string): boolean {
  const q = normalize(query);
  if (!q) return true;
  if (normalize(unit.code).includes(q)) return true;
  return Object.values(unit.names).some((n) => normalize(n).includes(q));
}


export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: Record<string, string>; values: Record<string, string> };

export const kioskCreateSchema = z.object({
  unit: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,32}$/, { error: "distribution.errors.unit" })),
  label: z.string().check(
    z.minLength(2, { error: "distribution.errors.label" }),
    z.maxLength(60, { error: "distribution.errors.label" }),
  ),
});

export function parseKioskCreate(form: Pick<FormLike, "get">): Parsed<z.infer<typeof kioskCreateSchema>> {
  const values = { unit: str(form, "unit"), label: str(form, "label").replace(/\s+/g, " ") };
  const r = kioskCreateSchema.safeParse(values);
  return r.success ? { ok: true, data: r.data } : { ok: false, errors: firstErrors(r.error.issues), values };
}

export const kioskRevokeSchema = z.object({
  id: idField("distribution.errors.state"),
  reason: z.string().check(
    z.minLength(2, { error: "distribution.errors.reason" }),
    z.maxLength(200, { error: "distribution.errors.reason" }),
  ),
});

export function parseKioskRevoke(form: Pick<FormLike, "get">): Parsed<z.infer<typeof kioskRevokeSchema>> {
  const values = { id: str(form, "id"), reason: str(form, "reason") };
  const r = kioskRevokeSchema.safeParse(values);
  return r.success ? { ok: true, data: r.data } : { ok: false, errors: firstErrors(r.error.issues), values };
}

/** Every error key the forms above can return, so the locale test can check them. */
export const distributionErrorKeys = ["unit", "label", "reason", "state"].map((k) => `distribution.errors.${k}`);
