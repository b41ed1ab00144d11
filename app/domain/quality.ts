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
