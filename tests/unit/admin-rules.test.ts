import { describe, expect, it } from "vitest";
import { accountChangeProblem, ownRolesProblem, passwordResetProblem, temporaryPasswordFrom } from "#app/domain/account-rules";
import { passwordProblem } from "#app/domain/password-policy";
import {
  activationProblem,
  flattenTree,
  isValidUnitCode,
  normalizeUnitCode,
  parentKindAllowed,
  placementProblem,
  subtreeIds,
  type TreeUnit,
  wouldCreateCycle,
} from "#app/domain/unit-tree";

// Region 1 > county 2 > department 3 > department 4; department 5 under the region; county 6
// (inactive) under the region.
const units: TreeUnit[] = [
  { id: 1, kind: "region", parentId: null, active: true },
  { id: 2, kind: "county", parentId: 1, active: true },
  { id: 3, kind: "department", parentId: 2, active: true },
  { id: 4, kind: "department", parentId: 3, active: true },
  { id: 5, kind: "department", parentId: 1, active: true },
  { id: 6, kind: "county", parentId: 1, active: false },
];
const byId = new Map(units.map((u) => [u.id, u]));
const parentOf = (id: number) => byId.get(id)?.parentId;
const unit = (id: number) => byId.get(id)!;

describe("unit tree", () => {
  it("takes codes like the existing ones, in capitals, and nothing else", () => {
    for (const code of ["C01", "D12", "REG", "C01-D03", "X9"]) expect(isValidUnitCode(code), code).toBe(true);
    for (const code of ["c01", "C", "01", "C 01", "C01-", "-C01", "C01--D3", "A".repeat(21), "Ç01", "C_01"]) {
      expect(isValidUnitCode(code), code).toBe(false);
    }
    expect(normalizeUnitCode("  d14 ")).toBe("D14");
  });

  it("refuses a move under the unit itself or anything below it", () => {
    expect(wouldCreateCycle(2, 2, parentOf)).toBe(true);
    expect(wouldCreateCycle(2, 3, parentOf)).toBe(true);
    expect(wouldCreateCycle(2, 4, parentOf)).toBe(true);
    expect(wouldCreateCycle(3, 5, parentOf)).toBe(false);
    expect(wouldCreateCycle(4, 1, parentOf)).toBe(false);
    expect(wouldCreateCycle(4, null, parentOf)).toBe(false);
  });

  it("does not loop forever on a loop already in the data, and refuses to extend it", () => {
    const looped = new Map<number, number>([
      [10, 11],
      [11, 10],
    ]);
    expect(wouldCreateCycle(12, 10, (id) => looped.get(id))).toBe(true);
  });

  it("places kinds where they belong: the region at the root, counties under the region, departments anywhere below", () => {
    expect(parentKindAllowed("region", null)).toBe(true);
    expect(parentKindAllowed("region", "county")).toBe(false);
    expect(parentKindAllowed("county", "region")).toBe(true);
    expect(parentKindAllowed("county", "department")).toBe(false);
    expect(parentKindAllowed("department", "county")).toBe(true);
    expect(parentKindAllowed("department", null)).toBe(false);
    expect(parentKindAllowed("ministry", "region")).toBe(false);
  });

  it("names the first problem with a new place, as a translation key", () => {
    expect(placementProblem({ id: null, kind: "department" }, unit(2), units)).toBeNull();
    expect(placementProblem({ id: null, kind: "region" }, null, units)).toBeNull();
    expect(placementProblem({ id: null, kind: "region" }, unit(1), units)).toBe("admin.errors.regionIsRoot");
    expect(placementProblem({ id: null, kind: "county" }, null, units)).toBe("admin.errors.parentRequired");
    expect(placementProblem(unit(2), unit(4), units)).toBe("admin.errors.cycle");
    expect(placementProblem(unit(2), unit(2), units)).toBe("admin.errors.cycle");
    expect(placementProblem(unit(2), unit(5), units)).toBe("admin.errors.parentKind");
    expect(placementProblem(unit(5), unit(6), units)).toBe("admin.errors.parentInactive");
    expect(placementProblem(unit(3), unit(5), units)).toBeNull();
  });

  it("deactivates only a unit without active sub-units, and reactivates only under an active parent", () => {
    expect(activationProblem(unit(2), false, units)).toBe("admin.errors.activeSubunits");
    expect(activationProblem(unit(4), false, units)).toBeNull();
    expect(activationProblem(unit(6), true, units)).toBeNull();
    expect(activationProblem(unit(6), false, units)).toBe("admin.errors.unchanged");
    const orphan: TreeUnit = { id: 7, kind: "department", parentId: 6, active: false };
    expect(activationProblem(orphan, true, [...units, orphan])).toBe("admin.errors.parentInactive");
  });

  it("lists the tree depth first, and knows what lies below a unit", () => {
    expect(flattenTree(units).map(({ unit: u, depth }) => `${u.id}:${depth}`)).toEqual(["1:0", "2:1", "3:2", "4:3", "5:1", "6:1"]);
    expect([...subtreeIds(2, units)].sort()).toEqual([2, 3, 4]);
    expect([...subtreeIds(5, units)]).toEqual([5]);
  });
});

