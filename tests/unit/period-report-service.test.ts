// The 通报 report's figures (app/services/period-report.server.ts) are the figures the platform
// serves: live and marked so while the period is open, the close snapshot's rows once it is
// frozen; the change from the previous period reads that period's snapshot; the complaint
// handling counts overdue and sent-back cases; the HTML Chromium prints carries the ranking in
// the report's language and direction.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prng } from "#app/lib/prng";
import { round2 } from "#app/domain/scoring";
import { freshTestDatabase } from "./support/test-db";

const { dir } = freshTestDatabase("period-report");

const { getDb } = await import("#app/lib/db.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { submitResponse } = await import("#app/models/response.server");
const { resolveSurvey } = await import("#app/services/citizen-survey.server");
const { listUnits } = await import("#app/models/unit.server");
const { getPeriod, setPeriodParams } = await import("#app/models/period.server");
const { closePeriod, listSnapshots, snapshotFigures } = await import("#app/services/snapshots.server");
const { assembleReport } = await import("#app/services/period-report.server");
const { reportView } = await import("#app/components/PeriodReport");
const { reportHtml } = await import("#app/components/PeriodReportHtml.server");

const NOW = new Date("2026-12-20T04:00:00Z");
let previousSnapshotId = 0;

beforeAll(async () => {
  const db = await getDb();
  await seedStructure(db);
  const survey = await resolveSurvey("satisfaction-2026", new Date("2026-06-01T10:00:00Z"));
  const units = (await listUnits()).filter((u) => u.kind !== "region");
  const rand = prng(11);
  // Most responses go to a few units (ranked), a handful to the rest (insufficient sample).
  for (let i = 0; i < 420; i++) {
    const answers: Record<string, { kind: "grade"; grade: 1 | 2 | 3 | 4 | 5 }> = {};
    const unitIndex = i < 400 ? i % 6 : 6 + (i % 4);
    // Each unit leans to its own grades, so units differ.
    const lean = unitIndex % 3;
    for (const q of survey.version.questions) {
      if (q.kind !== "grade_core" && q.kind !== "grade_diagnostic") continue;
      answers[q.key] = { kind: "grade", grade: Math.min(5, Math.max(1, 1 + lean + Math.floor(rand() * 3))) as 1 | 2 | 3 | 4 | 5 };
    }
    const result = await submitResponse({
      survey,
      unitId: units[unitIndex]!.id,
      lang: "zh-Hans",
      channel: "link",
      deviceId: null,
      visitId: null,
      ipHash: null,
      startedAt: null,
      submittedAt: new Date(Date.UTC(2026, Math.floor(rand() * 11), 1 + Math.floor(rand() * 27), 3)),
      flags: (i % 17 === 0 ? ["too_fast"] : []) as never,
      answers,
    });
    expect(result.ok).toBe(true);
  }
  // Complaints of the first unit due in the period: one replied on time, one overdue without a
  // reply, one sent back by the citizen (reopened) and since answered.
  const unit = units[0]!;
  const at = (iso: string) => new Date(iso);
  const base = { accessCodeHash: "x", unitId: unit.id, subjectUnitId: unit.id, description: "d", lang: "zh-Hans", consentAt: at("2026-05-01T02:00:00Z"), submittedAt: at("2026-05-01T02:00:00Z"), acceptDueAt: at("2026-05-02T15:59:59.999Z") };
  await db.complaint.create({ data: { ...base, reference: "TS-2026-800001", type: "attitude", status: "replied", replyDueAt: at("2026-05-10T15:59:59.999Z"), repliedAt: at("2026-05-05T02:00:00Z") } });
  await db.complaint.create({ data: { ...base, reference: "TS-2026-800002", type: "inaction", status: "in_progress", replyDueAt: at("2026-05-12T15:59:59.999Z") } });
  const reopened = await db.complaint.create({
    data: { ...base, reference: "TS-2026-800003", type: "slow_action", status: "replied", replyDueAt: at("2026-06-20T15:59:59.999Z"), repliedAt: at("2026-06-15T02:00:00Z") },
  });
  await db.complaintEvent.create({ data: { complaintId: reopened.id, actorKind: "citizen", action: "reopen", fromStatus: "replied", toStatus: "in_progress", at: at("2026-06-01T02:00:00Z") } });
  // An integrity complaint is never counted per unit.
  await db.complaint.create({ data: { ...base, reference: "TS-2026-800004", type: "integrity", status: "in_progress", replyDueAt: at("2026-05-12T15:59:59.999Z") } });

  // The previous period (2025), frozen: S 60 for the first unit (below this year's interval),
  // and the second unit's S equal to its figure this year.
  const previous = await db.evaluationPeriod.create({
    data: { code: "2025", names: { "zh-Hans": "2025年度", ug: "2025-يىل", kk: "2025 جىل", en: "2025" }, startsOn: at("2024-12-31T16:00:00Z"), endsOn: at("2025-12-31T15:59:59.999Z"), status: "closed", closedAt: at("2026-01-05T00:00:00Z") },
  });
  const snapshot = await db.scoreSnapshot.create({
    data: {
      periodId: previous.id,
      kind: "close",
      label: "2025",
      methodVersion: "2026.2",
      params: {},
      exclusions: { total: 100 },
      rows: {
        create: [
          { unitId: units[0]!.id, figures: { unitId: units[0]!.id, kind: units[0]!.kind, n: 50, s: 10, ciLow: 5, ciHigh: 15, c: null, q: 10, points: 2, rank: 3, flags: [], exclusions: {}, byChannel: {} } },
          { unitId: units[1]!.id, figures: { unitId: units[1]!.id, kind: units[1]!.kind, n: 50, s: null, ciLow: null, ciHigh: null, c: null, q: null, points: null, rank: 1, flags: [], exclusions: {}, byChannel: {} } },
        ],
      },
    },
  });
  previousSnapshotId = snapshot.id;
});

afterAll(async () => {
  await (await getDb()).$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the report of a period", () => {
  it("while open: the live figures, marked as not frozen", async () => {
    const period = (await getPeriod("2026"))!;
    const report = await assembleReport(period, NOW);
    expect(report.frozen).toBe(false);
    expect(report.snapshot).toBeNull();
    expect(report.total).toBe(420);
    expect(report.kinds.map((k) => k.kind).sort()).toEqual(["county", "department"].filter((k) => report.kinds.some((r) => r.kind === k)).sort());
  });

  it("once frozen: every unit's figures are the close snapshot's rows", async () => {
    const period = (await getPeriod("2026"))!;
    const closed = await closePeriod(period, null, new Date("2027-01-03T00:00:00Z"));
    const report = await assembleReport((await getPeriod("2026"))!, NOW);
    expect(report.frozen).toBe(true);
    expect(report.snapshot?.id).toBe(closed.id);
    expect((await listSnapshots(period.id))[0]!.id).toBe(closed.id);
    const frozen = (await snapshotFigures(closed.id))!;
    const rows = report.kinds.flatMap((k) => k.units);
    expect(rows.length).toBe(frozen.units.length);
    expect(rows.filter((r) => r.rank !== null).length).toBeGreaterThanOrEqual(6);
    for (const f of frozen.units) {
      const r = rows.find((u) => u.unitId === f.unitId)!;
      expect({ n: r.n, s: r.s, ciLow: r.ciLow, ciHigh: r.ciHigh, c: r.c, t: r.t, h: r.h, q: r.q, points: r.points, rank: r.rank, flags: r.methodFlags, exclusions: r.exclusions, due: r.due, onTime: r.onTime, late: r.late, pending: r.pending }).toEqual({
        n: f.n,
        s: f.s,
        ciLow: f.ciLow,
        ciHigh: f.ciHigh,
        c: f.c,
        t: f.t,
        h: f.h,
        q: f.q,
        points: f.points,
        rank: f.rank,
        flags: f.flags,
        exclusions: f.exclusions,
        due: f.due,
        onTime: f.onTime,
        late: f.late,
        pending: f.pending,
      });
    }
    expect(report.total).toBe(frozen.total);
    expect(report.counted).toBe(frozen.units.reduce((n, u) => n + u.n, 0));
    expect(Object.fromEntries(report.exclusions.map((e) => [e.reason, e.count]))).toEqual(frozen.exclusions);
    expect(report.methodVersion).toBe(frozen.methodVersion);
    // Within a kind, ranked units come first, by rank.
    for (const k of report.kinds) {
      const ranks = k.units.map((u) => u.rank).filter((r): r is number => r !== null);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      expect(k.units.slice(0, ranks.length).every((u) => u.rank !== null)).toBe(true);
    }
  });

  it("a frozen report does not move when a response arrives late or parameters change", async () => {
    const before = await assembleReport((await getPeriod("2026"))!, NOW);
    const period = (await getPeriod("2026"))!;
    await setPeriodParams(period, { ...period.params, gradePoints: { "5": 100, "4": 75, "3": 50, "2": 25, "1": 0 } }, 1);
    const after = await assembleReport((await getPeriod("2026"))!, NOW);
    expect(after.kinds).toEqual(before.kinds);
    await setPeriodParams((await getPeriod("2026"))!, period.params, 1);
  });

  it("compares with the previous period's snapshot", async () => {
    const report = await assembleReport((await getPeriod("2026"))!, NOW);
    expect(report.previous).toMatchObject({ code: "2025", frozen: true, snapshotId: previousSnapshotId, methodVersion: "2026.2" });
    const units = (await listUnits()).filter((u) => u.kind !== "region");
    const rows = report.kinds.flatMap((k) => k.units);
    const first = rows.find((r) => r.unitId === units[0]!.id)!;
    expect(first.change.previous).toEqual({ n: 50, s: 10, q: 10, rank: 3 });
    expect(first.change.deltaS).toBe(round2(round2(first.s!) - 10));
    expect(first.change.beyond).toBe("up");
    expect(first.change.rankMove).toBe(3 - first.rank!);
    // No S then: no difference, no mark.
    const second = rows.find((r) => r.unitId === units[1]!.id)!;
    expect(second.change).toMatchObject({ deltaS: null, beyond: null });
    // Not in the previous snapshot at all.
    expect(rows.find((r) => r.unitId === units[2]!.id)!.change.previous).toBeNull();
  });

  it("names the units below the office's threshold and those with too few responses", async () => {
    const period = (await getPeriod("2026"))!;
    const rows = (await assembleReport(period, NOW)).kinds.flatMap((k) => k.units);
    const ss = rows.filter((r) => r.s !== null).map((r) => round2(r.s!)).sort((a, b) => a - b);
    const threshold = ss[Math.floor(ss.length / 2)]!;
    await setPeriodParams(period, { ...period.params, reportThreshold: threshold }, 1);
    const report = await assembleReport((await getPeriod("2026"))!, NOW);
    expect(report.threshold).toBe(threshold);
    const below = report.kinds.flatMap((k) => k.units).filter((r) => r.s !== null && round2(r.s) < threshold);
    expect(below.length).toBeGreaterThan(0);
    for (const r of below) expect(report.flagged.find((f) => f.unitId === r.unitId)?.flags).toContain("below_threshold");
    const few = report.kinds.flatMap((k) => k.units).filter((r) => r.n < report.params.minSample);
    expect(few.length).toBeGreaterThan(0);
    for (const r of few) expect(report.flagged.find((f) => f.unitId === r.unitId)?.flags).toContain("insufficient_sample");
    expect(report.flagged.every((f) => f.flags.length > 0)).toBe(true);
    // The threshold changes no figure.
    expect(report.kinds.flatMap((k) => k.units).map((u) => [u.s, u.q, u.rank])).toEqual(rows.map((u) => [u.s, u.q, u.rank]));
  });

  it("counts complaint handling: due and T as frozen, overdue and sent back as of now, integrity aside", async () => {
    const report = await assembleReport((await getPeriod("2026"))!, NOW);
    const unitId = (await listUnits()).filter((u) => u.kind !== "region")[0]!.id;
    const row = report.kinds.flatMap((k) => k.units).find((u) => u.unitId === unitId)!;
    expect(row).toMatchObject({ due: 3, onTime: 2, late: 1, overdue: 1, reopened: 1 });
    expect(report.complaints.totals).toMatchObject({ due: 3, onTime: 2, late: 1, overdue: 1, reopened: 1 });
    // Region-wide by type: the integrity case is there, with no unit named.
    expect(report.complaints.byType.find((v) => v.type === "integrity")?.due).toBe(1);
  });

  it("lists the period's rectification records, the overdue ones marked as of the report", async () => {
    const db = await getDb();
    const period = (await getPeriod("2026"))!;
    const unit = (await listUnits()).find((u) => u.code === "C01")!;
    const late = await db.rectification.create({
      data: { periodId: period.id, unitId: unit.id, source: "item", subjectKey: "item:q_efficiency", itemKey: "q_efficiency", openedAt: new Date("2026-11-01T02:00:00Z"), dueAt: new Date("2026-11-20T15:59:59Z") },
    });
    const done = await db.rectification.create({
      data: { periodId: period.id, unitId: unit.id, source: "item", subjectKey: "item:q_attitude", itemKey: "q_attitude", status: "accepted", openedAt: new Date("2026-11-01T02:00:00Z"), dueAt: new Date("2026-11-20T15:59:59Z"), acceptedAt: new Date("2026-11-10T02:00:00Z") },
    });
    const report = await assembleReport(period, NOW);
    expect(report.rectifications.map((r) => [r.id, r.status, r.overdue])).toEqual(expect.arrayContaining([[late.id, "open", true], [done.id, "accepted", false]]));
    const html = reportHtml(reportView(report, "en"), "en");
    expect(html).toContain("Rectification records this period: 2; accepted: 1; overdue: 1.");
  });

  it("lists each kind's weakest items, lowest mean first", async () => {
    const report = await assembleReport((await getPeriod("2026"))!, NOW);
    for (const k of report.kinds) {
      if (k.units.every((u) => u.n === 0)) continue;
      expect(k.weakItems.length).toBeGreaterThan(0);
      const means = k.weakItems.map((i) => round2(i.mean));
      expect(means).toEqual([...means].sort((a, b) => a - b));
      expect(k.weakItems[0]!.texts["zh-Hans"]).toBeTruthy();
    }
  });

  it("prints from one HTML document in the report's language and direction, with the ranking", async () => {
    const report = await assembleReport((await getPeriod("2026"))!, NOW);
    const html = reportHtml(reportView(report, "ug"), "ug");
    expect(html).toMatch(/^<!DOCTYPE html><html lang="ug" dir="rtl">/);
    expect(html).toContain("<title>");
    expect(html).not.toContain("<script");
    // (The inline styles are empty under Vitest, which stubs CSS; the e2e test prints the real ones.)
    const ranked = report.kinds.flatMap((k) => k.units).filter((u) => u.rank !== null);
    for (const u of ranked) expect(html).toContain(u.names.ug!);
    const zh = reportHtml(reportView(report, "zh-Hans"), "zh-Hans");
    expect(zh).toMatch(/<html lang="zh-Hans" dir="ltr">/);
    expect(zh).toContain("冻结数字");
  });
});
