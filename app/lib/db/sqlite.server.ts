// The embedded SQLite driver behind the data layer's facade (app/lib/db.server.ts).
//
// Two plain better-sqlite3 connections beside Prisma's: the writer, which commits every raw write
// through a group commit, and a reader for committed state. WAL lets the reader run while a batch
// is written; synchronous=FULL makes a commit durable before the citizen is told it was accepted.
//
// Group commit (docs/decisions/0005): writes that arrive while the event loop is busy are queued
// and committed together in one BEGIN IMMEDIATE transaction, so one fsync serves many submissions.
// Each piece runs in its own savepoint: if it throws, only its own writes are undone and only its
// caller sees the error. Pieces run one after another, so each sees the writes of the previous
// ones (the repeat rule stays exact). Statements run synchronously and hand back settled promises,
// so a whole batch, from BEGIN to COMMIT, runs within one event-loop turn: nothing else can run
// on the writer in between, and the lock is never held while the process waits for something.
import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { BUSY_TIMEOUT_MS, type Accumulator, type Database, type Param, type Sql, type WriteOptions, type WriteTx } from "./types";

export { BUSY_TIMEOUT_MS };
/** Prepared statements kept per connection (texts with inlined id lists would grow it forever). */
const STATEMENT_CACHE_SIZE = 1000;

type Statement = BetterSqlite3.Statement;

class StatementCache {
  private readonly rows = new Map<string, Statement>();
  private readonly plucked = new Map<string, Statement>();
  constructor(readonly conn: BetterSqlite3.Database) {}

  rowsOf(sql: string): Statement {
    return this.lookup(this.rows, sql, false);
  }
  pluckOf(sql: string): Statement {
    return this.lookup(this.plucked, sql, true);
  }
  private lookup(map: Map<string, Statement>, sql: string, pluck: boolean): Statement {
    let statement = map.get(sql);
    if (!statement) {
      statement = this.conn.prepare(sql);
      if (pluck) statement.pluck(true);
      if (map.size >= STATEMENT_CACHE_SIZE) map.delete(map.keys().next().value!);
      map.set(sql, statement);
    }
    return statement;
  }
}

