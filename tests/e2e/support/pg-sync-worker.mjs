// The worker thread behind tests/e2e/support/db.ts on PostgreSQL: it owns the `pg` clients and
// answers one call at a time while the test's thread waits (synckit: Atomics.wait on a shared
// buffer). Plain JavaScript, so the thread needs no TypeScript loader. Values come back as
// PostgreSQL's text with each column's type id; the test's thread parses them with the app's own
// type parsers (app/lib/db/postgres.server.ts), so rows look the same as the app's.
import pg from "pg";
import { runAsWorker } from "synckit";

const clients = new Map();
let nextId = 1;
// Every column as its text: parsing happens on the test's thread.
const raw = { getTypeParser: () => (value) => value };

runAsWorker(async (call) => {
  if (call.op === "open") {
    // Sessions in UTC, as the app's pool has them.
    const client = new pg.Client({ connectionString: call.url, types: raw, options: "-c TimeZone=UTC" });
    // A connection the server drops fails the next query, not the thread.
    client.on("error", () => undefined);
    await client.connect();
    const id = nextId++;
    clients.set(id, client);
    return id;
  }
  const client = clients.get(call.id);
  if (!client) throw new Error(`test database connection ${call.id} is closed`);
  if (call.op === "close") {
    clients.delete(call.id);
    await client.end();
    return null;
  }
  // "query": one statement with its parameters ("exec": a script without any).
  const result = await client.query(call.op === "exec" ? call.text : { text: call.text, values: call.values, rowMode: "array" });
  const last = Array.isArray(result) ? result[result.length - 1] : result;
  return {
    fields: (last?.fields ?? []).map((f) => ({ name: f.name, oid: f.dataTypeID })),
    rows: last?.rows ?? [],
    rowCount: last?.rowCount ?? 0,
  };
});
