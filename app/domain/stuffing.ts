// Rules that catch one person stuffing a unit's score (docs/decisions/0010): many responses from
// one network in a short time, one browser rating many units at an implausible pace, and copies of
// the same answers with the same comment. They only decide which quality flag a new response gets;
// the write path (app/models/response.server.ts) counts what they need inside its transaction, and
// flagged responses are stored like any other (the office decides, nothing is dropped).
import type { AnswerValue } from "./survey-form";

/** Defaults of the survey settings (Survey.burstLimit, Survey.burstWindowMinutes). */
export const DEFAULT_BURST_LIMIT = 5;
export const DEFAULT_BURST_WINDOW_MINUTES = 2;
/** Bounds the editor accepts. */
export const BURST_LIMIT_RANGE = [2, 1000] as const;
export const BURST_WINDOW_RANGE = [1, 24 * 60] as const;

/** One browser answering for more than this many different units ... */
export const HOP_UNITS = 2;
/** ... within this many minutes is not a citizen walking between service windows. */
export const HOP_WINDOW_MINUTES = 30;
/** How long the device log behind that rule is kept (RecentDevice); then responses cannot be linked. */
export const HOP_LOG_HOURS = 24;

/** A comment shorter than this (after normalising) is too common to call two responses copies. */
export const FINGERPRINT_MIN_COMMENT = 6;
/**
 * A comment at least this long is a copy wherever it came from (two citizens do not write the same
 * 15 characters); a shorter one ("服务态度很好" is 6) only from the same network within a day.
 */
export const FINGERPRINT_LONG_COMMENT = 15;
/** Copies are looked for among responses to the same survey and unit within this many hours. */
export const FINGERPRINT_WINDOW_HOURS = 24 * 7;
export const FINGERPRINT_SHORT_WINDOW_HOURS = 24;

/**
 * Verified responses carry a code the unit itself issued, so they are not free of checks: a unit
 * could fill in its own slips. A verified response is flagged "code_burst" when this many verified
 * responses or more were already used for the unit from the same network within the survey's burst
 * window, or when the same browser already used this many codes for the unit within the survey's
 * repeat window (a citizen with two transactions at one unit in a day is normal; five is not).
 */
export const CODE_DEVICE_LIMIT = 2;

/** Responses that carry their own proof of presence: a kiosk visit or a single-use rating code. */
export function exemptFromNetworkRules(channel: string): boolean {
  return channel === "kiosk" || channel === "verified";
}

/**
 * The network-burst rule: `earlier` responses (not exempt) came for the same survey and unit from
 * the same network hash within the window before this one; from the limit on, each is flagged.
 */
export function isNetworkBurst(earlier: number, limit: number): boolean {
  return earlier >= limit;
}

/**
 * The copy rule: an earlier response with the same answers and comment (`earlier`, each with
 * whether it came from this network and within the short window) makes this one a copy.
 */
export function isCopy(long: boolean, earlier: readonly { sameNetwork: boolean; recent: boolean }[]): boolean {
  return earlier.some((e) => long || (e.sameNetwork && e.recent));
}

/** The rating-code rule: codes used in a burst from one network, or many by one browser. */
export function isCodeBurst(earlierFromNetwork: number, burstLimit: number, earlierFromDevice: number): boolean {
  return (burstLimit > 0 && earlierFromNetwork >= burstLimit) || earlierFromDevice >= CODE_DEVICE_LIMIT;
}

/** The hopping rule: this browser already answered for `otherUnits` other units within the window. */
export function isDeviceHopping(otherUnits: number): boolean {
  return otherUnits >= HOP_UNITS;
}

/** Comments compare without case, spacing and punctuation differences ("很好！" = "很好"). */
export function normaliseComment(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, "");
}

/**
 * The text two copies of one response share: every answer in a fixed order, plus the normalised
 * comments. Null when the response has no comment long enough to tell copies from two citizens who
 * simply agree (identical grades alone are common: "very satisfied" everywhere).
 */
export function answerPattern(answers: Record<string, AnswerValue>): { pattern: string; long: boolean } | null {
  const keys = Object.keys(answers).sort();
  let comment = "";
  const parts: string[] = [];
  for (const key of keys) {
    const a = answers[key]!;
    if (a.kind === "text") {
      const n = normaliseComment(a.text);
      comment += n;
      parts.push(`${key}=t:${n}`);
    } else if (a.kind === "grade") parts.push(`${key}=g:${a.grade}`);
    else if (a.kind === "na") parts.push(`${key}=na`);
    else if (a.kind === "single") parts.push(`${key}=s:${a.value}`);
    else parts.push(`${key}=m:${[...a.values].sort().join("+")}`);
  }
  const length = [...comment].length;
  return length >= FINGERPRINT_MIN_COMMENT ? { pattern: parts.join("|"), long: length >= FINGERPRINT_LONG_COMMENT } : null;
}
