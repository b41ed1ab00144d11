// Stuffing scenarios on the real write path (docs/decisions/0010): what one person with many
// fresh browsers on one network can add to a unit's score, what a busy service hall on shared
// Wi-Fi loses (nothing wholesale), and the other two checks (one browser hopping across units,
// copies of one answer pattern). Also the office's review: a cluster excluded in one action and
// reinstated, with the live figures equal to the recomputation throughout.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prng } from "#app/lib/prng";
import { answerPattern, isNetworkBurst, normaliseComment } from "#app/domain/stuffing";
import { freshTestDatabase } from "./support/test-db";

const { dir } = freshTestDatabase("stuffing");

const { db, dbDateTime, getDb } = await import("#app/lib/db.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { submitResponse } = await import("#app/models/response.server");
const { resolveSurvey } = await import("#app/services/citizen-survey.server");
const { findUnitByCode } = await import("#app/models/unit.server");
const { computeFigures, auditPeriod } = await import("#app/services/scores.server");
const { getPeriod } = await import("#app/models/period.server");
const { excludeResponses, reinstateResponses } = await import("#app/services/moderation.server");
const { runDataTasks } = await import("#app/services/data-tasks.server");
const { hopKey } = await import("#app/lib/device.server");
const { issueRatingCodes, hashRatingCode } = await import("#app/models/rating-code.server");

type Input = Parameters<typeof submitResponse>[0];
type Survey = Input["survey"];
let survey: Survey;
const unitIds: Record<string, number> = {};

const worst = (s: Survey) =>
  Object.fromEntries(s.version.questions.filter((q) => q.kind === "grade_core").map((q) => [q.key, { kind: "grade" as const, grade: 1 }]));
const gradesOf = (s: Survey, grade: number) =>
  Object.fromEntries(s.version.questions.filter((q) => q.kind === "grade_core").map((q) => [q.key, { kind: "grade" as const, grade }]));

function submit(over: Partial<Input> & { unit: string; at: Date }) {
  const { unit, at, ...rest } = over;
  return submitResponse({
    survey,
    unitId: unitIds[unit]!,
    lang: "zh-Hans",
    channel: "qr",
    deviceId: `dev-${Math.random()}`,
    visitId: null,
    ipHash: "net-A",
    startedAt: new Date(at.getTime() - 60_000),
    submittedAt: at,
    flags: [],
    answers: worst(survey),
    ...rest,
  });
}

async function flagsOf(ids: number[], flag: string): Promise<number> {
  if (ids.length === 0) return 0;
  return Number(await db().read.value(`SELECT COUNT(*) FROM ResponseFlag WHERE flag = ? AND responseId IN (${ids.join(",")})`, flag));
}
/** Each response's count of one flag, in order. */
const flagsEach = (ids: number[], flag: string) => Promise.all(ids.map((id) => flagsOf([id], flag)));

async function counted(unit: string) {
  const figures = await computeFigures((await getPeriod("2026"))!, { now: new Date("2026-12-01T00:00:00Z") });
  return figures.units.find((u) => u.code === unit)!;
}

beforeAll(async () => {
  await seedStructure(await getDb());
  survey = await resolveSurvey("satisfaction-2026", new Date("2026-06-01T10:00:00Z"));
  for (const code of ["C01", "C02", "C03", "C04", "C05", "C06", "D11", "D12", "D13"]) unitIds[code] = (await findUnitByCode(code))!.id;
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the rules", () => {
  it("flag from the limit on", () => {
    expect(isNetworkBurst(5, 6)).toBe(false);
    expect(isNetworkBurst(6, 6)).toBe(true);
  });

  it("compare comments without case, spacing or punctuation, and need a comment to call responses copies", () => {
    expect(normaliseComment(" 办事 效率太低！！ ")).toBe(normaliseComment("办事效率太低"));
    expect(answerPattern({ overall: { kind: "grade", grade: 5 } })).toBeNull();
    expect(answerPattern({ overall: { kind: "grade", grade: 5 }, comment: { kind: "text", text: "好" } })).toBeNull();
    const a = answerPattern({ overall: { kind: "grade", grade: 1 }, comment: { kind: "text", text: "窗口人员态度恶劣" } });
    expect(a).toEqual(answerPattern({ comment: { kind: "text", text: "窗口人员 态度恶劣。" }, overall: { kind: "grade", grade: 1 } }));
    expect(a?.pattern).not.toBe(answerPattern({ overall: { kind: "grade", grade: 2 }, comment: { kind: "text", text: "窗口人员态度恶劣" } })?.pattern);
    // "服务态度很好" (6 characters) is short: a copy only from the same network within a day.
    expect(answerPattern({ comment: { kind: "text", text: "服务态度很好" } })?.long).toBe(false);
    expect(answerPattern({ comment: { kind: "text", text: "工作人员推诿扯皮，办事效率极低，等了三个小时" } })?.long).toBe(true);
  });
});

describe("stuffing scenarios", () => {
  it("30 fresh browsers from one network within minutes add at most a handful of counted responses", async () => {
    const before = await counted("C06");
    const start = new Date("2026-11-12T02:00:00Z").getTime();
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await submit({ unit: "C06", at: new Date(start + i * 8_000), deviceId: `fresh-${i}`, ipHash: "attacker-net" });
      expect(r.ok).toBe(true);
      if (r.ok) ids.push(r.id);
    }
    const after = await counted("C06");
    const added = after.n - before.n;
    expect(added).toBeLessThanOrEqual(survey.burstLimit);
    expect(await flagsOf(ids, "network_burst")).toBe(30 - survey.burstLimit);
    expect(after.exclusions.network_burst).toBe(30 - survey.burstLimit);
    // Every response is kept, flagged, never dropped.
    expect(Number(await db().read.value(`SELECT COUNT(*) FROM Response WHERE id IN (${ids.join(",")})`))).toBe(30);
  });

  it("200 citizens over a working day at a service hall with one shared address are not flagged wholesale", async () => {
    const rand = prng(11);
    // A working day with a busy morning: 120 citizens between 09:00 and 12:00 (40 an hour) and 80
    // between 14:30 and 17:30, local time, arriving at random.
    const morning = new Date("2026-11-16T01:00:00Z").getTime();
    const afternoon = new Date("2026-11-16T06:30:00Z").getTime();
    const times = Array.from({ length: 200 }, (_, i) => (i < 120 ? morning : afternoon) + Math.floor(rand() * 3 * 3600_000)).sort((a, b) => a - b);
    const ids: number[] = [];
    for (const [i, t] of times.entries()) {
      const r = await submit({ unit: "D13", at: new Date(t), deviceId: `citizen-${i}`, ipHash: "hall-wifi", answers: gradesOf(survey, 4 + (i % 2)) });
      if (r.ok) ids.push(r.id);
    }
    expect(ids).toHaveLength(200);
    const flagged = await flagsOf(ids, "network_burst");
    console.log(`service hall: ${flagged} of 200 flagged as network_burst`);
    expect(flagged / 200).toBeLessThan(0.1);
  });

  it("never flags verified (rating-code) or kiosk responses as a burst, and does not count them toward one", async () => {
    const start = new Date("2026-11-17T02:00:00Z").getTime();
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await submit({ unit: "D12", at: new Date(start + i * 2_000), channel: "verified", deviceId: "one-phone", ipHash: "counter-net" });
      expect(r.ok).toBe(true);
      if (r.ok) ids.push(r.id);
    }
    for (let i = 0; i < 10; i++) {
      const r = await submit({ unit: "D12", at: new Date(start + 40_000 + i * 2_000), channel: "kiosk", visitId: `visit-${i}`, deviceId: null, ipHash: "counter-net" });
      if (r.ok) ids.push(r.id);
    }
    expect(await flagsOf(ids, "network_burst")).toBe(0);
    // Twenty codes from one phone in 40 seconds are a burst of codes, though (see below).
    expect(await flagsOf(ids.slice(0, 20), "code_burst")).toBeGreaterThan(0);
    // An ordinary response right after them is the first from that network, not the 31st.
    const link = await submit({ unit: "D12", at: new Date(start + 70_000), channel: "link", ipHash: "counter-net" });
    expect(link.ok && (await flagsOf([link.id], "network_burst"))).toBe(0);
  });

  it("flags one browser rating more units than a citizen can visit in half an hour", async () => {
    const start = new Date("2026-11-18T03:00:00Z").getTime();
    const key = hopKey("hopper-browser", survey.id);
    const ids: number[] = [];
    for (const [i, unit] of ["C01", "C02", "C03", "C04"].entries()) {
      const r = await submit({ unit, at: new Date(start + i * 60_000), deviceId: `hopper-${unit}`, ipHash: `net-${i}`, hopKey: key });
      if (r.ok) ids.push(r.id);
    }
    expect(await flagsEach(ids, "device_hopping")).toEqual([0, 0, 1, 1]);
    // Another browser doing the same at a walking pace is not flagged.
    const other = hopKey("walker-browser", survey.id);
    const walked: number[] = [];
    for (const [i, unit] of ["C01", "C02", "C03"].entries()) {
      const r = await submit({ unit, at: new Date(start + i * 40 * 60_000), deviceId: `walker-${unit}`, ipHash: `walk-${i}`, hopKey: other });
      if (r.ok) walked.push(r.id);
    }
    expect(await flagsOf(walked, "device_hopping")).toBe(0);
  });

  it("flags identical answers with the same comment, but not the same grades without one", async () => {
    const start = new Date("2026-11-19T03:00:00Z").getTime();
    const comment = survey.version.questions.find((q) => q.kind === "text")!.key;
    const text = "工作人员推诿扯皮，办事效率极低，等了三个小时";
    const copy = { ...worst(survey), [comment]: { kind: "text" as const, text } };
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await submit({ unit: "C05", at: new Date(start + i * 3600_000), answers: { ...copy, [comment]: { kind: "text", text: i === 2 ? "工作人员 推诿扯皮，办事效率极低！等了三个小时" : text } }, ipHash: `copy-${i}` });
      if (r.ok) ids.push(r.id);
    }
    expect(await flagsEach(ids, "same_answers")).toEqual([0, 1, 1]);
    const plain: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await submit({ unit: "C05", at: new Date(start + 7200_000 + i * 3600_000), answers: gradesOf(survey, 5), ipHash: `plain-${i}` });
      if (r.ok) plain.push(r.id);
    }
    expect(await flagsOf(plain, "same_answers")).toBe(0);
    // A short common comment: two citizens on their own networks are not copies, the same network is.
    const short = { ...gradesOf(survey, 5), [comment]: { kind: "text" as const, text: "服务态度很好" } };
    const shortIds: number[] = [];
    for (const [i, net] of ["home-1", "home-2", "home-2"].entries()) {
      const r = await submit({ unit: "C05", at: new Date(start + 20 * 3600_000 + i * 600_000), answers: short, ipHash: net });
      if (r.ok) shortIds.push(r.id);
    }
    expect(await flagsEach(shortIds, "same_answers")).toEqual([0, 0, 1]);
  });

  it("flags rating codes used in a burst from one network or again and again by one browser (the unit issues its own codes)", async () => {
    const at = new Date("2026-11-21T03:00:00Z").getTime();
    const issued = await issueRatingCodes({ surveyId: survey.id, surveySlug: survey.slug, unitId: unitIds.C04!, unitCode: "C04", kind: "sheet", size: 10, label: null, expiresAt: new Date(at + 86400_000), actorId: 3, after: 0 }, new Date(at));
    if (!issued.ok) throw new Error("not issued");
    const [a, b, c, d, e, f, g, h] = issued.codes.map((code) => hashRatingCode(code));
    // Staff filling slips from one office PC: from the third code of that browser on.
    const pc: number[] = [];
    for (const [i, code] of [a, b, c, d].entries()) {
      const r = await submit({ unit: "C04", at: new Date(at + i * 3600_000), ratingCodeHash: code!, deviceId: "office-pc", ipHash: `office-${i}` });
      if (r.ok) pc.push(r.id);
    }
    expect(await flagsEach(pc, "code_burst")).toEqual([0, 0, 1, 1]);
    // Four citizens' phones on the hall's Wi-Fi within two minutes: not a burst (the limit is 5).
    const hall: number[] = [];
    for (const [i, code] of [e, f, g, h].entries()) {
      const r = await submit({ unit: "C04", at: new Date(at + 10 * 3600_000 + i * 20_000), ratingCodeHash: code!, deviceId: `phone-${i}`, ipHash: "hall-wifi-c04" });
      if (r.ok) hall.push(r.id);
    }
    expect(await flagsOf(hall, "code_burst")).toBe(0);
    expect(await flagsOf([...pc, ...hall], "network_burst")).toBe(0);
  });
});

