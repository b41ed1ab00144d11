// Staff accounts administered by administrators: create (with a temporary password shown once),
// change name and roles, reset the password, deactivate and reactivate. Each change runs in one
// write transaction with its audit event (before/after in `data`, never a password), after the
// rules of app/domain/account-rules.ts were checked on the data inside that transaction, so two
// administrators demoting each other at once cannot leave nobody in charge.
import { createHash, randomBytes } from "node:crypto";
import { type GrantInput, MAX_GRANT_ROWS } from "#app/domain/admin-forms";
import { ownRolesProblem, accountChangeProblem, type AccountState, passwordResetProblem, temporaryPasswordFrom } from "#app/domain/account-rules";
import { passwordProblem } from "#app/domain/password-policy";
import { db, dbDateTime, getDb, type Sql } from "#app/lib/db.server";
import { hashPassword } from "#app/lib/password.server";
import { writeAudit } from "./audit.server";

export type AccountChange<T = object> = ({ ok: true; changed: boolean } & T) | { ok: false; field: string; error: string };

const fail = (field: string, error: string) => ({ ok: false as const, field, error });

/** Every account (inactive ones too) with its roles, for the administrators' list. */
export async function listAccounts() {
  const db = await getDb();
  return db.staffUser.findMany({
    orderBy: { username: "asc" },
    select: {
      id: true,
      username: true,
      displayName: true,
      active: true,
      mustChangePassword: true,
      grants: { select: { role: true, includeSubunits: true, unit: { select: { code: true, names: true, active: true } } }, orderBy: { id: "asc" } },
    },
  });
}

export async function getAccount(id: number) {
  const db = await getDb();
  return db.staffUser.findUnique({
    where: { id },
    select: {
      id: true,
      username: true,
      displayName: true,
      active: true,
      mustChangePassword: true,
      createdAt: true,
      updatedAt: true,
      grants: { select: { role: true, includeSubunits: true, unit: { select: { code: true } } }, orderBy: { id: "asc" } },
    },
  });
}

/** A fresh temporary password that the password policy accepts for this user name. */
function temporaryPassword(username: string): string {
  for (;;) {
    const password = temporaryPasswordFrom(randomBytes(16));
    if (!passwordProblem(password, username)) return password;
  }
}

interface GrantRow {
  id: number;
  role: string;
  unitId: number | null;
  unitCode: string | null;
  includeSubunits: number;
}

async function readAccount(tx: Sql, id: number) {
  const user = await tx.get<{ id: number; username: string; displayName: string; active: number }>(
    `SELECT id, username, displayName, active FROM StaffUser WHERE id = ?`,
    id,
  );
  if (!user) return null;
  const grants = await tx.all<GrantRow>(
    `SELECT g.id, g.role, g.unitId, u.code AS unitCode, g.includeSubunits FROM RoleGrant g LEFT JOIN Unit u ON u.id = g.unitId WHERE g.userId = ? ORDER BY g.id`,
    id,
  );
  return { ...user, active: user.active === 1, grants };
}

function activeAdminIds(tx: Sql): Promise<number[]> {
  return tx.pluck<number>(`SELECT DISTINCT u.id FROM StaffUser u JOIN RoleGrant g ON g.userId = u.id WHERE u.active = TRUE AND g.role = 'admin'`);
}

/** Roles as the audit log keeps them: by unit code, in a stable order. */
function grantsForAudit(grants: readonly { role: string; unitCode: string | null; includeSubunits: boolean | number }[]) {
  return grants
    .map((g) => ({ role: g.role, unit: g.unitCode, includeSubunits: Boolean(g.includeSubunits) }))
    .sort((a, b) => `${a.role}|${a.unit ?? ""}`.localeCompare(`${b.role}|${b.unit ?? ""}`));
}

async function unitIds(tx: Sql, grants: readonly GrantInput[]): Promise<Map<string, number> | null> {
  const codes = [...new Set(grants.map((g) => g.unitCode).filter((c): c is string => c !== null))];
  if (codes.length === 0) return new Map();
  const rows = await tx.all<{ id: number; code: string }>(`SELECT id, code FROM Unit WHERE code IN (${codes.map(() => "?").join(",")})`, ...codes);
  return rows.length === codes.length ? new Map(rows.map((r) => [r.code, r.id])) : null;
}

const insertGrant = (tx: Sql, userId: number, g: GrantInput, unitId: number | null, at: string) =>
  tx.run(`INSERT INTO RoleGrant (userId, role, unitId, includeSubunits, createdAt) VALUES (?, ?, ?, ?, ?)`, userId, g.role, unitId, g.includeSubunits ? 1 : 0, at);

