// Whole pages drawn once and reused (docs/decisions/0015): the citizen's survey page for a given
// survey version, unit, language and address is the same HTML for everyone except a few values
// per request (the start token, the submission id, the CSP nonce). A route opts in by returning
// `pageCache: { key, perRequest }` from its loader; entry.server.tsx then draws the page once,
// keeps it with markers where the per-request values were, and answers later requests by putting
// their own values in. The key is a hash of everything the page is drawn from, so any change to
// the survey or the unit draws it afresh; translations change only with a new build.
import { createHash } from "node:crypto";

export interface PageCacheEntry {
  key: string;
  perRequest: Record<string, string>;
}

const MAX_ENTRIES = 512;
const templates = new Map<string, string[]>();

/** A key for a page drawn from these inputs (JSON-serialisable). */
export function pageCacheKey(page: string, inputs: unknown): string {
  return `${page}:${createHash("sha256").update(JSON.stringify(inputs)).digest("base64url")}`;
}

const MARKER = "\u0000";

/**
 * The page for `key`, drawn by `render` when not kept, with this request's values. `values` maps
 * a marker name to this request's value; the drawn page must contain each value (a unique random
 * string: a token, an id, a nonce) wherever it belongs.
 */
export async function cachedPage(key: string, values: Record<string, string>, render: () => Promise<string>): Promise<string> {
  let parts = templates.get(key);
  if (!parts) {
    // A NUL in the page (browsers show it as U+FFFD anyway) must not be taken for a marker.
    let html = (await render()).replaceAll(MARKER, "\uFFFD");
    for (const [name, value] of Object.entries(values)) if (value) html = html.split(value).join(`${MARKER}${name}${MARKER}`);
    // Alternating text and marker names: [text, name, text, name, text].
    parts = html.split(MARKER);
    if (templates.size >= MAX_ENTRIES) templates.delete(templates.keys().next().value!);
    templates.set(key, parts);
  } else {
    // Recently used keys stay longest.
    templates.delete(key);
    templates.set(key, parts);
  }
  let out = "";
  for (let i = 0; i < parts.length; i++) out += i % 2 === 0 ? parts[i] : (values[parts[i]!] ?? "");
  return out;
}

export function clearPageCache() {
  templates.clear();
}
