// The statements that must differ between databases, as functions named for what they do
// (docs/decisions/0027, rule 9). Models and services call `dialect()`; they never write a
// database's own functions or catalogs inline. Each database has one implementation of `Dialect`,
// so the compiler keeps them in step.
//
// Fragments take column expressions written by the caller (never user input) and return SQL text.
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
  /**
   * A real write that changes nothing anyone sees, inside the write transaction `tx` (readiness:
   * can the database be written?). On SQLite it sets the file header's user_version to the value
   * it has.
   */
  probeWrite(tx: Sql): Promise<void>;
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
  async probeWrite(tx) {
    const version = Number(await tx.value("PRAGMA user_version"));
    await tx.run(`PRAGMA user_version = ${Number.isInteger(version) ? version : 0}`);
  },
};

export function dialect(): Dialect {
  return sqlite;
}
