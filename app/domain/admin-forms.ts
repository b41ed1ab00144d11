// zod schemas of the administration forms: units, staff accounts and the audit log's filters.
// Messages are translation keys; on an error the typed values come back so the form shows them.
import { z } from "zod/mini";
import { parseId } from "./ids";
import { isCalendarDate } from "./working-days";
import { roles, type Role } from "./permissions";
import { isValidUnitCode, normalizeUnitCode, UNIT_NAME_MAX, unitKinds, type UnitKind } from "./unit-tree";
import { firstErrors, type FormLike, formString as str, nameField } from "./form-helpers";


export type Parsed<T, V> = { ok: true; data: T; values: V } | { ok: false; errors: Record<string, string>; values: V };

// ---- Units -------------------------------------------------------------------------------------

const unitCode = z.string().check(z.refine(isValidUnitCode, { error: "admin.errors.unitCode" }));
const unitName = z.string().check(z.minLength(1, { error: "admin.errors.nameRequired" }), z.maxLength(UNIT_NAME_MAX, { error: "errors.tooLong" }));

/** The field of a unit's name in one language. */

function readNames(form: FormLike, languageCodes: readonly string[]): Record<string, string> {
  return Object.fromEntries(languageCodes.map((l) => [nameField(l), str(form, nameField(l))]));
}

const namesShape = (languageCodes: readonly string[]) => Object.fromEntries(languageCodes.map((l) => [nameField(l), unitName]));

const namesOf = (values: Record<string, string>, languageCodes: readonly string[]) =>
  Object.fromEntries(languageCodes.map((l) => [l, values[nameField(l)]!]));

export type UnitCreateValues = Record<string, string>;

/** A new unit: its code, kind, parent (a code; empty for a region) and its name in every language. */
export function parseUnitCreate(
  form: FormLike,
  languageCodes: readonly string[],
): Parsed<{ code: string; kind: UnitKind; parentCode: string | null; names: Record<string, string> }, UnitCreateValues> {
  const values: UnitCreateValues = {
    code: normalizeUnitCode(str(form, "code")),
    kind: str(form, "kind"),
    parent: str(form, "parent"),
    ...readNames(form, languageCodes),
  };
  const schema = z.object({
    code: unitCode,
    kind: z.enum(unitKinds, { error: "errors.invalidChoice" }),
    parent: z.string().check(z.refine((p) => p === "" || isValidUnitCode(p), { error: "errors.invalidChoice" })),
    ...namesShape(languageCodes),
  });
  const r = schema.safeParse(values);
  if (!r.success) return { ok: false, errors: firstErrors(r.error.issues), values };
  return {
    ok: true,
    values,
    data: { code: values.code!, kind: r.data.kind, parentCode: values.parent || null, names: namesOf(values, languageCodes) },
  };
}

/** A unit's names in every language (renaming). */
export function parseUnitNames(form: FormLike, languageCodes: readonly string[]): Parsed<{ names: Record<string, string> }, Record<string, string>> {
  const values = readNames(form, languageCodes);
  const r = z.object(namesShape(languageCodes)).safeParse(values);
  if (!r.success) return { ok: false, errors: firstErrors(r.error.issues), values };
  return { ok: true, values, data: { names: namesOf(values, languageCodes) } };
}

/** A unit's new parent (moving it in the tree). */
export function parseUnitParent(form: FormLike): Parsed<{ parentCode: string }, { parent: string }> {
  const values = { parent: str(form, "parent") };
  const r = z.object({ parent: z.string().check(z.refine(isValidUnitCode, { error: "admin.errors.parentRequired" })) }).safeParse(values);
  if (!r.success) return { ok: false, errors: firstErrors(r.error.issues), values };
  return { ok: true, values, data: { parentCode: values.parent } };
}

// ---- Accounts ----------------------------------------------------------------------------------

export const officeWideRoles = ["office", "integrity_reviewer", "admin"] as const satisfies readonly Role[];
export const unitRoles = ["unit_staff", "unit_head"] as const satisfies readonly Role[];
/** Rows of unit roles the form can carry; the page shows the account's rows and two blank ones. */
export const MAX_GRANT_ROWS = 20;

export const grantField = (i: number, part: "role" | "unit" | "sub") => `grant_${i}_${part}`;

export interface GrantRow {
  role: string;
  unit: string;
  sub: boolean;
}

export interface AccountValues {
  username: string;
  displayName: string;
  roles: string[];
  rows: GrantRow[];
}

export interface GrantInput {
  role: Role;
  unitCode: string | null;
  includeSubunits: boolean;
}

const username = z
  .string()
  .check(z.regex(/^[a-z0-9][a-z0-9._-]{2,39}$/, { error: "admin.errors.username" }));