/** Creates an account that must change its temporary password at first sign-in; returns that password once. */
export async function createAccount(
  input: { username: string; displayName: string; grants: GrantInput[] },
  actorId: number,
): Promise<AccountChange<{ id: number; password: string }>> {
  const password = temporaryPassword(input.username);
  const passwordHash = await hashPassword(password);
  return db().write(async (tx): Promise<AccountChange<{ id: number; password: string }>> => {
    if (await tx.get(`SELECT 1 FROM StaffUser WHERE username = ?`, input.username)) return fail("username", "admin.errors.usernameTaken");
    const ids = await unitIds(tx, input.grants);
    if (!ids) return fail("roles", "admin.errors.grantUnit");
    const at = dbDateTime(new Date());
    const id = await tx.insert(
      `INSERT INTO StaffUser (username, displayName, passwordHash, mustChangePassword, active, createdAt, updatedAt) VALUES (?, ?, ?, TRUE, TRUE, ?, ?) RETURNING id`,
      input.username,
      input.displayName,
      passwordHash,
      at,
      at,
    );
    for (const g of input.grants) await insertGrant(tx, id, g, g.unitCode === null ? null : ids.get(g.unitCode)!, at);
    await writeAudit(tx, {
      actorId,
      action: "account.create",
      targetType: "staff_user",
      targetId: id,
      data: { after: { username: input.username, displayName: input.displayName, active: true, grants: grantsForAudit(input.grants) } },
    });
    return { ok: true, changed: true, id, password };
  });
}

const isAdmin = (grants: readonly { role: string }[]) => grants.some((g) => g.role === "admin");

/**
 * What an account's form was drawn from (its name and roles): a save from a form drawn before
 * another change (a role granted elsewhere, another administrator's save) is refused rather than
 * silently undoing that change.
 */
export function accountRevision(account: { displayName: string; grants: readonly { role: string; unitCode: string | null; includeSubunits: boolean | number }[] }): string {
  const roles = account.grants.map((g) => `${g.role}|${g.unitCode ?? ""}|${g.includeSubunits ? 1 : 0}`).sort();
  return createHash("sha256").update(JSON.stringify([account.displayName, roles])).digest("base64url").slice(0, 16);
}

/** New display name and roles. Unchanged roles keep their rows (and dates); the rest are replaced. */
export function updateAccount(
  id: number,
  input: { displayName: string; grants: GrantInput[]; revision?: string },
  actorId: number,
): Promise<AccountChange> {
  return db().write(async (tx): Promise<AccountChange> => {
    const account = await readAccount(tx, id);
    if (!account) return fail("form", "errors.notFound");
    if (input.revision !== undefined && input.revision !== accountRevision(account)) return fail("roles", "admin.errors.staleAccount");
    // The form offers MAX_GRANT_ROWS unit roles: an account with more cannot be saved from it
    // without losing the rest.
    if (account.grants.filter((g) => g.unitCode !== null).length > MAX_GRANT_ROWS) return fail("roles", "admin.errors.tooManyRoles");
    const state = (admin: boolean): AccountState => ({ active: account.active, admin });
    const problem = accountChangeProblem({
      actorId,
      targetId: id,
      before: state(isAdmin(account.grants)),
      after: state(isAdmin(input.grants)),
      activeAdminIds: await activeAdminIds(tx),
    });
    if (problem) return fail("roles", problem);
    const ids = await unitIds(tx, input.grants);
    if (!ids) return fail("roles", "admin.errors.grantUnit");
    const key = (role: string, unitCode: string | null) => `${role}|${unitCode ?? ""}`;
    const wanted = new Map(input.grants.map((g) => [key(g.role, g.unitCode), g]));
    const roleSet = (grants: readonly { role: string; unitCode: string | null; includeSubunits: boolean | number }[]) =>
      [...new Set(grants.map((g) => `${key(g.role, g.unitCode)}|${g.includeSubunits ? 1 : 0}`))].sort().join(",");
    // Nobody grants roles to themselves: an administrator's own roles change only by another one.
    const ownRoles = ownRolesProblem(actorId, id, roleSet(account.grants), roleSet([...wanted.values()]));
    if (ownRoles) return fail("roles", ownRoles);
    const at = dbDateTime(new Date());
    let changed = account.displayName !== input.displayName;
    const kept = new Set<string>();
    for (const g of account.grants) {
      const k = key(g.role, g.unitCode);
      const next = wanted.get(k);
      if (!next || kept.has(k)) {
        await tx.run(`DELETE FROM RoleGrant WHERE id = ?`, g.id);
        changed = true;
      } else {
        kept.add(k);
        if (Boolean(g.includeSubunits) !== next.includeSubunits) {
          await tx.run(`UPDATE RoleGrant SET includeSubunits = ? WHERE id = ?`, next.includeSubunits ? 1 : 0, g.id);
          changed = true;
        }
      }
    }
    for (const [k, g] of wanted) {
      if (kept.has(k)) continue;
      await insertGrant(tx, id, g, g.unitCode === null ? null : ids.get(g.unitCode)!, at);
      changed = true;
    }
    if (!changed) return { ok: true, changed: false };
    await tx.run(`UPDATE StaffUser SET displayName = ?, updatedAt = ? WHERE id = ?`, input.displayName, at, id);
    await writeAudit(tx, {
      actorId,
      action: "account.update",
      targetType: "staff_user",
      targetId: id,
      data: {
        username: account.username,
        before: { displayName: account.displayName, grants: grantsForAudit(account.grants) },
        after: { displayName: input.displayName, grants: grantsForAudit(input.grants) },
      },
    });
    // Each role granted or taken away is also its own event, as on the reviewers' page, so a
    // filter on role changes (and that page's history) sees every one.
    const before = new Set(account.grants.map((g) => key(g.role, g.unitCode)));
    for (const g of input.grants) {
      if (!before.has(key(g.role, g.unitCode))) await writeAudit(tx, { actorId, action: "role.grant", targetType: "staff_user", targetId: id, data: { role: g.role, unit: g.unitCode } });
    }
    for (const g of account.grants) {
      if (!wanted.has(key(g.role, g.unitCode))) await writeAudit(tx, { actorId, action: "role.revoke", targetType: "staff_user", targetId: id, data: { role: g.role, unit: g.unitCode } });
    }
    return { ok: true, changed: true };
  });
}