describe("the office decides", () => {
  it("reinstates burst-flagged responses and excludes a cluster in one action, audited, with the live figures equal to the audit", async () => {
    const period = (await getPeriod("2026"))!;
    const ids = await db().read.pluck<number>(
      `SELECT responseId FROM ResponseFlag WHERE flag = 'network_burst' AND responseId IN (SELECT id FROM Response WHERE unitId = ?) ORDER BY responseId`,
      unitIds.C06!,
    );
    const before = await counted("C06");
    expect(await reinstateResponses(ids.slice(0, 4), "network_burst", "one family rating together at home", 1)).toBe(4);
    expect((await counted("C06")).n).toBe(before.n + 4);
    expect((await auditPeriod(period)).equal).toBe(true);
    const all = await db().read.pluck<number>(
      `SELECT id FROM Response WHERE unitId = ? AND submittedAt >= ? AND submittedAt < ?`,
      unitIds.C06!,
      dbDateTime(new Date("2026-11-12T00:00:00Z")),
      dbDateTime(new Date("2026-11-13T00:00:00Z")),
    );
    expect(await excludeResponses(all, "coordinated worst grades from one network", 1)).toBe(30);
    expect(await excludeResponses(all, "again", 1)).toBe(0);
    const after = await counted("C06");
    expect(after.n).toBe(before.n - survey.burstLimit);
    expect(after.exclusions.excluded).toBe(30);
    expect((await auditPeriod(period)).equal).toBe(true);
    const audit = await db().read.all(`SELECT action, COUNT(*) AS n FROM AuditEvent WHERE action IN ('response.exclude', 'response.reinstate') GROUP BY action ORDER BY action`);
    expect(audit).toEqual([
      { action: "response.exclude", n: 30 },
      { action: "response.reinstate", n: 4 },
    ]);
    // Reinstating the exclusion brings them back; nothing was deleted.
    expect(await reinstateResponses(all, "excluded", "decided on appeal", 1)).toBe(30);
    expect((await counted("C06")).n).toBe(before.n + 4);
    expect((await auditPeriod(period)).equal).toBe(true);
  });
});

