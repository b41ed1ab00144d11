import { pinyin } from "pinyin-pro";
import type { Unit } from "#app/generated/prisma/client";
import { searchKeysOf, searchUnits } from "#app/domain/unit-search";
import { getDb } from "#app/lib/db.server";
import { announceChange, sharedTtlCache } from "#app/lib/shared-cache.server";

export { unitKinds, type UnitKind } from "#app/domain/unit-tree";

export interface UnitRecord {
  id: number;
  code: string;
  kind: string;
  parentId: number | null;
  parentCode: string | null;
  names: Record<string, string>;
  sortOrder: number;
  active: boolean;
}

/** All units, in tree order. The region has a few hundred units at most, so they are read whole. */
export async function listUnits(opts: { activeOnly?: boolean } = {}): Promise<UnitRecord[]> {
  const db = await getDb();
  const rows = await db.unit.findMany({
    where: opts.activeOnly ? { active: true } : undefined,
    orderBy: [{ sortOrder: "asc" }, { code: "asc" }],
    include: { parent: { select: { code: true } } },
  });
  return rows.map(toRecord);
}

function toRecord(u: Unit & { parent: { code: string } | null }): UnitRecord {
  return {
    id: u.id,
    code: u.code,
    kind: u.kind,
    parentId: u.parentId,
    parentCode: u.parent?.code ?? null,
    names: (u.names ?? {}) as Record<string, string>,
    sortOrder: u.sortOrder,
    active: u.active,
  };
}

async function loadUnit(code: string): Promise<UnitRecord | null> {
  const db = await getDb();
  const u = await db.unit.findUnique({ where: { code }, include: { parent: { select: { code: true } } } });
  return u ? toRecord(u) : null;
}

// Looked up on every survey page and submission; units change rarely.
const unitsByCode = sharedTtlCache("units", 5_000, loadUnit);

export function findUnitByCode(code: string): Promise<UnitRecord | null> {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(code)) return Promise.resolve(null);
  return unitsByCode.get(code);
}

// The Latin spellings of each unit's names (pinyin, Uyghur Latin), computed once per name and kept
// for the life of the process: a search then costs a map look-up per unit, not a transliteration.
const searchKeysByName = new Map<string, readonly string[]>();
const pinyinSyllables = (chinese: string) => pinyin(chinese, { toneType: "none", type: "array" });

export function unitSearchKeys(names: Record<string, string>): readonly string[] {
  const id = `${names["zh-Hans"] ?? ""}\u0000${names.ug ?? ""}`;
  let keys = searchKeysByName.get(id);
  if (!keys) {
    if (searchKeysByName.size > 10_000) searchKeysByName.clear();
    keys = searchKeysOf(names, pinyinSyllables);
    searchKeysByName.set(id, keys);
  }
  return keys;
}

/** The units whose name (in any language, or spelt in pinyin or Uyghur Latin) matches the query, best first. */
export function findUnitsByName<U extends { code: string; names: Record<string, string> }>(units: readonly U[], query: string, lng: string, limit?: number): U[] {
  const keyed = units.map((unit) => ({ unit, code: unit.code, names: unit.names, searchKeys: unitSearchKeys(unit.names) }));
  return searchUnits(keyed, query, lng, limit).map((k) => k.unit);
}

export interface UnitTreeNode extends UnitRecord {
  children: UnitTreeNode[];
}

export function buildTree(units: readonly UnitRecord[]): UnitTreeNode[] {
  const nodes = new Map<number, UnitTreeNode>();
  for (const u of units) nodes.set(u.id, { ...u, children: [] });
  const roots: UnitTreeNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId != null ? nodes.get(node.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

export interface UnitIndex {
  ancestorsOf: (unitId: number) => number[];
  descendantsOf: (unitId: number) => number[];
  byId: Map<number, UnitRecord>;
}

/** Tree lookups for permission checks (a unit's ancestors and descendants). */
const unitIndexCache = sharedTtlCache("units", 5_000, async (_: "all"): Promise<UnitIndex> => {
  const units = await listUnits();
  const byId = new Map(units.map((u) => [u.id, u]));
  const ancestorsOf = (id: number) => {
    const out: number[] = [];
    for (let p = byId.get(id)?.parentId ?? null; p != null && !out.includes(p); p = byId.get(p)?.parentId ?? null) out.push(p);
    return out;
  };
  const descendantsOf = (id: number) => units.filter((u) => ancestorsOf(u.id).includes(id)).map((u) => u.id);
  return { ancestorsOf, descendantsOf, byId };
});

export const unitIndex = () => unitIndexCache.get("all");

/** After a unit is added or changed: every app process reads the units afresh. */
export function invalidateUnitCaches(): Promise<void> {
  return announceChange("units");
}
