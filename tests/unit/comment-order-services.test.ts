// The keyed order on a real database, in the three places unit staff read comments or responses:
// the survey results page (30 comments), the unit's page and the results CSV. The office keeps the
// exact order and the ids.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "./support/test-db";

const { dir } = freshTestDatabase("comment-order");

const { getDb } = await import("#app/lib/db.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { submitResponse } = await import("#app/models/response.server");
const { resolveSurvey } = await import("#app/services/citizen-survey.server");
const { findUnitByCode } = await import("#app/models/unit.server");
const { getPeriod } = await import("#app/models/period.server");
const { surveyResults } = await import("#app/services/survey-results.server");
const { unitComments } = await import("#app/services/dashboard.server");
const { responsesCsvStream } = await import("#app/services/response-export.server");
const { unitReaderOrder } = await import("#app/domain/comment-order");
const { commentOrderKey } = await import("#app/lib/signing.server");

type Input = Parameters<typeof submitResponse>[0];
let survey: Input["survey"];
let c05: number;
// Every response is written down here: its id, its region day and its comment (which says both).
const written: { id: number; day: string; text: string; seconds: number }[] = [];

async function submit(at: Date, day: string, n: number) {
  const answers: Input["answers"] = Object.fromEntries(
    survey.version.questions.filter((q) => q.kind === "grade_core").map((q) => [q.key, { kind: "grade" as const, grade: 4 }]),
  );
  const text = `${day} 第${n}位`;
  answers.comment = { kind: "text", text };
  // Each response took a different number of seconds, which tells its CSV row apart.
  const seconds = 60 + written.length;
  const r = await submitResponse({
    survey,
    unitId: c05,
    lang: "zh-Hans",
    channel: "qr",
    deviceId: `dev-${Math.random()}`,
    visitId: null,
    ipHash: `net-${Math.random()}`,
    startedAt: new Date(at.getTime() - seconds * 1000),
    submittedAt: at,
    flags: [],
    answers,
  });
  if (!r.ok) throw new Error("not stored");
  written.push({ id: r.id, day, text, seconds });
}

const keyed = <T extends { id: number; day: string }>(rows: T[], limit?: number) =>
  unitReaderOrder(rows, { day: (r) => r.day, responseId: (r) => r.id, key: commentOrderKey(), limit });

beforeAll(async () => {
  await seedStructure(await getDb());
  survey = await resolveSurvey("satisfaction-2026", new Date("2026-06-01T10:00:00Z"));
  c05 = (await findUnitByCode("C05"))!.id;
  // Twelve people on 3 June and twenty-five on 4 June (region time, 09:00 onwards), in that order.
  for (let i = 0; i < 12; i++) await submit(new Date(Date.UTC(2026, 5, 3, 1, i)), "2026-06-03", i + 1);
  for (let i = 0; i < 25; i++) await submit(new Date(Date.UTC(2026, 5, 4, 1, i)), "2026-06-04", i + 1);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const june3 = () => written.filter((w) => w.day === "2026-06-03");
const byText = (text: string) => written.find((w) => w.text === text)!;

describe("the survey results' 30 comments", () => {
  it("unit staff: the newest day, then the rest from the day before chosen and ordered by the key", async () => {
    const shown = (await surveyResults(survey.id, [c05], "day")).comments.map((c) => byText(c.text));
    expect(shown).toEqual(keyed(written, 30));
    expect(shown.slice(0, 25).every((w) => w.day === "2026-06-04")).toBe(true);
    // The five from 3 June are not its last five people served, nor in their order.
    const from3 = shown.slice(25).map((w) => w.id);
    expect(from3).toEqual(keyed(june3()).slice(0, 5).map((w) => w.id));
    expect(from3).not.toEqual(june3().slice(-5).map((w) => w.id).reverse());
    // Within 4 June the top one is not the last person served.
    expect(shown.slice(0, 25).map((w) => w.id)).not.toEqual(written.slice(12).map((w) => w.id).reverse());
    expect((await surveyResults(survey.id, [c05], "day")).comments.map((c) => c.text)).toEqual(shown.map((w) => w.text));
  });

  it("the office: the last 30 in submission order, newest first, with their numbers", async () => {
    const shown = (await surveyResults(survey.id, [c05], "full")).comments;
    expect(shown.map((c) => c.full!.responseId)).toEqual(written.slice(-30).map((w) => w.id).reverse());
  });
});

describe("the unit's page", () => {
  it("unit staff: newest day first, keyed within a day and at the cut", async () => {
    const period = (await getPeriod("2026"))!;
    const rows = await unitComments(period.id, c05, { includeHidden: false, detail: "day", take: 30 });
    expect(rows.map((r) => byText(r.text))).toEqual(keyed(written, 30));
    const all = await unitComments(period.id, c05, { includeHidden: false, detail: "day" });
    expect(all.map((r) => byText(r.text))).toEqual(keyed(written));
  });

  it("the office: submission order, newest first", async () => {
    const period = (await getPeriod("2026"))!;
    const rows = await unitComments(period.id, c05, { includeHidden: true, detail: "full", take: 30 });
    expect(rows.map((r) => r.full!.responseId)).toEqual(written.slice(-30).map((w) => w.id).reverse());
  });
});

describe("the results CSV", () => {
  async function csvRows(detail?: "day" | "full") {
    const period = (await getPeriod("2026"))!;
    const text = (await new Response(responsesCsvStream(period, period.params, { surveyId: survey.id, unitIds: [c05], detail })).text()).replace(/^\uFEFF/, "");
    const [header, ...rows] = text.trim().split("\n").map((l) => l.split(","));
    return rows.map((r) => written.find((w) => w.seconds === Number(r[header!.indexOf("seconds")]))!);
  }

  it("unit staff: newest day first, keyed within a day", async () => {
    expect(await csvRows("day")).toEqual(keyed(written));
  });

  it("the office: by response number", async () => {
    expect((await csvRows()).map((w) => w.id)).toEqual(written.map((w) => w.id));
  });
});
