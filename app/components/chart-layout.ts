// Room for the category labels of the score charts (question texts, unit names, option labels):
// a label is never cut or shortened; it wraps onto as many lines as the label column needs, and
// each bar's row grows with its label. The server cannot measure text, so it estimates the width
// per script (on the wide side); in the browser the chart measures with the page's own font.

/** The width in pixels of a line of text at the labels' font size. */
export type Measure = (text: string) => number;

export const LABEL_FONT_SIZE = 12;
export const LABEL_LINE_HEIGHT = 15;
/** Tick mark (6) and its margin (2) that recharts draws inside the axis width, and some air. */
const AXIS_PAD = 14;

const CJK = /[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/u;
const ARABIC = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/u;
const MARK = /[\u0300-\u036f\u064b-\u065f\u0670\u06d6-\u06ed\u200b-\u200f]/u;
/** Characters a line may not start with (closing punctuation) or end with (opening). */
const NO_LINE_START = new Set(Array.from("，。、：；？！）」』】》〉%,.:;?!)]}؟،؛»”’"));
const NO_LINE_END = new Set(Array.from("（「『【《〈([{«“‘"));

/**
 * A generous estimate of a text's width, for the server's drawing (and the browser's before it
 * measures). Widths per character are an em fraction a little above common system fonts' (Noto,
 * DejaVu, Segoe UI, Microsoft Uighur, PingFang), so an estimated label fits when drawn.
 */
export function estimateWidth(text: string, fontSize = LABEL_FONT_SIZE): number {
  let em = 0;
  for (const ch of text) {
    if (MARK.test(ch)) continue;
    else if (CJK.test(ch)) em += 1;
    else if (ARABIC.test(ch)) em += 0.66;
    else if (/\s/u.test(ch)) em += 0.34;
    else if (/[A-Z\u0410-\u042f]/u.test(ch)) em += 0.74;
    else if (/[mwMW]/u.test(ch)) em += 0.92;
    else if (/[ijlft.,:;'|!]/u.test(ch)) em += 0.34;
    else if (/\d/u.test(ch)) em += 0.7;
    else em += 0.64;
  }
  return em * fontSize;
}

/**
 * Break opportunities: after a space, and between two Chinese (Japanese, Korean) characters, but
 * never before closing or after opening punctuation.
 */
function tokens(text: string): string[] {
  const out: string[] = [];
  let word = "";
  const flush = () => {
    if (word) out.push(word);
    word = "";
  };
  for (const ch of text) {
    if (NO_LINE_START.has(ch) && !word && out.length) {
      out[out.length - 1] += ch;
    } else if (CJK.test(ch) && !NO_LINE_START.has(ch)) {
      // "2次" stays together; a space before the character already ended the word.
      word += ch;
      flush();
    } else {
      word += ch;
      if (/\s/u.test(ch)) flush();
    }
  }
  flush();
  // An opening bracket stays with what it opens.
  const merged: string[] = [];
  for (const t of out) {
    const last = merged[merged.length - 1];
    if (last !== undefined && NO_LINE_END.has(Array.from(last).pop()!)) merged[merged.length - 1] = last + t;
    else merged.push(t);
  }
  return merged;
}

/** Splits a token too wide for any line by characters. */
function breakToken(token: string, maxWidth: number, measure: Measure): string[] {
  const lines: string[] = [];
  let line = "";
  for (const ch of token) {
    if (line && measure(line + ch) > maxWidth) {
      lines.push(line);
      line = "";
    }
    line += ch;
  }
  if (line) lines.push(line);
  return lines;
}

/** The label's lines, none wider than maxWidth (unless a single character is); nothing dropped. */
export function wrapLabel(text: string, maxWidth: number, measure: Measure = estimateWidth): string[] {
  const label = text.trim().replace(/\s+/gu, " ");
  if (!label) return [""];
  const lines: string[] = [];
  let line = "";
  for (const token of tokens(label)) {
    if (measure((line + token).trimEnd()) <= maxWidth) {
      line += token;
      continue;
    }
    if (line) lines.push(line.trimEnd());
    line = "";
    if (measure(token.trimEnd()) <= maxWidth) {
      line = token;
    } else {
      const parts = breakToken(token.trimEnd(), maxWidth, measure);
      line = parts.pop()! + (token.endsWith(" ") ? " " : "");
      lines.push(...parts);
    }
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

export interface CategoryLayout {
  /** The category axis' width (labels, tick marks and air). */
  axisWidth: number;
  /** Each label's lines. */
  lines: Map<string, string[]>;
  /** The height a bar's row needs for the longest wrapped label. */
  rowHeight: number;
}

/**
 * The label column is as wide as the longest label needs, up to a share of the chart's width;
 * longer labels wrap, and every row is as tall as the most wrapped label.
 */
export function categoryLayout(
  labels: readonly string[],
  chartWidth: number,
  measure: Measure = estimateWidth,
  opts: { maxShare?: number; minRow?: number } = {},
): CategoryLayout {
  const { maxShare = 0.4, minRow = 32 } = opts;
  const natural = Math.max(0, ...labels.map((l) => measure(l.trim()))) + AXIS_PAD;
  const axisWidth = Math.ceil(Math.max(64, Math.min(natural, chartWidth * maxShare)));
  const lines = new Map(labels.map((l) => [l, wrapLabel(l, axisWidth - AXIS_PAD, measure)]));
  const most = Math.max(1, ...[...lines.values()].map((l) => l.length));
  return { axisWidth, lines, rowHeight: Math.max(minRow, most * LABEL_LINE_HEIGHT + 12) };
}
