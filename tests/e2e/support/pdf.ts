// Reading a PDF that Chromium printed, without a PDF library: its pages, its document title, the
// embedded fonts, and the text of each page. Chromium (Skia) writes plain objects (no object
// streams), FlateDecode content streams, and Type0 fonts whose glyph codes map to text through
// a ToUnicode CMap: the text is decoded through those maps, font by font, as the page selects them.
import zlib from "node:zlib";

interface PdfObject {
  body: string;
  stream: Buffer | null;
}

function objectsOf(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString("latin1");
  const out = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\b/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = m.index + m[0].length;
    const end = text.indexOf("endobj", start);
    if (end < 0) break;
    const chunk = text.slice(start, end);
    const s = chunk.indexOf("stream");
    let body = chunk;
    let stream: Buffer | null = null;
    if (s >= 0 && !/^\s*\(/.test(chunk)) {
      body = chunk.slice(0, s);
      let from = start + s + "stream".length;
      if (text[from] === "\r") from++;
      if (text[from] === "\n") from++;
      const length = /\/Length (\d+)(?! 0 R)/.exec(body);
      const to = length ? from + Number(length[1]) : text.indexOf("endstream", from);
      const raw = pdf.subarray(from, to);
      try {
        stream = /\/FlateDecode/.test(body) ? zlib.inflateSync(raw) : raw;
      } catch {
        stream = raw;
      }
    }
    out.set(Number(m[1]), { body, stream });
    re.lastIndex = end;
  }
  return out;
}

/** The value of /Key in a dictionary: a reference's object number, or the inline text. */
const ref = (body: string, key: string): number | null => {
  const m = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(body);
  return m ? Number(m[1]) : null;
};

function cmapOf(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const hexText = (h: string) => {
    let s = "";
    for (let i = 0; i + 4 <= h.length; i += 4) s += String.fromCharCode(parseInt(h.slice(i, i + 4), 16));
    return s;
  };
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, from, to] of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(parseInt(from!, 16), hexText(to!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, a, b, rest] of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])/g)) {
      const lo = parseInt(a!, 16);
      const hi = parseInt(b!, 16);
      if (rest!.startsWith("[")) {
        [...rest!.matchAll(/<([0-9A-Fa-f]+)>/g)].forEach(([, h], i) => map.set(lo + i, hexText(h!)));
      } else {
        const base = hexText(rest!.slice(1, -1));
        for (let c = lo; c <= hi; c++) map.set(c, base.slice(0, -1) + String.fromCharCode(base.charCodeAt(base.length - 1) + (c - lo)));
      }
    }
  }
  return map;
}

/** The resource dictionary's entries of one kind (/Font or /XObject): name → object number. */
function resourceRefs(objects: Map<number, PdfObject>, body: string, kind: "Font" | "XObject"): Map<string, number> {
  const resNum = ref(body, "Resources");
  const res = resNum !== null ? (objects.get(resNum)?.body ?? "") : body;
  const out = new Map<string, number>();
  const dictNum = ref(res, kind);
  const dict = dictNum !== null ? (objects.get(dictNum)?.body ?? "") : (new RegExp(`/${kind}\\s*<<([\\s\\S]*?)>>`).exec(res)?.[1] ?? "");
  for (const [, name, num] of dict.matchAll(/\/([\w.+-]+)\s+(\d+) 0 R/g)) out.set(name!, Number(num));
  return out;
}

interface FontMap {
  map: Map<number, string>;
  /** Bytes per glyph code: 2 for Type0 (Identity-H) fonts, 1 for simple and Type3 ones (synthetic bold). */
  width: number;
}

