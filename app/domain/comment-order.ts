// The order in which unit staff and unit heads get citizens' comments and responses. Shown newest
// first in exact submission order, the day alone would not hide much: a unit head who sees four
// comments dated 3 June knows the top one came from the last person served. So for unit readers
// the days come newest first and, within a day, the order is a keyed hash of the response id:
// stable from one visit to the next, unrelated to the order of submission, and not undone by
// anyone without the server's secret (a fixed public formula would be). The office keeps the
// exact order and the ids (comment-detail.ts).
import { createHmac } from "node:crypto";

/** A response's place within its day for unit readers: HMAC-SHA256 of its id under the key. */
export function withinDayRank(responseId: number, key: string): string {
  return createHmac("sha256", key).update(String(responseId)).digest("hex");
}

/**
 * Rows ordered for unit readers: newest day first, within a day by `withinDayRank`; the rows of
 * one response stay together in their given order. With `limit`, the first `limit` rows of that
 * order: give it every row of the days that could reach the limit (all of the last day that does),
 * so the rows kept from that day are chosen by the hash, not by who came last.
 */
export function unitReaderOrder<T>(
  rows: readonly T[],
  facts: { day: (row: T) => string; responseId: (row: T) => number; key: string; limit?: number },
): T[] {
  const rank = new Map<number, string>();
  const rankOf = (row: T) => {
    const id = facts.responseId(row);
    let r = rank.get(id);
    if (r === undefined) rank.set(id, (r = withinDayRank(id, facts.key)));
    return r;
  };
  const ordered = rows
    .map((row, index) => ({ row, index, day: facts.day(row), rank: rankOf(row), id: facts.responseId(row) }))
    .sort((a, b) => (a.day !== b.day ? (a.day < b.day ? 1 : -1) : a.rank !== b.rank ? (a.rank < b.rank ? -1 : 1) : a.id - b.id || a.index - b.index))
    .map((x) => x.row);
  return facts.limit === undefined ? ordered : ordered.slice(0, facts.limit);
}
