import { describe, expect, it } from "vitest";
import { allowedActions, awaitingReply, nextStatus } from "#app/domain/case-flow";
import { type Actor, canActOnCase, canAdminAccounts, canAdminUnits, canMoveUnits, canOfficeAct, canSeeAuditLog, canViewCase, queueUnits, staffNav } from "#app/domain/permissions";

describe("case flow", () => {
  it("follows accept → handle → reply → close", () => {
    expect(nextStatus("submitted", "accept")).toBe("accepted");
    expect(nextStatus("accepted", "start")).toBe("in_progress");
    expect(nextStatus("in_progress", "reply")).toBe("replied");
    expect(nextStatus("replied", "close")).toBe("closed");
  });

  it("a transfer must be accepted by the receiving unit, which may transfer it on", () => {
    expect(nextStatus("submitted", "transfer")).toBe("transferred");
    expect(nextStatus("transferred", "accept")).toBe("accepted");
    expect(nextStatus("transferred", "transfer")).toBe("transferred");
    expect(nextStatus("in_progress", "transfer")).toBe("transferred");
  });

  it("refuses actions out of order", () => {
    expect(nextStatus("submitted", "reply")).toBeNull(); // must accept first
    expect(nextStatus("submitted", "close")).toBeNull();
    expect(nextStatus("closed", "reply")).toBeNull();
    expect(nextStatus("rejected", "accept")).toBeNull();
    expect(nextStatus("replied", "transfer")).toBeNull();
    expect(allowedActions("closed")).toEqual(["reopen"]);
    expect(allowedActions("rejected")).toEqual([]);
  });

  it("an unresolved case goes back to handling", () => {
    expect(nextStatus("replied", "reopen")).toBe("in_progress");
    expect(nextStatus("closed", "reopen")).toBe("in_progress");
    expect(awaitingReply("in_progress")).toBe(true);
    expect(awaitingReply("replied")).toBe(false);
  });
});

