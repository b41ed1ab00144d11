// Staff passwords: argon2id with the library's defaults (19 MiB, 2 passes: OWASP's minimum).
import { hash, verify } from "@node-rs/argon2";

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// A valid hash of a random password: login answers take as long for unknown users.
const dummy = hash("not-a-real-password-" + Math.random());

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) {
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}
