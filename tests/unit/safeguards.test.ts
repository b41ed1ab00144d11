// Safeguards on official numbers: the two-step confirmation, the consequences it spells out, what
// unit staff see of a comment, and the warning about links printed with a private address.
import { describe, expect, it } from "vitest";
import { commentDetailFor, commentMeta } from "#app/domain/comment-detail";
import { carriedFields, isConfirmed, needsConfirmation } from "#app/domain/confirmation";
import { isPrivateNetworkOrigin } from "#app/domain/link-origin";
import { newlyFedUnits, removalConsequence, scoreChanges } from "#app/domain/safeguards";

const form = (entries: [string, string][]) => new URLSearchParams(entries);

describe("the confirmation step", () => {
  it("acts only on confirm=1 exactly", () => {
    expect(isConfirmed(form([["intent", "close"], ["confirm", "1"]]))).toBe(true);
    for (const v of ["", "0", "true", "yes", "1 ", "01", "on"]) expect(isConfirmed(form([["confirm", v]]))).toBe(false);
    expect(isConfirmed(form([["intent", "close"]]))).toBe(false);
  });

  it("stops at the step when the action needs one and the post did not confirm", () => {
    expect(needsConfirmation(form([["intent", "close"]]))).toBe(true);
    expect(needsConfirmation(form([["intent", "close"], ["confirm", "1"]]))).toBe(false);
    // An action that needs no confirmation here (parameters of a draft period) runs at once.
    expect(needsConfirmation(form([["intent", "params"]]), false)).toBe(false);
  });

  it("carries every text field of the first post again, repeated ones too, but not confirm", () => {
    const fd = new FormData();
    fd.append("intent", "params");
    fd.append("excludingFlags", "too_fast");
    fd.append("excludingFlags", "duplicate");
    fd.append("confirm", "0");
    fd.append("photo", new Blob(["x"]), "x.png");
    expect(carriedFields(fd)).toEqual([
      ["intent", "params"],
      ["excludingFlags", "too_fast"],
      ["excludingFlags", "duplicate"],
    ]);
  });
});

describe("the effect of new parameters on an open period", () => {
  const before = [
    { code: "C01", q: 88.004, rank: 1 },
    { code: "C02", q: 80.5, rank: 2 },
    { code: "C03", q: null, rank: null },
    { code: "D01", q: 70, rank: 1 },
  ];

  it("lists the units whose printed Q or rank changes, old and new", () => {
    const after = [
      { code: "C01", q: 79.9, rank: 2 },
      { code: "C02", q: 81.25, rank: 1 },
      { code: "C03", q: null, rank: null },
      { code: "D01", q: 70.001, rank: 1 },
    ];
    expect(scoreChanges(before, after)).toEqual([
      { code: "C01", q: { before: 88, after: 79.9 }, rank: { before: 1, after: 2 } },
      { code: "C02", q: { before: 80.5, after: 81.25 }, rank: { before: 2, after: 1 } },
    ]);
  });

  it("counts a unit that gains or loses its rank (a raised minimum sample) as changed", () => {
    const after = [
      { code: "C01", q: 88.004, rank: null },
      { code: "C02", q: 80.5, rank: 1 },
      { code: "C03", q: null, rank: null },
      { code: "D01", q: 70, rank: 1 },
    ];
    expect(scoreChanges(before, after).map((c) => [c.code, c.rank.before, c.rank.after])).toEqual([
      ["C01", 1, null],
      ["C02", 2, 1],
    ]);
  });

  it("finds no change when the figures are the same", () => {
    expect(scoreChanges(before, before)).toEqual([]);
  });
});

describe("removing a question", () => {
  const published = [
    { key: "efficiency", kind: "grade_core" },
    { key: "visits", kind: "single" },
  ];
  const draft = [...published, { key: "q3", kind: "grade_core" }];

  it("says a published scored item keeps its stored answers", () => {
    expect(removalConsequence(draft, 0, published, 12)).toEqual({ number: 1, key: "efficiency", scored: true, published: true, answers: 12 });
  });

  it("says an unscored one is not in the scores", () => {
    expect(removalConsequence(draft, 1, published, 3)).toMatchObject({ scored: false, published: true });
  });

  it("says a question only in the draft was never asked", () => {
    expect(removalConsequence(draft, 2, published, 0)).toEqual({ number: 3, key: "q3", scored: true, published: false, answers: 0 });
    expect(removalConsequence(draft, 0, null, 0)).toMatchObject({ published: false });
  });

  it("reads whether it is scored from the published question (what the scores count today)", () => {
    const changedKind = [{ key: "efficiency", kind: "grade_diagnostic" }];
    expect(removalConsequence(changedKind, 0, published, 5)?.scored).toBe(true);
  });

  it("has nothing to say about a place without a question", () => {
    expect(removalConsequence(draft, 3, published, 0)).toBeNull();
    expect(removalConsequence(draft, -1, published, 0)).toBeNull();
  });
});

