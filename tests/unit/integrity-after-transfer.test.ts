// Integrity complaints (廉政) stay hidden from the unit complained about after a transfer: the
// subject unit (Complaint.subjectUnitId), not the unit now handling it, decides which reviewers are
// independent. Checked on the permission rules and on the stored data: the queue query, the case
// loader (case page and photo route) and the contact reveal.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCaseAction } from "#app/domain/case-action-form";
import { parseComplaint } from "#app/domain/complaint-form";
import { type Actor, canActOnCase, canViewCase } from "#app/domain/permissions";
import { freshTestDatabase } from "./support/test-db";

describe("integrity permissions follow the unit complained about", () => {
  // Region 1 > county 2 > township office 3; department 4.
  const parents: Record<number, number | null> = { 1: null, 2: 1, 3: 2, 4: 1 };
  const ancestorsOf = (id: number) => {
    const out: number[] = [];
    for (let p = parents[id]; p != null; p = parents[p]) out.push(p);
    return out;
  };
  const reviewer = { role: "integrity_reviewer", unitId: null, includeSubunits: false } as const;
  const insider: Actor = { userId: 1, grants: [reviewer, { role: "unit_staff", unitId: 4, includeSubunits: false }] };
  const aboveInsider: Actor = { userId: 2, grants: [reviewer, { role: "unit_head", unitId: 2, includeSubunits: true }] };
  const receiverStaff: Actor = { userId: 3, grants: [reviewer, { role: "unit_staff", unitId: 3, includeSubunits: false }] };
  // Against department 4, transferred to township office 3.
  const transferred = { unitId: 3, subjectUnitId: 4, type: "integrity" };
  const againstTownship = { unitId: 4, subjectUnitId: 3, type: "integrity" };

  it("a reviewer on the accused unit's staff neither sees nor handles the case once it is transferred away", () => {
    expect(canViewCase(insider, transferred, ancestorsOf)).toBe(false);
    for (const action of ["accept", "reply", "note", "transfer", "view_contact"] as const) {
      expect(canActOnCase(insider, transferred, action, ancestorsOf), action).toBe(false);
    }
  });

  it("nor does a reviewer above the accused unit, when a case is moved to their own unit's handling", () => {
    expect(canViewCase(aboveInsider, againstTownship, ancestorsOf)).toBe(false);
    expect(canActOnCase(aboveInsider, againstTownship, "view_contact", ancestorsOf)).toBe(false);
  });

  it("a reviewer independent of the accused unit keeps the case, whichever unit handles it", () => {
    expect(canViewCase(receiverStaff, transferred, ancestorsOf)).toBe(true);
    expect(canActOnCase(receiverStaff, transferred, "view_contact", ancestorsOf)).toBe(true);
    expect(canViewCase(insider, againstTownship, ancestorsOf)).toBe(true);
  });

  it("ordinary complaints still follow the handling unit", () => {
    const slow = { unitId: 3, subjectUnitId: 4, type: "slow_action" };
    expect(canViewCase(receiverStaff, slow, ancestorsOf)).toBe(true);
    expect(canViewCase({ userId: 9, grants: [{ role: "unit_staff", unitId: 4, includeSubunits: false }] }, slow, ancestorsOf)).toBe(false);
  });
});

function caseAction(fields: Record<string, string>) {
  const parsed = parseCaseAction(new URLSearchParams(fields));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.data;
}

describe("integrity cases on the stored data after a transfer", () => {
  const { dir } = freshTestDatabase("integrity-transfer");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  let insider: Actor;
  let independent: Actor;
  let reference = "";

  beforeAll(async () => {
    const { getDb } = await import("#app/lib/db.server");
    const { seedStructure } = await import("../../prisma/seed-lib");
    const { createStaffUser } = await import("#app/models/staff.server");
    const { findUnitByCode } = await import("#app/models/unit.server");
    const { fileComplaint } = await import("#app/models/complaint.server");
    const { loadCaseFor, performCaseAction } = await import("#app/services/case-actions.server");
    await seedStructure(await getDb());
    const accused = (await findUnitByCode("D12"))!;
    const grantsOf = (u: { id: number; grants: { role: string; unitId: number | null; includeSubunits: boolean }[] }): Actor => ({
      userId: u.id,
      grants: u.grants.map((g) => ({ role: g.role as Actor["grants"][number]["role"], unitId: g.unitId, includeSubunits: g.includeSubunits })),
    });
    const db = await getDb();
    const make = async (username: string, unitId: number | null) => {
      const u = await createStaffUser({
        username,
        displayName: username,
        password: "a long test password 2026",
        mustChangePassword: false,
        grants: [{ role: "integrity_reviewer", unitId: null }, ...(unitId ? [{ role: "unit_staff" as const, unitId }] : [])],
      });
      return grantsOf(await db.staffUser.findUniqueOrThrow({ where: { id: u.id }, include: { grants: true } }));
    };
    insider = await make("insider", accused.id);
    independent = await make("independent", null);
    const parsed = parseComplaint({
      unit: "D12",
      type: "integrity",
      description: "The clerk asked for money to stamp the form.",
      anonymous: "no",
      contactName: "Whistle Blower",
      contactPhone: "13800000000",
      consent: "yes",
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    ({ reference } = await fileComplaint({
      input: parsed.data,
      unitId: accused.id,
      lang: "en",
      deviceId: null,
      ipHash: null,
    }));
    // Shut out before the transfer, as always.
    expect((await loadCaseFor(insider, reference).catch((e) => e))?.init?.status).toBe(404);
    // The independent reviewer transfers the case to another unit.
    await performCaseAction(independent, reference, caseAction({ intent: "transfer", toUnit: "D13", note: "handled by the county's office" }));
    const stored = await db.complaint.findUniqueOrThrow({ where: { reference } });
    expect(stored.unitId).not.toBe(accused.id);
    expect(stored.subjectUnitId).toBe(accused.id);
  });

  it("the queue of a reviewer on the accused unit's staff does not list it", async () => {
    const { listQueue } = await import("#app/models/case-queue.server");
    expect((await listQueue(insider, {})).rows.map((r) => r.reference)).not.toContain(reference);
    expect((await listQueue(independent, {})).rows.map((r) => r.reference)).toContain(reference);
  });

  it("the case (page and photos) answers 404 to them, and the contact is never revealed", async () => {
    const { loadCaseFor, performCaseAction } = await import("#app/services/case-actions.server");
    const notFound = await loadCaseFor(insider, reference).catch((e) => e);
    expect(notFound?.init?.status).toBe(404);
    const reveal = await performCaseAction(insider, reference, caseAction({ intent: "view_contact" })).catch((e) => e);
    expect(reveal?.init?.status).toBe(404);
    expect(reveal).not.toHaveProperty("contact");
    const { getDb } = await import("#app/lib/db.server");
    const db = await getDb();
    const viewed = await db.complaintEvent.count({ where: { complaint: { reference }, action: "contact_viewed" } });
    expect(viewed).toBe(0);
  });

  it("the independent reviewer still handles it and reads the contact", async () => {
    const { performCaseAction } = await import("#app/services/case-actions.server");
    const result = await performCaseAction(independent, reference, caseAction({ intent: "view_contact" }));
    expect(result.contact?.phone).toBe("13800000000");
  });
});
