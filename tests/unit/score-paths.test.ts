// The two computation paths agree: the tallies kept up to date by every submission and
// moderation give exactly the figures recomputed from the raw responses, on random data with
// flags, "not applicable" answers, responses outside the period and moderator exclusions. Also the
// snapshot rules: a closed period's served numbers change only through a labelled recompute.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prng } from "#app/lib/prng";
import { freshTestDatabase } from "./support/test-db";

const { dir } = freshTestDatabase("score-paths");

const { db, getDb } = await import("#app/lib/db.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { submitResponse } = await import("#app/models/response.server");
const { resolveSurvey } = await import("#app/services/citizen-survey.server");
const { listUnits } = await import("#app/models/unit.server");
const { readTallies, recomputeTallies, rebuildTallies } = await import("#app/models/score-tally.server");
const { auditPeriod, computeFigures } = await import("#app/services/scores.server");
const { getPeriod } = await import("#app/models/period.server");
const { excludeResponse, excludeRating } = await import("#app/services/moderation.server");
const { closePeriod, recomputeSnapshot, servedFigures, listSnapshots, PeriodStateError } = await import("#app/services/snapshots.server");


const sortRows = <T,>(rows: T[]) => [...rows].map((r) => JSON.stringify(r)).sort();
const ids: number[] = [];

beforeAll(async () => {
  const db = await getDb();
  await seedStructure(db);
  const survey = await resolveSurvey("satisfaction-2026", new Date("2026-06-01T10:00:00Z"));
  const units = (await listUnits()).filter((u) => u.kind !== "region").slice(0, 6);
  const rand = prng(7);
  const flagSets = [[], [], [], [], ["too_fast"], ["honeypot"], ["unverified_start"], ["too_fast", "honeypot"]];
  for (let i = 0; i < 600; i++) {
    const answers: Record<string, { kind: "grade"; grade: 1 | 2 | 3 | 4 | 5 } | { kind: "na" }> = {};
    for (const q of survey.version.questions) {
      if (q.kind !== "grade_core" && q.kind !== "grade_diagnostic") continue;
      const draw = rand();
      if (draw < 0.15) answers[q.key] = { kind: "na" };
      else if (draw < 0.2) continue;
      else answers[q.key] = { kind: "grade", grade: (1 + Math.floor(rand() * 5)) as 1 | 2 | 3 | 4 | 5 };
    }
    // A few land after the period's end (the survey is answered late).
    const submittedAt = rand() < 0.05 ? new Date("2027-01-03T10:00:00Z") : new Date(Date.UTC(2026, Math.floor(rand() * 12), 1 + Math.floor(rand() * 27), 3));
    const result = await submitResponse({
      survey,
      unitId: units[Math.floor(rand() * units.length)]!.id,
      lang: "zh-Hans",
      // Every channel is tallied apart (verified ones may weigh more): mix them.
      channel: (["link", "qr", "verified"] as const)[Math.floor(rand() * 3)]!,
      deviceId: null,
      visitId: null,
      ipHash: null,
      startedAt: null,
      submittedAt,
      flags: flagSets[Math.floor(rand() * flagSets.length)]! as never,
      answers,
    });
    if (result.ok) ids.push(result.id);
  }
  for (const id of ids.filter((_, i) => i % 23 === 0)) await excludeResponse(id, "coerced in a service hall", null);
});

afterAll(async () => {
  await (await getDb()).$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("live tallies and the audit recomputation", () => {
  it("hold the same integers", async () => {
    const live = (await readTallies(1));
    const audit = (await recomputeTallies(1));
    expect(live.scores.length).toBeGreaterThan(10);
    expect(sortRows(live.scores)).toEqual(sortRows(audit.scores));
    expect(sortRows(live.items)).toEqual(sortRows(audit.items));
  });

  it("give exactly the same figures, exclusions included", async () => {
    const period = (await getPeriod("2026"))!;
    const now = new Date("2026-12-01T00:00:00Z");
    const live = await computeFigures(period, { source: "live", now });
    const audit = await computeFigures(period, { source: "audit", now });
    expect(live.total).toBe(600);
    // Excluded by the moderator, and not already out for being submitted after the period.
    const n = (await db().read.value<number>(
      `SELECT COUNT(*) AS n FROM ResponseFlag f JOIN Response r ON r.id = f.responseId WHERE f.flag = 'excluded' AND r.submittedAt < '2027-01-01T00:00:00'`,
    ))!;
    expect(live.exclusions.excluded).toBe(Number(n));
    expect(Number(n)).toBeGreaterThan(20);
    expect(live.exclusions.too_fast).toBeGreaterThan(0);
    expect(live.exclusions.outside_period).toBeGreaterThan(0);
    expect(live.exclusions.unverified_start).toBeUndefined(); // flagged, but counted by default
    expect(live.units.some((u) => u.n > 30 && u.rank === 1)).toBe(true);
    expect({ ...live, source: "x" }).toEqual({ ...audit, source: "x" });
    expect(await auditPeriod(period, now)).toMatchObject({ equal: true, differing: [], tallyDifferences: 0, responses: 600 });
  });

  it("a moderator's exclusion moves the response out of the count, once", async () => {
    const period = (await getPeriod("2026"))!;
    const before = await computeFigures(period);
    const target = ids[1]!;
    expect(await excludeResponse(target, "duplicate ballot", 1)).toBe("done");
    expect(await excludeResponse(target, "again", 1)).toBe("already");
    expect(await excludeResponse(999_999, "missing", 1)).toBe("not_found");
    const after = await computeFigures(period);
    expect(after.exclusions.excluded).toBe((before.exclusions.excluded ?? 0) + 1);
    expect(sortRows((await readTallies(1)).scores)).toEqual(sortRows((await recomputeTallies(1)).scores));
  });

  it("the audit notices a tally that drifted from the raw rows", async () => {
    const period = (await getPeriod("2026"))!;
    const drifted = await db().read.get<{ code: string }>(
      `SELECT u.code FROM ScoreTally t JOIN Unit u ON u.id = t.unitId WHERE t.n > 0 AND t.flags = 'via:link' ORDER BY t.unitId, t.month, t.k LIMIT 1`,
    );
    await db().write((tx) =>
      tx.run(
        `UPDATE ScoreTally SET g5 = g5 + 1 WHERE (periodId, unitId, month, flags, k) = (SELECT periodId, unitId, month, flags, k FROM ScoreTally WHERE n > 0 AND flags = 'via:link' ORDER BY unitId, month, k LIMIT 1)`,
      ),
    );
    const result = await auditPeriod(period);
    expect(result.equal).toBe(false);
    expect(result.tallyDifferences).toBe(1);
    // The drifted unit differs (and, through the ranks, perhaps others of its kind).
    expect(result.differing).toContain(drifted!.code);
    await rebuildTallies(period.id);
    expect((await auditPeriod(period)).equal).toBe(true);
  });

  it("rebuilding from raw rows reproduces the maintained tallies", async () => {
    const before = sortRows((await readTallies(1)).scores);
    await rebuildTallies(1);
    expect(sortRows((await readTallies(1)).scores)).toEqual(before);
  });
});

describe("snapshots", () => {
  it("closing freezes the served numbers; a correction needs a labelled recompute", async () => {
    const prisma = await getDb();
    const open = (await getPeriod("2026"))!;
    const live = await servedFigures(open);
    expect(live.snapshot).toBeNull();
    await expect(recomputeSnapshot(open, { label: "x", reason: "y", actorId: 1 })).rejects.toBeInstanceOf(PeriodStateError);

    const first = await closePeriod(open, 1);
    const closed = (await getPeriod("2026"))!;
    expect(closed.status).toBe("closed");
    await expect(closePeriod(closed, 1)).rejects.toBeInstanceOf(PeriodStateError);
    const served = await servedFigures(closed);
    expect(served.snapshot?.id).toBe(first.id);
    expect(served.units.map((u) => u.q)).toEqual(live.units.map((u) => u.q));

    // A late correction changes the live figures but not what is served.
    const unitWithMost = served.units.reduce((a, b) => (b.n > a.n ? b : a));
    const victim = (await db().read.value<number>(
      `SELECT r.id FROM Response r WHERE r.unitId = ? AND NOT EXISTS (SELECT 1 FROM ResponseFlag f WHERE f.responseId = r.id) ORDER BY r.id LIMIT 1`,
      unitWithMost.unitId,
    ))!;
    await excludeResponse(victim, "found coerced after closing", 1);
    const stillServed = await servedFigures(closed);
    expect(stillServed.snapshot?.id).toBe(first.id);
    expect(stillServed.units.find((u) => u.unitId === unitWithMost.unitId)!.n).toBe(unitWithMost.n);

    const second = await recomputeSnapshot(closed, { label: "2026 corrected", reason: "coerced responses", actorId: 1 });
    const now = await servedFigures(closed);
    expect(now.snapshot).toMatchObject({ id: second.id, kind: "recompute", label: "2026 corrected" });
    expect(now.units.find((u) => u.unitId === unitWithMost.unitId)!.n).toBe(unitWithMost.n - 1);
    expect((await listSnapshots(closed.id)).map((s) => s.kind)).toEqual(["recompute", "close"]);
    const audit = await prisma.auditEvent.findMany({ where: { targetType: "period" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["period.close", "snapshot.create"]);
  });

  it("a citizen's handling rating leaves H when the office excludes it, with the reason audited", async () => {
    const db = await getDb();
    const period = (await getPeriod("2026"))!;
    const unit = (await listUnits()).find((u) => u.code === "D13")!;
    const at = (iso: string) => new Date(iso);
    const complaint = await db.complaint.create({
      data: {
        reference: "TS-2026-900001",
        accessCodeHash: "x",
        unitId: unit.id,
        subjectUnitId: unit.id,
        type: "attitude",
        status: "replied",
        description: "rude at the counter",
        lang: "zh-Hans",
        consentAt: at("2026-06-01T02:00:00Z"),
        submittedAt: at("2026-06-01T02:00:00Z"),
        acceptDueAt: at("2026-06-02T15:59:59.999Z"),
        replyDueAt: at("2026-06-08T15:59:59.999Z"),
        repliedAt: at("2026-06-05T02:00:00Z"),
        handlingGrade: 1,
        ratedAt: at("2026-06-06T02:00:00Z"),
      },
    });
    const figure = async () => (await computeFigures(period)).units.find((u) => u.unitId === unit.id)!;
    expect(await figure()).toMatchObject({ due: 1, onTime: 1, ratings: 1, excludedRatings: 0, t: 100, h: 0, c: 50 });

    expect(await excludeRating(complaint.id, "rated by the official himself", 1)).toBe("done");
    expect(await excludeRating(complaint.id, "again", 1)).toBe("already");
    expect(await excludeRating(424242, "x", 1)).toBe("not_found");
    expect(await figure()).toMatchObject({ ratings: 0, excludedRatings: 1, t: 100, h: null, c: 100 });
    const stored = await db.complaint.findUniqueOrThrow({ where: { id: complaint.id }, include: { events: true } });
    expect(stored.ratingExcludedReason).toBe("rated by the official himself");
    expect(stored.handlingGrade).toBe(1); // kept, never deleted
    expect(stored.events.map((e) => [e.action, e.visibility])).toEqual([["exclude_rating", "internal"]]);
    const audit = await db.auditEvent.findMany({ where: { targetType: "complaint", targetId: String(complaint.id) } });
    expect(audit.map((a) => [a.action, a.note])).toEqual([["rating.exclude", "rated by the official himself"]]);
  });
});
