// Administration against a real SQLite database: each change is written with its audit event,
// the tree and last-administrator rules hold on the stored data, a deactivated unit leaves the
// citizens' paths at once, and a reset or deactivated account loses its sessions.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "./support/test-db";

const { dir } = freshTestDatabase("admin-models");

const { getDb } = await import("#app/lib/db.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { createUnit, moveUnit, renameUnit, setUnitActive } = await import("#app/models/unit-admin.server");
const { accountRevision, createAccount, resetPassword, setAccountActive, updateAccount } = await import("#app/models/staff-admin.server");
const { createSession, createStaffUser, userForSession } = await import("#app/models/staff.server");
const { findUnitByCode, listUnits, unitIndex } = await import("#app/models/unit.server");
const { resolveSurveyContext } = await import("#app/services/citizen-survey.server");
const { verifyPassword } = await import("#app/lib/password.server");

const names = (en: string) => ({ "zh-Hans": `${en}（中文）`, ug: `${en} (ug)`, en });
let adminId: number;

async function audit(targetType: string) {
  const db = await getDb();
  return db.auditEvent.findMany({ where: { targetType }, orderBy: { id: "asc" } });
}

beforeAll(async () => {
  await seedStructure(await getDb());
  adminId = (await createStaffUser({ username: "root", displayName: "Root", password: "a long admin password", mustChangePassword: false, grants: [{ role: "admin", unitId: null }] })).id;
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("units", () => {
  it("adds a unit with its audit event; its code can never be taken again", async () => {
    expect(await createUnit({ code: "D20", kind: "department", parentCode: "C01", names: names("Water Office") }, adminId)).toEqual({ ok: true, code: "D20", changed: true });
    const unit = await findUnitByCode("D20");
    expect(unit).toMatchObject({ kind: "department", parentCode: "C01", active: true, names: names("Water Office") });
    const [event] = (await audit("unit")).filter((e) => e.action === "unit.create");
    expect(event).toMatchObject({ actorId: adminId, targetId: String(unit!.id), data: { after: { code: "D20", parent: "C01", kind: "department" } } });
    expect(await createUnit({ code: "D20", kind: "department", parentCode: "REG", names: names("Again") }, adminId)).toEqual({ ok: false, field: "code", error: "admin.errors.unitCodeTaken" });
    expect(await createUnit({ code: "D21", kind: "county", parentCode: "D20", names: names("Odd") }, adminId)).toEqual({ ok: false, field: "parent", error: "admin.errors.parentKind" });
  });

  it("renames and moves with before and after recorded, refusing a loop", async () => {
    expect((await renameUnit("D20", names("Water Bureau"), adminId)).ok).toBe(true);
    expect((await findUnitByCode("D20"))!.names.en).toBe("Water Bureau");
    expect(await renameUnit("D20", names("Water Bureau"), adminId)).toEqual({ ok: true, code: "D20", changed: false });
    await createUnit({ code: "D22", kind: "department", parentCode: "D20", names: names("Sub-office") }, adminId);
    expect(await moveUnit("D20", "D22", adminId)).toEqual({ ok: false, field: "parent", error: "admin.errors.cycle" });
    expect((await moveUnit("D20", "REG", adminId)).ok).toBe(true);
    // The permission index sees the move at once: D22 now sits under D20 under the region.
    const index = await unitIndex();
    const d22 = (await findUnitByCode("D22"))!;
    expect(index.ancestorsOf(d22.id).map((id) => index.byId.get(id)!.code)).toEqual(["D20", "REG"]);
    const events = await audit("unit");
    expect(events.map((e) => e.action)).toEqual(["unit.create", "unit.rename", "unit.create", "unit.move"]);
    expect(events[1]!.data).toMatchObject({ before: { names: { en: "Water Office" } }, after: { names: { en: "Water Bureau" } } });
    expect(events[3]!.data).toMatchObject({ before: { parent: "C01" }, after: { parent: "REG" } });
  });

  it("deactivates a unit only without active sub-units; then citizens can no longer choose or answer for it", async () => {
    expect(await setUnitActive("D20", false, adminId)).toEqual({ ok: false, field: "active", error: "admin.errors.activeSubunits" });
    expect((await setUnitActive("D22", false, adminId)).ok).toBe(true);
    expect((await setUnitActive("D20", false, adminId)).ok).toBe(true);
    expect(await setUnitActive("D22", true, adminId)).toEqual({ ok: false, field: "active", error: "admin.errors.parentInactive" });

    expect((await findUnitByCode("D20"))!.active).toBe(false);
    expect((await listUnits({ activeOnly: true })).map((u) => u.code)).not.toContain("D20");
    const ctx = await resolveSurveyContext(new Request("http://localhost/s/satisfaction-2026?unit=D20"), "satisfaction-2026", new Date("2026-06-01T10:00:00Z"));
    expect(ctx.step).toBe("chooseUnit");
    expect(ctx.step === "chooseUnit" && ctx.inactiveUnit?.code).toBe("D20");
    expect(ctx.step === "chooseUnit" && ctx.unknownCode).toBeNull();

    expect((await setUnitActive("D20", true, adminId)).ok).toBe(true);
    const again = await resolveSurveyContext(new Request("http://localhost/s/satisfaction-2026?unit=D20"), "satisfaction-2026", new Date("2026-06-01T10:00:00Z"));
    expect(again.step).toBe("answer");
    expect((await audit("unit")).slice(-3).map((e) => e.action)).toEqual(["unit.deactivate", "unit.deactivate", "unit.reactivate"]);
  });
});

describe("accounts", () => {
  it("creates an account with a temporary password it must change, never recording the password", async () => {
    const made = await createAccount({ username: "wang.li", displayName: "王丽", grants: [{ role: "unit_staff", unitCode: "C01", includeSubunits: true }] }, adminId);
    if (!made.ok) throw new Error(made.error);
    const db = await getDb();
    const user = await db.staffUser.findUniqueOrThrow({ where: { id: made.id }, include: { grants: { include: { unit: true } } } });
    expect(user.mustChangePassword).toBe(true);
    expect(await verifyPassword(user.passwordHash, made.password)).toBe(true);
    expect(user.grants.map((g) => [g.role, g.unit?.code, g.includeSubunits])).toEqual([["unit_staff", "C01", true]]);
    const events = await audit("staff_user");
    expect(events.at(-1)).toMatchObject({ action: "account.create", targetId: String(made.id) });
    expect(JSON.stringify(events)).not.toContain(made.password);
    expect(await createAccount({ username: "wang.li", displayName: "Another", grants: [{ role: "office", unitCode: null, includeSubunits: false }] }, adminId)).toMatchObject({ ok: false, error: "admin.errors.usernameTaken" });
  });

  it("keeps at least one administrator: nobody removes their own admin role or deactivates themselves", async () => {
    expect(await updateAccount(adminId, { displayName: "Root", grants: [{ role: "office", unitCode: null, includeSubunits: false }] }, adminId)).toEqual({
      ok: false,
      field: "roles",
      error: "admin.errors.ownAdminRole",
    });
    expect(await setAccountActive(adminId, false, adminId)).toEqual({ ok: false, field: "active", error: "admin.errors.deactivateSelf" });
    // A second administrator may be made and removed again by the first.
    const second = await createAccount({ username: "second.admin", displayName: "Second", grants: [{ role: "admin", unitCode: null, includeSubunits: false }] }, adminId);
    if (!second.ok) throw new Error(second.error);
    expect(await updateAccount(second.id, { displayName: "Second", grants: [{ role: "office", unitCode: null, includeSubunits: false }] }, adminId)).toEqual({ ok: true, changed: true });
    // Without a session of its own, a script cannot take the last administrator away either.
    expect(await setAccountActive(adminId, false, second.id)).toEqual({ ok: false, field: "active", error: "admin.errors.lastAdmin" });
    const db = await getDb();
    expect((await db.roleGrant.findMany({ where: { userId: adminId } })).map((g) => g.role)).toEqual(["admin"]);
  });

  it("a changed role list keeps unchanged grants and records before and after", async () => {
    const db = await getDb();
    const user = await db.staffUser.findUniqueOrThrow({ where: { username: "wang.li" }, include: { grants: true } });
    const kept = user.grants[0]!.id;
    const result = await updateAccount(user.id, {
      displayName: "王丽",
      grants: [
        { role: "unit_staff", unitCode: "C01", includeSubunits: true },
        { role: "unit_head", unitCode: "D12", includeSubunits: false },
      ],
    }, adminId);
    expect(result).toEqual({ ok: true, changed: true });
    const grants = await db.roleGrant.findMany({ where: { userId: user.id }, orderBy: { id: "asc" } });
    expect(grants[0]!.id).toBe(kept);
    expect(grants.map((g) => g.role)).toEqual(["unit_staff", "unit_head"]);
    const events = await audit("staff_user");
    const event = events.at(-2)!;
    expect(event).toMatchObject({ action: "account.update", data: { before: { grants: [{ role: "unit_staff", unit: "C01" }] } } });
    expect((event.data as { after: { grants: unknown[] } }).after.grants).toHaveLength(2);
    // The granted role is also its own event (a filter on role changes sees it).
    expect(events.at(-1)).toMatchObject({ action: "role.grant", data: { role: "unit_head", unit: "D12" } });
  });

  it("a save from a form drawn before another change is refused, not applied over it", async () => {
    const db = await getDb();
    const user = await db.staffUser.findUniqueOrThrow({ where: { username: "wang.li" }, include: { grants: { include: { unit: true } } } });
    const drawn = accountRevision({ displayName: user.displayName, grants: user.grants.map((g) => ({ role: g.role, unitCode: g.unit?.code ?? null, includeSubunits: g.includeSubunits })) });
    const grants = user.grants.map((g) => ({ role: g.role as never, unitCode: g.unit?.code ?? null, includeSubunits: g.includeSubunits }));
    // Meanwhile someone names the account an integrity reviewer.
    await db.roleGrant.create({ data: { userId: user.id, role: "integrity_reviewer" } });
    expect(await updateAccount(user.id, { displayName: "Wang Li", grants, revision: drawn }, adminId)).toEqual({ ok: false, field: "roles", error: "admin.errors.staleAccount" });
    expect((await db.roleGrant.findMany({ where: { userId: user.id } })).map((g) => g.role)).toContain("integrity_reviewer");
  });

  it("a password reset and a deactivation end the account's sessions", async () => {
    const db = await getDb();
    const user = await db.staffUser.findUniqueOrThrow({ where: { username: "wang.li" } });
    await db.staffUser.update({ where: { id: user.id }, data: { mustChangePassword: false } });
    const session = await createSession(user.id);
    expect(await userForSession(session)).not.toBeNull();
    const drawn = (await db.staffUser.findUniqueOrThrow({ where: { id: user.id } })).updatedAt.getTime();
    const reset = await resetPassword(user.id, adminId, drawn);
    if (!reset.ok) throw new Error(reset.error);
    expect(await userForSession(session)).toBeNull();
    const after = await db.staffUser.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.mustChangePassword).toBe(true);
    expect(await verifyPassword(after.passwordHash, reset.password)).toBe(true);
    expect(await resetPassword(adminId, adminId)).toEqual({ ok: false, field: "password", error: "admin.errors.resetSelf" });
    // Posting the same reset again (a reload of the answer) makes no second password.
    expect(await resetPassword(user.id, adminId, drawn)).toEqual({ ok: false, field: "password", error: "admin.errors.resetRepeated" });
    const unchanged = await db.staffUser.findUniqueOrThrow({ where: { id: user.id } });
    expect(unchanged.passwordHash).toBe(after.passwordHash);
    expect(await resetPassword(user.id, adminId, unchanged.updatedAt.getTime())).toMatchObject({ ok: true });

    const second = await createSession(user.id);
    expect((await setAccountActive(user.id, false, adminId)).ok).toBe(true);
    expect(await userForSession(second)).toBeNull();
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    expect((await setAccountActive(user.id, true, adminId)).ok).toBe(true);
    const actions = (await audit("staff_user")).map((e) => e.action);
    expect(actions.slice(-3)).toEqual(["account.password_reset", "account.deactivate", "account.reactivate"]);
    expect(JSON.stringify(await audit("staff_user"))).not.toContain(reset.password);
  });
});
