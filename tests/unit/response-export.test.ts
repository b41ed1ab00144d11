// The office's CSV of a period's responses (app/services/response-export.server.ts) on a real
// database, past one read's worth of responses: every response once, in order, with its own
// answers; one consistent state from the first row to the last while submissions go on; and a
// download abandoned half-way lets go of its read (else SQLite's write-ahead log could never be
// checkpointed and would grow for as long as the server runs; PostgreSQL's VACUUM could remove no
// row deleted or updated since it began).
import fs from "node:fs";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase, testDatabaseKind } from "./support/test-db";

const { dir, dbFile } = freshTestDatabase("response-export");

const { db, getDb } = await import("#app/lib/db.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { submitResponse } = await import("#app/models/response.server");
const { resolveSurvey } = await import("#app/services/citizen-survey.server");
const { findUnitByCode } = await import("#app/models/unit.server");
const { getPeriod } = await import("#app/models/period.server");
const { responsesCsvStream } = await import("#app/services/response-export.server");

type Input = Parameters<typeof submitResponse>[0];
let survey: Input["survey"];
let unitId = 0;
let coreKeys: string[] = [];
/** More than one read of the export (1,000 responses). */
const RESPONSES = 1_203;
let submitted = 0;

/** Response `n` took 60 + n seconds and gave every core question the grade 1 + n % 5. */
async function submit(n: number) {
  const at = new Date(Date.UTC(2026, 5, 3, 1, 0, 0) + n * 1000);
  const answers: Input["answers"] = Object.fromEntries(coreKeys.map((key) => [key, { kind: "grade" as const, grade: (1 + (n % 5)) as 1 | 2 | 3 | 4 | 5 }]));
  const r = await submitResponse({
    survey,
    unitId,
    lang: "zh-Hans",
    channel: "qr",
    deviceId: `dev-${n}`,
    visitId: null,
    ipHash: `net-${n}`,
    startedAt: new Date(at.getTime() - (60 + n) * 1000),
    submittedAt: at,
    flags: [],
    answers,
  });
  if (!r.ok) throw new Error("not stored");
  submitted++;
}

async function submitMany(from: number, count: number) {
  for (let i = 0; i < count; i += 100) await Promise.all(Array.from({ length: Math.min(100, count - i) }, (_, j) => submit(from + i + j)));
}

const period = async () => (await getPeriod("2026"))!;
const rowsOf = (text: string) => {
  const [header, ...rows] = text.replace(/^\uFEFF/, "").trim().split("\n").map((l) => l.split(","));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
};

beforeAll(async () => {
  await seedStructure(await getDb());
  survey = await resolveSurvey("satisfaction-2026", new Date("2026-06-01T10:00:00Z"));
  unitId = (await findUnitByCode("C05"))!.id;
  coreKeys = survey.version.questions.filter((q) => q.kind === "grade_core").map((q) => q.key);
  await submitMany(0, RESPONSES);
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the responses CSV", () => {
  it("has every response once, by number, each with its own answers", async () => {
    const p = await period();
    const rows = rowsOf(await new Response(responsesCsvStream(p, p.params, { surveyId: survey.id })).text());
    expect(rows).toHaveLength(RESPONSES);
    const ids = rows.map((r) => Number(r.response_id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(RESPONSES);
    for (const r of rows) {
      const n = Number(r.seconds) - 60;
      for (const key of coreKeys) expect(r[key], `response taking ${r.seconds} s`).toBe(String(1 + (n % 5)));
    }
  });

  it("unit staff get the same responses without their numbers", async () => {
    const p = await period();
    const rows = rowsOf(await new Response(responsesCsvStream(p, p.params, { surveyId: survey.id, unitIds: [unitId], detail: "day" })).text());
    expect(rows).toHaveLength(RESPONSES);
    expect(rows[0]).not.toHaveProperty("response_id");
    expect(new Set(rows.map((r) => r.seconds)).size).toBe(RESPONSES);
  });

  it("shows the state it started from, while submissions go on", async () => {
    const p = await period();
    const reader = responsesCsvStream(p, p.params, { surveyId: survey.id }).getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value, { stream: true });
    const before = submitted;
    await submitMany(RESPONSES, 5);
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value, { stream: true });
    expect(rowsOf(text)).toHaveLength(before);
    // The next download has them.
    expect(rowsOf(await new Response(responsesCsvStream(p, p.params, { surveyId: survey.id })).text())).toHaveLength(before + 5);
  });

  it("lets go of its read when the download is abandoned", async () => {
    const p = await period();
    const reader = responsesCsvStream(p, p.params, { surveyId: survey.id }).getReader();
    await reader.read();
    await submitMany(RESPONSES + 5, 1);
    // SQLite: can another connection checkpoint the write-ahead log to its end? PostgreSQL: does
    // another client session of this database keep a snapshot (its backend_xmin holds back VACUUM's
    // horizon; the export's is idle in its transaction, or reading its next part)?
    const other = testDatabaseKind === "sqlite" ? new Database(dbFile, { timeout: 0 }) : null;
    const held = async () =>
      other
        ? (other.prepare("PRAGMA wal_checkpoint(TRUNCATE)").get() as { busy: number }).busy === 1
        : Number(
            await db().read.value(
              `SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL`,
            ),
          ) > 0;
    try {
      // The export's read holds the log (the horizon) back...
      expect(await held()).toBe(true);
      await reader.cancel();
      // ...until the download goes away.
      let busy = true;
      for (let i = 0; i < 200 && busy; i++) {
        await new Promise((r) => setTimeout(r, 10));
        busy = await held();
      }
      expect(busy).toBe(false);
    } finally {
      other?.close();
    }
  });
});
