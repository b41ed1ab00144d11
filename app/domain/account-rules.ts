// Rules for changing staff accounts, so the platform can never be left without an administrator
// and nobody widens their own access: an administrator cannot change their own roles (so neither
// take away their own admin role nor give themselves another), deactivate or reset themselves
// here, and at least one active administrator always remains. Messages are translation keys.

export interface AccountState {
  active: boolean;
  admin: boolean;
}

export function accountChangeProblem(change: {
  actorId: number;
  targetId: number;
  before: AccountState;
  after: AccountState;
  /** Ids of every active account that holds the admin role now, before the change. */
  activeAdminIds: readonly number[];
}): string | null {
  const { actorId, targetId, before, after } = change;
  const self = actorId === targetId;
  if (self && before.active && !after.active) return "admin.errors.deactivateSelf";
  if (self && before.admin && !after.admin) return "admin.errors.ownAdminRole";
  const wasAdmin = before.active && before.admin;
  const staysAdmin = after.active && after.admin;
  if (wasAdmin && !staysAdmin && change.activeAdminIds.filter((id) => id !== targetId).length === 0) {
    return "admin.errors.lastAdmin";
  }
  return null;
}

/**
 * Nobody changes their own roles: an administrator could otherwise give themselves the office's
 * or a unit's access to complaints (and citizens' contact details). Another administrator must.
 */
export function ownRolesProblem(actorId: number, targetId: number, rolesBefore: string, rolesAfter: string): string | null {
  return actorId === targetId && rolesBefore !== rolesAfter ? "admin.errors.ownRoles" : null;
}

/** An administrator changes their own password on the password page, which keeps their session. */
export function passwordResetProblem(actorId: number, targetId: number): string | null {
  return actorId === targetId ? "admin.errors.resetSelf" : null;
}

// No look-alikes (0/O, 1/l/I): the password is read off a screen and typed, or read out.
const ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz";

/**
 * A temporary password from random bytes: four groups of four characters (about 79 bits), e.g.
 * "k7qm-2xwd-h9re-tn4p". Shown once to the administrator; the account must change it at sign-in.
 */
export function temporaryPasswordFrom(bytes: Uint8Array): string {
  if (bytes.length < 16) throw new Error("16 random bytes needed");
  // 256 is not a multiple of 31: the slight bias (bytes 248..255 fold onto the first 8 letters)
  // costs under 0.1 bit of the ~79.
  const chars = Array.from(bytes.subarray(0, 16), (b) => ALPHABET[b % ALPHABET.length]!);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join("")).join("-");
}
