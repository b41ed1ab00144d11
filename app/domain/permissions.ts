// Who may see and do what with a complaint. Every loader and action asks these functions on the
// server; nothing relies on links being hidden. Rules:
// - Unit staff and unit heads work on complaints of their unit (and of its sub-units when their
//   role says so). Only heads close cases and ask for deadline extensions.
// - Integrity complaints (廉政) are hidden from the unit complained about: only the evaluation
//   office and people it named (role "integrity_reviewer") see them; those reviewers handle them.
//   "The unit complained about" is Complaint.subjectUnitId, which never changes: a transfer moves
//   the handling (unitId), never who the accusation is against, so a reviewer who works for the
//   accused unit stays shut out after any number of transfers.
// - The evaluation office sees everything, supervises and decides extensions; it does not see the
//   citizen's contact details, which only the handling unit sees.
// - Administrators manage accounts and units; they have no access to complaints by that role.

import type { CaseAction } from "./case-flow";

export const roles = ["unit_staff", "unit_head", "office", "integrity_reviewer", "admin"] as const;
export type Role = (typeof roles)[number];

export interface RoleGrant {
  role: Role;
  /** The unit the grant is for (unit roles); null for office-wide roles. */
  unitId: number | null;
  includeSubunits: boolean;
}

export interface Actor {
  userId: number;
  grants: readonly RoleGrant[];
}

export interface CaseRef {
  /** The unit now handling the case (changes with transfers). */
  unitId: number;
  /** The unit complained about (never changes): integrity visibility follows this one. */
  subjectUnitId: number;
  type: string;
}

/** Ancestors of a unit, nearest first (a unit tree is small and cached by the caller). */
export type AncestorsOf = (unitId: number) => readonly number[];

export type OfficeAction = "supervise" | "decide_extension";
/** follow_up: recording a call-back to the citizen after a dissatisfied rating (差评回访), by any handling staff. */
export type UnitAction = CaseAction | "note" | "request_extension" | "view_contact" | "follow_up";

function has(actor: Actor, role: Role): boolean {
  return actor.grants.some((g) => g.role === role);
}

function unitGrants(actor: Actor, unitId: number, ancestorsOf: AncestorsOf): RoleGrant[] {
  const ancestors = ancestorsOf(unitId);
  return actor.grants.filter(
    (g) =>
      (g.role === "unit_staff" || g.role === "unit_head") &&
      g.unitId !== null &&
      (g.unitId === unitId || (g.includeSubunits && ancestors.includes(g.unitId))),
  );
}

/**
 * A named integrity reviewer who does not also work for the unit complained about: a reviewer
 * who is staff of that unit (or above it) never sees the integrity complaints against it, wherever
 * the case has been transferred since (the subject unit, not the handling one, decides).
 */
function isIndependentReviewer(actor: Actor, c: CaseRef, ancestorsOf: AncestorsOf): boolean {
  return has(actor, "integrity_reviewer") && unitGrants(actor, c.subjectUnitId, ancestorsOf).length === 0;
}

export function canViewCase(actor: Actor, c: CaseRef, ancestorsOf: AncestorsOf): boolean {
  if (has(actor, "office")) return true;
  if (c.type === "integrity") return isIndependentReviewer(actor, c, ancestorsOf);
  return unitGrants(actor, c.unitId, ancestorsOf).length > 0;
}

/** Handling actions by the unit responsible for the case. */
export function canActOnCase(actor: Actor, c: CaseRef, action: UnitAction, ancestorsOf: AncestorsOf): boolean {
  if (c.type === "integrity") {
    // Handled (contact details included) by the reviewers the office named, never by the unit
    // complained about.
    return isIndependentReviewer(actor, c, ancestorsOf);
  }
  const grants = unitGrants(actor, c.unitId, ancestorsOf);
  if (grants.length === 0) return false;
  if (action === "close" || action === "request_extension") return grants.some((g) => g.role === "unit_head");
  return true;
}

export function canOfficeAct(actor: Actor, _action: OfficeAction): boolean {
  return has(actor, "office");
}

/** Unit ids whose complaints the actor's queue shows (null: every unit). */
export function queueUnits(actor: Actor, descendantsOf: (unitId: number) => readonly number[]): number[] | null {
  if (has(actor, "office")) return null;
  const ids = new Set<number>();
  for (const g of actor.grants) {
    if ((g.role === "unit_staff" || g.role === "unit_head") && g.unitId !== null) {
      ids.add(g.unitId);
      if (g.includeSubunits) for (const d of descendantsOf(g.unitId)) ids.add(d);
    }
  }
  return [...ids];
}

/** Survey authoring (editor, publishing, distribution): the evaluation office. */
export function canManageSurveys(actor: Actor): boolean {
  return has(actor, "office");
}

/** Units whose survey results the actor sees (null: every unit): the same units as their queue. */
export function surveyResultUnits(actor: Actor, descendantsOf: (unitId: number) => readonly number[]): number[] | null {
  return queueUnits(actor, descendantsOf);
}

/**
 * Single-use rating codes (一次一评) of a unit: its staff and heads (sub-units too when their role
 * says so) issue and revoke them; the evaluation office does for every unit.
 */
export function canIssueRatingCodes(actor: Actor, unitId: number, ancestorsOf: AncestorsOf): boolean {
  return has(actor, "office") || unitGrants(actor, unitId, ancestorsOf).length > 0;
}

/** Units whose rating codes the actor issues and sees (null: every unit): the same units as their queue. */
export function ratingCodeUnits(actor: Actor, descendantsOf: (unitId: number) => readonly number[]): number[] | null {
  return queueUnits(actor, descendantsOf);
}