describe("verified responses in the score", () => {
  it("shows n and S by channel, and can weight or restrict S to verified responses", async () => {
    const period = (await getPeriod("2026"))!;
    const now = new Date("2026-12-01T00:00:00Z");
    const unit = "D11";
    const start = new Date("2026-10-01T02:00:00Z").getTime();
    for (let i = 0; i < 10; i++) await submit({ unit, at: new Date(start + i * 3600_000), channel: "verified", answers: gradesOf(survey, 5), ipHash: `v-${i}` });
    for (let i = 0; i < 10; i++) await submit({ unit, at: new Date(start + 40 * 3600_000 + i * 3600_000), channel: "link", answers: gradesOf(survey, 3), ipHash: `l-${i}` });
    const plain = (await computeFigures(period, { now })).units.find((u) => u.code === unit)!;
    expect(plain.byChannel).toEqual({ link: { n: 10, s: 60 }, verified: { n: 10, s: 100 } });
    expect(plain.s).toBe(80);
    const weighted = (await computeFigures(period, { now, params: { ...period.params, verifiedWeight: 3 } })).units.find((u) => u.code === unit)!;
    expect(weighted.s).toBeCloseTo(90, 10);
    expect(weighted.n).toBe(20);
    const only = (await computeFigures(period, { now, params: { ...period.params, verifiedOnly: true } })).units.find((u) => u.code === unit)!;
    expect(only.s).toBe(100);
    expect(only.n).toBe(10);
    expect(only.exclusions.not_verified).toBe(10);
    expect(only.byChannel.link).toEqual({ n: 10, s: 60 });
  });
});

