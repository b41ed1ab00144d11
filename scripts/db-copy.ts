// Copies the SQLite database into an empty, migrated PostgreSQL database (ADR 0026 §2.8):
//   npm run db:copy -- --to postgresql://USER@HOST/DB [--from file:./data/app.db]
// The source is --from, else DATABASE_URL, else file:./data/app.db. Exit code 0 when the copy is
// committed and every check passed, 1 when refused or a check failed, 2 for wrong arguments.
//
// - The target must have every migration of prisma/postgres/migrations applied and no rows, except
//   what those migrations insert: the ScoreVersion shards (reset to 0: the version is only a cache
//   key, and SQLite's single row does not map onto PostgreSQL's shards) and the DataTask markers
//   (replaced by the source's).
// - The source is read in one read transaction: a consistent state, but writes made meanwhile are
//   not copied. Stop the app, or copy from a restored backup.
// - Tables go in foreign-key order (the target's constraints), 1,000 rows per INSERT, all in one
//   target transaction whose tables are locked against writers. Triggers stay on: PostgreSQL
//   recomputes Complaint.nextDueAt, which must equal the stored value.
// - Before the commit: a digest per table over canonical rows in primary-key order (booleans,
//   timestamps and JSON key order normalised) equals the source's; any difference rolls back.
//   After it: row counts, the AuditEvent count and last id, and `scores:audit` of every period,
//   run by the app itself against each database (child processes: the app picks its database from
//   the environment when its modules load).
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { isPostgresUrl, resolveDatabaseFile } from "../app/lib/env.server";
import { migrationFolders, pendingMigrations } from "../app/services/backup/migrations.server";

const USAGE = "Usage: npm run db:copy -- --to postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE [--from file:./data/app.db]";
/** Rows per multi-row INSERT (fewer when the columns would pass PostgreSQL's 65,535 parameters). */
const ROWS_PER_INSERT = 1000;
/** Rows per digest chunk: a difference is reported by the first differing chunk's first row. */
const DIGEST_CHUNK = 1000;
/** How long the copy waits for the target's tables (an app server running on it holds them). */
const LOCK_TIMEOUT = "10s";

const ROOT = path.resolve(import.meta.dirname, "..");
const MIGRATIONS = { sqlite: path.join(ROOT, "prisma/migrations"), postgres: path.join(ROOT, "prisma/postgres/migrations") };
/** Rows the PostgreSQL migrations insert: handled by the copy, not copied (see the header). */
const RESET_TABLES = new Set(["ScoreVersion"]);
const REPLACED_TABLES = new Set(["DataTask"]);
/** Columns a target trigger computes from the row: the copy checks them against the source's. */
const TRIGGER_COLUMNS = [{ table: "Complaint", column: "nextDueAt" }];

/** Refused or failed: the message is the operator's. */
export class CopyFailed extends Error {}

// ---------------------------------------------------------------------------------------------
// Values

export type Kind = "int" | "number" | "bool" | "timestamp" | "json" | "bytes" | "text";

/** How a PostgreSQL column's values are converted and compared. */
export function kindOf(dataType: string): Kind {
  if (dataType === "integer" || dataType === "smallint" || dataType === "bigint") return "int";
  if (dataType === "numeric" || dataType === "real" || dataType === "double precision") return "number";
  if (dataType === "boolean") return "bool";
  if (dataType.startsWith("timestamp")) return "timestamp";
  if (dataType === "json" || dataType === "jsonb") return "json";
  if (dataType === "bytea") return "bytes";
  return "text";
}

const TIMESTAMP = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?)?\s*(Z|[+-]\d\d(?::?\d\d)?)?$/i;

/**
 * One instant as "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC, milliseconds: PostgreSQL's timestamp(3)), from
 * what SQLite holds (Prisma's ISO text with +00:00, CURRENT_TIMESTAMP's "YYYY-MM-DD HH:MM:SS" in
 * UTC, epoch milliseconds) or what PostgreSQL prints ("YYYY-MM-DD HH:MM:SS.mm", "+00" for
 * timestamptz). Undefined when the value is none of these.
 */