/**
 * A new temporary password (returned once), to be changed at the next sign-in; the account's
 * sessions end, so whoever knew the old password is signed out.
 */
export async function resetPassword(
  id: number,
  actorId: number,
  /** The account's updatedAt (ms) when the page was drawn: a reload of the answer must not reset again. */
  drawnAt?: number,
): Promise<AccountChange<{ password: string; username: string }>> {
  const problem = passwordResetProblem(actorId, id);
  if (problem) return fail("password", problem);
  const prisma = await getDb();
  const user = await prisma.staffUser.findUnique({ where: { id }, select: { username: true } });
  if (!user) return fail("form", "errors.notFound");
  const password = temporaryPassword(user.username);
  const passwordHash = await hashPassword(password);
  return db().write(async (tx): Promise<AccountChange<{ password: string; username: string }>> => {
    if (drawnAt !== undefined) {
      const row = await tx.get<{ updatedAt: string }>(`SELECT updatedAt FROM StaffUser WHERE id = ?`, id);
      if (row && new Date(row.updatedAt).getTime() !== drawnAt) return fail("password", "admin.errors.resetRepeated");
    }
    const { changes } = await tx.run(
      `UPDATE StaffUser SET passwordHash = ?, mustChangePassword = TRUE, updatedAt = ? WHERE id = ?`,
      passwordHash,
      dbDateTime(new Date()),
      id,
    );
    if (changes !== 1) return fail("form", "errors.notFound");
    const sessions = (await tx.run(`DELETE FROM Session WHERE userId = ?`, id)).changes;
    await writeAudit(tx, { actorId, action: "account.password_reset", targetType: "staff_user", targetId: id, data: { username: user.username, sessionsEnded: sessions } });
    return { ok: true, changed: true, password, username: user.username };
  });
}

/** Deactivates (cannot sign in; sessions end at once) or reactivates an account. Roles are kept. */
export function setAccountActive(id: number, active: boolean, actorId: number): Promise<AccountChange> {
  return db().write(async (tx): Promise<AccountChange> => {
    const account = await readAccount(tx, id);
    if (!account) return fail("form", "errors.notFound");
    if (account.active === active) return { ok: true, changed: false };
    const admin = isAdmin(account.grants);
    const problem = accountChangeProblem({
      actorId,
      targetId: id,
      before: { active: account.active, admin },
      after: { active, admin },
      activeAdminIds: await activeAdminIds(tx),
    });
    if (problem) return fail("active", problem);
    await tx.run(`UPDATE StaffUser SET active = ?, updatedAt = ? WHERE id = ?`, active ? 1 : 0, dbDateTime(new Date()), id);
    const sessions = active ? 0 : (await tx.run(`DELETE FROM Session WHERE userId = ?`, id)).changes;
    await writeAudit(tx, {
      actorId,
      action: active ? "account.reactivate" : "account.deactivate",
      targetType: "staff_user",
      targetId: id,
      data: { username: account.username, before: { active: account.active }, after: { active }, ...(active ? {} : { sessionsEnded: sessions }) },
    });
    return { ok: true, changed: true };
  });
}