describe("figures frozen before channels were kept apart", () => {
  it("say nothing per channel rather than zero responses", async () => {
    const { publishedRow, scoresCsv } = await import("#app/services/score-export.server");
    const figures = (await computeFigures((await getPeriod("2026"))!, { now: new Date("2026-12-01T00:00:00Z") })).units[0]!;
    const { byChannel: _, ...frozenUnder2026_1 } = figures;
    expect(publishedRow(figures, null).byChannel).toMatchObject({ link: { n: expect.any(Number) } });
    const old = publishedRow(frozenUnder2026_1 as typeof figures, 7);
    expect(old.byChannel).toBeNull();
    expect(scoresCsv([old], ["en"]).trim().split("\n")[1]).toMatch(/,,,,,,,,,7$/);
  });
});

describe("rating codes on the write path", () => {
  it("a valid code makes the response verified once; the same code again, or at another unit, is refused and stores nothing", async () => {
    const at = new Date("2026-11-20T03:00:00Z");
    const issued = await issueRatingCodes({ surveyId: survey.id, surveySlug: survey.slug, unitId: unitIds.D13!, unitCode: "D13", kind: "counter", size: 2, label: null, expiresAt: new Date(at.getTime() + 3600_000), actorId: 1, after: 0 }, at);
    expect(issued.ok).toBe(true);
    if (!issued.ok) return;
    const [code, other] = issued.codes as [string, string];
    const count = async () => Number(await db().read.value(`SELECT COUNT(*) FROM Response`));
    const first = await submit({ unit: "D13", at, ratingCodeHash: hashRatingCode(code), deviceId: "phone-1", ipHash: "counter-wifi" });
    expect(first).toMatchObject({ ok: true, verified: true });
    if (!first.ok) return;
    expect(await db().read.value(`SELECT channel FROM Response WHERE id = ?`, first.id)).toBe("verified");
    expect(await db().read.value(`SELECT responseId FROM RatingCode WHERE codeHash = ?`, hashRatingCode(code))).toBe(first.id);
    const before = await count();
    expect(await submit({ unit: "D13", at, ratingCodeHash: hashRatingCode(code), deviceId: "phone-2" })).toEqual({ ok: false, reason: "code", code: "used" });
    expect(await submit({ unit: "D12", at, ratingCodeHash: hashRatingCode(other), deviceId: "phone-3" })).toEqual({ ok: false, reason: "code", code: "other_unit" });
    expect(await submit({ unit: "D13", at, ratingCodeHash: hashRatingCode("ZZZZZZZZZZ"), deviceId: "phone-4" })).toEqual({ ok: false, reason: "code", code: "unknown" });
    expect(await count()).toBe(before);
    // The same phone may rate a second transaction with a second code (the code is the one-time guard) ...
    expect(await submit({ unit: "D13", at: new Date(at.getTime() + 60_000), ratingCodeHash: hashRatingCode(other), deviceId: "phone-1" })).toMatchObject({ ok: true, verified: true });
    // ... but not add an unverified rating of the unit on the same day.
    expect(await submit({ unit: "D13", at: new Date(at.getTime() + 120_000), deviceId: "phone-1" })).toMatchObject({ ok: false, reason: "repeat" });
  });

  it("two citizens sending one code at the same moment: exactly one is verified", async () => {
    const at = new Date("2026-11-20T05:00:00Z");
    const issued = await issueRatingCodes({ surveyId: survey.id, surveySlug: survey.slug, unitId: unitIds.D13!, unitCode: "D13", kind: "counter", size: 1, label: null, expiresAt: new Date(at.getTime() + 3600_000), actorId: 2, after: 0 }, at);
    if (!issued.ok) throw new Error("not issued");
    const hash = hashRatingCode(issued.codes[0]!);
    const results = await Promise.all([1, 2, 3].map((i) => submit({ unit: "D13", at, ratingCodeHash: hash, deviceId: `race-${i}` })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === "code" && r.code === "used")).toHaveLength(2);
  });
});

