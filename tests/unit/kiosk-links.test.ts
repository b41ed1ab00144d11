// Revocable tablet (kiosk) links against a real SQLite database: a signed link works only while
// its KioskLink row exists for that survey and unit and is not revoked; both changes are audited.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "./support/test-db";

const { dir } = freshTestDatabase("kiosk-links");

const { getDb } = await import("#app/lib/db.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { kioskToken } = await import("#app/lib/kiosk-link.server");
const { KIOSK_ID_PATTERN } = await import("#app/domain/kiosk");
const { createKioskLink, revokeKioskLink, isKioskLinkActive, listKioskLinks, newKioskId } = await import("#app/models/kiosk-link.server");
const { resolveSurveyContext } = await import("#app/services/citizen-survey.server");
const { getSurveyBySlug } = await import("#app/models/survey.server");
const { findUnitByCode } = await import("#app/models/unit.server");

const now = new Date("2026-06-01T10:00:00Z");
const slug = "satisfaction-2026";
let surveyId: number;
let d13: number;
let d12: number;

function request(unit: string, kioskId: string) {
  const params = new URLSearchParams({ unit, kiosk: kioskToken(slug, unit, kioskId) });
  return new Request(`http://localhost/s/${slug}?${params}`);
}

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return (error as { init?: { status?: number } }).init?.status ?? 500;
  }
}

beforeAll(async () => {
  await seedStructure(await getDb());
  surveyId = (await getSurveyBySlug(slug))!.id;
  d13 = (await findUnitByCode("D13"))!.id;
  d12 = (await findUnitByCode("D12"))!.id;
});

afterAll(async () => {
  await (await getDb()).$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("kiosk links", () => {
  it("makes random ids that fit the signed payload", () => {
    const ids = new Set(Array.from({ length: 50 }, newKioskId));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(KIOSK_ID_PATTERN);
  });

  it("refuses a correctly signed link that has no row", async () => {
    expect(await statusOf(resolveSurveyContext(request("D13", "never-created"), slug, now))).toBe(403);
  });

  it("accepts a created link for its survey and unit only, and refuses it at once when revoked", async () => {
    const { id, kioskId } = await createKioskLink({ surveyId, surveySlug: slug, unitId: d13, unitCode: "D13", label: "Hall tablet 1", actorId: null }, now);
    const ctx = await resolveSurveyContext(request("D13", kioskId), slug, now);
    expect(ctx).toMatchObject({ step: "answer", channel: "kiosk", kioskId });
    // The same id signed for another unit (a forged row is impossible, but the check is by survey and unit).
    expect(await isKioskLinkActive(surveyId, d12, kioskId)).toBe(false);
    expect(await statusOf(resolveSurveyContext(request("D12", kioskId), slug, now))).toBe(403);

    expect(await revokeKioskLink({ id, surveyId, reason: "Tablet replaced", actorId: null }, now)).toEqual({ label: "Hall tablet 1" });
    expect(await statusOf(resolveSurveyContext(request("D13", kioskId), slug, now))).toBe(403);
    // Revoking twice, or another survey's link, changes nothing.
    expect(await revokeKioskLink({ id, surveyId, reason: "again", actorId: null }, now)).toBeNull();
    expect(await revokeKioskLink({ id, surveyId: surveyId + 1000, reason: "wrong survey", actorId: null }, now)).toBeNull();

    const listed = (await listKioskLinks(surveyId)).find((k) => k.id === id)!;
    expect(listed.revokedAt).not.toBeNull();
    const audit = await (await getDb()).auditEvent.findMany({ where: { targetType: "kiosk_link", targetId: String(id) }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.note])).toEqual([
      ["kiosk.create", "Hall tablet 1"],
      ["kiosk.revoke", "Tablet replaced"],
    ]);
    expect(audit[0]!.data).toEqual({ survey: slug, unit: "D13", kioskId });
  });

  it("takes a named id from the command line", async () => {
    const { kioskId } = await createKioskLink({ surveyId, surveySlug: slug, unitId: d12, unitCode: "D12", label: "hall-2", actorId: null, kioskId: "hall-2" }, now);
    expect(kioskId).toBe("hall-2");
    expect(await statusOf(resolveSurveyContext(request("D12", "hall-2"), slug, now))).toBe(200);
    await expect(createKioskLink({ surveyId, surveySlug: slug, unitId: d12, unitCode: "D12", label: "bad", actorId: null, kioskId: "no spaces" })).rejects.toThrow();
  });
});
