// Runs the data tasks migrations left for the application (app/services/data-tasks.server.ts).
// `npm start` runs it after `prisma migrate deploy`; safe to run again (nothing pending: no-op).
import { runDataTasks } from "../app/services/data-tasks.server";
import { closeDatabases } from "../app/lib/db.server";

for (const line of await runDataTasks()) console.log(`Data task ${line}.`);
// Ends the data layer's connections (on PostgreSQL an open pool would keep the process waiting).
await closeDatabases();
