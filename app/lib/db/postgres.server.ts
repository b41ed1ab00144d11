// The PostgreSQL driver behind the data layer's facade (docs/decisions/0026 §2.3, 0027).
//
// One `pg` pool serves reads and writes. Each write is its own transaction on a pooled connection:
// READ COMMITTED for hot writes (their conflicts are held by keys and conditional updates),
// SERIALIZABLE for the others, so the check-then-act reasoning written for SQLite's single writer
// stays true. A serialization failure, a deadlock or a RetryableConflict runs the work again in a
// fresh transaction. There is no group commit: PostgreSQL flushes concurrent commits together, and
// many savepoints in one transaction are slow subtransactions there.
//
// Statements arrive in the portable style of ADR 0027 (SQLite's syntax, `?` placeholders, no
// quotes) and are rendered once per text: `?` becomes `$n`, mixed-case identifiers are quoted. The
// raw pool's type parsers give rows the shapes better-sqlite3 gives (timestamps as the ISO text
// SQLite stores, 64-bit integers and numerics as numbers, booleans as 0/1, JSON as its text).
import pg from "pg";
import {
  BUSY_TIMEOUT_MS,
  RetryableConflict,
  type Accumulator,
  type Database,
  type Param,
  type Sql,
  type WriteOptions,
  type WriteTx,
} from "./types";

const DEFAULT_POOL_SIZE = 10;
/** Attempts of one write, the first included (ADR 0026 §2.3). */
const MAX_ATTEMPTS = 5;
/** statement_timeout and idle_in_transaction_session_timeout: no write transaction outlives it. */
const SESSION_TIMEOUT_MS = 60_000;
/** Texts given a prepared-statement name (texts with inlined id lists would grow it forever). */
const NAMED_STATEMENTS_MAX = 1000;
const RENDER_CACHE_MAX = 2000;

// ---------------------------------------------------------------------------------------------
// Rendering

const renderCache = new Map<string, string>();

const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95; // A-Z a-z _
const isIdentPart = (c: number) => isIdentStart(c) || (c >= 48 && c <= 57) || c === 36; // 0-9 $
const isDigit = (c: number) => c >= 48 && c <= 57;

/** Copies a quoted run ('…' or "…", the quote doubled inside) and returns the index after it. */
function quotedEnd(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return i; // unterminated: PostgreSQL will say so
}