describe("permissions", () => {
  // Region 1 > county 2 > township office 3; department 4.
  const parents: Record<number, number | null> = { 1: null, 2: 1, 3: 2, 4: 1 };
  const ancestorsOf = (id: number) => {
    const out: number[] = [];
    for (let p = parents[id]; p != null; p = parents[p]) out.push(p);
    return out;
  };
  const descendantsOf = (id: number) => Object.keys(parents).map(Number).filter((u) => ancestorsOf(u).includes(id));
  const staff = (unitId: number, includeSubunits = false): Actor => ({ userId: 1, grants: [{ role: "unit_staff", unitId, includeSubunits }] });
  const head = (unitId: number): Actor => ({ userId: 2, grants: [{ role: "unit_head", unitId, includeSubunits: false }] });
  const office: Actor = { userId: 3, grants: [{ role: "office", unitId: null, includeSubunits: false }] };
  const reviewer: Actor = { userId: 4, grants: [{ role: "integrity_reviewer", unitId: null, includeSubunits: false }] };
  const admin: Actor = { userId: 5, grants: [{ role: "admin", unitId: null, includeSubunits: false }] };
  const caseOf = (unitId: number, type = "slow_action", subjectUnitId = unitId) => ({ unitId, subjectUnitId, type });

  it("unit staff see and handle their own unit's complaints only", () => {
    expect(canViewCase(staff(2), caseOf(2), ancestorsOf)).toBe(true);
    expect(canViewCase(staff(2), caseOf(4), ancestorsOf)).toBe(false);
    expect(canViewCase(staff(2), caseOf(3), ancestorsOf)).toBe(false);
    expect(canActOnCase(staff(2), caseOf(2), "reply", ancestorsOf)).toBe(true);
    expect(canActOnCase(staff(2), caseOf(4), "accept", ancestorsOf)).toBe(false);
  });

  it("a role with sub-units reaches down the tree, never up or sideways", () => {
    expect(canViewCase(staff(2, true), caseOf(3), ancestorsOf)).toBe(true);
    expect(canViewCase(staff(3, true), caseOf(2), ancestorsOf)).toBe(false);
    expect(queueUnits(staff(2, true), descendantsOf)?.sort()).toEqual([2, 3]);
    expect(queueUnits(staff(2), descendantsOf)).toEqual([2]);
    expect(queueUnits(office, descendantsOf)).toBeNull();
  });

  it("only unit heads close cases and ask for extensions", () => {
    expect(canActOnCase(staff(2), caseOf(2), "close", ancestorsOf)).toBe(false);
    expect(canActOnCase(staff(2), caseOf(2), "request_extension", ancestorsOf)).toBe(false);
    expect(canActOnCase(head(2), caseOf(2), "close", ancestorsOf)).toBe(true);
    expect(canActOnCase(head(2), caseOf(2), "request_extension", ancestorsOf)).toBe(true);
  });

  it("integrity complaints are hidden from the unit complained about", () => {
    expect(canViewCase(staff(2), caseOf(2, "integrity"), ancestorsOf)).toBe(false);
    expect(canViewCase(head(2), caseOf(2, "integrity"), ancestorsOf)).toBe(false);
    expect(canActOnCase(head(2), caseOf(2, "integrity"), "reply", ancestorsOf)).toBe(false);
    expect(canViewCase(office, caseOf(2, "integrity"), ancestorsOf)).toBe(true);
    expect(canViewCase(reviewer, caseOf(2, "integrity"), ancestorsOf)).toBe(true);
    expect(canActOnCase(reviewer, caseOf(2, "integrity"), "reply", ancestorsOf)).toBe(true);
    // A reviewer who also works for the unit complained about is not independent of it.
    const insider: Actor = { userId: 9, grants: [...reviewer.grants, { role: "unit_staff", unitId: 2, includeSubunits: false }] };
    expect(canViewCase(insider, caseOf(2, "integrity"), ancestorsOf)).toBe(false);
    expect(canActOnCase(insider, caseOf(2, "integrity"), "reply", ancestorsOf)).toBe(false);
    expect(canViewCase(insider, caseOf(3, "integrity"), ancestorsOf)).toBe(true);
  });

  it("contact details are for the handling unit only", () => {
    expect(canActOnCase(staff(2), caseOf(2), "view_contact", ancestorsOf)).toBe(true);
    expect(canActOnCase(office, caseOf(2), "view_contact", ancestorsOf)).toBe(false);
    // An integrity case is handled by the office's named reviewers, so they reach the citizen.
    expect(canActOnCase(reviewer, caseOf(2, "integrity"), "view_contact", ancestorsOf)).toBe(true);
    expect(canActOnCase(office, caseOf(2, "integrity"), "view_contact", ancestorsOf)).toBe(false);
  });

  it("the office supervises and decides extensions; administrators see no complaints", () => {
    expect(canOfficeAct(office, "supervise")).toBe(true);
    expect(canOfficeAct(staff(2), "decide_extension")).toBe(false);
    expect(canViewCase(admin, caseOf(2), ancestorsOf)).toBe(false);
    expect(canActOnCase(admin, caseOf(2), "reply", ancestorsOf)).toBe(false);
  });

  it("administrators manage accounts; units are for administrators and the office; both read the audit log", () => {
    expect([admin, office, staff(2), head(2), reviewer].map(canAdminAccounts)).toEqual([true, false, false, false, false]);
    expect([admin, office, staff(2), head(2), reviewer].map(canAdminUnits)).toEqual([true, true, false, false, false]);
    expect([admin, office, staff(2), head(2), reviewer].map(canSeeAuditLog)).toEqual([true, true, false, false, false]);
    // Moving a unit changes who sees its complaints: administrators only.
    expect([admin, office, staff(2), head(2), reviewer].map(canMoveUnits)).toEqual([true, false, false, false, false]);
    const codeOf = (id: number) => `U${id}`;
    const keys = (a: Actor) => staffNav(a, codeOf).map((i) => i.key);
    expect(keys(admin)).toEqual(["units", "accounts", "notifications", "audit"]);
    expect(keys(office)).toEqual(expect.arrayContaining(["units", "audit"]));
    expect(keys(office)).not.toContain("accounts");
    // The notification outbox (contacts, even masked): administrators only.
    expect([office, staff(2), head(2), reviewer].some((a) => keys(a).includes("notifications"))).toBe(false);
    expect(keys(staff(2))).not.toContain("units");
    // Survey authoring is the office's; a unit's staff reach their own survey results.
    expect(keys(office)).toContain("surveys");
    expect(keys(staff(2))).toEqual(["queue", "surveys", "codes", "unitScores", "rectifications", "appeals"]);
    // Rating codes: the office and a unit's own staff, not reviewers or administrators.
    expect(keys(office)).toContain("codes");
    // The anomalies review is the office's alone.
    expect(keys(office)).toContain("anomalies");
    expect([admin, staff(2), head(2), reviewer].some((a) => keys(a).includes("anomalies"))).toBe(false);
    expect(keys(reviewer)).not.toContain("codes");
    expect(keys(reviewer)).not.toContain("surveys");
    expect(staffNav(admin, codeOf).map((i) => i.label)).toEqual(["admin.nav.units", "admin.nav.accounts", "admin.nav.notifications", "admin.nav.audit"]);
  });
});

import { canRequestExtension, validExtensionDays } from "#app/domain/extensions";

describe("deadline extensions", () => {
  it("can be asked while a reply is owed, once granted never again, again after a refusal", () => {
    expect(canRequestExtension({ status: "in_progress", extensions: [] })).toBe(true);
    expect(canRequestExtension({ status: "submitted", extensions: [] })).toBe(true);
    expect(canRequestExtension({ status: "replied", extensions: [] })).toBe(false);
    expect(canRequestExtension({ status: "in_progress", extensions: [{ status: "pending" }] })).toBe(false);
    expect(canRequestExtension({ status: "in_progress", extensions: [{ status: "approved" }] })).toBe(false);
    expect(canRequestExtension({ status: "in_progress", extensions: [{ status: "refused" }] })).toBe(true);
  });

  it("asks for whole working days up to the type's maximum", () => {
    expect(validExtensionDays(10, 10)).toBe(true);
    expect(validExtensionDays(11, 10)).toBe(false);
    expect(validExtensionDays(0, 10)).toBe(false);
    expect(validExtensionDays(2.5, 10)).toBe(false);
  });
});
