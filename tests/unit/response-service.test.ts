// The submission service against a real SQLite database: what is stored, and the repeat rules
// enforced inside the transaction.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "./support/test-db";

const { dir } = freshTestDatabase("response-service");

const { getDb } = await import("#app/lib/db.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { submitResponse, deviceNextAllowedAt } = await import("#app/models/response.server");
const { resolveSurvey } = await import("#app/services/citizen-survey.server");
const { findUnitByCode } = await import("#app/models/unit.server");
const { getPeriod } = await import("#app/models/period.server");
const { auditPeriod } = await import("#app/services/scores.server");

type Input = Parameters<typeof submitResponse>[0];
let base: Omit<Input, "deviceId" | "visitId" | "channel" | "submittedAt">;

beforeAll(async () => {
  const db = await getDb();
  await seedStructure(db);
  const survey = await resolveSurvey("satisfaction-2026", new Date("2026-06-01T10:00:00Z"));
  const unit = (await findUnitByCode("C01"))!;
  base = {
    survey,
    unitId: unit.id,
    lang: "ug",
    ipHash: "hash",
    startedAt: new Date("2026-06-01T09:59:00Z"),
    flags: [],
    answers: {
      overall: { kind: "grade", grade: 4 },
      efficiency: { kind: "na" },
      channels: { kind: "multiple", values: ["online"] },
      comment: { kind: "text", text: "ok" },
    },
  };
});

afterAll(async () => {
  await (await getDb()).$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

const at = (iso: string) => new Date(iso);

describe("submitting a response", () => {
  it("stores the response, its answers and its flags together", async () => {
    const result = await submitResponse({
      ...base,
      channel: "link",
      deviceId: "device-aaaaaaaaaaaaaaaa",
      visitId: null,
      submittedAt: at("2026-06-01T10:00:00Z"),
      flags: ["too_fast"],
    });
    expect(result.ok).toBe(true);
    const db = await getDb();
    const stored = await db.response.findUniqueOrThrow({
      where: { id: result.ok ? result.id : -1 },
      include: { answers: { include: { question: true } }, flags: true },
    });
    expect(stored.lang).toBe("ug");
    expect(stored.flags.map((f) => f.flag)).toEqual(["too_fast"]);
    const byKey = Object.fromEntries(stored.answers.map((a) => [a.question.key, a]));
    expect(byKey.overall?.grade).toBe(4);
    expect(byKey.efficiency?.notApplicable).toBe(true);
    expect(byKey.channels?.choice).toBe('["online"]');
    expect(byKey.comment?.text).toBe("ok");
  });

  it("refuses the same device for the same survey and unit within the window, not after", async () => {
    const device = "device-bbbbbbbbbbbbbbbb";
    const first = await submitResponse({ ...base, channel: "qr", deviceId: device, visitId: null, submittedAt: at("2026-06-02T08:00:00Z") });
    expect(first.ok).toBe(true);
    const again = await submitResponse({ ...base, channel: "link", deviceId: device, visitId: null, submittedAt: at("2026-06-02T20:00:00Z") });
    expect(again).toEqual({ ok: false, reason: "repeat", nextAllowedAt: at("2026-06-03T08:00:00Z") });
    expect(await deviceNextAllowedAt(base.survey, base.unitId, device, at("2026-06-02T20:00:00Z"))).toEqual(at("2026-06-03T08:00:00Z"));
    const nextDay = await submitResponse({ ...base, channel: "link", deviceId: device, visitId: null, submittedAt: at("2026-06-03T08:00:01Z") });
    expect(nextDay.ok).toBe(true);
  });

  it("takes one response per kiosk visit, whatever the device", async () => {
    const kiosk = { ...base, channel: "kiosk" as const, deviceId: "tablet-cccccccccccccccc", submittedAt: at("2026-06-04T08:00:00Z") };
    expect((await submitResponse({ ...kiosk, visitId: "visit-1" })).ok).toBe(true);
    expect((await submitResponse({ ...kiosk, visitId: "visit-2" })).ok).toBe(true);
    expect(await submitResponse({ ...kiosk, visitId: "visit-1" })).toEqual({ ok: false, reason: "repeat", nextAllowedAt: null });
    expect(await submitResponse({ ...kiosk, visitId: null })).toEqual({ ok: false, reason: "repeat", nextAllowedAt: null });
  });

  it("stores nothing when the transaction fails part-way", async () => {
    const db = await getDb();
    const before = { responses: await db.response.count(), answers: await db.answer.count() };
    // The response row and the first answer insert fine; the second answer points at a question
    // that does not exist, so its foreign key fails after two rows were written.
    const questions = base.survey.version.questions;
    const broken = {
      ...base.survey,
      version: { ...base.survey.version, questions: questions.map((q) => (q.key === "efficiency" ? { ...q, id: 999_999 } : q)) },
    };
    await expect(
      submitResponse({ ...base, survey: broken, channel: "link", deviceId: "device-dddddddddddddddd", visitId: null, submittedAt: at("2026-06-05T08:00:00Z") }),
    ).rejects.toThrow(/FOREIGN KEY|foreign key/);
    expect(await db.response.count()).toBe(before.responses);
    expect(await db.answer.count()).toBe(before.answers);
  });

  it("commits concurrent submissions together, each on its own: one failure spoils no other, a repeat is still caught", async () => {
    const db = await getDb();
    const before = await db.response.count();
    const at6 = at("2026-06-06T08:00:00Z");
    const broken = {
      ...base.survey,
      version: { ...base.survey.version, questions: base.survey.version.questions.map((q) => ({ ...q, id: 999_999 })) },
    };
    const results = await Promise.allSettled([
      submitResponse({ ...base, channel: "link", deviceId: "device-eeeeeeeeeeeeeeee", visitId: null, submittedAt: at6 }),
      submitResponse({ ...base, survey: broken, channel: "link", deviceId: "device-ffffffffffffffff", visitId: null, submittedAt: at6 }),
      submitResponse({ ...base, channel: "link", deviceId: "device-eeeeeeeeeeeeeeee", visitId: null, submittedAt: at6 }),
      submitResponse({ ...base, channel: "qr", deviceId: "device-gggggggggggggggg", visitId: null, submittedAt: at6 }),
    ]);
    expect(results.map((r) => (r.status === "fulfilled" ? (r.value.ok ? "stored" : r.value.reason) : "failed"))).toEqual([
      "stored",
      "failed",
      "repeat",
      "stored",
    ]);
    expect(await db.response.count()).toBe(before + 2);
  });

  it("200 submissions to one unit at once, with five-grade items: the tallies equal the audit's recomputation", async () => {
    // On PostgreSQL these are 200 transactions on a pool of connections, updating the same tally
    // rows at the same time (the score tallies add up in place; the item counts, one row for the
    // unit whatever the month, are read and written back under a row lock); on SQLite they are
    // one group commit.
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        submitResponse({
          ...base,
          channel: "qr",
          deviceId: `device-crowd-${String(i).padStart(4, "0")}`,
          visitId: null,
          // Four months: four score rows, one item-count row, so only the item row is shared.
          submittedAt: at(`2026-0${6 + (i % 4)}-08T08:00:00Z`),
          answers: { ...base.answers, overall: { kind: "grade", grade: (i % 5) + 1 }, efficiency: { kind: "grade", grade: ((i + 2) % 5) + 1 } },
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(200);
    const period = (await getPeriod("2026"))!;
    const audit = await auditPeriod(period);
    expect(audit.equal).toBe(true);
  });
});