function renderUncached(text: string): string {
  let out = "";
  let n = 0;
  let i = 0;
  const length = text.length;
  while (i < length) {
    const ch = text[i]!;
    const code = text.charCodeAt(i);
    if (ch === "'" || ch === '"') {
      const end = quotedEnd(text, i, ch);
      out += text.slice(i, end);
      i = end;
    } else if (ch === "-" && text[i + 1] === "-") {
      const newline = text.indexOf("\n", i);
      const end = newline < 0 ? length : newline;
      out += text.slice(i, end);
      i = end;
    } else if (ch === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      const end = close < 0 ? length : close + 2;
      out += text.slice(i, end);
      i = end;
    } else if (ch === "?") {
      out += `$${++n}`;
      i++;
    } else if (isDigit(code)) {
      // A number (1, 2.5, 1e3): its letters are no identifier.
      let end = i + 1;
      while (end < length && isIdentPart(text.charCodeAt(end))) end++;
      out += text.slice(i, end);
      i = end;
    } else if (isIdentStart(code)) {
      let end = i + 1;
      while (end < length && isIdentPart(text.charCodeAt(end))) end++;
      const word = text.slice(i, end);
      out += /[a-z]/.test(word) && /[A-Z]/.test(word) ? `"${word}"` : word;
      i = end;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/**
 * A portable statement (docs/decisions/0027) as PostgreSQL reads it: `?` placeholders numbered
 * `$1…$n`, and every bare identifier with both lower- and upper-case letters double-quoted
 * (`Response.submittedAt` → `"Response"."submittedAt"`, as Prisma's PostgreSQL DDL names them).
 * All-lower and all-upper words (keywords, functions, lower-case columns) stay as they are. String
 * literals, quoted identifiers and comments are copied untouched. Cached per text.
 */
export function renderSql(text: string): string {
  let rendered = renderCache.get(text);
  if (rendered === undefined) {
    rendered = renderUncached(text);
    if (renderCache.size >= RENDER_CACHE_MAX) renderCache.delete(renderCache.keys().next().value!);
    renderCache.set(text, rendered);
  }
  return rendered;
}

// One stable name per text for the whole process, so each connection parses a text once (pg keeps
// the name → text map per connection). A text is named when it is seen a second time, up to a
// bound: one-off texts (inlined id lists) run unnamed and never take a name from a hot one.
const statementNames = new Map<string, string>();
let seenOnce = new Set<string>();

function statementName(rendered: string): string | undefined {
  const name = statementNames.get(rendered);
  if (name !== undefined || statementNames.size >= NAMED_STATEMENTS_MAX) return name;
  if (!seenOnce.has(rendered)) {
    if (seenOnce.size >= NAMED_STATEMENTS_MAX) seenOnce = new Set();
    seenOnce.add(rendered);
    return undefined;
  }
  seenOnce.delete(rendered);
  const fresh = `s${statementNames.size + 1}`;
  statementNames.set(rendered, fresh);
  return fresh;
}

function queryConfig(sql: string, params: Param[], arrays: boolean): pg.QueryArrayConfig | pg.QueryConfig {
  const text = renderSql(sql);
  const name = statementName(text);
  const config: pg.QueryConfig = { text, values: params };
  if (name !== undefined) config.name = name;
  return arrays ? { ...config, rowMode: "array" } : config;
}

// ---------------------------------------------------------------------------------------------
// Type parsers (this pool's connections only; pg.types stays untouched for Prisma's adapter)

const OID = { bool: 16, int8: 20, json: 114, date: 1082, timestamp: 1114, timestamptz: 1184, numeric: 1700, jsonb: 3802 };

const TIMESTAMP = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?)?$/;

/** The three millisecond digits of PostgreSQL's variable fraction ("67" → "670", "123456" → "123"). */
const millis = (fraction: string | undefined) => (fraction ?? "").slice(0, 3).padEnd(3, "0");

/**
 * `timestamp` text ("2026-12-01 03:04:05.67") as SQLite stores it through Prisma and dbDateTime:
 * "2026-12-01T03:04:05.670+00:00". `timestamptz` text is turned to UTC first (the sessions run in
 * UTC, so its offset is +00 unless a statement sets another zone). Anything else (infinity, BC
 * dates) comes back as PostgreSQL wrote it.
 */
export function parseTimestamp(value: string): string {
  const m = TIMESTAMP.exec(value);
  if (!m) return value;
  const [, year, month, day, hour, minute, second, fraction, sign, offH, offM, offS] = m;
  const offsetSeconds = sign ? (sign === "-" ? -1 : 1) * (Number(offH) * 3600 + Number(offM ?? 0) * 60 + Number(offS ?? 0)) : 0;
  if (offsetSeconds === 0) return `${year}-${month}-${day}T${hour}:${minute}:${second}.${millis(fraction)}+00:00`;
  const utc = new Date(0);
  utc.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  utc.setUTCHours(Number(hour), Number(minute), Number(second) - offsetSeconds, Number(millis(fraction)));
  return utc.toISOString().replace("Z", "+00:00");
}

const identity = (value: string) => value;
const textParsers = new Map<number, (value: string) => unknown>([
  [OID.timestamp, parseTimestamp],
  [OID.timestamptz, parseTimestamp],
  [OID.date, identity], // pg's default would make a local-time Date
  [OID.int8, Number],
  [OID.numeric, Number],
  [OID.bool, (value) => (value === "t" ? 1 : 0)],
  [OID.json, identity],
  [OID.jsonb, identity],
]);

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (format !== "binary") {
      const parser = textParsers.get(oid);
      if (parser) return parser;
    }
    return pg.types.getTypeParser(oid, format as "text");
  }) as pg.CustomTypesConfig["getTypeParser"],
};

