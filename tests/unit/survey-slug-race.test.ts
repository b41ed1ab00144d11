// Creating one survey name twice at once (two office tabs, a double click without JavaScript):
// one creation wins, every other gets the translated "already taken" error, never a 500 from the
// unique index.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "./support/test-db";

const { dir } = freshTestDatabase("survey-slug-race");

const { getDb } = await import("#app/lib/db.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { createSurvey, SurveyAuthoringError } = await import("#app/services/survey-authoring.server");

beforeAll(async () => {
  await seedStructure(await getDb());
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("survey names under concurrency", () => {
  it("of simultaneous creations of one name, one succeeds and the others are told it is taken", async () => {
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => createSurvey({ slug: "same-name-2026", period: "2026", actorId: null })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason);
    expect(refused).toHaveLength(5);
    for (const error of refused) {
      expect(error).toBeInstanceOf(SurveyAuthoringError);
      expect(error.errors).toEqual({ slug: "surveys.errors.slugTaken" });
    }
    const db = await getDb();
    expect(await db.survey.count({ where: { slug: "same-name-2026" } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "survey.create", targetId: "same-name-2026" } })).toBe(1);
  });

  it("a later creation of a taken name is refused the same way", async () => {
    const error = await createSurvey({ slug: "same-name-2026", period: "2026", actorId: null }).catch((e) => e);
    expect(error).toBeInstanceOf(SurveyAuthoringError);
    expect(error.errors).toEqual({ slug: "surveys.errors.slugTaken" });
  });
});
