import type { TestDb } from "./db";
import { hashPassword } from "../../../app/lib/password.server";

export const STAFF_PASSWORD = "correct horse battery";

/** Creates a staff account directly in the worker's database. */
export async function createStaff(
  db: TestDb,
  opts: { username: string; role: string; unit?: string; mustChangePassword?: boolean },
) {
  const now = new Date().toISOString().replace("Z", "+00:00");
  const hash = await hashPassword(STAFF_PASSWORD);
  const user = db
    .prepare(`INSERT INTO StaffUser (username, displayName, passwordHash, mustChangePassword, active, createdAt, updatedAt) VALUES (?, ?, ?, ?, TRUE, ?, ?) RETURNING id`)
    .run(opts.username, `Test ${opts.username}`, hash, opts.mustChangePassword ? 1 : 0, now, now);
  const unitId = opts.unit ? (db.prepare(`SELECT id FROM Unit WHERE code = ?`).get(opts.unit) as { id: number }).id : null;
  db.prepare(`INSERT INTO RoleGrant (userId, role, unitId, includeSubunits, createdAt) VALUES (?, ?, ?, FALSE, ?)`).run(user.lastInsertRowid, opts.role, unitId, now);
  return opts.username;
}

export async function signIn(page: import("@playwright/test").Page, username: string, lng = "en") {
  await page.goto(`/staff/login?lng=${lng}`);
  await page.locator("#username").fill(username);
  await page.locator("#password").fill(STAFF_PASSWORD);
  await page.locator("form button[type=submit]").click();
  await page.waitForURL(/\/staff(?!\/login)(\/[a-z-]+)?(\?|$)/);
}