const displayName = z.string().check(z.minLength(1, { error: "admin.errors.displayNameRequired" }), z.maxLength(100, { error: "errors.tooLong" }));

function readAccount(form: FormLike): AccountValues {
  const rows: GrantRow[] = [];
  for (let i = 0; i < MAX_GRANT_ROWS; i++) {
    const row = { role: str(form, grantField(i, "role")), unit: normalizeUnitCode(str(form, grantField(i, "unit"))), sub: form.get(grantField(i, "sub")) === "1" };
    // Blank rows are the spare ones the page offers: skipped, and the rest renumbered.
    if (row.role || row.unit) rows.push(row);
  }
  return {
    username: str(form, "username").toLowerCase(),
    displayName: str(form, "displayName"),
    roles: form.getAll("role").filter((r): r is string => typeof r === "string"),
    rows,
  };
}

/** Roles with their units, checked against the units that exist; errors name the field. */
function checkGrants(values: AccountValues, unitCodes: ReadonlySet<string>, errors: Record<string, string>): GrantInput[] {
  const grants: GrantInput[] = [];
  for (const r of values.roles) {
    if ((officeWideRoles as readonly string[]).includes(r)) {
      if (!grants.some((g) => g.role === r)) grants.push({ role: r as Role, unitCode: null, includeSubunits: false });
    } else errors.roles ??= "errors.invalidChoice";
  }
  const rowRole = z.enum(unitRoles, { error: "admin.errors.grantRole" });
  values.rows.forEach((row, i) => {
    const role = rowRole.safeParse(row.role);
    if (!role.success) {
      errors[grantField(i, "role")] ??= "admin.errors.grantRole";
      return;
    }
    if (!unitCodes.has(row.unit)) {
      errors[grantField(i, "unit")] ??= "admin.errors.grantUnit";
      return;
    }
    if (grants.some((g) => g.role === role.data && g.unitCode === row.unit)) {
      errors[grantField(i, "unit")] ??= "admin.errors.duplicateGrant";
      return;
    }
    grants.push({ role: role.data, unitCode: row.unit, includeSubunits: row.sub });
  });
  if (grants.length === 0 && !Object.keys(errors).some((k) => k.startsWith("grant_"))) errors.roles ??= "admin.errors.noRole";
  return grants;
}

export type AccountParsed = Parsed<{ username: string; displayName: string; grants: GrantInput[] }, AccountValues>;

/** A new account: user name, display name, roles (unit roles with their unit and sub-units). */
export function parseAccountCreate(form: FormLike, unitCodes: ReadonlySet<string>): AccountParsed {
  const values = readAccount(form);
  const r = z.object({ username, displayName }).safeParse(values);
  const errors = r.success ? {} : firstErrors(r.error.issues);
  const grants = checkGrants(values, unitCodes, errors);
  if (Object.keys(errors).length) return { ok: false, errors, values };
  return { ok: true, values, data: { username: values.username, displayName: values.displayName, grants } };
}

/** An account's display name and roles (the user name does not change: it is how people sign in). */
export function parseAccountUpdate(form: FormLike, unitCodes: ReadonlySet<string>): Parsed<{ displayName: string; grants: GrantInput[] }, AccountValues> {
  const values = readAccount(form);
  const r = z.object({ displayName }).safeParse(values);
  const errors = r.success ? {} : firstErrors(r.error.issues);
  const grants = checkGrants(values, unitCodes, errors);
  if (Object.keys(errors).length) return { ok: false, errors, values };
  return { ok: true, values, data: { displayName: values.displayName, grants } };
}

/** Whether a role name is one of ours (for rendering stored grants). */
export function isRole(role: string): role is Role {
  return (roles as readonly string[]).includes(role);
}

// ---- Audit log filters -------------------------------------------------------------------------

export interface AuditFilters {
  action: string;
  targetType: string;
  actor: number | null;
  /** Region calendar days (UTC+8), inclusive; "" when not set. */
  from: string;
  to: string;
  page: number;
}

const day = (v: string) => (isCalendarDate(v) ? v : "");

/** Filters from the query string; anything malformed is ignored rather than refused. */
export function parseAuditFilters(params: URLSearchParams): AuditFilters {
  const get = (n: string) => params.get(n)?.trim() ?? "";
  const action = get("action");
  const targetType = get("targetType");
  const page = Number(get("page"));
  return {
    action: /^[a-z_]+(\.[a-z_]+)*$/.test(action) && action.length <= 60 ? action : "",
    targetType: /^[a-z_]{1,40}$/.test(targetType) ? targetType : "",
    actor: parseId(get("actor")),
    from: day(get("from")),
    to: day(get("to")),
    page: Number.isInteger(page) && page >= 1 ? Math.min(page, 10_000) : 1,
  };
}