describe("data tasks", () => {
  it("rebuild tallies a migration left keyed the old way, once", async () => {
    const { db } = await import("#app/lib/db.server");
    const period = (await getPeriod("2026"))!;
    // Tallies kept under keys this release does not make (as before a migration changed them).
    await db().write((tx) => tx.run(`UPDATE ScoreTally SET flags = REPLACE(flags, 'via:', 'old:')`));
    expect((await auditPeriod(period)).equal).toBe(false);
    await db().write((tx) => tx.run(`INSERT INTO DataTask (name, createdAt) VALUES ('rebuild_tallies', ?) ON CONFLICT DO NOTHING`, new Date().toISOString()));
    expect(await runDataTasks()).toContain("rebuild_tallies: score tallies rebuilt for 1 period(s)");
    expect((await auditPeriod(period)).equal).toBe(true);
    expect(await runDataTasks()).toEqual([]);
  });

  it("add the stuffing flags to an open period's saved excluding flags, recorded in its history", async () => {
    const { db } = await import("#app/lib/db.server");
    const id = (await getPeriod("2026"))!.id;
    await db().write(async (tx) => {
      await tx.run(`UPDATE EvaluationPeriod SET params = ? WHERE id = ?`, JSON.stringify({ excludingFlags: ["excluded", "honeypot"], minSample: 20 }), id);
      await tx.run(`INSERT INTO DataTask (name, createdAt) VALUES ('exclude_stuffing_flags', ?) ON CONFLICT DO NOTHING`, new Date().toISOString());
    });
    expect(await runDataTasks()).toEqual(["exclude_stuffing_flags: stuffing flags added to the excluding flags of 1 open period(s)"]);
    const params = JSON.parse((await db().read.value<string>(`SELECT params FROM EvaluationPeriod WHERE id = ?`, id))!);
    expect(params).toEqual({ excludingFlags: ["excluded", "honeypot", "network_burst", "device_hopping", "same_answers", "code_burst"], minSample: 20 });
    expect(await db().read.value(`SELECT COUNT(*) FROM AuditEvent WHERE action = 'period.params' AND targetId = ?`, String(id))).toBe(1);
  });
});
