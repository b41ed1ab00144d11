// How much of a citizen's comment a reader sees besides its text. At a small service window the
// minute a rating was given, or its response number, can tell the staff who wrote it: unit staff
// and unit heads see the day only. The evaluation office keeps the full detail (time and numbers),
// which it needs to moderate (hide a comment, exclude a response) and to answer for the figures.
import { localDate } from "./working-days";
import type { Actor } from "./permissions";

export type CommentDetail = "full" | "day";

/** Full detail for the office; the day only for everyone else who may read comments (unit roles). */
export function commentDetailFor(actor: Actor): CommentDetail {
  return actor.grants.some((g) => g.role === "office") ? "full" : "day";
}

export interface CommentFacts {
  answerId: number;
  responseId: number;
  submittedAt: Date;
}

/**
 * What a reader may know of when and which comment it is: always the local day (YYYY-MM-DD, region
 * time); the ids and the exact time only with full detail. With "day" they are not in the result,
 * so they never reach the browser.
 */
export function commentMeta(facts: CommentFacts, detail: CommentDetail): { day: string; full: CommentFacts | null } {
  return { day: localDate(facts.submittedAt), full: detail === "full" ? { answerId: facts.answerId, responseId: facts.responseId, submittedAt: facts.submittedAt } : null };
}
