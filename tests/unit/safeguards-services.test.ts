// The safeguards on a real database: what unit staff get of a comment from the services (no time,
// no numbers, on the results page, the unit's page and the results CSV), and the facts the
// confirmation steps show, read without changing anything.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "./support/test-db";

const { dir } = freshTestDatabase("safeguards");

const { db, getDb } = await import("#app/lib/db.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { submitResponse } = await import("#app/models/response.server");
const { resolveSurvey } = await import("#app/services/citizen-survey.server");
const { findUnitByCode } = await import("#app/models/unit.server");
const { getPeriod } = await import("#app/models/period.server");
const { surveyResults } = await import("#app/services/survey-results.server");
const { unitComments } = await import("#app/services/dashboard.server");
const { responsesCsvStream } = await import("#app/services/response-export.server");
const { closeConsequence, deactivationConsequence, paramsEffect, publishFeed, removalFacts } = await import("#app/services/safeguards.server");
const { createSurvey, getAuthoringSurvey } = await import("#app/services/survey-authoring.server");
const { checkDefinition } = await import("#app/domain/survey-schema");

type Input = Parameters<typeof submitResponse>[0];
let survey: Input["survey"];
let c05: number;
let c06: number;
// 09:42 in the region (UTC+8): the minute that must not reach unit staff.
const WRITTEN_AT = new Date("2026-06-03T01:42:00Z");
const COMMENT = "窗口的人态度很好";

async function submit(unitId: number, at: Date, grade: number, comment?: string) {
  const answers: Input["answers"] = Object.fromEntries(
    survey.version.questions.filter((q) => q.kind === "grade_core").map((q) => [q.key, { kind: "grade" as const, grade }]),
  );
  if (comment) answers.comment = { kind: "text", text: comment };
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
  return r.id;
}

async function csvText(stream: ReadableStream<Uint8Array>) {
  return (await new Response(stream).text()).replace(/^\uFEFF/, "");
}

let commentResponseId: number;

beforeAll(async () => {
  await seedStructure(await getDb());
  survey = await resolveSurvey("satisfaction-2026", new Date("2026-06-01T10:00:00Z"));
  c05 = (await findUnitByCode("C05"))!.id;
  c06 = (await findUnitByCode("C06"))!.id;
  commentResponseId = await submit(c05, WRITTEN_AT, 5, COMMENT);
  // C05 is rated well, C06 badly: enough responses for both to be ranked by default.
  for (let i = 0; i < 40; i++) await submit(c05, new Date(Date.UTC(2026, 5, 4, 2, i)), 4 + (i % 2));
  for (let i = 0; i < 40; i++) await submit(c06, new Date(Date.UTC(2026, 5, 4, 3, i)), 2 + (i % 2));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("comments for unit staff", () => {
  it("the survey results give unit staff the day alone, the office the ids and time", async () => {
    const day = (await surveyResults(survey.id, [c05], "day")).comments;
    expect(day).toEqual([expect.objectContaining({ text: COMMENT, day: "2026-06-03", full: null })]);
    expect(JSON.stringify(day)).not.toContain("01:42");
    expect(JSON.stringify(day)).not.toContain(String(commentResponseId));
    const full = (await surveyResults(survey.id, [c05], "full")).comments;
    expect(full[0]!.full).toMatchObject({ responseId: commentResponseId, submittedAt: WRITTEN_AT });
  });

  it("the unit's page gets the day alone for unit staff", async () => {
    const period = (await getPeriod("2026"))!;
    const rows = await unitComments(period.id, c05, { includeHidden: false, detail: "day" });
    expect(rows).toEqual([expect.objectContaining({ text: COMMENT, day: "2026-06-03", full: null })]);
    expect(Object.keys(rows[0]!).sort()).toEqual(["day", "excluded", "full", "hidden", "lang", "text"]);
    const office = await unitComments(period.id, c05, { includeHidden: true, detail: "full" });
    expect(office[0]!.full?.responseId).toBe(commentResponseId);
  });

  it("the results CSV has no response number for unit staff", async () => {
    const period = (await getPeriod("2026"))!;
    const unitCsv = await csvText(responsesCsvStream(period, period.params, { surveyId: survey.id, unitIds: [c05], detail: "day" }));
    const [header, ...rows] = unitCsv.trim().split("\n");
    expect(header!.split(",")[0]).toBe("survey");
    expect(header).not.toContain("response_id");
    expect(rows).toHaveLength(41);
    expect(rows.some((r) => r.startsWith(`${commentResponseId},`))).toBe(false);
    const officeCsv = await csvText(responsesCsvStream(period, period.params, { surveyId: survey.id, unitIds: [c05] }));
    expect(officeCsv.split("\n")[0]!.split(",")[0]).toBe("response_id");
    expect(officeCsv).toContain(`\n${commentResponseId},`);
  });
});

describe("the facts of the confirmation steps", () => {
  it("closing: what would be frozen", async () => {
    const facts = await closeConsequence((await getPeriod("2026"))!);
    expect(facts.responses).toBe(81);
    expect(facts.counted).toBe(81);
    expect(facts.withScore).toBeGreaterThanOrEqual(2);
  });

  it("new parameters: whose Q and rank change, computed and not saved", async () => {
    const period = (await getPeriod("2026"))!;
    // A minimum sample above 41 leaves both units unranked.
    const effect = await paramsEffect(period, { ...period.params, minSample: 100 });
    const byCode = Object.fromEntries(effect.changes.map((c) => [c.code, c]));
    expect(byCode.C05).toMatchObject({ rank: { after: null } });
    expect(byCode.C05!.rank.before).not.toBeNull();
    expect(byCode.C06!.rank.after).toBeNull();
    expect(byCode.C05!.names["zh-Hans"]).toBeTruthy();
    // Points for "satisfied" down from 80 to 60: Q falls, the order stays.
    const points = await paramsEffect(period, { ...period.params, gradePoints: { ...period.params.gradePoints, "4": 60 } });
    const q = points.changes.find((c) => c.code === "C05")!.q;
    expect(q.after!).toBeLessThan(q.before!);
    expect((await getPeriod("2026"))!.params).toEqual(period.params);
    const unchanged = await paramsEffect(period, period.params);
    expect(unchanged.changes).toEqual([]);
  });

  it("removing a question: its stored answers and whether it is scored", async () => {
    const authoring = (await getAuthoringSurvey("satisfaction-2026"))!;
    const efficiency = authoring.draft.questions.findIndex((q) => q.key === "efficiency");
    expect(await removalFacts(authoring, authoring.draft, efficiency)).toMatchObject({ key: "efficiency", scored: true, published: true, answers: 81 });
    const comment = authoring.draft.questions.findIndex((q) => q.key === "comment");
    expect(await removalFacts(authoring, authoring.draft, comment)).toMatchObject({ scored: false, answers: 1 });
  });

  it("publishing: a new survey feeds nobody until units are chosen, then lists them", async () => {
    await createSurvey({ slug: "hall-feed", period: "2026", actorId: null });
    const fresh = (await getAuthoringSurvey("hall-feed"))!;
    expect(fresh.draft.target).toEqual({ mode: "units", kind: null, units: [] });
    const published = (await getAuthoringSurvey("satisfaction-2026"))!.published!;
    const def = (d: typeof published) => {
      const r = checkDefinition({ ...d, slug: "hall-feed" });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return r.definition;
    };
    const chosen = await publishFeed(fresh, def({ ...published, target: { mode: "units", kind: null, units: ["C05", "D12"] } }));
    expect(chosen.newly).toEqual(["C05", "D12"]);
    expect(chosen.units.map((u) => u.code)).toEqual(["C05", "D12"]);
    // The demo survey publishing again for the same units feeds nobody new.
    const again = await publishFeed((await getAuthoringSurvey("satisfaction-2026"))!, published);
    expect(again.newly).toEqual([]);
  });

  it("deactivating: open complaints, open surveys and tablets", async () => {
    const unit = (await findUnitByCode("C05"))!;
    const before = await deactivationConsequence(unit);
    expect(before.surveys.map((s) => s.slug)).toContain("satisfaction-2026");
    await db().write((tx) =>
      tx.run(`INSERT INTO KioskLink (surveyId, unitId, kioskId, label, createdAt) VALUES (?, ?, 'hall-x', 'Hall', '2026-06-01T00:00:00.000+00:00')`, survey.id, c05),
    );
    expect((await deactivationConsequence(unit)).tablets).toBe(before.tablets + 1);
  });
});