export function canonicalTimestamp(value: unknown): string | undefined {
  if (typeof value === "number" || typeof value === "bigint") {
    const date = new Date(Number(value));
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  }
  if (typeof value !== "string") return undefined;
  const m = TIMESTAMP.exec(value.trim());
  if (!m) return undefined;
  const [, year, month, day, hour = "00", minute = "00", second = "00", fraction, offset] = m;
  const ms = (fraction ?? "").slice(0, 3).padEnd(3, "0");
  let offsetMinutes = 0;
  if (offset && offset.toUpperCase() !== "Z") {
    const digits = offset.slice(1).replace(":", "");
    offsetMinutes = (offset[0] === "-" ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0));
  }
  if (offsetMinutes === 0) return `${year}-${month}-${day}T${hour}:${minute}:${second}.${ms}Z`;
  const utc = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute) - offsetMinutes, Number(second), Number(ms));
  const date = new Date(utc);
  if (Number(year) < 100) date.setUTCFullYear(Number(year)); // Date.UTC maps 0..99 to 1900..1999
  return date.toISOString();
}

/** JSON text with object keys sorted (jsonb keeps its own key order). */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}

interface Column {
  name: string;
  dataType: string;
  kind: Kind;
}

/** A source (SQLite) value as the target column takes it; throws a message naming the row. */
function toTarget(column: Column, value: unknown, where: () => string): unknown {
  if (value === null || value === undefined) return null;
  switch (column.kind) {
    case "bool":
      if (value === 0 || value === 1 || value === 0n || value === 1n) return Number(value) === 1;
      if (value === "true" || value === "false") return value === "true";
      break;
    case "timestamp": {
      const canonical = canonicalTimestamp(value);
      if (canonical !== undefined) return canonical;
      break;
    }
    case "json":
      if (typeof value === "string") {
        try {
          JSON.parse(value);
          return value;
        } catch {
          // reported below
        }
      }
      break;
    case "bytes":
      if (Buffer.isBuffer(value)) return value;
      break;
    case "int":
    case "number":
      if (typeof value === "bigint") return value.toString();
      return value;
    default:
      return Buffer.isBuffer(value) ? value.toString("utf8") : value;
  }
  throw new CopyFailed(`${where()}: ${JSON.stringify(String(value))} is not a valid ${column.dataType} (${column.kind}) value`);
}

/** The value both sides compare: `side` says whether it came from SQLite or PostgreSQL's text. */
function canonical(kind: Kind, value: unknown, side: "source" | "target"): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case "bool":
      return side === "target" ? value === "t" : Number(value) === 1 || value === "true";
    case "timestamp":
      return canonicalTimestamp(value) ?? String(value);
    case "json":
      try {
        return stableJson(JSON.parse(String(value)));
      } catch {
        return String(value);
      }
    case "bytes":
      if (side === "target") return Buffer.from(String(value).replace(/^\\x/, ""), "hex").toString("base64");
      return Buffer.isBuffer(value) ? value.toString("base64") : String(value);
    case "int":
    case "number":
      return typeof value === "bigint" ? value.toString() : Number(value);
    default:
      return Buffer.isBuffer(value) ? value.toString("utf8") : String(value);
  }
}

/** sha256 over canonical rows, with one short hash per DIGEST_CHUNK rows to find a difference. */
class Digest {
  private readonly whole = createHash("sha256");
  private chunk = createHash("sha256");
  readonly chunks: string[] = [];
  rows = 0;
  add(row: unknown[]) {
    const line = `${JSON.stringify(row)}\n`;
    this.whole.update(line);
    this.chunk.update(line);
    if (++this.rows % DIGEST_CHUNK === 0) this.closeChunk();
  }
  finish(): string {
    if (this.rows % DIGEST_CHUNK !== 0) this.closeChunk();
    return this.whole.digest("hex");
  }
  private closeChunk() {
    this.chunks.push(this.chunk.digest("hex").slice(0, 16));
    this.chunk = createHash("sha256");
  }
}

// ---------------------------------------------------------------------------------------------
// Catalogs

