import { createHash, randomBytes } from "node:crypto";
import type { Actor, Role, RoleGrant } from "#app/domain/permissions";
import { getDb } from "#app/lib/db.server";
import { hashPassword } from "#app/lib/password.server";

export const SESSION_HOURS = 12;

export interface StaffUserRecord {
  id: number;
  username: string;
  displayName: string;
  mustChangePassword: boolean;
  grants: RoleGrant[];
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("base64url");

export async function findLoginUser(username: string) {
  const db = await getDb();
  return db.staffUser.findUnique({ where: { username: username.trim().toLowerCase() } });
}

/** Starts a session; returns the id for the cookie (only its hash is stored). */
export async function createSession(userId: number, now = new Date()): Promise<string> {
  const db = await getDb();
  const id = randomBytes(32).toString("base64url");
  await db.session.create({
    data: { idHash: sha256(id), userId, createdAt: now, expiresAt: new Date(now.getTime() + SESSION_HOURS * 3_600_000) },
  });
  return id;
}

export async function deleteSession(id: string) {
  const db = await getDb();
  await db.session.deleteMany({ where: { idHash: sha256(id) } });
}

/** The active user of a live session, or null. */
export async function userForSession(id: string, now = new Date()): Promise<StaffUserRecord | null> {
  const db = await getDb();
  const session = await db.session.findUnique({
    where: { idHash: sha256(id) },
    include: { user: { include: { grants: true } } },
  });
  if (!session || session.expiresAt <= now || !session.user.active) return null;
  const u = session.user;
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    mustChangePassword: u.mustChangePassword,
    grants: u.grants.map((g) => ({ role: g.role as Role, unitId: g.unitId, includeSubunits: g.includeSubunits })),
  };
}

export function actorOf(user: StaffUserRecord): Actor {
  return { userId: user.id, grants: user.grants };
}

/** Sets a new password and ends the user's other sessions. */
export async function changePassword(userId: number, password: string, keepSessionId: string | null) {
  const db = await getDb();
  const passwordHash = await hashPassword(password);
  await db.$transaction([
    db.staffUser.update({ where: { id: userId }, data: { passwordHash, mustChangePassword: false } }),
    db.session.deleteMany({ where: { userId, ...(keepSessionId ? { NOT: { idHash: sha256(keepSessionId) } } : {}) } }),
  ]);
}

export async function createStaffUser(opts: {
  username: string;
  displayName: string;
  password: string;
  mustChangePassword: boolean;
  grants: { role: Role; unitId: number | null; includeSubunits?: boolean }[];
}) {
  const db = await getDb();
  return db.staffUser.create({
    data: {
      username: opts.username.toLowerCase(),
      displayName: opts.displayName,
      passwordHash: await hashPassword(opts.password),
      mustChangePassword: opts.mustChangePassword,
      grants: { create: opts.grants.map((g) => ({ role: g.role, unitId: g.unitId, includeSubunits: g.includeSubunits ?? false })) },
    },
  });
}

/** Active staff accounts with their roles, for the office's choice of integrity reviewers. */
export async function listStaffAccounts() {
  const db = await getDb();
  return db.staffUser.findMany({
    where: { active: true },
    orderBy: { username: "asc" },
    select: { id: true, username: true, displayName: true, grants: { select: { role: true, unitId: true } } },
  });
}

/**
 * Names (or un-names) an account as an integrity reviewer; audited. Returns false when nothing
 * changed (already so, or no such active account).
 */
export async function setIntegrityReviewer(userId: number, on: boolean, actorId: number, note: string | null): Promise<boolean> {
  const db = await getDb();
  return db.$transaction(async (tx) => {
    const user = await tx.staffUser.findFirst({ where: { id: userId, active: true }, include: { grants: true } });
    if (!user) return false;
    const current = user.grants.filter((g) => g.role === "integrity_reviewer");
    if (on === current.length > 0) return false;
    if (on) await tx.roleGrant.create({ data: { userId, role: "integrity_reviewer" } });
    else await tx.roleGrant.deleteMany({ where: { userId, role: "integrity_reviewer" } });
    await tx.auditEvent.create({
      data: { actorId, action: on ? "role.grant" : "role.revoke", targetType: "staff_user", targetId: String(userId), note, data: { role: "integrity_reviewer" } },
    });
    return true;
  });
}
