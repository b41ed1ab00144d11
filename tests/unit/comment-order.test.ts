// The order unit staff get comments and responses in: newest day first, within a day a keyed
// order that is neither the order of submission nor one anybody can recompute without the key.
import { describe, expect, it } from "vitest";
import { unitReaderOrder, withinDayRank } from "#app/domain/comment-order";
import { commentOrderKey } from "#app/lib/signing.server";

const key = commentOrderKey("unit-test-secret-unit-test-secret-0123");
type Row = { id: number; day: string };
const facts = (limit?: number) => ({ day: (r: Row) => r.day, responseId: (r: Row) => r.id, key, limit });
// Twelve responses on 3 June and five on 4 June, listed in submission order.
const june3 = Array.from({ length: 12 }, (_, i) => ({ id: 100 + i, day: "2026-06-03" }));
const june4 = Array.from({ length: 5 }, (_, i) => ({ id: 200 + i, day: "2026-06-04" }));

describe("the order unit readers get", () => {
  it("puts the newest day first", () => {
    const ordered = unitReaderOrder([...june3, ...june4], facts());
    expect(ordered.map((r) => r.day)).toEqual([...june4.map(() => "2026-06-04"), ...june3.map(() => "2026-06-03")]);
  });

  it("within a day follows neither submission order nor its reverse, and is the same every time", () => {
    const day = unitReaderOrder(june3, facts()).map((r) => r.id);
    const ids = june3.map((r) => r.id);
    expect([...day].sort((a, b) => a - b)).toEqual(ids);
    expect(day).not.toEqual(ids);
    expect(day).not.toEqual([...ids].reverse());
    // The newest comment of the day is not simply on top.
    expect(day[0]).not.toBe(111);
    expect(unitReaderOrder([...june3].reverse(), facts()).map((r) => r.id)).toEqual(day);
    expect(unitReaderOrder(june3, facts()).map((r) => r.id)).toEqual(day);
  });

  it("depends on the key: another server secret gives another order", () => {
    const other = commentOrderKey("another-secret-another-secret-0123456");
    const a = unitReaderOrder(june3, facts()).map((r) => r.id);
    const b = unitReaderOrder(june3, { ...facts(), key: other }).map((r) => r.id);
    expect(b).not.toEqual(a);
    expect(withinDayRank(100, key)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("keeps a response's rows together and in their given order", () => {
    const rows = june3.flatMap((r) => [{ ...r, part: 1 }, { ...r, part: 2 }]);
    const ordered = unitReaderOrder(rows, { day: (r) => r.day, responseId: (r) => r.id, key });
    for (let i = 0; i < ordered.length; i += 2) {
      expect(ordered[i]!.id).toBe(ordered[i + 1]!.id);
      expect([ordered[i]!.part, ordered[i + 1]!.part]).toEqual([1, 2]);
    }
  });

  it("with a limit, takes the latest days first and, from the day cut, those first in the keyed order", () => {
    const shown = unitReaderOrder([...june3, ...june4], facts(8));
    expect(shown.slice(0, 5).map((r) => r.day)).toEqual(Array(5).fill("2026-06-04"));
    const fromJune3 = shown.slice(5).map((r) => r.id);
    expect(fromJune3).toEqual(unitReaderOrder(june3, facts()).slice(0, 3).map((r) => r.id));
    // Not the last three people served that day.
    expect([...fromJune3].sort()).not.toEqual([109, 110, 111]);
  });
});