interface Table {
  name: string;
  columns: Column[];
  /** Primary key (all columns when there is none): the order rows are read and compared in. */
  key: string[];
  /** Columns referring to this same table (Unit.parentId): rows are inserted parents first. */
  selfRefs: { column: string; refColumn: string }[];
  /** Columns owning a sequence (serial ids). */
  serials: string[];
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Every value as PostgreSQL's text (canonical() reads it), and no session-wide type parser. */
const rawTypes: pg.CustomTypesConfig = { getTypeParser: (() => (value: string) => value) as pg.CustomTypesConfig["getTypeParser"] };

async function rows(client: pg.Client, sql: string, params: unknown[] = []): Promise<Record<string, string | null>[]> {
  return (await client.query(sql, params)).rows;
}

async function targetMigrationCheck(client: pg.Client): Promise<number> {
  const hasTable = await rows(client, "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '_prisma_migrations'");
  const runDeploy = "run `DATABASE_URL=<the target> npm run db:deploy` first (it applies prisma/postgres/migrations)";
  if (hasTable.length === 0) throw new CopyFailed(`The target has no migrations applied: ${runDeploy}.`);
  const applied = await rows(client, `SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations"`);
  const failed = applied.filter((m) => m.finished_at === null && m.rolled_back_at === null).map((m) => m.migration_name);
  if (failed.length) throw new CopyFailed(`The target has failed migrations (${failed.join(", ")}): resolve them (prisma migrate resolve) or start from a new database.`);
  const done = applied.filter((m) => m.finished_at !== null && m.rolled_back_at === null).map((m) => m.migration_name!);
  const folders = migrationFolders(MIGRATIONS.postgres);
  const missing = pendingMigrations(folders, done);
  if (missing.length) throw new CopyFailed(`The target lacks ${missing.length} migration(s) of prisma/postgres/migrations (${missing.join(", ")}): ${runDeploy}.`);
  const unknown = done.filter((m) => !folders.includes(m));
  if (unknown.length) throw new CopyFailed(`The target has migrations this version of the app does not know (${unknown.join(", ")}): copy with the version that migrated it.`);
  return folders.length;
}

async function targetCatalog(client: pg.Client): Promise<Map<string, Table>> {
  const tables = new Map<string, Table>();
  const columns = await rows(
    client,
    `SELECT c.table_name, c.column_name, c.data_type, c.column_default, c.is_identity
       FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> '_prisma_migrations'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  for (const c of columns) {
    const name = c.table_name!;
    let table = tables.get(name);
    if (!table) tables.set(name, (table = { name, columns: [], key: [], selfRefs: [], serials: [] }));
    table.columns.push({ name: c.column_name!, dataType: c.data_type!, kind: kindOf(c.data_type!) });
    if (c.column_default?.startsWith("nextval(") || c.is_identity === "YES") table.serials.push(c.column_name!);
  }
  const keys = await rows(
    client,
    `SELECT cl.relname AS table_name,
            array_to_string(ARRAY(SELECT a.attname FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                                   JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum = k.attnum ORDER BY k.ord), ',') AS columns
       FROM pg_index i JOIN pg_class cl ON cl.oid = i.indrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
      WHERE i.indisprimary AND n.nspname = current_schema()`,
  );
  for (const k of keys) {
    const table = tables.get(k.table_name!);
    if (table) table.key = k.columns!.split(",");
  }
  for (const table of tables.values()) if (table.key.length === 0) table.key = table.columns.map((c) => c.name);
  return tables;
}

/** Foreign keys of the target: child table → the tables it refers to (itself excluded). */
async function targetForeignKeys(client: pg.Client, tables: Map<string, Table>): Promise<Map<string, Set<string>>> {
  const fks = await rows(
    client,
    `SELECT child.relname AS child, parent.relname AS parent,
            (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = c.conkey[1]) AS column_name,
            (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.confrelid AND a.attnum = c.confkey[1]) AS ref_column,
            array_length(c.conkey, 1) AS width
       FROM pg_constraint c JOIN pg_class child ON child.oid = c.conrelid JOIN pg_class parent ON parent.oid = c.confrelid
       JOIN pg_namespace n ON n.oid = child.relnamespace
      WHERE c.contype = 'f' AND n.nspname = current_schema()`,
  );
  const parents = new Map<string, Set<string>>([...tables.keys()].map((t) => [t, new Set<string>()]));
  for (const fk of fks) {
    if (fk.child === fk.parent) {
      if (fk.width !== "1") throw new CopyFailed(`${fk.child}: a composite foreign key to itself is not supported by db:copy`);
      tables.get(fk.child!)?.selfRefs.push({ column: fk.column_name!, refColumn: fk.ref_column! });
    } else parents.get(fk.child!)?.add(fk.parent!);
  }
  return parents;
}

/** Tables with every table they refer to before them (ties by name). */
export function foreignKeyOrder(parents: Map<string, Set<string>>): string[] {
  const order: string[] = [];
  const placed = new Set<string>();
  const pending = new Set([...parents.keys()].sort());
  while (pending.size) {
    const ready = [...pending].filter((t) => [...parents.get(t)!].every((p) => placed.has(p) || !parents.has(p)));
    if (ready.length === 0) throw new CopyFailed(`The foreign keys of ${[...pending].join(", ")} form a cycle: db:copy cannot order them`);
    for (const t of ready) {
      order.push(t);
      placed.add(t);
      pending.delete(t);
    }
  }
  return order;
}

function sourceMigrationCheck(source: Database.Database) {
  const hasTable = source.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
  if (!hasTable) throw new CopyFailed("The source has no _prisma_migrations table: it is not a database of this app.");
  const applied = source.prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL").pluck().all() as string[];
  const missing = pendingMigrations(migrationFolders(MIGRATIONS.sqlite), applied);
  if (missing.length) {
    throw new CopyFailed(
      `The source lacks ${missing.length} migration(s) of prisma/migrations (${missing.join(", ")}): start this version of the app on it once (npm start applies them), stop it, and copy again.`,
    );
  }
}

/** The source's tables and their columns; refuses when they differ from the target's. */
function compareSchemas(source: Database.Database, target: Map<string, Table>): { copied: string[]; targetOnly: string[] } {
  const sourceTables = source
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name")
    .pluck()
    .all() as string[];
  const problems: string[] = [];
  for (const name of sourceTables) {
    const table = target.get(name);
    if (!table) {
      problems.push(`table ${name} is missing on the target`);
      continue;
    }
    const sourceColumns = (source.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(name) as string[]).sort();
    const targetColumns = table.columns.map((c) => c.name).sort();
    const onlySource = sourceColumns.filter((c) => !targetColumns.includes(c));
    const onlyTarget = targetColumns.filter((c) => !sourceColumns.includes(c));
    if (onlySource.length) problems.push(`${name}: column(s) ${onlySource.join(", ")} missing on the target`);
    if (onlyTarget.length) problems.push(`${name}: column(s) ${onlyTarget.join(", ")} missing in the source`);
  }
  if (problems.length) throw new CopyFailed(`The source and target schemas differ (are both migrated by this version of the app?):\n  ${problems.join("\n  ")}`);
  return { copied: sourceTables, targetOnly: [...target.keys()].filter((t) => !sourceTables.includes(t)).sort() };
}

// ---------------------------------------------------------------------------------------------
// Copy

const sourceSelect = (table: Table) =>
  `SELECT ${table.columns.map((c) => quote(c.name)).join(", ")} FROM ${quote(table.name)} ORDER BY ${table.key.map(quote).join(", ")}`;

function targetSelect(table: Table, columns = table.columns): string {
  const order = table.key.map((k) => (table.columns.find((c) => c.name === k)?.kind === "text" ? `${quote(k)} COLLATE "C"` : quote(k)));
  return `SELECT ${columns.map((c) => quote(c.name)).join(", ")} FROM ${quote(table.name)} ORDER BY ${order.join(", ")}`;
}

/** Rows of a table that refers to itself, each after the row it refers to. */
function parentsFirst(table: Table, all: unknown[][]): unknown[][] {
  const index = (name: string) => table.columns.findIndex((c) => c.name === name);
  const refs = table.selfRefs.map((r) => ({ from: index(r.column), to: index(r.refColumn) }));
  const placed = new Set<string>();
  const out: unknown[][] = [];
  let pending = all;
  while (pending.length) {
    const next: unknown[][] = [];
    for (const row of pending) {
      const ready = refs.every((r) => row[r.from] === null || row[r.from] === row[r.to] || placed.has(`${r.to}|${String(row[r.from])}`));
      if (ready) {
        out.push(row);
        for (const r of refs) placed.add(`${r.to}|${String(row[r.to])}`);
      } else next.push(row);
    }
    if (next.length === pending.length) throw new CopyFailed(`${table.name}: rows refer to each other in a cycle, or to rows that do not exist`);
    pending = next;
  }
  return out;
}

interface Copied {
  rows: number;
  digest: string;
  chunks: string[];
}

async function insertRows(client: pg.Client, table: Table, batch: unknown[][]) {
  const width = table.columns.length;
  const values: unknown[] = [];
  const tuples = batch.map((row) => {
    const start = values.length;
    values.push(...row);
    return `(${row.map((_, i) => `$${start + i + 1}`).join(", ")})`;
  });
  if (width === 0 || tuples.length === 0) return;
  await client.query(`INSERT INTO ${quote(table.name)} (${table.columns.map((c) => quote(c.name)).join(", ")}) VALUES ${tuples.join(", ")}`, values);
}

/** Copies one table; the digest is taken over the source's rows in key order. */
async function copyTable(source: Database.Database, client: pg.Client, table: Table, remember?: Map<string, unknown>): Promise<Copied> {
  const perInsert = Math.max(1, Math.min(ROWS_PER_INSERT, Math.floor(65_535 / Math.max(1, table.columns.length))));
  const digest = new Digest();
  const keyAt = table.key.map((k) => table.columns.findIndex((c) => c.name === k));
  const rememberAt = remember ? table.columns.findIndex((c) => c.name === TRIGGER_COLUMNS.find((t) => t.table === table.name)!.column) : -1;
  const convert = (row: unknown[]): unknown[] => {
    digest.add(row.map((v, i) => canonical(table.columns[i]!.kind, v, "source")));
    const where = () => `${table.name} row ${keyAt.map((i) => `${table.columns[i]!.name}=${String(row[i])}`).join(", ")}`;
    if (remember) remember.set(keyAt.map((i) => String(row[i])).join("|"), canonical("timestamp", row[rememberAt], "source"));
    return row.map((v, i) => toTarget(table.columns[i]!, v, where));
  };
  const statement = source.prepare(sourceSelect(table)).raw(true);
  if (table.selfRefs.length) {
    const all = (statement.all() as unknown[][]).map(convert);
    for (let i = 0, ordered = parentsFirst(table, all); i < ordered.length; i += perInsert) await insertRows(client, table, ordered.slice(i, i + perInsert));
  } else {
    let batch: unknown[][] = [];
    // One statement iterates at a time on this connection; only the target is awaited meanwhile.
    for (const row of statement.iterate() as IterableIterator<unknown[]>) {
      batch.push(convert(row));
      if (batch.length >= perInsert) {
        await insertRows(client, table, batch);
        batch = [];
      }
    }
    await insertRows(client, table, batch);
  }
  return { rows: digest.rows, digest: digest.finish(), chunks: digest.chunks };
}

/** Reads a query through a cursor of the open transaction, `size` rows at a time. */
async function* cursor(client: pg.Client, sql: string, size = DIGEST_CHUNK): AsyncGenerator<unknown[][]> {
  await client.query(`DECLARE db_copy_cursor NO SCROLL CURSOR FOR ${sql}`);
  try {
    for (;;) {
      const { rows: batch } = await client.query({ text: `FETCH FORWARD ${size} FROM db_copy_cursor`, rowMode: "array" });
      if (batch.length === 0) return;
      yield batch as unknown[][];
    }
  } finally {
    await client.query("CLOSE db_copy_cursor");
  }
}

/** The target's digest of a table; on a difference, the first differing row of both sides. */
async function compareTable(source: Database.Database, client: pg.Client, table: Table, copied: Copied): Promise<string | undefined> {
  const digest = new Digest();
  for await (const batch of cursor(client, targetSelect(table))) {
    for (const row of batch) digest.add(row.map((v, i) => canonical(table.columns[i]!.kind, v, "target")));
  }
  const whole = digest.finish();
  if (whole === copied.digest) return undefined;
  if (digest.rows !== copied.rows) return `${table.name}: ${copied.rows} rows in the source, ${digest.rows} on the target`;
  const chunk = digest.chunks.findIndex((h, i) => h !== copied.chunks[i]);
  const offset = Math.max(0, chunk) * DIGEST_CHUNK;
  const sourceRows = (source.prepare(`${sourceSelect(table)} LIMIT ${DIGEST_CHUNK} OFFSET ${offset}`).raw(true).all() as unknown[][]).map((r) =>
    r.map((v, i) => canonical(table.columns[i]!.kind, v, "source")),
  );
  const targetRows = (await client.query({ text: `${targetSelect(table)} LIMIT ${DIGEST_CHUNK} OFFSET ${offset}`, rowMode: "array" })).rows.map((r: unknown[]) =>
    r.map((v, i) => canonical(table.columns[i]!.kind, v, "target")),
  );
  const at = Math.max(0, sourceRows.findIndex((r, i) => JSON.stringify(r) !== JSON.stringify(targetRows[i])));
  const [s, t] = [sourceRows[at], targetRows[at]];
  if (!s || !t) return `${table.name}: the rows differ from the source's from row ${offset + at + 1} in key order on`;
  const key = table.key.map((k) => `${k}=${String(s[table.columns.findIndex((c) => c.name === k)])}`).join(", ");
  const columns = table.columns
    .map((c, i) => (JSON.stringify(s[i]) === JSON.stringify(t[i]) ? "" : `${c.name}: source ${JSON.stringify(s[i])}, target ${JSON.stringify(t[i])}`))
    .filter(Boolean);
  const rowAt = (r: unknown[]) => table.key.map((k) => String(r[table.columns.findIndex((c) => c.name === k)])).join(", ");
  if (rowAt(s) !== rowAt(t)) return `${table.name}: the rows differ from the source's; at row ${offset + at + 1} in key order the source has ${key}, the target ${rowAt(t)}`;
  return `${table.name}: the rows differ from the source's; first at ${key}: ${columns.join("; ")}`;
}

/** Values a target trigger computed that differ from the source's (Complaint.nextDueAt). */
async function triggerDifferences(client: pg.Client, table: Table, column: string, stored: Map<string, unknown>): Promise<string[]> {
  const keyColumns = table.key.map((k) => table.columns.find((c) => c.name === k)!);
  const differences: string[] = [];
  let count = 0;
  for await (const batch of cursor(client, targetSelect(table, [...keyColumns, table.columns.find((c) => c.name === column)!]))) {
    for (const row of batch) {
      const key = row.slice(0, keyColumns.length).map((v, i) => String(canonical(keyColumns[i]!.kind, v, "target"))).join("|");
      const computed = canonical("timestamp", row[keyColumns.length], "target");
      if (computed !== stored.get(key)) {
        count += 1;
        if (differences.length < 5) differences.push(`${table.key.join("|")}=${key}: stored ${String(stored.get(key) ?? null)}, PostgreSQL computed ${String(computed)}`);
      }
    }
  }
  if (count > differences.length) differences.push(`… ${count - differences.length} more`);
  return differences;
}

// ---------------------------------------------------------------------------------------------
// The app's audit, on each database

const auditLines = (output: string) =>
  output
    .split("\n")
    .filter((l) => l.startsWith("period "))
    .map((l) => l.replace(/ \(\d+ ms\)$/, ""));

function runAudit(databaseUrl: string): Promise<{ code: number | null; lines: string[]; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/scores-audit.ts"], {
      cwd: ROOT,
      // A secret of its own: the audit signs nothing, and on SQLite none is written to data/.
      env: { ...process.env, DATABASE_URL: databaseUrl, SESSION_SECRET: process.env.SESSION_SECRET ?? randomBytes(32).toString("hex"), LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, lines: auditLines(output), output }));
  });
}

