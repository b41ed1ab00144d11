// Types for scripts/pg-cluster.js (plain JavaScript so that `node` runs it without a transpiler).
export interface PgCluster {
  /** The temporary folder: data directory, server log, Unix socket. Deleted by stop(). */
  dir: string;
  dataDir: string;
  /** The folder of the server programs used. */
  bin: string;
  port: number;
  database: string;
  /** postgresql://postgres@127.0.0.1:PORT/DATABASE (trust authentication, no password). */
  url: string;
  /** initdb, start and CREATE DATABASE, in milliseconds. */
  startMs: number;
  stopped: boolean;
  /** Fast shutdown and removal of the folder; synchronous and idempotent. */
  stop(): void;
}

export interface StartOptions {
  /** An empty or missing folder to use; a new temporary folder by default. */
  dir?: string;
  /** The database to create (default "civic"). */
  database?: string;
  /** Keep fsync, synchronous_commit and full_page_writes on (bench, load test). */
  durable?: boolean;
  /** Stop the cluster when this process exits or gets SIGINT/SIGTERM (default true). */
  stopOnExit?: boolean;
}

export function findPgBin(): string;
export function startCluster(options?: StartOptions): Promise<PgCluster>;
export function stopCluster(dir: string): void;
