// The statements that must differ between databases, as functions named for what they do
// (docs/decisions/0027, rule 9). Models and services call `dialect()`; they never write a
// database's own functions or catalogs inline. Each database has one implementation of `Dialect`,
// so the compiler keeps them in step.
//
// Fragments take column expressions written by the caller (never user input) and return SQL text.
import { getEnv } from "../env.server";
import type { Sql } from "./types";

export interface Dialect {
  /** 'YYYY-MM' of a timestamp column in the region's time (UTC+8). */
  regionMonth(column: string): string;
  /** 'YYYY-MM-DD' of a timestamp column in the region's time (UTC+8). */
  regionDay(column: string): string;
  /** An aggregate: a text column's values over the group joined with commas (in no set order). */
  commaList(column: string): string;
  /**
   * One text that changes whenever a score figure may have changed (lib/score-cache.server.ts):
   * the records version that triggers move, and watermarks of the rows only ever added.
   */
  readonly scoreVersion: string;
  /** A number that moves on every write to complaints, periods, units, snapshots, questions. */
  readonly recordsVersion: string;
  /**
   * The suffix of a SELECT that claims rows for an UPDATE ... WHERE id IN (SELECT ...) (the
   * notification outbox's lease): on PostgreSQL `FOR UPDATE SKIP LOCKED`, so claimers in several
   * processes pass over each other's rows instead of waiting for them; empty on SQLite, whose one
   * writer makes the claim atomic by itself.
   */
  readonly skipLocked: string;
  /** A statement with one parameter, a table's name: a row when that table exists. */
  readonly tableExists: string;
  /** A statement without parameters: the database's size in bytes, as the database counts it. */
  readonly databaseSize: string;
  /**
   * A real write that changes nothing anyone sees, inside the write transaction `tx` (readiness:
   * can the database be written?). On SQLite it sets the file header's user_version to the value
   * it has.
   */
  probeWrite(tx: Sql): Promise<void>;
  /**
   * Makes concurrent write transactions that name the same key run one after another, until the
   * transaction ends (the repeat rule and a resent submission on PostgreSQL, where several
   * connections write at once: the second waits, then sees the first's row). Nothing on SQLite,
   * whose writes already run one at a time. Keys are taken in sorted order (no deadlock).
   */
  lockKeys(tx: Sql, keys: readonly string[]): Promise<void>;
  /**
   * After rows were inserted with ids of their own (the demo seed, a bulk load, db:copy): the
   * next id the table hands out follows the highest one. SQLite does that by itself.
   */
  syncIdSequence(tx: Sql, table: string): Promise<void>;
  /**
   * An ItemTally row's stored counts (JSON text; undefined when there is no row yet), read for an
   * update that writes them back within the transaction `tx`: no other writer may change them in
   * between. SQLite's one writer needs nothing more than the read; PostgreSQL makes sure the row
   * exists and locks it (a concurrent submission to the same unit waits, then reads the sum).
   */
  itemCountsForUpdate(tx: Sql, periodId: number, unitId: number, flags: string): Promise<string | undefined>;
}

const sqlite: Dialect = {
  regionMonth: (column) => `strftime('%Y-%m', ${column}, '+8 hours')`,
  regionDay: (column) => `date(${column}, '+8 hours')`,
  commaList: (column) => `group_concat(${column}, ',')`,
  // Responses and flags are only ever added, so their highest row ids tell a new one (a trigger per
  // submission cost ~24 µs on the hottest write path).
  scoreVersion: `SELECT COALESCE((SELECT version FROM ScoreVersion WHERE id = 1), 0) || '|' || COALESCE((SELECT MAX(id) FROM Response), 0) || '|' || COALESCE((SELECT MAX(rowid) FROM ResponseFlag), 0)`,
  recordsVersion: `SELECT version FROM ScoreVersion WHERE id = 1`,
  skipLocked: "",
  tableExists: `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`,
  databaseSize: `SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`,
  async probeWrite(tx) {
    const version = Number(await tx.value("PRAGMA user_version"));
    await tx.run(`PRAGMA user_version = ${Number.isInteger(version) ? version : 0}`);
  },
  lockKeys: () => Promise.resolve(),
  syncIdSequence: () => Promise.resolve(),
  itemCountsForUpdate: (tx, periodId, unitId, flags) =>
    tx.value<string>(`SELECT counts FROM ItemTally WHERE periodId = ? AND unitId = ? AND flags = ?`, periodId, unitId, flags),
};

// Texts are rendered like every other statement (docs/decisions/0027): mixed-case identifiers are
// quoted by the driver, so they are written bare here too.
const postgres: Dialect = {
  regionMonth: (column) => `to_char(${column} + interval '8 hours', 'YYYY-MM')`,
  regionDay: (column) => `to_char(${column} + interval '8 hours', 'YYYY-MM-DD')`,
  commaList: (column) => `string_agg(${column}, ',')`,
  // The triggers bump one of 32 shards per family (a single hot row would queue every writer of
  // every process): ids 1..32 count records, 101..132 new responses and flags (the migration
  // 20261202110000_triggers_and_seed). Ids commit out of order across connections, so no id
  // watermark can stand in for them here.
  scoreVersion: `SELECT (SELECT COALESCE(SUM(version), 0) FROM ScoreVersion WHERE id < 100) || '|' || (SELECT COALESCE(SUM(version), 0) FROM ScoreVersion WHERE id > 100)`,
  recordsVersion: `SELECT COALESCE(SUM(version), 0) FROM ScoreVersion WHERE id < 100`,
  skipLocked: "FOR UPDATE SKIP LOCKED",
  tableExists: `SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`,
  databaseSize: `SELECT pg_database_size(current_database())`,
  async probeWrite(tx) {
    // An update of no row changes nothing, yet a read-only database refuses it (a standby, or
    // default_transaction_read_only, which some hosts set when the disk fills up); txid_current()
    // alone is allowed there. The transaction id makes the commit a real one, written to the log.
    await tx.run("UPDATE DataTask SET name = name WHERE FALSE");
    await tx.value("SELECT txid_current()");
  },
  async lockKeys(tx, keys) {
    // A 64-bit hash of the key: two keys sharing one only wait for each other, a few ms.
    for (const key of [...keys].sort()) await tx.value("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", key);
  },
  async syncIdSequence(tx, table) {
    if (!/^[A-Za-z]+$/.test(table)) throw new Error(`not a table name: ${table}`);
    await tx.value(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), COALESCE((SELECT MAX(id) FROM ${table}), 0) + 1, false)`);
  },
  async itemCountsForUpdate(tx, periodId, unitId, flags) {
    await tx.run(`INSERT INTO ItemTally (periodId, unitId, flags, counts) VALUES (?, ?, ?, '{}') ON CONFLICT DO NOTHING`, periodId, unitId, flags);
    return tx.value<string>(`SELECT counts FROM ItemTally WHERE periodId = ? AND unitId = ? AND flags = ? FOR UPDATE`, periodId, unitId, flags);
  },
};

let chosen: Dialect | undefined;

/** The dialect of the database DATABASE_URL names. */
export function dialect(): Dialect {
  return (chosen ??= getEnv().DATABASE_KIND === "postgres" ? postgres : sqlite);
}

/** One database's dialect, by kind (tests compare the two). */
export function dialectOf(kind: "sqlite" | "postgres"): Dialect {
  return kind === "postgres" ? postgres : sqlite;
}