function contentText(objects: Map<number, PdfObject>, content: string, owner: string, cmaps: Map<number, FontMap>, depth = 0): string {
  const fonts = resourceRefs(objects, owner, "Font");
  const xobjects = resourceRefs(objects, owner, "XObject");
  let font: FontMap | undefined;
  let out = "";
  const decode = (hex: string) => {
    const step = 2 * (font?.width ?? 2);
    for (let i = 0; i + step <= hex.length; i += step) out += font?.map.get(parseInt(hex.slice(i, i + step), 16)) ?? "";
  };
  for (const t of content.matchAll(/\/([\w.+-]+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>\s*Tj|\[([^\]]*)\]\s*TJ|\/([\w.+-]+)\s+Do|\bE?T\*|\bET\b/g)) {
    if (t[1]) {
      const num = fonts.get(t[1]);
      if (num !== undefined && !cmaps.has(num)) {
        const body = objects.get(num)?.body ?? "";
        const uni = ref(body, "ToUnicode");
        cmaps.set(num, { map: uni !== null ? cmapOf(objects.get(uni)?.stream?.toString("latin1") ?? "") : new Map(), width: /\/Subtype\s*\/Type0/.test(body) ? 2 : 1 });
      }
      font = num === undefined ? undefined : cmaps.get(num);
    } else if (t[2] !== undefined) decode(t[2]);
    else if (t[3] !== undefined) for (const [, h] of t[3].matchAll(/<([0-9A-Fa-f]*)>/g)) decode(h!);
    else if (t[4] && depth < 4) {
      const x = objects.get(xobjects.get(t[4]) ?? -1);
      if (x?.stream && /\/Subtype\s*\/Form/.test(x.body)) out += contentText(objects, x.stream.toString("latin1"), x.body, cmaps, depth + 1);
    } else out += " ";
  }
  return out;
}

export interface PdfFacts {
  /** %PDF- header. */
  isPdf: boolean;
  pages: number;
  /** The document information's /Title, decoded (UTF-16BE hex or a literal string). */
  title: string | null;
  /** Fonts with embedded font programs (/FontFile, /FontFile2, /FontFile3). */
  embeddedFonts: number;
  /** The text of each page, in content order, spaces between text objects. */
  pageTexts: string[];
}

export function readPdf(pdf: Buffer): PdfFacts {
  const objects = objectsOf(pdf);
  const text = pdf.toString("latin1");
  let title: string | null = null;
  const hex = /\/Title\s*<([0-9A-Fa-f]+)>/.exec(text);
  if (hex) {
    const bytes = Buffer.from(hex[1]!, "hex");
    title = bytes[0] === 0xfe && bytes[1] === 0xff ? bytes.subarray(2).swap16().toString("utf16le") : bytes.toString("latin1");
  } else {
    const literal = /\/Title\s*\(((?:\\.|[^\\)])*)\)/.exec(text);
    if (literal) title = literal[1]!.replace(/\\(.)/g, "$1");
  }
  // Pages in reading order: the page tree's kids, depth first, from the root (a Pages without a parent).
  const pageObjects: PdfObject[] = [];
  const walk = (num: number, depth: number) => {
    const o = objects.get(num);
    if (!o || depth > 20) return;
    if (/\/Type\s*\/Pages\b/.test(o.body)) {
      for (const [, kid] of (/\/Kids\s*\[([^\]]*)\]/.exec(o.body)?.[1] ?? "").matchAll(/(\d+) 0 R/g)) walk(Number(kid), depth + 1);
    } else if (/\/Type\s*\/Page\b/.test(o.body)) pageObjects.push(o);
  };
  const root = [...objects.entries()].find(([, o]) => /\/Type\s*\/Pages\b/.test(o.body) && !/\/Parent\s/.test(o.body));
  if (root) walk(root[0], 0);
  const cmaps = new Map<number, FontMap>();
  const pageTexts = pageObjects.map((p) => {
    const contents = /\/Contents\s*\[([^\]]*)\]/.exec(p.body)?.[1] ?? /\/Contents\s+(\d+ 0 R)/.exec(p.body)?.[1] ?? "";
    const streams = [...contents.matchAll(/(\d+) 0 R/g)].map(([, n]) => objects.get(Number(n))?.stream?.toString("latin1") ?? "");
    return contentText(objects, streams.join("\n"), p.body, cmaps);
  });
  return {
    isPdf: pdf.subarray(0, 5).toString("latin1") === "%PDF-",
    pages: pageObjects.length,
    title,
    embeddedFonts: [...objects.values()].filter((o) => /\/FontFile[23]?\s+\d+ 0 R/.test(o.body)).length,
    pageTexts,
  };
}