describe("account rules", () => {
  const admin = { active: true, admin: true };
  const plain = { active: true, admin: false };
  const gone = { active: false, admin: true };

  it("an administrator cannot remove their own admin role, even when others remain", () => {
    expect(accountChangeProblem({ actorId: 1, targetId: 1, before: admin, after: plain, activeAdminIds: [1, 2] })).toBe("admin.errors.ownAdminRole");
  });

  it("an administrator cannot deactivate themselves", () => {
    expect(accountChangeProblem({ actorId: 1, targetId: 1, before: admin, after: gone, activeAdminIds: [1, 2] })).toBe("admin.errors.deactivateSelf");
  });

  it("another administrator may be demoted or deactivated while one remains", () => {
    expect(accountChangeProblem({ actorId: 1, targetId: 2, before: admin, after: plain, activeAdminIds: [1, 2] })).toBeNull();
    expect(accountChangeProblem({ actorId: 1, targetId: 2, before: admin, after: gone, activeAdminIds: [1, 2] })).toBeNull();
  });

  it("the last active administrator cannot go, whoever asks", () => {
    expect(accountChangeProblem({ actorId: 9, targetId: 2, before: admin, after: plain, activeAdminIds: [2] })).toBe("admin.errors.lastAdmin");
    expect(accountChangeProblem({ actorId: 9, targetId: 2, before: admin, after: gone, activeAdminIds: [2] })).toBe("admin.errors.lastAdmin");
  });

  it("changes that keep or add administrators are fine", () => {
    expect(accountChangeProblem({ actorId: 1, targetId: 1, before: admin, after: admin, activeAdminIds: [1] })).toBeNull();
    expect(accountChangeProblem({ actorId: 1, targetId: 3, before: plain, after: admin, activeAdminIds: [1] })).toBeNull();
    expect(accountChangeProblem({ actorId: 1, targetId: 3, before: plain, after: { active: false, admin: false }, activeAdminIds: [1] })).toBeNull();
    // Reactivating a deactivated administrator.
    expect(accountChangeProblem({ actorId: 1, targetId: 4, before: gone, after: admin, activeAdminIds: [1] })).toBeNull();
  });

  it("nobody changes their own roles; another administrator may", () => {
    expect(ownRolesProblem(1, 1, "admin||0", "admin||0,office||0")).toBe("admin.errors.ownRoles");
    expect(ownRolesProblem(1, 1, "admin||0", "admin||0")).toBeNull();
    expect(ownRolesProblem(1, 2, "admin||0", "admin||0,office||0")).toBeNull();
  });

  it("an administrator changes their own password on the password page, not by a reset", () => {
    expect(passwordResetProblem(1, 1)).toBe("admin.errors.resetSelf");
    expect(passwordResetProblem(1, 2)).toBeNull();
  });

  it("temporary passwords are four groups of four unambiguous characters that the policy accepts", () => {
    const bytes = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
    const password = temporaryPasswordFrom(bytes);
    expect(password).toMatch(/^[2-9a-hjkmnp-z]{4}(-[2-9a-hjkmnp-z]{4}){3}$/);
    expect(passwordProblem(password, "wang.li")).toBeNull();
    expect(temporaryPasswordFrom(bytes)).toBe(password);
    expect(temporaryPasswordFrom(Uint8Array.from({ length: 16 }, () => 255))).not.toBe(password);
    expect(() => temporaryPasswordFrom(new Uint8Array(8))).toThrow();
  });
});