/**
 * A column's text as this driver's rows give it (the parsers above, else pg's own), for a client
 * that fetches PostgreSQL's text itself: the end-to-end tests' synchronous handle
 * (tests/e2e/support/db.ts) reads rows in the same shapes as the app.
 */
export function parseColumn(oid: number, value: string): unknown {
  return (types.getTypeParser as (oid: number, format: "text") => (text: string) => unknown)(oid, "text")(value);
}

// ---------------------------------------------------------------------------------------------
// Retries

/** What a retry was for: a SQLSTATE (40001 serialization failure, 40P01 deadlock) or the class. */
export type RetryCode = "40001" | "40P01" | "RetryableConflict";

const retryCounts: Record<RetryCode, number> = { "40001": 0, "40P01": 0, RetryableConflict: 0 };
const retryListeners = new Set<(code: RetryCode) => void>();

/** Calls `listener` on every retry of a write in this process (db_retries_total{code}); returns its removal. */
export function onRetry(listener: (code: RetryCode) => void): () => void {
  retryListeners.add(listener);
  return () => retryListeners.delete(listener);
}

/** Retries of writes in this process so far, by code. */
export function retryTotals(): Readonly<Record<RetryCode, number>> {
  return { ...retryCounts };
}

function retryCode(error: unknown): RetryCode | undefined {
  if (error instanceof RetryableConflict) return "RetryableConflict";
  const code = (error as { code?: unknown } | null)?.code;
  return code === "40001" || code === "40P01" ? code : undefined;
}

/**
 * Full jitter under a doubling ceiling: 0–50 ms before the 2nd attempt, up to 0–400 ms before the
 * 5th (750 ms at most in all). 20 writers on one row, pool of 10: no write ran out of attempts in
 * 5,000; with 25 ms, 7 of 100 rounds had one.
 */
const backoffMs = (attempt: number) => Math.random() * 50 * 2 ** (attempt - 1);

// ---------------------------------------------------------------------------------------------
// Sql faces

type Queryable = Pick<pg.Pool, "query"> | Pick<pg.PoolClient, "query">;

class PostgresSql implements Sql {
  constructor(private readonly conn: Queryable) {}

  /** Throws when this handle may no longer be used (a finished write's transaction). */
  protected check(): void {}

  private async rows<T>(sql: string, params: Param[]): Promise<T[]> {
    this.check();
    return (await this.conn.query(queryConfig(sql, params, false) as pg.QueryConfig)).rows as T[];
  }
  private async arrays(sql: string, params: Param[]): Promise<unknown[][]> {
    this.check();
    return (await this.conn.query(queryConfig(sql, params, true) as pg.QueryArrayConfig)).rows;
  }

  async get<T>(sql: string, ...params: Param[]): Promise<T | undefined> {
    return (await this.rows<T>(sql, params))[0];
  }
  all<T>(sql: string, ...params: Param[]): Promise<T[]> {
    return this.rows<T>(sql, params);
  }
  async pluck<T>(sql: string, ...params: Param[]): Promise<T[]> {
    return (await this.arrays(sql, params)).map((row) => row[0] as T);
  }
  async value<T>(sql: string, ...params: Param[]): Promise<T | undefined> {
    return (await this.arrays(sql, params))[0]?.[0] as T | undefined;
  }
  async run(sql: string, ...params: Param[]): Promise<{ changes: number }> {
    this.check();
    const result = await this.conn.query(queryConfig(sql, params, false) as pg.QueryConfig);
    return { changes: result.rowCount ?? 0 };
  }
  async insert(sql: string, ...params: Param[]): Promise<number> {
    const row = (await this.arrays(sql, params))[0];
    if (row === undefined || row[0] === undefined) throw new Error("insert() needs a statement ending in RETURNING id");
    return Number(row[0]);
  }
}

/** A snapshot's connection: usable while its work runs, then never. */
class SnapshotSql extends PostgresSql {
  active = true;
  protected override check() {
    if (!this.active) throw new Error("A snapshot's connection was used after it ended");
  }
}

