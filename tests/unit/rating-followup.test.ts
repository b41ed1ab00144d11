// A complaint after a dissatisfied rating: the signed reference the thanks page hands out, the
// checks that decide whether a complaint cites the rating, and the office's count per unit, on a
// real database (SQLite's query plans for the dashboard's million responses: rating-followup-plans.test.ts).
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followupShare, mayCite, sumFollowups } from "#app/domain/rating-followup";
import { freshTestDatabase } from "./support/test-db";

const { dir } = freshTestDatabase("rating-followup");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const { getDb } = await import("#app/lib/db.server");
const { sign } = await import("#app/lib/signing.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { fileComplaint } = await import("#app/models/complaint.server");
const { dissatisfiedFollowups } = await import("#app/models/rating-followup.server");
const { citedRating, complaintLinkAfterRating, ratingReference, ratingReferenceOf, readRatingReference, followupsByUnit } = await import(
  "#app/services/rating-followup.server"
);

const DAY = 86_400_000;

describe("the rating reference", () => {
  const now = Date.UTC(2026, 5, 1, 2, 0);

  it("names the response and the unit, for seven days", () => {
    const token = ratingReference(42, "C05", now);
    expect(readRatingReference(token, now)).toEqual({ responseId: 42, unitCode: "C05" });
    expect(readRatingReference(token, now + 7 * DAY - 1)).toEqual({ responseId: 42, unitCode: "C05" });
    expect(readRatingReference(token, now + 7 * DAY)).toBeNull();
    // The value is the id and the unit only: nothing of the answers.
    expect(token.split(".")[0]).toBe(`42|C05|${now + 7 * DAY}`);
  });

  it("refuses a forged, altered, re-purposed or foreign-secret reference", () => {
    const token = ratingReference(42, "C05", now);
    const [, signature] = token.split(".");
    expect(readRatingReference(`43|C05|${now + 7 * DAY}.${signature}`, now)).toBeNull();
    expect(readRatingReference(`42|C06|${now + 7 * DAY}.${signature}`, now)).toBeNull();
    expect(readRatingReference(`42|C05|${now + 70 * DAY}.${signature}`, now)).toBeNull();
    expect(readRatingReference(sign("started", `42|C05|${now + 7 * DAY}`), now)).toBeNull();
    expect(readRatingReference(ratingReference(42, "C05", now, "another-secret-another-secret-0123"), now)).toBeNull();
    expect(readRatingReference("garbage", now)).toBeNull();
    expect(readRatingReference("", now)).toBeNull();
    expect(readRatingReference(null, now)).toBeNull();
  });

  it("refuses signed values of the wrong shape", () => {
    for (const value of [`0|C05|${now + DAY}`, `-3|C05|${now + DAY}`, `1e3|C05|${now + DAY}`, `4.5|C05|${now + DAY}`, `|C05|${now + DAY}`, `42||${now + DAY}`, `42|C05`, `42|C05|${now + DAY}|x`, `42|C05|soon`]) {
      expect(readRatingReference(sign("rating-followup", value), now), value).toBeNull();
    }
  });

  it("the thanks page's link opens the complaint form for the unit with the reference", () => {
    const url = new URL(complaintLinkAfterRating(42, "C05"), "http://x");
    expect(url.pathname).toBe("/complaints/new");
    expect(url.searchParams.get("unit")).toBe("C05");
    expect(readRatingReference(url.searchParams.get("rating"))).toEqual({ responseId: 42, unitCode: "C05" });
  });

  it("a posted value is taken only as a string of reasonable length", () => {
    expect(ratingReferenceOf("abc")).toBe("abc");
    expect(ratingReferenceOf("")).toBeNull();
    expect(ratingReferenceOf(null)).toBeNull();
    expect(ratingReferenceOf(new Blob(["x"]))).toBeNull();
    expect(ratingReferenceOf("x".repeat(513))).toBeNull();
  });
});

describe("the rules", () => {
  it("a complaint cites only a dissatisfied rating of the unit it is about", () => {
    expect(mayCite({ id: 1, unitId: 5, dissatisfied: true }, 5)).toBe(true);
    expect(mayCite({ id: 1, unitId: 5, dissatisfied: true }, 6)).toBe(false);
    expect(mayCite({ id: 1, unitId: 5, dissatisfied: false }, 5)).toBe(false);
    expect(mayCite(null, 5)).toBe(false);
  });

  it("the share is of dissatisfied ratings, none without any", () => {
    expect(followupShare({ dissatisfied: 8, followed: 2 })).toBe(0.25);
    expect(followupShare({ dissatisfied: 0, followed: 0 })).toBeNull();
    expect(sumFollowups([{ dissatisfied: 8, followed: 2 }, { dissatisfied: 3, followed: 1 }])).toEqual({ dissatisfied: 11, followed: 3 });
  });
});

describe("on the stored data", () => {
  let survey: { surveyId: number; versionId: number; periodId: number };
  let otherPeriod: number;
  const unit: Record<string, { id: number; code: string }> = {};

  async function rating(code: string, dissatisfied: boolean, opts: { periodId?: number; at?: Date } = {}) {
    const db = await getDb();
    const r = await db.response.create({
      data: {
        surveyId: survey.surveyId,
        surveyVersionId: survey.versionId,
        periodId: opts.periodId ?? survey.periodId,
        unitId: unit[code]!.id,
        lang: "zh-Hans",
        channel: "qr",
        submittedAt: opts.at ?? new Date("2026-06-01T02:00:00Z"),
        dissatisfied,
      },
    });
    return r.id;
  }

  async function complain(code: string, responseId: number | null, type: "attitude" | "integrity" = "attitude") {
    const { reference } = await fileComplaint({
      input: { unit: code, type, description: "窗口人员态度很差，问了三次都不回答。", anonymous: "yes", consent: "yes" },
      unitId: unit[code]!.id,
      lang: "zh-Hans",
      deviceId: null,
      ipHash: null,
      responseId,
    });
    const db = await getDb();
    return (await db.complaint.findUniqueOrThrow({ where: { reference }, select: { responseId: true } })).responseId;
  }

  beforeAll(async () => {
    const db = await getDb();
    survey = await seedStructure(db);
    for (const code of ["C01", "C02", "C03", "D12"]) {
      const u = await db.unit.findUniqueOrThrow({ where: { code } });
      unit[code] = { id: u.id, code };
    }
    otherPeriod = (
      await db.evaluationPeriod.create({
        data: { code: "RF2025", names: { en: "2025" }, startsOn: new Date("2025-01-01T00:00:00Z"), endsOn: new Date("2025-12-31T00:00:00Z"), status: "closed" },
      })
    ).id;
  });

  it("the reference holds for a dissatisfied rating of the same unit, and for nothing else", async () => {
    const bad = await rating("C01", true);
    const good = await rating("C01", false);
    const now = Date.now();
    expect(await citedRating(ratingReference(bad, "C01"), unit.C01!)).toEqual({ responseId: bad, ratedAt: new Date("2026-06-01T02:00:00Z") });
    // The citizen chose another unit: the reference names C01.
    expect(await citedRating(ratingReference(bad, "C01"), unit.C02!)).toBeNull();
    // A reference minted for C02 but naming a response of C01.
    expect(await citedRating(ratingReference(bad, "C02"), unit.C02!)).toBeNull();
    // A rating that was not dissatisfied, and a response that is not there.
    expect(await citedRating(ratingReference(good, "C01"), unit.C01!)).toBeNull();
    expect(await citedRating(ratingReference(999_999, "C01"), unit.C01!)).toBeNull();
    // Expired.
    expect(await citedRating(ratingReference(bad, "C01", now - 8 * DAY), unit.C01!)).toBeNull();
    expect(await citedRating(null, unit.C01!)).toBeNull();
  });

  it("a complaint stores the rating it cites only when that is a dissatisfied rating of its unit, and is filed in every case", async () => {
    const bad = await rating("C02", true);
    const good = await rating("C02", false);
    expect(await complain("C02", bad)).toBe(bad);
    expect(await complain("C03", bad)).toBeNull();
    expect(await complain("C02", good)).toBeNull();
    // No such response: filed without it (no foreign-key failure).
    expect(await complain("C02", 999_999)).toBeNull();
    expect(await complain("C02", null)).toBeNull();
  });

  it("counts per unit the period's dissatisfied ratings and, once each, those a complaint followed", async () => {
    const d12 = [await rating("D12", true), await rating("D12", true), await rating("D12", true), await rating("D12", true)];
    await rating("D12", false);
    // Another period's dissatisfied rating, followed by a complaint: not this period's.
    const old = await rating("D12", true, { periodId: otherPeriod, at: new Date("2025-06-01T02:00:00Z") });
    await complain("D12", old);
    // An excluded rating still counts (the figure is about what citizens did, not the score).
    const db = await getDb();
    await db.responseFlag.create({ data: { responseId: d12[3]!, flag: "excluded", note: "test" } });
    await complain("D12", d12[0]!);
    await complain("D12", d12[0]!); // twice after one rating: counted once
    await complain("D12", d12[3]!);
    await complain("D12", null);

    const rows = await dissatisfiedFollowups(survey.periodId);
    expect(rows.find((r) => r.unitId === unit.D12!.id)).toEqual({ unitId: unit.D12!.id, dissatisfied: 4, followed: 2 });
    expect(await dissatisfiedFollowups(survey.periodId, unit.D12!.id)).toEqual([{ unitId: unit.D12!.id, dissatisfied: 4, followed: 2 }]);
    expect(await dissatisfiedFollowups(otherPeriod, unit.D12!.id)).toEqual([{ unitId: unit.D12!.id, dissatisfied: 1, followed: 1 }]);
    // Units without dissatisfied ratings have no row; the pages show them as 0 of 0.
    expect(rows.find((r) => r.unitId === unit.C03!.id)).toBeUndefined();
  });

  it("an integrity complaint after a dissatisfied rating counts for the office, never on the unit's own figures", async () => {
    const r = await rating("C01", true);
    await complain("C01", r, "integrity");
    expect((await dissatisfiedFollowups(survey.periodId, unit.C01!.id))[0]).toMatchObject({ followed: 1 });
    expect((await dissatisfiedFollowups(survey.periodId, unit.C01!.id, false))[0]).toMatchObject({ followed: 0 });
  });

  it("the kept figures change as soon as a complaint follows a rating", async () => {
    const first = (await followupsByUnit(survey.periodId)).get(unit.C03!.id);
    const bad = await rating("C03", true);
    const afterRating = (await followupsByUnit(survey.periodId)).get(unit.C03!.id);
    await complain("C03", bad);
    const afterComplaint = (await followupsByUnit(survey.periodId)).get(unit.C03!.id);
    expect([first, afterRating, afterComplaint]).toEqual([undefined, { dissatisfied: 1, followed: 0 }, { dissatisfied: 1, followed: 1 }]);
  });
});
