// The data layer's one face for raw SQL, the same on every database (docs/decisions/0026).
// Models write statements once, in the portable style described in docs/decisions/0027; a driver
// (app/lib/db/sqlite.server.ts, later postgres.server.ts) runs them.

/**
 * How long a write keeps trying before it gives up: SQLite's wait for the write lock, and
 * PostgreSQL's retries of a transaction after a serialization failure or deadlock.
 */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Thrown by a write's work when a conditional update found its row taken by a concurrent
 * transaction (a rating code used meanwhile: `WHERE usedAt IS NULL` changed nothing). On
 * PostgreSQL the write is retried in a fresh transaction, whose reads then see the other's commit
 * and answer properly; the SQLite driver never throws it (its writes run one after another).
 */
export class RetryableConflict extends Error {
  constructor(message = "A concurrent transaction changed the row this write depends on") {
    super(message);
    this.name = "RetryableConflict";
  }
}

/** A statement parameter: no booleans (pass 0/1) and no Dates (pass dbDateTime(date)). */
export type Param = string | number | bigint | null | Buffer;

/** One connection or one transaction. Rows come back with the same shapes on every database. */
export interface Sql {
  /** The first row, or undefined. */
  get<T = Record<string, unknown>>(sql: string, ...params: Param[]): Promise<T | undefined>;
  /** Every row. */
  all<T = Record<string, unknown>>(sql: string, ...params: Param[]): Promise<T[]>;
  /** The first column of every row. */
  pluck<T = unknown>(sql: string, ...params: Param[]): Promise<T[]>;
  /** The first column of the first row, or undefined (a COUNT, a MAX, an EXISTS). */
  value<T = unknown>(sql: string, ...params: Param[]): Promise<T | undefined>;
  /** A statement without rows: how many rows it changed. */
  run(sql: string, ...params: Param[]): Promise<{ changes: number }>;
  /** An INSERT ending in `RETURNING id`: the new row's id. */
  insert(sql: string, ...params: Param[]): Promise<number>;
}

/**
 * Work a transaction's pieces stage and that is written once per transaction, at its end but
 * inside it (the score tallies: a batch of 32 submissions to 19 units writes at most 19 tally
 * rows). A piece's staged items are kept only when the piece succeeds.
 */
export interface Accumulator<I> {
  readonly name: string;
  /** Writes the kept items; runs inside the transaction, before the commit. */
  flush(tx: Sql, items: I[]): Promise<void>;
}

/** A write transaction (on SQLite: one piece of a group commit, in its own savepoint). */
export interface WriteTx extends Sql {
  /** Stages an item for the accumulator's flush at the end of this transaction. */
  stage<I>(accumulator: Accumulator<I>, item: I): void;
}

export interface WriteOptions {
  /**
   * A hot write (a survey submission, an API call log line): its conflicts are held by keys and
   * conditional updates, so on PostgreSQL it can run READ COMMITTED; other writes run
   * SERIALIZABLE there. SQLite runs every write serially and ignores it.
   */
  hot?: boolean;
}

export interface Database {
  readonly kind: "sqlite" | "postgres";
  /** Committed state, outside any write (never sees a transaction in progress). */
  readonly read: Sql;
  /**
   * Runs `work` in a write transaction and resolves once it is committed durably. The work must
   * await nothing but `tx` (and functions that only await `tx`): on SQLite the write lock is held
   * until it returns, so awaiting anything else would hold it across event-loop turns (tests fail
   * such a piece). It may run again after a serialization failure, so it has no outside effects.
   */
  write<T>(work: (tx: WriteTx) => Promise<T>, options?: WriteOptions): Promise<T>;
  /**
   * Runs `work` on a connection of its own in one read-only transaction: every statement sees the
   * same committed state, however long it takes (a CSV export streamed while submissions go on).
   * Unlike a write piece, the work may await anything; the connection is closed when it settles.
   */
  snapshot<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  /**
   * Tells every other app process on this database that `topic` changed (reference data they
   * keep in memory: units, surveys, kiosk links, the calendar). On SQLite there is one process
   * and nothing to tell.
   */
  announce(topic: string): Promise<void>;
  /**
   * Calls `handler` with the topic another process announced, and with null whenever
   * announcements may have been missed (each time the listening connection is (re)established).
   */
  onAnnouncement(handler: (topic: string | null) => void): void;
  /**
   * Takes the lock `name` unless another app process (or this one) holds it: the release
   * function, or null when taken (a job that one process at a time should run: the
   * notification sweep). PostgreSQL's session advisory lock, released also when the process dies;
   * within the process on SQLite.
   */
  tryLock(name: string): Promise<(() => Promise<void>) | null>;
  /** Resolves once no write is queued or being committed. */
  settled(): Promise<void>;
  /** Closes the connections (after settled()). */
  close(): Promise<void>;
}
