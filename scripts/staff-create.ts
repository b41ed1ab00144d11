// Creates a staff account and prints its one-time password (the user must change it at first
// sign-in). Administrators create accounts at /staff/accounts; this command makes the first
// administrator of a new install (SEED_MODE=structure creates no accounts):
//   npm run staff:create -- --username wang.li --name "王丽" --role unit_staff --unit C01 [--subunits]
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { roles } from "../app/domain/permissions";
import { closeDatabases, openPrismaClient } from "../app/lib/db.server";
import { getEnv } from "../app/lib/env.server";
import { hashPassword } from "../app/lib/password.server";

const { values } = parseArgs({
  options: {
    username: { type: "string" },
    name: { type: "string" },
    role: { type: "string" },
    unit: { type: "string" },
    subunits: { type: "boolean", default: false },
  },
});
const role = values.role as (typeof roles)[number];
const usage = `usage: npm run staff:create -- --username NAME --name "Display name" --role ${roles.join("|")} [--unit CODE] [--subunits]`;
if (!values.username || !/^[a-z0-9._-]{3,40}$/.test(values.username) || !roles.includes(role)) {
  console.error(usage);
  process.exit(2);
}
const needsUnit = role === "unit_staff" || role === "unit_head";
if (needsUnit !== Boolean(values.unit)) {
  console.error(needsUnit ? "unit roles need --unit CODE" : "this role takes no --unit");
  process.exit(2);
}
const db = await openPrismaClient(getEnv());
try {
  const unit = values.unit ? await db.unit.findUnique({ where: { code: values.unit } }) : null;
  if (values.unit && !unit) throw new Error(`no unit with code ${values.unit}`);
  const password = randomBytes(12).toString("base64url");
  await db.staffUser.create({
    data: {
      username: values.username,
      displayName: values.name ?? values.username,
      passwordHash: await hashPassword(password),
      mustChangePassword: true,
      grants: { create: [{ role, unitId: unit?.id ?? null, includeSubunits: values.subunits }] },
    },
  });
  console.log(`Created ${values.username} (${role}${unit ? ` of ${unit.code}` : ""}). One-time password: ${password}`);
} finally {
  await db.$disconnect();
  // The app modules the seed uses opened the data layer too (on PostgreSQL a pool and a listener).
  await closeDatabases();
}
