// `npm run db:seed` (and `prisma migrate reset`): seeds the demo region.
//   SEED_MODE=structure  units, period and survey only (for a real deployment)
//   SEED_MODE=demo       (default) also thousands of deterministic demo responses and one demo
//                        staff account per role (password in the README)
//   --if-empty           do nothing when the database already has units (used by `npm start`)
import { closeDatabases, openPrismaClient } from "../app/lib/db.server";
import { getEnv } from "../app/lib/env.server";
import { seedDemoAccounts, seedDemoComplaints, seedDemoResponses, seedStructure } from "./seed-lib";

const mode = process.env.SEED_MODE ?? "demo";
if (mode !== "demo" && mode !== "structure") {
  console.error(`SEED_MODE must be "demo" or "structure", not "${mode}"`);
  process.exit(1);
}

const db = await openPrismaClient(getEnv());
try {
  if (process.argv.includes("--if-empty") && (await db.unit.count()) > 0) {
    console.log("Seed: database already has data; nothing to do.");
  } else {
    const started = Date.now();
    await seedStructure(db);
    const added = mode === "demo" ? await seedDemoResponses(db) : 0;
    const complaints = mode === "demo" ? await seedDemoComplaints(db) : 0;
    if (mode === "demo") await seedDemoAccounts(db);
    console.log(`Seed (${mode}): structure ready, ${added} demo responses and ${complaints} demo complaints added in ${Date.now() - started} ms.`);
  }
} finally {
  await db.$disconnect();
  // The app modules the seed uses opened the data layer too (on PostgreSQL a pool and a listener).
  await closeDatabases();
}