// ---------------------------------------------------------------------------------------------

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url;
  }
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ options: { to: { type: "string" }, from: { type: "string" } } }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const to = args.to;
  const from = args.from ?? process.env.DATABASE_URL ?? "file:./data/app.db";
  if (!to || !isPostgresUrl(to)) {
    console.error(`--to must be a postgresql:// URL.\n${USAGE}`);
    return 2;
  }
  if (!from.startsWith("file:")) {
    console.error(`The source must be an SQLite database (file:…), not ${redact(from)}: pass --from file:PATH.\n${USAGE}`);
    return 2;
  }
  const sourceFile = resolveDatabaseFile(from);
  const started = performance.now();
  const seconds = (since = started) => ((performance.now() - since) / 1000).toFixed(1);

  let source: Database.Database;
  try {
    source = new Database(sourceFile, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new CopyFailed(`Cannot open the source ${sourceFile}: ${(e as Error).message}`);
  }
  const client = new pg.Client({ connectionString: to, types: rawTypes });
  try {
    await client.connect();
  } catch (e) {
    source.close();
    throw new CopyFailed(`Cannot connect to the target ${redact(to)}: ${(e as Error).message}`);
  }
  console.log(`Copying ${sourceFile}\n     to ${redact(to)}`);
  console.log("The source is read in one read transaction: writes made meanwhile are not copied. Stop the app first, or copy from a restored backup.");

  const counts = new Map<string, number>();
  let auditEvents = { count: 0, last: null as number | null };
  try {
    // No time limit of the server's or the role's may cut a long copy short.
    await client.query("SET statement_timeout = 0; SET idle_in_transaction_session_timeout = 0; SET TIME ZONE 'UTC'");
    const migrations = await targetMigrationCheck(client);
    sourceMigrationCheck(source);
    const tables = await targetCatalog(client);
    const { copied, targetOnly } = compareSchemas(source, tables);
    const order = foreignKeyOrder(await targetForeignKeys(client, tables)).filter((t) => copied.includes(t) && !RESET_TABLES.has(t));
    const dataVersion = source.pragma("data_version", { simple: true });

    await client.query("BEGIN");
    source.exec("BEGIN");
    try {
      await client.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
      try {
        await client.query(`LOCK TABLE ${[...tables.keys()].map(quote).join(", ")} IN EXCLUSIVE MODE`);
      } catch (e) {
        throw new CopyFailed(`Could not lock the target's tables within ${LOCK_TIMEOUT} (${(e as Error).message}): is an app server running on it? Stop it.`);
      }
      // Empty, but for what the migrations insert (checked under the lock: no writer meanwhile).
      const filled: string[] = [];
      for (const name of [...tables.keys()].sort()) {
        if (RESET_TABLES.has(name) || REPLACED_TABLES.has(name)) continue;
        const n = Number((await rows(client, `SELECT COUNT(*) AS n FROM ${quote(name)}`))[0]!.n);
        if (n > 0) filled.push(`${name} (${n})`);
      }
      if (filled.length) {
        throw new CopyFailed(
          `The target is not empty: ${filled.join(", ")}. db:copy only fills a new database: create one, run \`npm run db:deploy\` on it, and copy again.`,
        );
      }
      for (const name of REPLACED_TABLES) if (tables.has(name)) await client.query(`DELETE FROM ${quote(name)}`);

      const copyStarted = performance.now();
      const results = new Map<string, Copied>();
      const stored = new Map<string, Map<string, unknown>>();
      for (const name of order) {
        const table = tables.get(name)!;
        const remember = TRIGGER_COLUMNS.some((t) => t.table === name && table.columns.some((c) => c.name === t.column)) ? new Map<string, unknown>() : undefined;
        if (remember) stored.set(name, remember);
        const result = await copyTable(source, client, table, remember);
        results.set(name, result);
        counts.set(name, result.rows);
      }
      if (tables.has("AuditEvent")) {
        const row = source.prepare(`SELECT COUNT(*) AS count, MAX(id) AS last FROM "AuditEvent"`).get() as { count: number; last: number | null };
        auditEvents = row;
      }
      source.exec("COMMIT");
      const changed = source.pragma("data_version", { simple: true }) !== dataVersion;
      console.log(`Copied ${order.length} tables in ${seconds(copyStarted)} s; checking before the commit…`);

      // Sequences after the highest id; the score version shards from 0 (a cache key only).
      for (const name of order) {
        for (const column of tables.get(name)!.serials) {
          await client.query(
            `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT MAX(${quote(column)}) FROM ${quote(name)}), 0) + 1, false)`,
            [quote(name), column],
          );
        }
      }
      for (const name of RESET_TABLES) if (tables.has(name)) await client.query(`UPDATE ${quote(name)} SET "version" = 0`);

      const problems: string[] = [];
      for (const { table, column } of TRIGGER_COLUMNS) {
        const values = stored.get(table);
        if (!values) continue;
        const differences = await triggerDifferences(client, tables.get(table)!, column, values);
        if (differences.length) problems.push(`${table}.${column}: PostgreSQL's trigger computed other values than the stored ones:\n    ${differences.join("\n    ")}`);
      }
      for (const name of order) {
        const difference = await compareTable(source, client, tables.get(name)!, results.get(name)!);
        if (difference) problems.push(difference);
      }
      if (changed) problems.push("The source changed while it was read (is the app running on it?): the copy would miss those writes.");
      if (problems.length) throw new CopyFailed(`Nothing was copied (rolled back):\n  ${problems.join("\n  ")}`);
      await client.query("COMMIT");
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      console.log(`Committed: ${order.length} tables, ${total} rows; every table's digest equals the source's (${migrations} PostgreSQL migrations applied).`);
      if (targetOnly.length) console.log(`Only on PostgreSQL, left empty: ${targetOnly.join(", ")}.`);
    } catch (e) {
      if (source.inTransaction) source.exec("ROLLBACK");
      await client.query("ROLLBACK").catch(() => undefined);
      throw e;
    }
  } finally {
    source.close();
    await client.end().catch(() => undefined);
  }

  // After the commit, on new connections: what an app server will read.
  const checksStarted = performance.now();
  const problems: string[] = [];
  const check = new pg.Client({ connectionString: to, types: rawTypes });
  await check.connect();
  try {
    for (const [name, n] of counts) {
      const found = Number((await rows(check, `SELECT COUNT(*) AS n FROM ${quote(name)}`))[0]!.n);
      if (found !== n) problems.push(`${name}: ${n} rows in the source, ${found} on the target`);
    }
    if (counts.has("AuditEvent")) {
      const row = (await rows(check, `SELECT COUNT(*) AS count, MAX(id) AS last FROM "AuditEvent"`))[0]!;
      const target = { count: Number(row.count), last: row.last === null ? null : Number(row.last) };
      if (target.count !== auditEvents.count || target.last !== auditEvents.last) {
        problems.push(`AuditEvent: the source has ${auditEvents.count} events up to id ${auditEvents.last}, the target ${target.count} up to id ${target.last}`);
      } else console.log(`AuditEvent: ${target.count} events, last id ${target.last ?? "none"} on both.`);
    }
  } finally {
    await check.end();
  }
  const [sourceAudit, targetAudit] = await Promise.all([runAudit(`file:${sourceFile}`), runAudit(to)]);
  for (const [side, audit] of [["source", sourceAudit], ["target", targetAudit]] as const) {
    if ((audit.code !== 0 && audit.code !== 1) || audit.lines.length === 0) {
      problems.push(`scores:audit on the ${side} failed (exit ${audit.code}):\n${audit.output.trim()}`);
    }
  }
  if (problems.length === 0) {
    if (sourceAudit.lines.join("\n") === targetAudit.lines.join("\n")) {
      console.log(`scores:audit is equal on both databases for ${sourceAudit.lines.length} period(s):`);
      for (const line of sourceAudit.lines) console.log(`  ${line}`);
      if (sourceAudit.code === 1) console.log("  (the source's live tallies already differed from the recomputation: copied as they are; `npm run scores:audit -- --rebuild` rebuilds them)");
    } else {
      problems.push(`scores:audit differs:\n  source:\n    ${sourceAudit.lines.join("\n    ")}\n  target:\n    ${targetAudit.lines.join("\n    ")}`);
    }
  }
  if (problems.length) {
    throw new CopyFailed(
      `The copy was committed, but the checks found differences:\n  ${problems.join("\n  ")}\nDo not switch to the target: recreate it (DROP DATABASE, CREATE DATABASE, npm run db:deploy) and copy again.`,
    );
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  console.log(`Done: ${counts.size} tables, ${total} rows in ${seconds()} s (checks after the commit ${seconds(checksStarted)} s).`);
  console.log(
    `Photos stay in UPLOAD_DIR (${path.resolve(process.env.UPLOAD_DIR ?? "data/uploads")}): db:copy does not move them. Every app server on the target must see that folder (shared storage).`,
  );
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e instanceof CopyFailed ? `db:copy: ${e.message}` : e);
      process.exit(1);
    },
  );
}
