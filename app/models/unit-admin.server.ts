// Changes to the unit tree by administrators and the evaluation office: add, rename, move,
// deactivate, reactivate. Each runs in one write transaction with its audit event (before/after in
// `data`), after the rules of app/domain/unit-tree.ts were checked on the data inside it. Units are
// never deleted: responses, complaints, scores and snapshots keep pointing at them.
import { pickText } from "#app/domain/localized";
import { activationProblem, flattenTree, placementProblem, type TreeUnit, type UnitKind } from "#app/domain/unit-tree";
import { defaultLanguage } from "#app/i18n/languages";
import { db, dbDateTime, type Sql } from "#app/lib/db.server";
import { writeAudit } from "./audit.server";
import { invalidateUnitCaches, listUnits } from "./unit.server";

export type UnitChange = { ok: true; code: string; changed: boolean } | { ok: false; field: string; error: string };

interface UnitRow extends TreeUnit {
  code: string;
  names: Record<string, string>;
  sortOrder: number;
}

async function readUnits(tx: Sql): Promise<UnitRow[]> {
  const rows = await tx.all<{
    id: number;
    code: string;
    kind: string;
    parentId: number | null;
    names: string;
    sortOrder: number;
    active: number;
  }>(`SELECT id, code, kind, parentId, names, sortOrder, active FROM Unit`);
  return rows.map((r) => ({ ...r, names: JSON.parse(r.names) as Record<string, string>, active: r.active === 1 }));
}

/** Runs a change in the write transaction; the caches are dropped once it is committed. */
async function change(work: (tx: Sql, units: UnitRow[], at: string) => Promise<UnitChange>): Promise<UnitChange> {
  const result = await db().write(async (tx) => work(tx, await readUnits(tx), dbDateTime(new Date())));
  if (result.ok && result.changed) await invalidateUnitCaches();
  return result;
}

const fail = (field: string, error: string): UnitChange => ({ ok: false, field, error });

export function createUnit(input: { code: string; kind: UnitKind; parentCode: string | null; names: Record<string, string> }, actorId: number): Promise<UnitChange> {
  return change(async (tx, units, at) => {
    // Codes stay taken by inactive units too: a printed QR code must never point at another unit.
    if (units.some((u) => u.code.toUpperCase() === input.code.toUpperCase())) return fail("code", "admin.errors.unitCodeTaken");
    const parent = input.parentCode === null ? null : units.find((u) => u.code === input.parentCode);
    if (parent === undefined) return fail("parent", "errors.invalidChoice");
    const problem = placementProblem({ id: null, kind: input.kind }, parent, units);
    if (problem) return fail("parent", problem);
    const sortOrder = Math.max(0, ...units.map((u) => u.sortOrder)) + 1;
    const id = await tx.insert(
      `INSERT INTO Unit (code, kind, parentId, names, sortOrder, active, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, TRUE, ?, ?) RETURNING id`,
      input.code,
      input.kind,
      parent?.id ?? null,
      JSON.stringify(input.names),
      sortOrder,
      at,
      at,
    );
    await writeAudit(tx, {
      actorId,
      action: "unit.create",
      targetType: "unit",
      targetId: id,
      data: { after: { code: input.code, kind: input.kind, parent: parent?.code ?? null, names: input.names, active: true } },
    });
    return { ok: true, code: input.code, changed: true };
  });
}

function find(units: UnitRow[], code: string): UnitRow | UnitChange {
  return units.find((u) => u.code === code) ?? fail("form", "errors.notFound");
}

export function renameUnit(code: string, names: Record<string, string>, actorId: number): Promise<UnitChange> {
  return change(async (tx, units, at) => {
    const unit = find(units, code);
    if ("ok" in unit) return unit;
    // Names in languages no longer offered are kept; the offered ones are replaced.
    const after = { ...unit.names, ...names };
    if (JSON.stringify(after) === JSON.stringify(unit.names)) return { ok: true, code, changed: false };
    await tx.run(`UPDATE Unit SET names = ?, updatedAt = ? WHERE id = ?`, JSON.stringify(after), at, unit.id);
    await writeAudit(tx, { actorId, action: "unit.rename", targetType: "unit", targetId: unit.id, data: { code, before: { names: unit.names }, after: { names: after } } });
    return { ok: true, code, changed: true };
  });
}

export function moveUnit(code: string, parentCode: string, actorId: number): Promise<UnitChange> {
  return change(async (tx, units, at) => {
    const unit = find(units, code);
    if ("ok" in unit) return unit;
    const parent = units.find((u) => u.code === parentCode);
    if (!parent) return fail("parent", "errors.invalidChoice");
    if (parent.id === unit.parentId) return { ok: true, code, changed: false };
    const problem = placementProblem(unit, parent, units);
    if (problem) return fail("parent", problem);
    // Its sub-units move with it (they keep their parent).
    const before = units.find((u) => u.id === unit.parentId)?.code ?? null;
    await tx.run(`UPDATE Unit SET parentId = ?, updatedAt = ? WHERE id = ?`, parent.id, at, unit.id);
    await writeAudit(tx, { actorId, action: "unit.move", targetType: "unit", targetId: unit.id, data: { code, before: { parent: before }, after: { parent: parent.code } } });
    return { ok: true, code, changed: true };
  });
}

/**
 * Deactivates (no new survey responses or complaints; history and scores kept) or reactivates a
 * unit. Staff roles on it stay, so its open complaints are still handled.
 */
export function setUnitActive(code: string, active: boolean, actorId: number): Promise<UnitChange> {
  return change(async (tx, units, at) => {
    const unit = find(units, code);
    if ("ok" in unit) return unit;
    const problem = activationProblem(unit, active, units);
    if (problem) return fail("active", problem);
    await tx.run(`UPDATE Unit SET active = ?, updatedAt = ? WHERE id = ?`, active ? 1 : 0, at, unit.id);
    await writeAudit(tx, {
      actorId,
      action: active ? "unit.reactivate" : "unit.deactivate",
      targetType: "unit",
      targetId: unit.id,
      data: { code, before: { active: unit.active }, after: { active } },
    });
    return { ok: true, code, changed: true };
  });
}

/** Every unit in tree order, named in one language, for choosing the unit of a staff role. */
export async function unitChoices(lng: string) {
  return flattenTree(await listUnits()).map(({ unit: u, depth }) => ({
    code: u.code,
    name: pickText(u.names, lng, defaultLanguage),
    depth,
    active: u.active,
  }));
}