/** Evaluation-office work on the scores: periods, dashboards, moderation, API tokens, reviewers. */
export function canManageScores(actor: Actor): boolean {
  return has(actor, "office");
}

/** A unit's satisfaction page: the office, and that unit's own staff and heads (sub-units too when their role says so). */
export function canSeeUnitScores(actor: Actor, unitId: number, ancestorsOf: AncestorsOf): boolean {
  return has(actor, "office") || unitGrants(actor, unitId, ancestorsOf).length > 0;
}

/**
 * The unit tree (add, rename, move, deactivate): administrators, and the evaluation office, which
 * runs the evaluation of those units and must keep their list right without a developer.
 */
export function canAdminUnits(actor: Actor): boolean {
  return has(actor, "admin") || has(actor, "office");
}

/**
 * Moving a unit in the tree: administrators only. Access to complaints follows the tree (a head
 * "with sub-units" sees the units below), so a move changes who sees which complaints: it is an
 * access change, like a role, not a clerical one.
 */
export function canMoveUnits(actor: Actor): boolean {
  return has(actor, "admin");
}

/** Staff accounts and their roles: administrators only (the office does not grant itself roles). */
export function canAdminAccounts(actor: Actor): boolean {
  return has(actor, "admin");
}

/** The notification outbox (what was sent, what failed, retry): administrators (issue 13). */
export function canSeeNotifications(actor: Actor): boolean {
  return has(actor, "admin");
}

/** The audit log of staff changes: the evaluation office and administrators. */
export function canSeeAuditLog(actor: Actor): boolean {
  return has(actor, "office") || has(actor, "admin");
}

/**
 * 差评整改 and 申诉 (issue 14): a unit's rectification records and appeals are read by its staff and
 * heads (sub-units too when their role says so) and by the office; only its heads write the cause
 * and measures or file an appeal; only the office opens records, accepts, returns, publishes and
 * decides appeals.
 */
export function canReadUnitRectifications(actor: Actor, unitId: number, ancestorsOf: AncestorsOf): boolean {
  return has(actor, "office") || unitGrants(actor, unitId, ancestorsOf).length > 0;
}

export function canWriteRectification(actor: Actor, unitId: number, ancestorsOf: AncestorsOf): boolean {
  return unitGrants(actor, unitId, ancestorsOf).some((g) => g.role === "unit_head");
}

export function canAppealRating(actor: Actor, unitId: number, ancestorsOf: AncestorsOf): boolean {
  return unitGrants(actor, unitId, ancestorsOf).some((g) => g.role === "unit_head");
}

export function canDecideRectifications(actor: Actor): boolean {
  return has(actor, "office");
}

/** Units whose rectifications and appeals the actor sees (null: every unit): the same units as their queue. */
export function rectificationUnits(actor: Actor, descendantsOf: (unitId: number) => readonly number[]): number[] | null {
  return queueUnits(actor, descendantsOf);
}

export interface NavItem {
  key: "queue" | "overdue" | "calendar" | "scores" | "anomalies" | "unitScores" | "periods" | "tokens" | "reviewers" | "surveys" | "codes" | "units" | "accounts" | "notifications" | "audit" | "rectifications" | "appeals";
  to: string;
  end?: boolean;
  unitCode?: string;
  /** The label's translation key when it is not `staff.nav.<key>`. */
  label?: string;
}

/** The staff pages an account's roles open, in menu order. */
export function staffNav(actor: Actor, codeOf: (unitId: number) => string | null): NavItem[] {
  const items: NavItem[] = [];
  const office = has(actor, "office");
  const unitRoles = actor.grants.filter((g) => (g.role === "unit_staff" || g.role === "unit_head") && g.unitId !== null);
  if (office || unitRoles.length > 0 || has(actor, "integrity_reviewer")) items.push({ key: "queue", to: "/staff", end: true });
  if (office) {
    items.push(
      { key: "overdue", to: "/staff/overdue" },
      { key: "scores", to: "/staff/scores" },
      { key: "anomalies", to: "/staff/anomalies" },
      { key: "surveys", to: "/staff/surveys" },
      { key: "codes", to: "/staff/codes" },
      { key: "periods", to: "/staff/periods" },
      { key: "tokens", to: "/staff/tokens" },
      { key: "reviewers", to: "/staff/reviewers" },
      { key: "calendar", to: "/staff/calendar" },
    );
  }
  if (canAdminUnits(actor)) items.push({ key: "units", to: "/staff/units", label: "admin.nav.units" });
  if (canAdminAccounts(actor)) items.push({ key: "accounts", to: "/staff/accounts", label: "admin.nav.accounts" });
  if (canSeeNotifications(actor)) items.push({ key: "notifications", to: "/staff/notifications", label: "admin.nav.notifications" });
  if (canSeeAuditLog(actor)) items.push({ key: "audit", to: "/staff/audit", label: "admin.nav.audit" });
  // Unit staff and heads read their own units' survey results from the surveys list.
  if (!office && unitRoles.length > 0) items.push({ key: "surveys", to: "/staff/surveys" });
  // They issue single-use rating codes for their units (the office for every unit, above).
  if (!office && unitRoles.length > 0) items.push({ key: "codes", to: "/staff/codes" });
  for (const g of unitRoles) {
    const code = codeOf(g.unitId!);
    if (code && !items.some((i) => i.unitCode === code)) items.push({ key: "unitScores", to: `/staff/scores/${code}`, unitCode: code });
  }
  // 差评整改 and 申诉 (issue 14): the office for every unit, unit staff and heads for theirs.
  if (office || unitRoles.length > 0) items.push({ key: "rectifications", to: "/staff/rectifications", label: "rectification.nav" }, { key: "appeals", to: "/staff/appeals", label: "appeal.nav" });
  return items;
}
