// Quality flags mark a response for the evaluation office; flagged responses are stored like any
// other and are excluded from scores visibly (by flag), never silently dropped.

export const qualityFlags = [
  "honeypot", // the hidden field that people never see was filled in: most likely a bot
  "too_fast", // completed faster than the survey's minimum plausible time
  "unverified_start", // the signed "form served at" token was missing or forged
  "duplicate", // reserved: a repeat detected after the fact (see docs/decisions)
  "excluded", // excluded by the evaluation office with a reason
  "network_burst", // one of too many responses for the unit from one network in a short time
  "device_hopping", // one browser rated more units than a citizen can visit in that time
  "same_answers", // the same answers and comment as an earlier response to the unit
  "code_burst", // a rating code used in a burst of codes from one network, or by one browser again and again
] as const;
export type QualityFlag = (typeof qualityFlags)[number];

export function assessQuality(input: {
  honeypot: string | null;
  startedAt: Date | null;
  submittedAt: Date;
  minSeconds: number;
}): QualityFlag[] {
  const flags: QualityFlag[] = [];
  if (input.honeypot && input.honeypot.trim() !== "") flags.push("honeypot");
  if (!input.startedAt) {
    flags.push("unverified_start");
  } else {
    const seconds = (input.submittedAt.getTime() - input.startedAt.getTime()) / 1000;
    if (seconds < input.minSeconds) flags.push("too_fast");
  }
  return flags;
}

/**
 * When the citizen pressed send, by the phone's clock (the form's finishedAt, in milliseconds):
 * kept between the signed start and the server's receipt, so a wrong or forged clock cannot place
 * it outside the time the server saw. Null when absent or not a time. The receipt (submittedAt),
 * not this, decides the period and the "too fast" flag: a rating kept offline for an hour arrives
 * late but is neither early nor fast (docs/decisions/0015).
 */
export function finishedAtFrom(raw: unknown, startedAt: Date | null, submittedAt: Date): Date | null {
  const ms = typeof raw === "string" && /^\d{10,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(ms)) return null;
  const low = startedAt?.getTime() ?? -Infinity;
  return new Date(Math.min(Math.max(ms, low), submittedAt.getTime()));
}
