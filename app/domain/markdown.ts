// A small, safe subset of Markdown for the published method (docs/method/*.md): headings,
// paragraphs, lists (bulleted and numbered), **strong**, *emphasis*, `code` and [links](/path).
// It parses to a tree that app/components/Markdown.tsx draws with React, so every text is escaped
// by construction: there is no raw HTML, and a link goes only to a page of the site, an anchor or
// an http(s) address (anything else stays text).

export type Inline =
  | { type: "text"; text: string }
  | { type: "strong" | "em"; children: Inline[] }
  | { type: "code"; text: string }
  | { type: "link"; href: string; children: Inline[] };

export type Block =
  | { type: "heading"; level: 1 | 2 | 3 | 4; children: Inline[] }
  | { type: "paragraph"; children: Inline[] }
  | { type: "list"; ordered: boolean; items: Inline[][] };

/** Whether a link target is one the page may point to. */
export function safeHref(href: string): boolean {
  if (/[\s\u0000-\u001f\\]/.test(href)) return false;
  if (href.startsWith("//")) return false;
  return /^(\/|#|https?:\/\/)/i.test(href);
}

function pushText(out: Inline[], text: string) {
  if (!text) return;
  const last = out.at(-1);
  if (last?.type === "text") last.text += text;
  else out.push({ type: "text", text });
}

/** Inline markup of one block's text. Unclosed markers are plain text. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "\\" && i + 1 < text.length && /[\\`*_[\]()#-]/.test(text[i + 1]!)) {
      pushText(out, text[i + 1]!);
      i += 2;
      continue;
    }
    if (ch === "`") {
      const end = text.indexOf("`", i + 1);
      if (end > i + 1) {
        out.push({ type: "code", text: text.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    if (text.startsWith("**", i)) {
      const end = text.indexOf("**", i + 2);
      if (end > i + 2) {
        out.push({
          type: "strong",
          children: parseInline(text.slice(i + 2, end)),
        });
        i = end + 2;
        continue;
      }
    }
    if (ch === "*" || ch === "_") {
      const end = text.indexOf(ch, i + 1);
      // "_" inside a word (snake_case) is not emphasis.
      const wordBefore = ch === "_" && i > 0 && /\w/.test(text[i - 1]!);
      if (end > i + 1 && !wordBefore && text[i + 1] !== " ") {
        out.push({ type: "em", children: parseInline(text.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    if (ch === "[") {
      const close = text.indexOf("](", i + 1);
      const end = close < 0 ? -1 : text.indexOf(")", close + 2);
      if (close > i + 1 && end > close + 2) {
        const label = parseInline(text.slice(i + 1, close));
        const href = text.slice(close + 2, end).trim();
        if (safeHref(href)) out.push({ type: "link", href, children: label });
        else {
          for (const part of label) {
            if (part.type === "text") pushText(out, part.text);
            else out.push(part);
          }
        }
        i = end + 1;
        continue;
      }
    }
    pushText(out, ch);
    i += 1;
  }
  return out;
}

const LIST_ITEM = /^\s{0,3}(?:([-*+])|(\d{1,9})[.)])\s+(.*)$/;

/** The blocks of a document. Lines that are none of the others join into paragraphs. */
export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;
  const flush = () => {
    if (paragraph.length > 0)
      blocks.push({
        type: "paragraph",
        children: parseInline(paragraph.join(" ")),
      });
    paragraph = [];
    if (list)
      blocks.push({
        type: "list",
        ordered: list.ordered,
        items: list.items.map(parseInline),
      });
    list = null;
  };
  for (const raw of source.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.trimEnd();
    if (line.trim() === "") {
      flush();
      continue;
    }
    const heading = /^(#{1,4})\s+(.*?)\s*#*$/.exec(line);
    if (heading) {
      flush();
      blocks.push({
        type: "heading",
        level: heading[1]!.length as 1 | 2 | 3 | 4,
        children: parseInline(heading[2]!),
      });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item && paragraph.length === 0) {
      const ordered = item[2] !== undefined;
      if (list && list.ordered !== ordered) flush();
      if (!list) list = { ordered, items: [] };
      list.items.push(item[3]!);
      continue;
    }
    if (list && /^\s+\S/.test(raw)) {
      // An item's continuation line.
      list.items[list.items.length - 1] += ` ${line.trim()}`;
      continue;
    }
    if (list) flush();
    paragraph.push(line.trim());
  }
  flush();
  return blocks;
}

/** The plain text of inline content (for comparing structures, titles). */
export function inlineText(nodes: readonly Inline[]): string {
  return nodes.map((n) => (n.type === "text" || n.type === "code" ? n.text : inlineText(n.children))).join("");
}

/** A document's outline: each heading's level, in order (the four method files share one). */
export function headingLevels(blocks: readonly Block[]): number[] {
  return blocks.flatMap((b) => (b.type === "heading" ? [b.level] : []));
}
