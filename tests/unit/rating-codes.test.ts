// Single-use rating codes (一次一评): the code's form, and issuing, checking, using, expiring and
// revoking against a real SQLite database. Only keyed hashes are stored.
import { randomInt } from "node:crypto";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  batchExpiry,
  formatRatingCode,
  generateRatingCode,
  isWellFormedRatingCode,
  judgeRatingCode,
  normalizeRatingCode,
  parseCounterForm,
  parseRevokeForm,
  parseSheetForm,
  RATING_CODE_ALPHABET,
  ratingCodeUrl,
} from "#app/domain/rating-codes";
import { freshTestDatabase } from "./support/test-db";

const { dir } = freshTestDatabase("rating-codes");

const { closeDatabases, db, getDb } = await import("#app/lib/db.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { checkRatingCode, hashRatingCode, issueRatingCodes, latestBatchIdBy, listRatingCodeBatches, revokeRatingCodeBatch, useRatingCode, getRatingCodeBatch } = await import(
  "#app/models/rating-code.server"
);
const { batchCounts } = await import("#app/services/rating-codes.server");
const { getSurveyBySlug } = await import("#app/models/survey.server");
const { ratingCodeState, resolveSurveyContext, submittedRatingCodeHash } = await import("#app/services/citizen-survey.server");
const { findUnitByCode } = await import("#app/models/unit.server");

const now = new Date("2026-06-01T10:00:00Z");
const hour = 3600_000;
let surveyId: number;
let d13: number;
let d12: number;
let actorId: number;
let responseIds: number[] = [];

function form(values: Record<string, string>) {
  return new URLSearchParams(values);
}

async function issue(size: number, opts: { unitId?: number; unitCode?: string; kind?: "sheet" | "counter"; expiresAt?: Date; after?: number } = {}) {
  const result = await issueRatingCodes(
    {
      surveyId,
      surveySlug: "satisfaction-2026",
      unitId: opts.unitId ?? d13,
      unitCode: opts.unitCode ?? "D13",
      kind: opts.kind ?? "sheet",
      size,
      label: "Counter 3",
      expiresAt: opts.expiresAt ?? new Date(now.getTime() + 30 * 24 * hour),
      actorId,
      after: opts.after ?? (await latestBatchIdBy(actorId)),
    },
    now,
  );
  if (!result.ok) throw new Error(result.error);
  return result;
}

beforeAll(async () => {
  const db = await getDb();
  await seedStructure(db);
  surveyId = (await getSurveyBySlug("satisfaction-2026"))!.id;
  d13 = (await findUnitByCode("D13"))!.id;
  d12 = (await findUnitByCode("D12"))!.id;
  actorId = (await db.staffUser.create({ data: { username: "codes.staff", displayName: "Codes", passwordHash: "x" } })).id;
  // Responses for codes to point at (the foreign key is enforced).
  const version = await db.surveyVersion.findFirstOrThrow({ where: { surveyId } });
  for (let i = 0; i < 3; i++) {
    const r = await db.response.create({
      data: { surveyId, surveyVersionId: version.id, periodId: (await getSurveyBySlug("satisfaction-2026"))!.periodId, unitId: d13, lang: "en", channel: "verified", submittedAt: now },
    });
    responseIds.push(r.id);
  }
});

