// The submission counters of /metrics move with the write path (app/models/response.server.ts):
// a stored response counts once under its channel and under each of its quality flags, a resend
// not again, a refused one under its reason.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "./support/test-db";

const { dir } = freshTestDatabase("metrics-submissions");

const { getDb } = await import("#app/lib/db.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { submitResponse } = await import("#app/models/response.server");
const { resolveSurvey } = await import("#app/services/citizen-survey.server");
const { findUnitByCode } = await import("#app/models/unit.server");
const { metricsText } = await import("#app/lib/metrics.server");

type Input = Parameters<typeof submitResponse>[0];
let base: Omit<Input, "deviceId" | "visitId" | "channel" | "submittedAt">;

beforeAll(async () => {
  await seedStructure(await getDb());
  const survey = await resolveSurvey("satisfaction-2026", new Date("2026-06-01T10:00:00Z"));
  base = {
    survey,
    unitId: (await findUnitByCode("C01"))!.id,
    lang: "en",
    ipHash: "hash",
    startedAt: new Date("2026-06-01T09:59:00Z"),
    flags: [],
    answers: { overall: { kind: "grade", grade: 4 } },
  };
});

afterAll(async () => {
  await (await getDb()).$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function counters() {
  const text = await metricsText();
  const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}"]/g, "\\$&")} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
  return {
    qr: value(`civic_survey_submissions_accepted_total{channel="qr"}`),
    link: value(`civic_survey_submissions_accepted_total{channel="link"}`),
    tooFast: value(`civic_survey_submissions_flagged_total{reason="too_fast"}`),
    honeypot: value(`civic_survey_submissions_flagged_total{reason="honeypot"}`),
    repeat: value(`civic_survey_submissions_refused_total{reason="repeat"}`),
    conflict: value(`civic_survey_submissions_refused_total{reason="conflict"}`),
  };
}

describe("submission counters", () => {
  it("start at zero for every channel, flag and refusal", async () => {
    expect(await counters()).toEqual({ qr: 0, link: 0, tooFast: 0, honeypot: 0, repeat: 0, conflict: 0 });
  });

  it("count a stored response under its channel and its flags, once, after the commit", async () => {
    const submissionId = "0f8fad5b-d9cb-469f-a165-70867728950e";
    const input = { ...base, channel: "qr" as const, deviceId: "device-metrics-1", visitId: null, submittedAt: new Date("2026-06-01T10:00:00Z"), flags: ["too_fast" as const], submissionId };
    const first = await submitResponse(input);
    expect(first.ok).toBe(true);
    expect(await counters()).toMatchObject({ qr: 1, link: 0, tooFast: 1, honeypot: 0 });
    // The phone sends it again (a lost answer): the same response, not counted again.
    const resent = await submitResponse(input);
    expect(resent).toMatchObject({ ok: true, resent: true });
    expect(await counters()).toMatchObject({ qr: 1, tooFast: 1 });
    // The same id with other answers: refused as a conflict.
    const other = await submitResponse({ ...input, answers: { overall: { kind: "grade", grade: 1 } } });
    expect(other).toEqual({ ok: false, reason: "conflict" });
    expect(await counters()).toMatchObject({ qr: 1, conflict: 1 });
  });

  it("count a repeat from the same device as refused, not accepted", async () => {
    const input = { ...base, channel: "link" as const, deviceId: "device-metrics-2", visitId: null, submittedAt: new Date("2026-06-02T10:00:00Z") };
    expect((await submitResponse(input)).ok).toBe(true);
    expect((await submitResponse({ ...input, submittedAt: new Date("2026-06-02T11:00:00Z") })).ok).toBe(false);
    expect(await counters()).toMatchObject({ link: 1, repeat: 1 });
  });
});