/** Runs a synchronous call and hands back its outcome as a settled promise. */
function settle<T>(call: () => T): Promise<T> {
  try {
    return Promise.resolve(call());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The Sql face of one connection: every statement runs at once, synchronously. */
class SqliteSql implements Sql {
  constructor(protected readonly statements: StatementCache) {}

  /** Throws when this handle may no longer be used (a finished piece's transaction). */
  protected check(): void {}

  get<T>(sql: string, ...params: Param[]): Promise<T | undefined> {
    return settle(() => (this.check(), this.statements.rowsOf(sql).get(...params) as T | undefined));
  }
  all<T>(sql: string, ...params: Param[]): Promise<T[]> {
    return settle(() => (this.check(), this.statements.rowsOf(sql).all(...params) as T[]));
  }
  pluck<T>(sql: string, ...params: Param[]): Promise<T[]> {
    return settle(() => (this.check(), this.statements.pluckOf(sql).all(...params) as T[]));
  }
  value<T>(sql: string, ...params: Param[]): Promise<T | undefined> {
    return settle(() => (this.check(), this.statements.pluckOf(sql).get(...params) as T | undefined));
  }
  run(sql: string, ...params: Param[]): Promise<{ changes: number }> {
    return settle(() => (this.check(), { changes: this.statements.rowsOf(sql).run(...params).changes }));
  }
  insert(sql: string, ...params: Param[]): Promise<number> {
    return settle(() => {
      this.check();
      const id = this.statements.pluckOf(sql).get(...params);
      if (id === undefined) throw new Error("insert() needs a statement ending in RETURNING id");
      return Number(id);
    });
  }
}

/** One piece's transaction: the writer's statements, plus staging, usable only while it runs. */
class PieceTx extends SqliteSql implements WriteTx {
  active = true;
  readonly staged = new Map<Accumulator<unknown>, unknown[]>();
  protected override check() {
    if (!this.active) throw new Error("A write piece used its transaction after it ended");
  }
  stage<I>(accumulator: Accumulator<I>, item: I): void {
    this.check();
    const items = this.staged.get(accumulator as Accumulator<unknown>);
    if (items) items.push(item);
    else this.staged.set(accumulator as Accumulator<unknown>, [item]);
  }
}

/** The Sql face of a connection of one's own (the audit's threads, scripts). */
export function sqliteSql(conn: BetterSqlite3.Database): Sql {
  return new SqliteSql(new StatementCache(conn));
}

interface Job {
  work: (tx: WriteTx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === "SQLITE_BUSY" || code === "SQLITE_BUSY_SNAPSHOT" || code === "SQLITE_LOCKED";
}

export interface SqliteDatabase extends Database {
  readonly kind: "sqlite";
  /** The writer connection itself, for the SQLite-only modules (backups, pragmas). */
  readonly writer: BetterSqlite3.Database;
}

export function openSqlite(file: string, options: { strictTurns?: boolean } = {}): SqliteDatabase {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // No busy wait on the writer: a synchronous wait would freeze the event loop, and with it the
  // Prisma transaction that holds the lock. The group commit retries asynchronously instead.
  const writer = new BetterSqlite3(file, { timeout: 0 });
  writer.pragma("journal_mode = WAL");
  writer.pragma("synchronous = FULL");
  writer.pragma("foreign_keys = ON");
  const reader = new BetterSqlite3(file, { timeout: 0 });
  reader.pragma("query_only = ON");
  const writerStatements = new StatementCache(writer);
  const writerSql = new SqliteSql(writerStatements);
  const read = new SqliteSql(new StatementCache(reader));
  // Tests (and development) fail a batch that outlived its event-loop turn; production logs it.
  const strictTurns = options.strictTurns ?? process.env.NODE_ENV !== "production";

  const locks = new Set<string>();
  let queue: Job[] = [];
  let flushScheduled = false;
  let tail: Promise<void> = Promise.resolve();
  let pending = 0;

  function schedule() {
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(() => {
      pending++;
      tail = tail.then(flush).finally(() => pending--);
    });
  }

  async function begin(): Promise<void> {
    const deadline = Date.now() + BUSY_TIMEOUT_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        writer.exec("BEGIN IMMEDIATE");
        return;
      } catch (error) {
        // Prisma's connection or another process holds the write lock: wait without blocking.
        if (!isBusy(error) || Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, Math.min(2 ** attempt, 25)));
      }
    }
  }

  async function flush(): Promise<void> {
    const jobs = queue;
    queue = [];
    flushScheduled = false;
    if (jobs.length === 0) return;
    try {
      await begin();
    } catch (error) {
      for (const job of jobs) job.reject(error);
      return;
    }
    let turnEnded = false;
    const guard = setImmediate(() => (turnEnded = true));
    const outcomes: { ok: boolean; value: unknown }[] = [];
    const kept = new Map<Accumulator<unknown>, unknown[]>();
    try {
      for (const job of jobs) {
        writer.exec("SAVEPOINT piece");
        const tx = new PieceTx(writerStatements);
        try {
          const value = await job.work(tx);
          tx.active = false;
          writer.exec("RELEASE piece");
          for (const [accumulator, items] of tx.staged) {
            const list = kept.get(accumulator);
            if (list) list.push(...items);
            else kept.set(accumulator, items);
          }
          outcomes.push({ ok: true, value });
        } catch (error) {
          tx.active = false;
          writer.exec("ROLLBACK TO piece");
          writer.exec("RELEASE piece");
          outcomes.push({ ok: false, value: error });
        }
      }
      // If this throws, the whole batch rolls back and every piece is told so.
      for (const [accumulator, items] of kept) await accumulator.flush(writerSql, items);
      if (turnEnded) {
        const message = "A write piece awaited something other than its transaction (the write lock was held across event-loop turns)";
        if (strictTurns) throw new Error(message);
        console.warn(message);
      }
      writer.exec("COMMIT");
    } catch (error) {
      if (writer.inTransaction) writer.exec("ROLLBACK");
      for (const job of jobs) job.reject(error);
      return;
    } finally {
      clearImmediate(guard);
    }
    jobs.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.value);
    });
  }

  const database: SqliteDatabase = {
    kind: "sqlite",
    read,
    writer,
    write<T>(work: (tx: WriteTx) => Promise<T>, _options?: WriteOptions): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
    async snapshot<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
      // Read-only, so it can never take the write lock; BEGIN holds one WAL read mark from the
      // first statement to the COMMIT, while the writer goes on committing.
      const conn = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
      try {
        conn.exec("BEGIN");
        return await work(new SqliteSql(new StatementCache(conn)));
      } finally {
        if (conn.inTransaction) conn.exec("COMMIT");
        conn.close();
      }
    },
    async tryLock(name: string) {
      if (locks.has(name)) return null;
      locks.add(name);
      return async () => void locks.delete(name);
    },
    announce: () => Promise.resolve(),
    onAnnouncement: () => undefined,
    async settled() {
      while (pending > 0 || flushScheduled || queue.length > 0) {
        if (pending > 0) await tail;
        else await new Promise((r) => setImmediate(r));
      }
    },
    async close() {
      await database.settled();
      writer.close();
      reader.close();
    },
  };
  return database;
}