/** One write's transaction: usable while its work runs and its accumulators flush, then never. */
class PostgresTx extends PostgresSql implements WriteTx {
  state: "open" | "flushing" | "ended" = "open";
  readonly staged = new Map<Accumulator<unknown>, unknown[]>();
  protected override check() {
    if (this.state === "ended") throw new Error("A write used its transaction after it ended");
  }
  stage<I>(accumulator: Accumulator<I>, item: I): void {
    this.check();
    if (this.state !== "open") throw new Error("An accumulator's flush staged an item");
    const items = this.staged.get(accumulator as Accumulator<unknown>);
    if (items) items.push(item);
    else this.staged.set(accumulator as Accumulator<unknown>, [item]);
  }
}

// ---------------------------------------------------------------------------------------------
// The database

export interface PostgresOptions {
  /** Connections in the pool (DB_POOL_SIZE; default 10). */
  poolSize?: number;
}

export interface PostgresDatabase extends Database {
  readonly kind: "postgres";
  /**
   * Runs `work` in one REPEATABLE READ, READ ONLY transaction on a connection of its own (not
   * one of the pool's, so a long export never holds a write's connection): every statement sees
   * the same committed state. The work may await anything, within the session limits (60 s per
   * statement, 60 s idle between statements).
   */
  snapshot<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  /** The raw pool itself, for the PostgreSQL-only modules (advisory locks, LISTEN, backups). */
  readonly pool: pg.Pool;
}

/** The URL with `-c TimeZone=UTC` added to its startup options (kept if the URL has its own). */
function withUtcSessions(url: string): string {
  const parsed = new URL(url);
  const options = parsed.searchParams.get("options");
  parsed.searchParams.set("options", [options, "-c TimeZone=UTC"].filter(Boolean).join(" "));
  return parsed.toString();
}

/** The channel of announcements between app processes (Database.announce). */
const ANNOUNCE_CHANNEL = "civic_changes";

const BEGIN_HOT = "BEGIN ISOLATION LEVEL READ COMMITTED";
const BEGIN_SERIAL = "BEGIN ISOLATION LEVEL SERIALIZABLE";

