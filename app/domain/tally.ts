// Where one response is tallied: the pure part of keeping ScoreTally and ItemTally up to date.
// The write path (app/models/response.server.ts), moderation and the audit recomputation all
// derive a response's keys here, so they cannot disagree about them.
import { channelMarker, flagsKey } from "./scoring";
import { localDate } from "./working-days";

export interface GradeAnswer {
  questionKey: string;
  core: boolean;
  /** 1..5, or null for "not applicable". */
  grade: number | null;
}

export interface ResponseForTally {
  submittedAt: Date;
  flags: readonly string[];
  /** link | qr | kiosk | verified: tallied apart, so S can be shown, weighted or restricted by channel. */
  channel: string;
  period: { startsOn: Date; endsOn: Date };
  answers: readonly GradeAnswer[];
}

export interface ResponseTally {
  /** YYYY-MM of submission in region time. */
  month: string;
  flags: string;
  k: number;
  counts: number[];
  /** One entry per answered five-grade item; grade 0 is "not applicable". */
  items: { questionKey: string; grade: number }[];
}

export function isOutsidePeriod(submittedAt: Date, period: { startsOn: Date; endsOn: Date }): boolean {
  const t = submittedAt.getTime();
  return t < period.startsOn.getTime() || t > period.endsOn.getTime();
}

/** The month (YYYY-MM, region time) a response submitted at this instant is tallied under. */
export function tallyMonth(submittedAt: Date): string {
  // The region's offset is whole hours, so the month only changes on the hour: remember the last
  // hours seen (the hot write path and the audit ask for the same few hours again and again).
  const hour = Math.floor(submittedAt.getTime() / 3_600_000);
  let month = monthOfHour.get(hour);
  if (month === undefined) {
    month = localDate(submittedAt).slice(0, 7);
    if (monthOfHour.size > 20_000) monthOfHour.clear();
    monthOfHour.set(hour, month);
  }
  return month;
}
const monthOfHour = new Map<number, string>();


/**
 * The tally key of a response: its quality flags, "outside_period" when it applies, and the marker
 * of its channel. Markers are not quality flags: the method ignores them except where a rule names
 * them (restricting the score to verified responses).
 */
export function tallyFlags(flags: readonly string[], outside: boolean, channel: string): string {
  const marker = channelMarker(channel);
  if (flags.length === 0 && !outside) return marker;
  return flagsKey([...flags, ...(outside ? ["outside_period"] : []), marker]);
}

/** The channel a tally key was kept for ("link" for keys without a marker). */
export function channelOfKey(flags: readonly string[]): string {
  const prefix = channelMarker("");
  const marker = flags.find((f) => f.startsWith(prefix));
  return marker ? marker.slice(prefix.length) : "link";
}

export function responseTally(r: ResponseForTally): ResponseTally {
  // One pass, no intermediate arrays: this runs inside every submission's write transaction.
  const counts = [0, 0, 0, 0, 0];
  const items: { questionKey: string; grade: number }[] = [];
  let k = 0;
  for (const a of r.answers) {
    const grade = a.grade !== null && a.grade >= 1 && a.grade <= 5 ? a.grade : 0;
    items.push({ questionKey: a.questionKey, grade });
    if (a.core && grade > 0) {
      counts[grade - 1]! += 1;
      k += 1;
    }
  }
  return {
    month: tallyMonth(r.submittedAt),
    flags: tallyFlags(r.flags, isOutsidePeriod(r.submittedAt, r.period), r.channel),
    k,
    counts,
    items,
  };
}
