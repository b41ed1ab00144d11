// SMS length rules for mainland numbers, as pure functions. Aliyun (短信发送规则,
// help.aliyun.com/document_detail/44335) counts every character as one (汉字, Latin letters,
// digits, full- or half-width punctuation, spaces), counts the signature with the 【】 the platform
// adds in front of the text, bills up to 70 characters as one message and a longer text as segments
// of 67 (160 characters → 67 + 67 + 26 = 3 billed messages), and refuses more than 500 characters.
// Tencent Cloud documents the same 70/67 rule for non-English text (国际/港澳台短信内容长度计算规则,
// tencentcloud.com/document/product/382/34671); its page for mainland numbers was not among the
// sources searched, so the same rule is assumed. Uyghur and Kazakh in Arabic script are UCS-2 as
// well. (Pure-English international texts use GSM-7, 160/153; we do not count those.)
// "Character" here is a Unicode code point: a string's .length would count an emoji or a rare 汉字
// outside the BMP twice.

export const SINGLE_SMS_LIMIT = 70;
export const SEGMENT_LIMIT = 67;
/** Signature plus text: the most either provider accepts in one request. */
export const MAX_SMS_LENGTH = 500;

export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** The characters the recipient receives: 【signName】 (when given) plus the text. */
export function smsLength(text: string, signName?: string): number {
  return codePointLength(text) + (signName ? codePointLength(signName) + 2 : 0);
}

/** How many messages the provider bills for this text (0 for an empty message). */
export function smsSegments(text: string, signName?: string): number {
  const length = smsLength(text, signName);
  if (length === 0) return 0;
  if (length <= SINGLE_SMS_LIMIT) return 1;
  return Math.ceil(length / SEGMENT_LIMIT);
}

/** Characters of text (signature excluded) that fit in `segments` billed messages. */
export function textCapacity(segments: number, signName?: string): number {
  const total = segments <= 1 ? SINGLE_SMS_LIMIT : Math.min(segments * SEGMENT_LIMIT, MAX_SMS_LENGTH);
  return Math.max(0, total - smsLength("", signName));
}

// Spans a cut must not split: a template placeholder ({{reference}}) and a link (its ASCII
// characters only, so "https://x.cn/a。" ends before the full stop).
const UNBREAKABLE = /\{\{[^{}]*\}\}|https?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+/g;

/**
 * The text shortened to fit `segments` billed messages, ending with the ellipsis. A placeholder or
 * a link the cut would split is dropped whole; trailing spaces before the ellipsis are removed.
 */
export function fitToSegments(text: string, segments: number, signName?: string, ellipsis = "…"): string {
  const capacity = textCapacity(segments, signName);
  if (codePointLength(text) <= capacity) return text;
  const chars = Array.from(text);
  let cut = Math.max(0, capacity - codePointLength(ellipsis));
  // Code-point offsets of the unbreakable spans.
  for (const m of text.matchAll(UNBREAKABLE)) {
    const start = codePointLength(text.slice(0, m.index));
    const end = start + codePointLength(m[0]);
    if (start < cut && cut < end) {
      cut = start;
      break;
    }
  }
  return chars.slice(0, cut).join("").trimEnd() + ellipsis;
}
