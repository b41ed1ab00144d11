// Where one response is tallied: the pure part of keeping ScoreTally and ItemTally up to date.
// The write path (app/models/response.server.ts), moderation and the audit recomputation all
// derive a response's keys here, so they cannot disagree about them.
import { flagsKey, gradeCounts } from "./scoring";
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

export function responseTally(r: ResponseForTally): ResponseTally {
  const flags = isOutsidePeriod(r.submittedAt, r.period) ? [...r.flags, "outside_period"] : r.flags;
  const counts = gradeCounts(r.answers.filter((a) => a.core).map((a) => a.grade));
  return {
    month: localDate(r.submittedAt).slice(0, 7),
    flags: flagsKey(flags),
    k: counts.reduce((a, b) => a + b, 0),
    counts,
    items: r.answers.map((a) => ({ questionKey: a.questionKey, grade: a.grade ?? 0 })),
  };
}