afterAll(async () => {
  await closeDatabases();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the code itself", () => {
  it("is 10 symbols of a 31-symbol alphabet without look-alikes, from the random source given", () => {
    expect(RATING_CODE_ALPHABET).toHaveLength(31);
    for (const c of "01ILO") expect(RATING_CODE_ALPHABET).not.toContain(c);
    const codes = Array.from({ length: 2000 }, () => generateRatingCode(randomInt));
    for (const c of codes) expect(isWellFormedRatingCode(c)).toBe(true);
    expect(new Set(codes).size).toBe(codes.length);
    // Every symbol turns up (a uniform source over the whole alphabet).
    expect(new Set(codes.join("")).size).toBe(31);
    expect(generateRatingCode(() => 0)).toBe("2222222222");
    expect(generateRatingCode((n) => n - 1)).toBe("ZZZZZZZZZZ");
  });

  it("is shown grouped and read back whatever the case, spaces and dashes", () => {
    expect(formatRatingCode("K7QM2XWDH9")).toBe("K7QM-2XWD-H9");
    expect(normalizeRatingCode(" k7qm-2xwd h9 ")).toBe("K7QM2XWDH9");
    expect(normalizeRatingCode("K7QM–2XWD—H9")).toBe("K7QM2XWDH9");
    expect(isWellFormedRatingCode(normalizeRatingCode("k7qm-2xwd-h9"))).toBe(true);
    expect(isWellFormedRatingCode("K7QM2XWDH")).toBe(false);
    expect(isWellFormedRatingCode("K7QM2XWDH0")).toBe(false);
    expect(hashRatingCode("k7qm 2xwd-h9")).toBe(hashRatingCode("K7QM2XWDH9"));
    expect(hashRatingCode("K7QM2XWDH9")).not.toContain("K7QM");
    expect(ratingCodeUrl("https://pj.example.gov/", "satisfaction-2026", "D13", "k7qm-2xwd-h9")).toBe(
      "https://pj.example.gov/s/satisfaction-2026?unit=D13&c=K7QM2XWDH9",
    );
  });

  it("is judged: unknown, another unit or survey, used, revoked, expired, else valid", () => {
    const code = { id: 7, usedAt: null, surveyId: 1, unitId: 2, expiresAt: new Date(now.getTime() + hour), revokedAt: null };
    expect(judgeRatingCode(null, 1, 2, now)).toEqual({ ok: false, reason: "unknown" });
    expect(judgeRatingCode(code, 1, 2, now)).toEqual({ ok: true, codeId: 7 });
    expect(judgeRatingCode(code, 1, 3, now)).toEqual({ ok: false, reason: "other_unit" });
    expect(judgeRatingCode(code, 9, 2, now)).toEqual({ ok: false, reason: "other_unit" });
    expect(judgeRatingCode({ ...code, usedAt: now, revokedAt: now }, 1, 2, now)).toEqual({ ok: false, reason: "used" });
    expect(judgeRatingCode({ ...code, revokedAt: now }, 1, 2, now)).toEqual({ ok: false, reason: "revoked" });
    expect(judgeRatingCode(code, 1, 2, new Date(now.getTime() + hour))).toEqual({ ok: false, reason: "expired" });
  });
});

describe("the issuing forms", () => {
  it("bound the size, the lifetime and the label", () => {
    const base = { unit: "D13", survey: "satisfaction-2026", after: "4", size: "30", days: "30", label: "  Counter   3 " };
    expect(parseSheetForm(form(base))).toEqual({ ok: true, data: { unit: "D13", survey: "satisfaction-2026", after: 4, size: 30, days: 30, label: "Counter 3" } });
    for (const size of ["0", "501", "2.5", "", "abc", "-1"]) expect(parseSheetForm(form({ ...base, size }))).toMatchObject({ ok: false, errors: { size: "codes.errors.size" } });
    for (const days of ["0", "91", ""]) expect(parseSheetForm(form({ ...base, days }))).toMatchObject({ ok: false, errors: { days: "codes.errors.days" } });
    expect(parseSheetForm(form({ ...base, label: "x".repeat(61) }))).toMatchObject({ ok: false, errors: { label: "codes.errors.label" } });
    // Hidden fields have no place on the page: their error is the form's too, said above it.
    expect(parseSheetForm(form({ ...base, unit: "D13<script>" }))).toMatchObject({ ok: false, errors: { unit: "codes.errors.unit", form: "codes.errors.unit" } });
    expect(parseSheetForm(form({ ...base, survey: "../x" }))).toMatchObject({ ok: false, errors: { survey: "codes.errors.survey", form: "codes.errors.survey" } });
    for (const after of ["-1", "1e3", "01", "4.0"]) expect(parseSheetForm(form({ ...base, after }))).toMatchObject({ ok: false, errors: { after: "codes.errors.repeated", form: "codes.errors.repeated" } });
    expect(parseCounterForm(form({ unit: "D13", survey: "", after: "0", hours: "2" }))).toMatchObject({ ok: false, errors: { form: "codes.errors.survey" } });
    // A visible field keeps its error to itself.
    const sizeOnly = parseSheetForm(form({ ...base, size: "0" }));
    expect(sizeOnly.ok ? {} : sizeOnly.errors).toEqual({ size: "codes.errors.size" });
    expect(parseSheetForm(form({ ...base, after: "" }))).toMatchObject({ ok: true, data: { after: 0 } });
    const counter = { unit: "D13", survey: "satisfaction-2026", after: "0", hours: "2" };
    expect(parseCounterForm(form(counter))).toMatchObject({ ok: true, data: { hours: 2, after: 0 } });
    for (const hours of ["0", "25", ""]) expect(parseCounterForm(form({ ...counter, hours }))).toMatchObject({ ok: false, errors: { hours: "codes.errors.hours" } });
    expect(parseRevokeForm(form({ reason: " " }))).toMatchObject({ ok: false, errors: { reason: "codes.errors.reason" } });
    expect(parseRevokeForm(form({ reason: "Slips lost" }))).toEqual({ ok: true, data: { reason: "Slips lost" } });
    expect(batchExpiry("sheet", 30, now).getTime() - now.getTime()).toBe(30 * 24 * hour);
    expect(batchExpiry("counter", 2, now).getTime() - now.getTime()).toBe(2 * hour);
  });
});

