// Assumed satisfaction through the real data layer (ADR 0018): the live figures, the audit
// recomputation and snapshots read the same assumption from the stored case, the stored calendar
// and the clock; nothing is written into the complaint; a snapshot keeps what it froze.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "./support/test-db";

const { dir } = freshTestDatabase("scoring-assumed-paths");

const { getDb } = await import("#app/lib/db.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { listUnits } = await import("#app/models/unit.server");
const { auditPeriod, computeFigures } = await import("#app/services/scores.server");
const { getPeriod, setPeriodParams } = await import("#app/models/period.server");
const { closePeriod, recomputeSnapshot, servedFigures, snapshotFigures } = await import("#app/services/snapshots.server");
const { publishedRows } = await import("#app/services/score-export.server");

const at = (iso: string) => new Date(iso);
let unitId = 0;
let complaintId = 0;

async function addReplied(reference: string, repliedAt: string, over: Record<string, unknown> = {}) {
  const db = await getDb();
  return db.complaint.create({
    data: {
      reference,
      accessCodeHash: "x",
      unitId,
      subjectUnitId: unitId,
      type: "slow_action",
      status: "replied",
      description: "the permit took months",
      lang: "zh-Hans",
      consentAt: at("2026-06-01T02:00:00Z"),
      submittedAt: at("2026-06-01T02:00:00Z"),
      acceptDueAt: at("2026-06-02T15:59:59.999Z"),
      replyDueAt: at("2026-06-26T15:59:59.999Z"),
      repliedAt: at(repliedAt),
      ...over,
    },
  });
}

beforeAll(async () => {
  await seedStructure(await getDb());
  unitId = (await listUnits()).find((u) => u.code === "D13")!.id;
  // Replied on Monday 15 June, 10:00 region time; never rated.
  complaintId = (await addReplied("TS-2026-950001", "2026-06-15T02:00:00Z")).id;
});

afterAll(async () => {
  await (await getDb()).$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

const own = (figures: { units: { unitId: number }[] }) => figures.units.find((u) => u.unitId === unitId) as never as Record<string, unknown>;

describe("assumed satisfaction in the served figures", () => {
  it("is off by default, and turning it on is audited and moves H, live and in the audit alike", async () => {
    const period = (await getPeriod("2026"))!;
    expect(own(await computeFigures(period))).toMatchObject({ ratings: 0, assumedRatings: 0, h: null });
    const db = await getDb();
    await setPeriodParams(period, { ...period.params, assumeSatisfied: true, assumeSatisfiedDays: 5 }, 1);
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "period.params", targetId: String(period.id) }, orderBy: { id: "desc" } });
    expect(event.data).toMatchObject({ before: { assumeSatisfied: false }, after: { assumeSatisfied: true, assumeSatisfiedDays: 5 } });

    const on = (await getPeriod("2026"))!;
    // The cached live figures (real clock: long after June) and the audit recomputation agree.
    expect(own(await computeFigures(on))).toMatchObject({ ratings: 0, assumedRatings: 1, h: 80, t: 100, c: 90 });
    expect(await auditPeriod(on)).toMatchObject({ equal: true, differing: [] });
    const stored = await db.complaint.findUniqueOrThrow({ where: { id: complaintId } });
    expect(stored.handlingGrade).toBeNull();
    expect(stored.status).toBe("replied");
    expect(publishedRows({ ...(await servedFigures(on)) }).rows.find((r) => r.unitCode === "D13")!.complaints).toMatchObject({ ratings: 0, assumedRatings: 1 });
  });

  it("counts working days with the stored calendar, holidays included", async () => {
    const period = (await getPeriod("2026"))!;
    const tuesday = at("2026-06-23T01:00:00Z"); // 09:00 on 23 June, region time
    const db = await getDb();
    // The seeded calendar has the Dragon Boat Festival on Friday 19 June: five working days after
    // the reply end on 23 June, so the rating is assumed from 24 June, 00:00 region time.
    expect(await db.calendarDay.findUnique({ where: { date: "2026-06-19" } })).toMatchObject({ kind: "holiday" });
    expect(own(await computeFigures(period, { now: tuesday }))).toMatchObject({ assumedRatings: 0, h: null });
    expect(own(await computeFigures(period, { now: at("2026-06-23T16:00:00Z") }))).toMatchObject({ assumedRatings: 1 });
    expect(await auditPeriod(period, tuesday)).toMatchObject({ equal: true });
    // Without that holiday the fifth working day is 22 June.
    await db.calendarDay.delete({ where: { date: "2026-06-19" } });
    expect(own(await computeFigures(period, { now: tuesday }))).toMatchObject({ assumedRatings: 1 });
    await db.calendarDay.create({ data: { date: "2026-06-19", kind: "holiday" } });
  });

  it("a snapshot keeps its assumed count; a later real rating reaches only the live figures", async () => {
    const period = (await getPeriod("2026"))!;
    const closed = await closePeriod(period, 1);
    const frozen = (await snapshotFigures(closed.id))!;
    expect(own(frozen)).toMatchObject({ ratings: 0, assumedRatings: 1, h: 80 });

    // The citizen rates "very dissatisfied" weeks after the assumption: their word replaces it.
    const db = await getDb();
    await db.complaint.update({ where: { id: complaintId }, data: { handlingGrade: 1, ratedAt: at("2026-07-20T02:00:00Z"), status: "closed" } });
    const closedPeriod = (await getPeriod("2026"))!;
    expect(own(await servedFigures(closedPeriod))).toMatchObject({ ratings: 0, assumedRatings: 1, h: 80 });
    expect(own(await computeFigures(closedPeriod))).toMatchObject({ ratings: 1, assumedRatings: 0, h: 0 });
  });

  it("a correction (recompute) is evaluated as of the close: a reply unrated then is not assumed because time passed since", async () => {
    // A reply two working days before the period is closed: its five working days are not over.
    const db = await getDb();
    const p2 = await db.evaluationPeriod.create({
      data: { code: "ASSUME-RC", names: { en: "Recompute" }, startsOn: at("2027-01-01T00:00:00Z"), endsOn: at("2027-12-31T15:59:59Z"), status: "open", params: { assumeSatisfied: true, assumeSatisfiedDays: 5 } },
    });
    await addReplied("TS-2027-950002", "2027-06-14T02:00:00Z", { replyDueAt: at("2027-06-25T15:59:59.999Z") });
    const open = (await getPeriod(p2.code))!;
    // Closed on 16 June 2027 (two working days after the reply): nothing assumed yet.
    const frozen = (await snapshotFigures((await closePeriod(open, 1, at("2027-06-16T02:00:00Z"))).id))!;
    expect(own(frozen)).toMatchObject({ assumedRatings: 0 });
    // A correction later (the recompute's clock is after the five days): as of the close, none assumed.
    const again = (await snapshotFigures((await recomputeSnapshot((await getPeriod(p2.code))!, { label: "corrected", reason: "a correction elsewhere", actorId: 1 }, at("2027-07-15T02:00:00Z"))).id))!;
    expect(own(again)).toMatchObject({ assumedRatings: 0 });
    // The live figures a month after the reply assume it: the snapshot does not follow them.
    expect(own(await computeFigures((await getPeriod(p2.code))!, { now: at("2027-07-15T02:00:00Z") }))).toMatchObject({ assumedRatings: 1 });
  });

  it("a snapshot frozen before assumed ratings existed reads 0 assumed", async () => {
    const period = (await getPeriod("2026"))!;
    const snapshot = await recomputeSnapshot(period, { label: "before 2026.3", reason: "simulates an old snapshot", actorId: 1 });
    const db = await getDb();
    const rows = await db.scoreSnapshotRow.findMany({ where: { snapshotId: snapshot.id } });
    for (const r of rows) {
      const { assumedRatings: _dropped, ...old } = r.figures as Record<string, unknown>;
      await db.scoreSnapshotRow.update({ where: { snapshotId_unitId: { snapshotId: r.snapshotId, unitId: r.unitId } }, data: { figures: old as object } });
    }
    const figures = (await snapshotFigures(snapshot.id))!;
    expect(figures.units.every((u) => u.assumedRatings === 0)).toBe(true);
    expect(own(figures)).toMatchObject({ ratings: 1, assumedRatings: 0 });
  });
});