describe("publishing into an open period", () => {
  const feed = (units: string[], scored = true, periodCode = "2026") => ({ periodCode, scored, units });

  it("a first publication with scored items feeds every unit it applies to", () => {
    expect(newlyFedUnits(null, feed(["C01", "D02"]), true)).toEqual(["C01", "D02"]);
  });

  it("feeds nobody when the period is not open, nothing is scored or no unit is chosen", () => {
    expect(newlyFedUnits(null, feed(["C01"]), false)).toEqual([]);
    expect(newlyFedUnits(null, feed(["C01"], false), true)).toEqual([]);
    expect(newlyFedUnits(null, feed([]), true)).toEqual([]);
  });

  it("a new version for the same units feeds nobody new; added units, a newly scored survey or another period do", () => {
    expect(newlyFedUnits(feed(["C01", "D02"]), feed(["C01", "D02"]), true)).toEqual([]);
    expect(newlyFedUnits(feed(["C01"]), feed(["C01", "D02"]), true)).toEqual(["D02"]);
    expect(newlyFedUnits(feed(["C01"], false), feed(["C01"]), true)).toEqual(["C01"]);
    expect(newlyFedUnits(feed(["C01"], true, "2025"), feed(["C01"]), true)).toEqual(["C01"]);
  });
});

describe("what unit staff see of a comment", () => {
  const facts = { answerId: 901, responseId: 4711, submittedAt: new Date("2026-06-01T17:42:00Z") };
  const unitStaff = { userId: 1, grants: [{ role: "unit_staff" as const, unitId: 5, includeSubunits: false }] };
  const unitHead = { userId: 2, grants: [{ role: "unit_head" as const, unitId: 5, includeSubunits: true }] };
  const office = { userId: 3, grants: [{ role: "office" as const, unitId: null, includeSubunits: false }] };

  it("unit staff and heads get the day only; the office full detail", () => {
    expect(commentDetailFor(unitStaff)).toBe("day");
    expect(commentDetailFor(unitHead)).toBe("day");
    expect(commentDetailFor(office)).toBe("full");
    expect(commentDetailFor({ userId: 4, grants: [...unitHead.grants, ...office.grants] })).toBe("full");
  });

  it("the day is the region's day, and no id or time is left in", () => {
    // 17:42 UTC is 01:42 the next morning in the region (UTC+8).
    const meta = commentMeta(facts, "day");
    expect(meta).toEqual({ day: "2026-06-02", full: null });
    expect(JSON.stringify(meta)).not.toMatch(/901|4711|17:42|T/);
    expect(commentMeta(facts, "full")).toEqual({ day: "2026-06-02", full: facts });
  });
});

describe("links printed with a private address", () => {
  it("warns for loopback, private networks and local names", () => {
    for (const origin of [
      "http://127.0.0.1:3000",
      "http://127.8.9.1",
      "http://localhost:5173",
      "http://app.localhost",
      "http://[::1]:3000",
      "http://[::ffff:127.0.0.1]",
      "http://10.2.3.4",
      "http://172.16.0.1",
      "http://172.31.255.254",
      "http://192.168.1.20:8080",
      "http://[fc00::1]",
      "http://[fd12:3456::1]",
      "http://[fe80::1]",
      "http://169.254.10.1",
      "http://pingjia.local",
      "http://intranet",
      "not a url",
    ]) {
      expect(isPrivateNetworkOrigin(origin), origin).toBe(true);
    }
  });

  it("does not warn for public addresses and names", () => {
    for (const origin of [
      "https://pingjia.example.gov.cn",
      "http://172.15.0.1",
      "http://172.32.0.1",
      "http://192.169.1.1",
      "http://11.0.0.1",
      "http://[2001:db8::1]",
      "https://localhost.example.com",
      "http://8.8.8.8",
    ]) {
      expect(isPrivateNetworkOrigin(origin), origin).toBe(false);
    }
  });
});