describe("issuing, checking and using codes", () => {
  it("stores only hashes; a code verifies its own unit and survey once", async () => {
    const { batchId, codes } = await issue(5);
    expect(codes).toHaveLength(5);
    expect(new Set(codes).size).toBe(5);
    const rows = (await db().read.all(`SELECT codeHash FROM RatingCode WHERE batchId = ?`, batchId)) as { codeHash: string }[];
    expect(rows.map((r) => r.codeHash).sort()).toEqual(codes.map(hashRatingCode).sort());
    // The code's text appears nowhere in the database, the audit trail included.
    const dump = JSON.stringify([await db().read.all(`SELECT * FROM RatingCode`), await db().read.all(`SELECT * FROM AuditEvent`)]);
    for (const c of codes) expect(dump).not.toContain(c);

    const hash = hashRatingCode(formatRatingCode(codes[0]!).toLowerCase());
    const check = await checkRatingCode(db().read, hash, surveyId, d13, now);
    expect(check).toMatchObject({ ok: true });
    expect(await checkRatingCode(db().read, hash, surveyId, d12, now)).toEqual({ ok: false, reason: "other_unit" });
    expect(await checkRatingCode(db().read, hash, surveyId + 1000, d13, now)).toEqual({ ok: false, reason: "other_unit" });
    expect(await checkRatingCode(db().read, hashRatingCode("22222-22222"), surveyId, d13, now)).toEqual({ ok: false, reason: "unknown" });

    // Used inside a write transaction, as the submission does.
    await db().write((tx) => useRatingCode(tx, (check as { codeId: number }).codeId, responseIds[0]!, now));
    expect(await checkRatingCode(db().read, hash, surveyId, d13, now)).toEqual({ ok: false, reason: "used" });
    // A second use fails and rolls back its transaction.
    await expect(db().write((tx) => useRatingCode(tx, (check as { codeId: number }).codeId, responseIds[1]!, now))).rejects.toThrow(/already used/);
    const used = (await db().read.get(`SELECT responseId, usedAt FROM RatingCode WHERE codeHash = ?`, hash)) as { responseId: number; usedAt: string };
    expect(used.responseId).toBe(responseIds[0]);

    const batch = (await getRatingCodeBatch(batchId))!;
    expect(batchCounts(batch, now)).toEqual({ state: "active", issued: 5, used: 1, unused: 4, expired: 0, revoked: 0 });
  });

  it("expires codes at the batch's time", async () => {
    const { batchId, codes } = await issue(2, { kind: "counter", expiresAt: new Date(now.getTime() + 2 * hour) });
    const hash = hashRatingCode(codes[0]!);
    expect(await checkRatingCode(db().read, hash, surveyId, d13, new Date(now.getTime() + 2 * hour - 1))).toMatchObject({ ok: true });
    expect(await checkRatingCode(db().read, hash, surveyId, d13, new Date(now.getTime() + 2 * hour))).toEqual({ ok: false, reason: "expired" });
    const batch = (await getRatingCodeBatch(batchId))!;
    expect(batchCounts(batch, new Date(now.getTime() + 3 * hour))).toMatchObject({ state: "expired", unused: 0, expired: 2 });
  });

  it("revokes a batch with a reason, audited, once", async () => {
    const { batchId, codes } = await issue(3);
    const hash = hashRatingCode(codes[1]!);
    const ok = await checkRatingCode(db().read, hash, surveyId, d13, now) as { ok: true; codeId: number };
    await db().write((tx) => useRatingCode(tx, ok.codeId, responseIds[2]!, now));
    expect(await revokeRatingCodeBatch({ batchId, reason: "Slips lost", actorId }, now)).toBe(true);
    expect(await revokeRatingCodeBatch({ batchId, reason: "again", actorId }, now)).toBe(false);
    expect(await checkRatingCode(db().read, hashRatingCode(codes[0]!), surveyId, d13, now)).toEqual({ ok: false, reason: "revoked" });
    // A code used before the revocation stays used (and its response verified).
    expect(await checkRatingCode(db().read, hash, surveyId, d13, now)).toEqual({ ok: false, reason: "used" });
    const batch = (await getRatingCodeBatch(batchId))!;
    expect(batch.revokeReason).toBe("Slips lost");
    expect(batchCounts(batch, now)).toMatchObject({ state: "revoked", used: 1, unused: 0, revoked: 2 });
    const audit = await (await getDb()).auditEvent.findMany({ where: { targetType: "rating_code_batch", targetId: String(batchId) }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.note])).toEqual([
      ["rating_code.issue", "Counter 3"],
      ["rating_code.revoke", "Slips lost"],
    ]);
    expect(audit[1]!.data).toEqual({ unusedCodes: 2 });
  });

  it("issues nothing when the form is sent again (a reload of the page that showed the codes)", async () => {
    const before = await latestBatchIdBy(actorId);
    const first = await issue(2, { after: before });
    await expect(
      issueRatingCodes({ surveyId, surveySlug: "satisfaction-2026", unitId: d13, unitCode: "D13", kind: "sheet", size: 2, label: null, expiresAt: new Date(now.getTime() + hour), actorId, after: before }, now),
    ).resolves.toEqual({ ok: false, error: "codes.errors.repeated" });
    expect(await latestBatchIdBy(actorId)).toBe(first.batchId);
  });

  it("lists batches of the given units, newest first, with the number used", async () => {
    await issue(1, { unitId: d12, unitCode: "D12", kind: "counter" });
    const d13Batches = await listRatingCodeBatches({ unitIds: [d13] });
    expect(d13Batches.every((b) => b.unit.code === "D13")).toBe(true);
    expect(d13Batches.map((b) => b.id)).toEqual([...d13Batches.map((b) => b.id)].sort((a, b) => b - a));
    expect(d13Batches.find((b) => b.size === 5)?.used).toBe(1);
    const all = await listRatingCodeBatches({ unitIds: null });
    expect(all.some((b) => b.unit.code === "D12")).toBe(true);
    expect((await listRatingCodeBatches({ unitIds: [] })).length).toBe(0);
  });

  it("issues a full sheet of 500 quickly, all distinct", async () => {
    const started = Date.now();
    const { codes } = await issue(500);
    expect(new Set(codes).size).toBe(500);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe("the citizen's page", () => {
  async function stateFor(query: string, path = "/s/satisfaction-2026") {
    const request = new Request(`http://localhost${path}?${query}`);
    const ctx = await resolveSurveyContext(request, "satisfaction-2026", now);
    if (ctx.step !== "answer") throw new Error("no unit");
    return { state: await ratingCodeState(request, ctx, now), ctx };
  }

  it("reads the link's code: valid, refused with a link without it, or none", async () => {
    const { codes } = await issue(2);
    const grouped = formatRatingCode(codes[0]!).toLowerCase();
    expect((await stateFor(`unit=D13&c=${grouped}&lng=ug`)).state).toEqual({ state: "verified", code: codes[0] });
    expect((await stateFor(`unit=D12&c=${codes[0]}&ch=qr&lng=ug`)).state).toEqual({
      state: "refused",
      reason: "other_unit",
      withoutCodeUrl: "/s/satisfaction-2026?unit=D12&ch=qr&lng=ug",
    });
    // The scripts' data request for the page links to the page, not to its data.
    expect((await stateFor(`unit=D12&c=${codes[0]}&lng=ug&_routes=routes%2Fsurvey`, "/s/satisfaction-2026.data")).state).toMatchObject({
      state: "refused",
      withoutCodeUrl: "/s/satisfaction-2026?unit=D12&lng=ug",
    });
    expect((await stateFor(`unit=D13&c=not-a-code`)).state).toMatchObject({ state: "refused", reason: "unknown" });
    expect((await stateFor(`unit=D13&c=`)).state).toBeNull();
    expect((await stateFor(`unit=D13`)).state).toBeNull();
  });

  it("posts the form's code as its hash; none without one", async () => {
    const { ctx } = await stateFor("unit=D13");
    expect(submittedRatingCodeHash(new URLSearchParams({ c: "k7qm-2xwd-h9" }), ctx)).toBe(hashRatingCode("K7QM2XWDH9"));
    expect(submittedRatingCodeHash(new URLSearchParams({ c: " " }), ctx)).toBeNull();
    expect(submittedRatingCodeHash(new URLSearchParams(), ctx)).toBeNull();
  });
});
