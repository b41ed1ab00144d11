// Creates a bearer token for the scores API and prints it once (only its hash is stored):
//   npm run token:create -- --name "performance evaluation system"
// The evaluation office can also create and revoke tokens at /staff/tokens.
import { parseArgs } from "node:util";
import { createToken } from "../app/models/api-token.server";
import { closeDatabases } from "../app/lib/db.server";

const { values } = parseArgs({ options: { name: { type: "string" } } });
const name = values.name?.trim() ?? "";
if (name.length < 2 || name.length > 100) {
  console.error('usage: npm run token:create -- --name "NAME" (2 to 100 characters)');
  process.exit(2);
}
const { id, token } = await createToken(name, null);
console.log(`Token ${id} "${name}" created. It is shown only now; store it in the other system:\n\n${token}\n`);
console.log("Use it as: Authorization: Bearer <token>  (GET /api/v1/periods, /api/v1/periods/:id/scores)");
// Ends the data layer's connections (on PostgreSQL an open pool would keep the process waiting).
await closeDatabases();
