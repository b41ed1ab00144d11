// Rules for changing the unit tree (administration). Units are never deleted, so a code once used
// stays taken; a unit leaves the citizens' lists by being deactivated, with its history and scores
// kept. Messages are translation keys.

export const unitKinds = ["region", "county", "department"] as const;
export type UnitKind = (typeof unitKinds)[number];

/** Codes as printed in links and QR codes: REG, C01, D12, C01-D03 (upper case, 2 to 20 characters). */
export const UNIT_CODE_PATTERN = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$/;
export const UNIT_CODE_MAX = 20;
export const UNIT_NAME_MAX = 100;

export function normalizeUnitCode(code: string): string {
  return code.trim().toUpperCase();
}

export function isValidUnitCode(code: string): boolean {
  return code.length >= 2 && code.length <= UNIT_CODE_MAX && UNIT_CODE_PATTERN.test(code);
}

export interface TreeUnit {
  id: number;
  kind: string;
  parentId: number | null;
  active: boolean;
}

/**
 * Which kinds may sit under which: the region is a root; a county or city sits under the region
 * (or a city under a larger one); a department under the region, a county (county-level bureaus)
 * or another department (its sub-offices).
 */
const parentKinds: Record<UnitKind, readonly UnitKind[]> = {
  region: [],
  county: ["region", "county"],
  department: ["region", "county", "department"],
};

export function parentKindAllowed(kind: string, parentKind: string | null): boolean {
  const allowed = parentKinds[kind as UnitKind];
  if (!allowed) return false;
  return parentKind === null ? allowed.length === 0 : allowed.includes(parentKind as UnitKind);
}

/**
 * True when hanging `unitId` under `newParentId` would make a loop: the new parent is the unit
 * itself or one of its descendants. A loop already present in the data (it should never be) also
 * answers true, so it cannot be made worse.
 */
export function wouldCreateCycle(unitId: number, newParentId: number | null, parentOf: (id: number) => number | null | undefined): boolean {
  const seen = new Set<number>();
  for (let p: number | null | undefined = newParentId; p != null; p = parentOf(p)) {
    if (p === unitId || seen.has(p)) return true;
    seen.add(p);
  }
  return false;
}

/** Why a unit may not be placed under `parent` (null: no parent), or null when it may. */
export function placementProblem(unit: { id: number | null; kind: string }, parent: TreeUnit | null, units: readonly TreeUnit[]): string | null {
  if (unit.kind === "region") return parent ? "admin.errors.regionIsRoot" : null;
  if (!parent) return "admin.errors.parentRequired";
  if (unit.id !== null) {
    const byId = new Map(units.map((u) => [u.id, u]));
    if (wouldCreateCycle(unit.id, parent.id, (id) => byId.get(id)?.parentId)) return "admin.errors.cycle";
  }
  if (!parentKindAllowed(unit.kind, parent.kind)) return "admin.errors.parentKind";
  if (!parent.active) return "admin.errors.parentInactive";
  return null;
}

/**
 * Why a unit may not be (de)activated, or null. An active unit keeps an active parent, so that the
 * citizens' tree never shows a unit under one that has gone: deactivate (or move) the sub-units
 * first, reactivate the parent first.
 */
export function activationProblem(unit: TreeUnit, active: boolean, units: readonly TreeUnit[]): string | null {
  if (unit.active === active) return "admin.errors.unchanged";
  if (!active) {
    return units.some((u) => u.parentId === unit.id && u.active) ? "admin.errors.activeSubunits" : null;
  }
  const parent = unit.parentId === null ? null : units.find((u) => u.id === unit.parentId);
  return parent && !parent.active ? "admin.errors.parentInactive" : null;
}

/** Units in tree order with their depth, for indented lists and parent choices. */
export function flattenTree<T extends { id: number; parentId: number | null }>(units: readonly T[]): { unit: T; depth: number }[] {
  const ids = new Set(units.map((u) => u.id));
  const children = new Map<number | null, T[]>();
  for (const u of units) {
    const key = u.parentId !== null && ids.has(u.parentId) ? u.parentId : null;
    children.set(key, [...(children.get(key) ?? []), u]);
  }
  const out: { unit: T; depth: number }[] = [];
  const seen = new Set<number>();
  const walk = (parent: number | null, depth: number) => {
    for (const u of children.get(parent) ?? []) {
      if (seen.has(u.id)) continue;
      seen.add(u.id);
      out.push({ unit: u, depth });
      walk(u.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** The unit and everything below it (a unit cannot move under any of these). */
export function subtreeIds(unitId: number, units: readonly { id: number; parentId: number | null }[]): Set<number> {
  const out = new Set([unitId]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const u of units) {
      if (u.parentId !== null && out.has(u.parentId) && !out.has(u.id)) {
        out.add(u.id);
        grew = true;
      }
    }
  }
  return out;
}
