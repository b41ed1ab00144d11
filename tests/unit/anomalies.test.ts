// The anomalies review on a real database: a day of 30 worst grades from one network at a unit
// whose other days are satisfied is listed and marked different, its network cluster is excluded
// in one audited action (and reinstated), and the live figures stay equal to the audit
// recomputation throughout. Also: region-local days, new responses after a first visit, and what
// the default list leaves out.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "./support/test-db";

const { dir } = freshTestDatabase("anomalies");

const { db, getDb } = await import("#app/lib/db.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { submitResponse } = await import("#app/models/response.server");
const { resolveSurvey } = await import("#app/services/citizen-survey.server");
const { findUnitByCode } = await import("#app/models/unit.server");
const { auditPeriod, computeFigures } = await import("#app/services/scores.server");
const { getPeriod } = await import("#app/models/period.server");
const { anomalyOverview, dayClusters, actOnClusters, unitDayReview } = await import("#app/services/anomalies.server");

type Input = Parameters<typeof submitResponse>[0];
type Survey = Input["survey"];
let survey: Survey;
const unitIds: Record<string, number> = {};

const grades = (grade: number) =>
  Object.fromEntries(survey.version.questions.filter((q) => q.kind === "grade_core").map((q) => [q.key, { kind: "grade" as const, grade }]));

async function submit(unit: string, at: Date, grade: number, ipHash: string) {
  const r = await submitResponse({
    survey,
    unitId: unitIds[unit]!,
    lang: "zh-Hans",
    channel: "qr",
    deviceId: `dev-${Math.random()}`,
    visitId: null,
    ipHash,
    startedAt: new Date(at.getTime() - 60_000),
    submittedAt: at,
    flags: [],
    answers: grades(grade),
  });
  if (!r.ok) throw new Error("not stored");
  return r.id;
}

const period = async () => (await getPeriod("2026"))!;
const auditEqual = async () => (await auditPeriod(await period())).equal;

beforeAll(async () => {
  await seedStructure(await getDb());
  survey = await resolveSurvey("satisfaction-2026", new Date("2026-06-01T10:00:00Z"));
  for (const code of ["C05", "C06"]) unitIds[code] = (await findUnitByCode(code))!.id;
  // C06: 60 satisfied citizens over 20 days of October, three a day, each from their own network.
  for (let d = 0; d < 20; d++) {
    for (let i = 0; i < 3; i++) await submit("C06", new Date(Date.UTC(2026, 9, 1 + d, 2 + i * 3)), 4 + (i % 2), `home-${d}-${i}`);
  }
  // C05: a mix of grades, 12 a day over 5 days, nothing unusual.
  for (let d = 0; d < 5; d++) {
    for (let i = 0; i < 12; i++) await submit("C05", new Date(Date.UTC(2026, 9, 5 + d, 1, i * 20)), 1 + ((i + d) % 5), `c05-${d}-${i}`);
  }
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the overview", () => {
  it("lists nothing by default while no day is flagged or different, and every day of a chosen unit", async () => {
    const p = await period();
    expect((await anomalyOverview(p)).rows).toEqual([]);
    const c06 = await anomalyOverview(p, { unitId: unitIds.C06 });
    expect(c06.matching).toBe(20);
    expect(c06.rows.map((r) => r.day).slice(0, 2)).toEqual(["2026-10-20", "2026-10-19"]);
    expect(c06.rows.every((r) => r.responses === 3 && !r.test.significant)).toBe(true);
    const c05 = await anomalyOverview(p, { unitId: unitIds.C05 });
    expect(c05.rows.map((r) => r.test.significant)).toEqual([false, false, false, false, false]);
  });

  it("marks a day of 30 worst grades from one network as different, with its burst flags, newest first", async () => {
    const start = Date.parse("2026-11-12T02:00:00Z");
    for (let i = 0; i < 30; i++) await submit("C06", new Date(start + i * 8_000), 1, "attacker-net");
    const p = await period();
    const overview = await anomalyOverview(p);
    expect(overview.rows).toHaveLength(1);
    const [row] = overview.rows;
    expect(row).toMatchObject({ unitId: unitIds.C06, day: "2026-11-12", responses: 30, categories: [30, 0, 0], flagged: 30 - survey.burstLimit });
    expect(row!.byFlag).toEqual({ network_burst: 30 - survey.burstLimit });
    expect(row!.test.significant).toBe(true);
    expect(row!.test.p!).toBeLessThan(1e-10);
    expect(overview.significant).toBe(1);
    expect(overview.flags).toEqual(["network_burst"]);
    // Dates limit the list.
    expect((await anomalyOverview(p, { from: "2026-11-13" })).rows).toEqual([]);
    expect((await anomalyOverview(p, { from: "2026-11-12", to: "2026-11-12" })).rows).toHaveLength(1);
  });

  it("counts by the region's day (UTC+8) and picks up responses added after a visit", async () => {
    const p = await period();
    // 17:30 UTC on 12 November is 01:30 on the 13th in the region.
    await submit("C05", new Date("2026-11-12T17:30:00Z"), 5, "night-owl");
    const c05 = await anomalyOverview(p, { unitId: unitIds.C05 });
    expect(c05.rows[0]).toMatchObject({ day: "2026-11-13", responses: 1 });
    await submit("C05", new Date("2026-11-13T03:00:00Z"), 5, "morning");
    expect((await anomalyOverview(p, { unitId: unitIds.C05 })).rows[0]).toMatchObject({ day: "2026-11-13", responses: 2 });
  });
});

describe("the unit-day", () => {
  it("groups the day's responses by network without showing the network", async () => {
    const p = await period();
    const review = await unitDayReview(p, unitIds.C06!, "2026-11-12");
    expect(review.responses).toBe(30);
    expect(review.clusters.map((c) => [c.key, c.responseIds.length])).toEqual([
      ["all", 30],
      ["network-1", 30],
    ]);
    const net = review.clusters[1]!;
    expect(net).toMatchObject({ network: 1, channels: { qr: 30 }, flags: { network_burst: 30 - survey.burstLimit }, meanGrade: 1 });
    expect(net.last.getTime() - net.first.getTime()).toBe(29 * 8_000);
    expect(JSON.stringify(review)).not.toContain("attacker-net");
    expect(review.day?.test.significant).toBe(true);
  });

  it("excludes the cluster in one audited action, then reinstates it, with the figures equal to the audit", async () => {
    const p = await period();
    expect(await auditEqual()).toBe(true);
    const seen = (await dayClusters(p.id, unitIds.C06!, "2026-11-12")).seen;
    // A response from the same network after the page was drawn is not part of the action.
    const late = await submit("C06", new Date("2026-11-12T09:00:00Z"), 1, "attacker-net");
    expect(late).toBeGreaterThan(seen);
    const excluded = await actOnClusters(p, unitIds.C06!, "2026-11-12", { seen, clusters: ["network-1"], reason: "coordinated worst grades from one network", action: { intent: "exclude" } }, 1);
    expect(excluded).toMatchObject({ ok: true, changed: 30, selected: 30 });
    if (!excluded.ok) throw new Error();
    // 60 satisfied + 5 counted before the burst rule flagged the rest + the late one; then without the 30.
    expect(excluded.before.n).toBe(60 + survey.burstLimit + 1);
    expect(excluded.after.n).toBe(60 + 1);
    expect(excluded.after.s!).toBeGreaterThan(excluded.before.s!);
    expect(await auditEqual()).toBe(true);
    const flags = await db().read.value(`SELECT COUNT(*) FROM ResponseFlag WHERE flag = 'excluded' AND responseId = ?`, late);
    expect(flags).toBe(0);
    const audited = await db().read.value(`SELECT COUNT(*) FROM AuditEvent WHERE action = 'response.exclude' AND note = ?`, "coordinated worst grades from one network");
    expect(audited).toBe(30);
    // The overview shows the exclusion; nothing was deleted.
    const row = (await anomalyOverview(p)).rows.find((r) => r.day === "2026-11-12")!;
    expect(row).toMatchObject({ responses: 31, flagged: 30 });
    expect(row.byFlag.excluded).toBe(30);
    // Again: nothing left to exclude.
    const again = await actOnClusters(p, unitIds.C06!, "2026-11-12", { seen, clusters: ["all"], reason: "again", action: { intent: "exclude" } }, 1);
    expect(again).toMatchObject({ ok: true, changed: 0, selected: 30 });
    // Reinstated on appeal: the exclusion is lifted (the burst flags stay).
    const back = await actOnClusters(p, unitIds.C06!, "2026-11-12", { seen, clusters: ["all"], reason: "decided on appeal", action: { intent: "reinstate", flag: "excluded" } }, 1);
    expect(back).toMatchObject({ ok: true, changed: 30 });
    if (!back.ok) throw new Error();
    expect(back.after.n).toBe(excluded.before.n);
    expect(await auditEqual()).toBe(true);
    expect(await db().read.value(`SELECT COUNT(*) FROM AuditEvent WHERE action = 'response.reinstate'`)).toBe(30);
  });

  it("refuses clusters the day does not have (an outdated page)", async () => {
    const p = await period();
    const seen = (await dayClusters(p.id, unitIds.C06!, "2026-11-12")).seen;
    const r = await actOnClusters(p, unitIds.C06!, "2026-11-12", { seen, clusters: ["network-7"], reason: "typo", action: { intent: "exclude" } }, 1);
    expect(r).toEqual({ ok: false, error: "stale" });
    expect(await actOnClusters(p, unitIds.C06!, "2026-11-12", { seen, clusters: [], reason: "none", action: { intent: "exclude" } }, 1)).toEqual({ ok: false, error: "stale" });
  });

  it("keeps the live figures as the dashboard computes them", async () => {
    const p = await period();
    const live = (await computeFigures(p)).units.find((u) => u.unitId === unitIds.C06)!;
    expect(live.exclusions.excluded ?? 0).toBe(0);
  });
});
