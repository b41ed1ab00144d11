// The HTML alternative of a notification e-mail (issue 13), made from the same plain text the
// text part carries, so the two never say different things. Everything is escaped; links become
// clickable; the document takes the recipient's language and direction (Uyghur and Kazakh are
// written right to left in Arabic script); text someone typed (a unit's reply), which the message
// sets apart with Unicode isolates (userText), gets dir="auto" so that it keeps
// its own direction. No remote images, no stylesheet: a few inline styles only.
import { languages } from "#app/i18n/languages";

const ISOLATE = /\u2068([^\u2068\u2069]*)\u2069/g;
// A link: absolute, or a path on the platform (no public origin configured) after a space or a
// non-ASCII character (a Chinese "："), never inside other ASCII text ("</b>", "2026/12/01"). Its
// ASCII characters only, so "…/track/open?t=x。" ends before the "。".
const LINK = /(?:https?:\/\/|(?<=^|[\s\u0080-\uffff])\/(?=[A-Za-z]))[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+/g;

/**
 * Text someone typed (a unit's reply), set apart by Unicode's FIRST STRONG ISOLATE and POP
 * DIRECTIONAL ISOLATE: in the plain-text part it keeps its own direction inside a message in
 * another script, and the HTML part turns the span into an element with dir="auto" (email-html.ts).
 */
export function userText(text: string): string {
  return `\u2068${text.replace(/[\u2066-\u2069]/g, "")}\u2069`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function directionOf(lang: string): "ltr" | "rtl" {
  return languages.find((l) => l.code === lang)?.dir ?? "ltr";
}

/** Plain text with its links made clickable, escaped, line breaks kept. */
function inline(raw: string): string {
  // Isolates are taken out before; a stray one (never in our messages) is dropped, not left unbalanced.
  const text = raw.replace(/[\u2066-\u2069]/g, "");
  let out = "";
  let last = 0;
  for (const m of text.matchAll(LINK)) {
    // Sentence punctuation right after a link is not part of it.
    const url = m[0].replace(/[.,;:!?)\]']+$/, "");
    out += escapeHtml(text.slice(last, m.index)) + `<a href="${escapeHtml(url)}" dir="ltr">${escapeHtml(url)}</a>`;
    last = m.index + url.length;
  }
  return (out + escapeHtml(text.slice(last))).replace(/\n/g, "<br>");
}

/** A paragraph: its isolated spans (typed by someone) in their own direction, the rest in the message's. */
function paragraph(text: string): string {
  const whole = /^\u2068([^\u2068\u2069]*)\u2069$/.exec(text.trim());
  if (whole) return `<blockquote dir="auto" style="margin:0 0 1em;padding:0 1em;border-inline-start:3px solid #888">${inline(whole[1]!)}</blockquote>`;
  let out = "";
  let last = 0;
  for (const m of text.matchAll(ISOLATE)) {
    out += inline(text.slice(last, m.index)) + `<span dir="auto">${inline(m[1]!)}</span>`;
    last = m.index + m[0].length;
  }
  return `<p style="margin:0 0 1em">${out}${inline(text.slice(last))}</p>`;
}

/** The HTML part of an e-mail whose text part is `text`, in `lang`. */
export function emailHtml({ subject, text, lang }: { subject: string; text: string; lang: string }): string {
  const dir = directionOf(lang);
  const body = text
    .replace(/\r\n/g, "\n")
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== "")
    .map(paragraph)
    .join("\n");
  return [
    "<!doctype html>",
    `<html lang="${escapeHtml(lang)}" dir="${dir}">`,
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>`,
    `<body style="margin:0;padding:16px;font-family:sans-serif;font-size:16px;line-height:1.6;color:#111;background:#fff">`,
    body,
    "</body>",
    "</html>",
  ].join("\n");
}
