// The end-to-end tests' own handle on a test server's database, synchronous on both databases:
// better-sqlite3 on SQLite; on PostgreSQL a facade of the same shape whose statements run in a
// worker thread (pg-sync-worker.mjs) while this thread waits. Statements are written once, in the
// portable style of docs/decisions/0027, and rendered for PostgreSQL by the app's own renderSql;
// rows come back in the shapes the app's driver gives (timestamps as ISO text with +00:00,
// 64-bit integers as numbers, booleans as 0/1, JSON as text).
import path from "node:path";
import Database from "better-sqlite3";
import { createSyncFn } from "synckit";
import { parseColumn, renderSql } from "../../../app/lib/db/postgres.server";

// Parameters as better-sqlite3 takes them: strings, numbers, bigints, null (no booleans, no Dates).
type Param = unknown;

/** The part of better-sqlite3's statement the tests use. */
export interface TestStatement {
  get(...params: Param[]): unknown;
  all(...params: Param[]): unknown[];
  /** `lastInsertRowid`: on PostgreSQL only for a statement ending in `RETURNING id`. */
  run(...params: Param[]): { changes: number; lastInsertRowid: number | bigint };
  /** Rows as their first column's value from now on (`pluck(false)` undoes it). */
  pluck(toggle?: boolean): TestStatement;
}

/** The part of better-sqlite3's database the tests use; a better-sqlite3 Database is one. */
export interface TestDb {
  prepare(sql: string): TestStatement;
  /** Runs a script of statements without parameters. */
  exec(sql: string): unknown;
  /** `fn` wrapped in BEGIN … COMMIT (ROLLBACK when it throws). */
  transaction<T>(fn: () => T): () => T;
  close(): unknown;
}

/** Which database the test servers of this process run on: the project "pg" sets TEST_DATABASE=postgres. */
export function testDatabaseKind(): "sqlite" | "postgres" {
  return process.env.TEST_DATABASE === "postgres" ? "postgres" : "sqlite";
}

/** A handle on the database of `url`: `file:…` (SQLite) or `postgresql://…`. */
export function openTestDb(url: string): TestDb {
  if (url.startsWith("file:")) {
    const db = new Database(url.slice("file:".length));
    db.pragma("busy_timeout = 5000");
    return db;
  }
  return new PostgresTestDb(url);
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

type Call =
  | { op: "open"; url: string }
  | { op: "close"; id: number }
  | { op: "exec"; id: number; text: string }
  | { op: "query"; id: number; text: string; values: (string | number | null)[] };
interface QueryResult {
  fields: { name: string; oid: number }[];
  rows: (string | null)[][];
  rowCount: number;
}

let callWorker: ((call: Call) => unknown) | undefined;
const worker = () => (callWorker ??= createSyncFn<(call: Call) => Promise<unknown>>(path.join(import.meta.dirname, "pg-sync-worker.mjs")));

const value = (oid: number, text: string | null) => (text === null ? null : parseColumn(oid, text));

class PostgresStatement implements TestStatement {
  private plucked = false;
  private readonly text: string;
  constructor(
    private readonly db: PostgresTestDb,
    sql: string,
  ) {
    this.text = renderSql(sql);
  }

  private query(params: Param[]): QueryResult {
    // better-sqlite3 takes integers beyond 2^53 as bigints; pg takes them as text.
    const values = params.map((p) => {
      if (p === undefined || p === null) return null;
      if (typeof p === "bigint") return p.toString();
      if (typeof p === "string" || typeof p === "number") return p;
      throw new TypeError(`A test database parameter must be a string, number, bigint or null, not ${typeof p}`);
    });
    return this.db.call({ op: "query", id: this.db.id, text: this.text, values }) as QueryResult;
  }
  private rows(params: Param[]): unknown[] {
    const { fields, rows } = this.query(params);
    if (this.plucked) return rows.map((row) => value(fields[0]!.oid, row[0]!));
    return rows.map((row) => Object.fromEntries(fields.map((f, i) => [f.name, value(f.oid, row[i]!)])));
  }

  get(...params: Param[]): unknown {
    return this.rows(params)[0];
  }
  all(...params: Param[]): unknown[] {
    return this.rows(params);
  }
  run(...params: Param[]): { changes: number; lastInsertRowid: number | bigint } {
    const { fields, rows, rowCount } = this.query(params);
    const text = this.text;
    const returned = fields[0]?.name === "id" ? rows[0]?.[0] : undefined;
    return {
      changes: rowCount,
      get lastInsertRowid(): number {
        if (returned === undefined || returned === null) {
          throw new Error(`On PostgreSQL a new row's id needs RETURNING id (docs/decisions/0027): ${text}`);
        }
        return Number(returned);
      },
    };
  }
  pluck(toggle = true): TestStatement {
    this.plucked = toggle;
    return this;
  }
}

class PostgresTestDb implements TestDb {
  readonly id: number;
  constructor(url: string) {
    this.id = this.call({ op: "open", url }) as number;
  }
  call(call: Call): unknown {
    return worker()(call);
  }
  prepare(sql: string): TestStatement {
    return new PostgresStatement(this, sql);
  }
  exec(sql: string): this {
    this.call({ op: "exec", id: this.id, text: renderSql(sql) });
    return this;
  }
  transaction<T>(fn: () => T): () => T {
    return () => {
      this.exec("BEGIN");
      try {
        const result = fn();
        this.exec("COMMIT");
        return result;
      } catch (error) {
        this.exec("ROLLBACK");
        throw error;
      }
    };
  }
  close(): void {
    this.call({ op: "close", id: this.id });
  }
}
