// Public results on a real database (docs/decisions/0020): only a closed period is published, each
// publish and withdrawal is audited, and the public pages show the snapshot that was published,
// not a later recompute and never the live figures.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "./support/test-db";

const { dir } = freshTestDatabase("publication");

const { getDb } = await import("#app/lib/db.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { submitResponse } = await import("#app/models/response.server");
const { resolveSurvey } = await import("#app/services/citizen-survey.server");
const { findUnitByCode } = await import("#app/models/unit.server");
const { getPeriod, setPeriodParams } = await import("#app/models/period.server");
const { activePublication, latestPublication, publishPeriod, withdrawPublication, PublicationError } = await import("#app/models/publication.server");
const { closePeriod, recomputeSnapshot } = await import("#app/services/snapshots.server");
const { publicPaths, publishedFigures, publishedPeriods, unitHistory } = await import("#app/services/public-results.server");

type Input = Parameters<typeof submitResponse>[0];
let officeId: number;
let c05: number;

async function submit(survey: Input["survey"], unitId: number, at: Date, grade: number) {
  const answers: Input["answers"] = Object.fromEntries(
    survey.version.questions.filter((q) => q.kind === "grade_core").map((q) => [q.key, { kind: "grade" as const, grade }]),
  );
  const r = await submitResponse({
    survey,
    unitId,
    lang: "zh-Hans",
    channel: "qr",
    deviceId: `dev-${Math.random()}`,
    visitId: null,
    ipHash: `net-${Math.random()}`,
    startedAt: new Date(at.getTime() - 60_000),
    submittedAt: at,
    flags: [],
    answers,
  });
  if (!r.ok) throw new Error("not stored");
}

async function auditOf(action: string) {
  const db = await getDb();
  return db.auditEvent.findMany({ where: { action }, orderBy: { id: "asc" } });
}

const code = (e: unknown) => (e instanceof PublicationError ? e.code : String(e));

beforeAll(async () => {
  const db = await getDb();
  await seedStructure(db);
  officeId = (await db.staffUser.create({ data: { username: "publication.office", displayName: "Office", passwordHash: "x" } })).id;
  const survey = await resolveSurvey("satisfaction-2026", new Date("2026-06-01T10:00:00Z"));
  c05 = (await findUnitByCode("C05"))!.id;
  // 35 "very satisfied": S = 100 under the default points, ranked (n ≥ 30).
  for (let i = 0; i < 35; i++) await submit(survey!, c05, new Date(Date.UTC(2026, 5, 4, 2, i)), 5);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("publishing a period", () => {
  it("refuses a period that is not closed, and shows nothing of it", async () => {
    const period = (await getPeriod("2026"))!;
    expect(period.status).toBe("open");
    const refused = await publishPeriod(period, officeId, null).catch(code);
    expect(refused).toBe("not_closed");
    expect(await latestPublication(period.id)).toBeNull();
    expect(await publishedPeriods()).toEqual([]);
    expect(await publicPaths()).toEqual(["/", "/method"]);
    expect(await unitHistory(c05)).toEqual([]);
    expect(await auditOf("period.publish")).toHaveLength(0);
  });

  it("publishes a closed period's snapshot, audited, and the public figures are that snapshot's", async () => {
    const close = await closePeriod((await getPeriod("2026"))!, officeId);
    const period = (await getPeriod("2026"))!;
    const publication = await publishPeriod(period, officeId, close.id, new Date("2027-01-10T02:00:00Z"));
    expect(publication).toMatchObject({ periodId: period.id, snapshotId: close.id, publishedById: officeId, withdrawnAt: null });
    const [event] = await auditOf("period.publish");
    expect(event).toMatchObject({ actorId: officeId, targetType: "period", targetId: String(period.id) });
    expect(event!.data).toMatchObject({ publicationId: publication.id, snapshotId: close.id, replaces: null });

    const figures = (await publishedFigures(publication))!;
    const row = figures.rows.find((r) => r.unitId === c05)!;
    expect(row).toMatchObject({ unitCode: "C05", n: 35, s: 100, rank: 1, insufficientSample: false });
    expect(figures.rows.some((r) => r.kind === "region")).toBe(false);
    expect(await publicPaths()).toEqual(expect.arrayContaining(["/results", "/results?period=2026", "/units/C05"]));
    // Publishing the same snapshot again changes nothing.
    expect(await publishPeriod(period, officeId, close.id).catch(code)).toBe("already_published");
    expect(await auditOf("period.publish")).toHaveLength(1);
  });

  it("a later recompute reaches the public pages only when published again, and never unseen", async () => {
    const period = (await getPeriod("2026"))!;
    const before = (await activePublication(period.id))!;
    // "Very satisfied" now counts 90: the recompute's S is 90, the published one stays 100.
    await setPeriodParams(period, { ...period.params, gradePoints: { ...period.params.gradePoints, "5": 90 } }, officeId);
    const recompute = await recomputeSnapshot((await getPeriod("2026"))!, { label: "points", reason: "Grade points corrected", actorId: officeId });
    const shown = (await unitHistory(c05)).map((h) => ({ snapshot: h.publication.snapshotId, s: h.row.s }));
    expect(shown).toEqual([{ snapshot: before.snapshotId, s: 100 }]);

    // A publish drawn against the old snapshot is refused: the office has not seen the new one.
    expect(await publishPeriod(period, officeId, before.snapshotId).catch(code)).toBe("stale_snapshot");
    const again = await publishPeriod(period, officeId, recompute.id);
    expect(again.snapshotId).toBe(recompute.id);
    expect((await auditOf("period.publish")).at(-1)!.data).toMatchObject({ snapshotId: recompute.id, replaces: before.snapshotId });
    expect((await unitHistory(c05)).map((h) => h.row.s)).toEqual([90]);
  });

  it("withdrawing hides the period everywhere public, audited with its reason; it can be published again", async () => {
    const period = (await getPeriod("2026"))!;
    await withdrawPublication(period, officeId, "Figures under review");
    const [event] = await auditOf("period.withdraw");
    expect(event).toMatchObject({ actorId: officeId, targetId: String(period.id), note: "Figures under review" });
    expect(await activePublication(period.id)).toBeNull();
    expect((await latestPublication(period.id))!.withdrawReason).toBe("Figures under review");
    expect(await publishedPeriods()).toEqual([]);
    expect(await publicPaths()).toEqual(["/", "/method"]);
    expect(await unitHistory(c05)).toEqual([]);
    expect(await withdrawPublication(period, officeId, "Twice over").catch(code)).toBe("not_published");

    const latest = (await getDb()).scoreSnapshot.findFirst({ where: { periodId: period.id }, orderBy: { id: "desc" } });
    await publishPeriod(period, officeId, (await latest)!.id);
    expect((await publishedPeriods()).map((p) => p.period.code)).toEqual(["2026"]);
  });
});