export function openPostgres(url: string, options: PostgresOptions = {}): PostgresDatabase {
  // Session settings travel in the startup packet: no extra round trip per new connection.
  const connection: pg.ClientConfig = {
    connectionString: withUtcSessions(url),
    types,
    statement_timeout: SESSION_TIMEOUT_MS,
    idle_in_transaction_session_timeout: SESSION_TIMEOUT_MS,
  };
  const pool = new pg.Pool({ ...connection, max: options.poolSize ?? DEFAULT_POOL_SIZE });
  // An idle connection that the server ends (restart, timeout) must not crash the process; the
  // pool drops it and the next checkout opens a new one.
  pool.on("error", (error) => console.warn(`PostgreSQL pool: an idle connection failed: ${error.message}`));
  const read = new PostgresSql(pool);
  const inFlight = new Set<Promise<unknown>>();

  /** One attempt: a transaction on a pooled connection, committed or rolled back. */
  async function attempt<T>(work: (tx: WriteTx) => Promise<T>, hot: boolean): Promise<T> {
    const client = await pool.connect();
    let broken: Error | undefined;
    const tx = new PostgresTx(client);
    try {
      await client.query(hot ? BEGIN_HOT : BEGIN_SERIAL);
      const value = await work(tx);
      tx.state = "flushing";
      for (const [accumulator, items] of tx.staged) await accumulator.flush(tx, items);
      // Ended before COMMIT or ROLLBACK is sent: a call the work left running (a branch of a
      // Promise.all that lost) would otherwise be queued after it and run outside the transaction,
      // or inside the next write's once the connection is back in the pool.
      tx.state = "ended";
      const result = await client.query("COMMIT");
      // COMMIT of a transaction that a failed statement aborted (one the work did not await, its
      // error swallowed) answers ROLLBACK instead of an error.
      if (result.command !== "COMMIT") throw new Error(`The write's transaction was rolled back at COMMIT (${result.command})`);
      return value;
    } catch (error) {
      tx.state = "ended";
      try {
        await client.query("ROLLBACK");
      } catch (rollbackError) {
        broken = rollbackError as Error; // the connection is gone: the pool must not hand it out again
      }
      throw error;
    } finally {
      tx.state = "ended";
      client.release(broken);
    }
  }

  async function write<T>(work: (tx: WriteTx) => Promise<T>, hot: boolean): Promise<T> {
    const deadline = Date.now() + BUSY_TIMEOUT_MS;
    for (let attempts = 1; ; attempts++) {
      try {
        return await attempt(work, hot);
      } catch (error) {
        const code = retryCode(error);
        const delay = backoffMs(attempts);
        if (!code || attempts >= MAX_ATTEMPTS || Date.now() + delay > deadline) throw error;
        retryCounts[code]++;
        for (const listener of retryListeners) listener(code);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  // Announcements between app processes: NOTIFY on the pool, one LISTEN connection per process,
  // opened on the first subscriber and opened again after it is lost. Each time it listens the
  // handlers get null: whatever was announced before is unknown to them.
  const announcementHandlers: ((topic: string | null) => void)[] = [];
  let listener: pg.Client | undefined;
  let closing = false;
  const tellAll = (topic: string | null) => {
    for (const handler of announcementHandlers) handler(topic);
  };
  function listen(delayMs = 0) {
    if (closing) return;
    setTimeout(async () => {
      if (closing) return;
      const client = new pg.Client(connection);
      listener = client;
      let lost = false;
      const onLost = () => {
        if (lost) return;
        lost = true;
        client.end().catch(() => undefined);
        if (listener === client) listener = undefined;
        listen(Math.min(Math.max(delayMs * 2, 500), 10_000));
      };
      client.on("error", onLost);
      client.on("end", onLost);
      client.on("notification", (message) => tellAll(message.payload ?? null));
      try {
        await client.connect();
        await client.query(`LISTEN ${ANNOUNCE_CHANNEL}`);
        tellAll(null);
      } catch {
        onLost();
      }
    }, delayMs).unref();
  }

  const database: PostgresDatabase = {
    kind: "postgres",
    async tryLock(name: string) {
      const client = await pool.connect();
      // Held across a job's round: a connection the server ends meanwhile must not crash the
      // process (the release then finds it gone, and the lock went with it).
      const ignore = () => undefined;
      client.on("error", ignore);
      try {
        const { rows } = await client.query("SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS taken", [name]);
        if (rows[0]?.taken !== 1) {
          client.off("error", ignore);
          client.release();
          return null;
        }
      } catch (error) {
        client.off("error", ignore);
        client.release(error as Error);
        throw error;
      }
      return async () => {
        try {
          await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [name]);
          client.off("error", ignore);
          client.release();
        } catch (error) {
          client.off("error", ignore);
          client.release(error as Error); // a lost connection has let go of the lock already
        }
      };
    },
    async announce(topic: string) {
      await pool.query("SELECT pg_notify($1, $2)", [ANNOUNCE_CHANNEL, topic]);
    },
    onAnnouncement(handler: (topic: string | null) => void) {
      announcementHandlers.push(handler);
      if (announcementHandlers.length === 1) listen();
    },
    read,
    pool,
    write<T>(work: (tx: WriteTx) => Promise<T>, writeOptions?: WriteOptions): Promise<T> {
      const running = write(work, writeOptions?.hot ?? false);
      const tracked = running.then(
        () => undefined,
        () => undefined,
      );
      inFlight.add(tracked);
      void tracked.then(() => inFlight.delete(tracked));
      return running;
    },
    async snapshot<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
      const client = new pg.Client(connection);
      // A connection the server ends while the work waits must fail that work, not the process.
      client.on("error", () => undefined);
      await client.connect();
      const sql = new SnapshotSql(client);
      try {
        await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        return await work(sql);
      } finally {
        sql.active = false;
        // Ending the session ends its read-only transaction: nothing to commit.
        await client.end().catch(() => undefined);
      }
    },
    async settled() {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
    async close() {
      await database.settled();
      closing = true;
      await listener?.end().catch(() => undefined);
      await pool.end();
    },
  };
  return database;
}
