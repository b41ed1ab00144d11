// Whole pages drawn once and reused (docs/decisions/0015): the citizen's survey page for a given
// survey version, unit, language and address is the same HTML for everyone except a few values
// per request (the start token, the submission id, the CSP nonce). A route opts in by returning
// `pageCache: { key, perRequest }` from its loader; entry.server.tsx then draws the page once,
// keeps it with markers where the per-request values were, and answers later requests by putting
// their own values in. The key is a hash of everything the page is drawn from, so any change to
// the survey or the unit draws it afresh; translations change only with a new build.
//
// The kept page's fixed parts are also kept gzip-compressed, each ending on a byte boundary
// without closing the stream (a sync flush). A compressed answer is then those parts with this
// request's values between them as stored (uncompressed) deflate blocks, one empty final block,
// and the gzip header and trailer: no compression work per request (fillGzip). The server's fast
// path for the survey page uses it (app/services/survey-page.server.ts).
import { createHash } from "node:crypto";
import zlib from "node:zlib";

export interface PageCacheEntry {
  key: string;
  perRequest: Record<string, string>;
}

export interface PageTemplate {
  /** Alternating fixed text and marker names: [text, name, text, name, text]. */
  parts: string[];
  /** The fixed parts as bytes, and compressed (raw deflate, sync-flushed); undefined at marker indices. */
  raw: (Buffer | undefined)[];
  deflated: (Buffer | undefined)[];
}

const MAX_ENTRIES = 512;
const templates = new Map<string, PageTemplate>();

/** A key for a page drawn from these inputs (JSON-serialisable). */
export function pageCacheKey(page: string, inputs: unknown): string {
  return `${page}:${createHash("sha256").update(JSON.stringify(inputs)).digest("base64url")}`;
}

const MARKER = "\u0000";

function makeTemplate(html: string, values: Record<string, string>): PageTemplate {
  // A NUL in the page (browsers show it as U+FFFD anyway) must not be taken for a marker.
  let text = html.replaceAll(MARKER, "\uFFFD");
  for (const [name, value] of Object.entries(values)) if (value) text = text.split(value).join(`${MARKER}${name}${MARKER}`);
  const parts = text.split(MARKER);
  const raw = parts.map((p, i) => (i % 2 === 0 ? Buffer.from(p, "utf8") : undefined));
  const deflated = raw.map((b) => (b ? zlib.deflateRawSync(b, { level: 9, finishFlush: zlib.constants.Z_SYNC_FLUSH }) : undefined));
  return { parts, raw, deflated };
}

function remember(key: string, template: PageTemplate) {
  if (templates.size >= MAX_ENTRIES) templates.delete(templates.keys().next().value!);
  templates.set(key, template);
}

/** The kept page for `key`, if any (recently used pages stay longest). */
export function peekPage(key: string): PageTemplate | undefined {
  const template = templates.get(key);
  if (template) {
    templates.delete(key);
    templates.set(key, template);
  }
  return template;
}

/** The page with this request's values, as text. */
export function fillPage(template: PageTemplate, values: Record<string, string>): string {
  let out = "";
  for (let i = 0; i < template.parts.length; i++) out += i % 2 === 0 ? template.parts[i] : (values[template.parts[i]!] ?? "");
  return out;
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
const FINAL_EMPTY_BLOCK = Buffer.from([3, 0]);

/** A stored (uncompressed) deflate block, not final; deflate allows at most 65,535 bytes in one. */
function storedBlocks(bytes: Buffer): Buffer[] {
  const blocks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 0xffff) {
    const chunk = bytes.subarray(at, at + 0xffff);
    const head = Buffer.alloc(5);
    head[0] = 0; // BFINAL 0, BTYPE 00 (stored); the stream is on a byte boundary after each part
    head.writeUInt16LE(chunk.length, 1);
    head.writeUInt16LE(~chunk.length & 0xffff, 3);
    blocks.push(head, chunk);
  }
  return blocks;
}

/** The page with this request's values, gzip-compressed, without compressing anything now. */
export function fillGzip(template: PageTemplate, values: Record<string, string>): Buffer {
  const out: Buffer[] = [GZIP_HEADER];
  let crc = 0;
  let size = 0;
  for (let i = 0; i < template.parts.length; i++) {
    if (i % 2 === 0) {
      crc = zlib.crc32(template.raw[i]!, crc);
      size += template.raw[i]!.length;
      out.push(template.deflated[i]!);
    } else {
      const bytes = Buffer.from(values[template.parts[i]!] ?? "", "utf8");
      crc = zlib.crc32(bytes, crc);
      size += bytes.length;
      out.push(...storedBlocks(bytes));
    }
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size >>> 0, 4);
  out.push(FINAL_EMPTY_BLOCK, trailer);
  return Buffer.concat(out);
}

/**
 * The page for `key`, drawn by `render` when not kept, with this request's values. `values` maps
 * a marker name to this request's value; the drawn page must contain each value (a unique random
 * string: a token, an id, a nonce) wherever it belongs.
 */
export async function cachedPage(key: string, values: Record<string, string>, render: () => Promise<string>): Promise<string> {
  let template = peekPage(key);
  if (!template) {
    template = makeTemplate(await render(), values);
    remember(key, template);
  }
  return fillPage(template, values);
}

export function clearPageCache() {
  templates.clear();
}
