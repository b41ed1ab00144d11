// Stand-in for Prisma's native `schema-engine` binary, built on the WASM schema engine.
//
// WHY: the Prisma CLI (`prisma migrate ...`, `prisma db ...`) shells out to a native
// `schema-engine` executable that it downloads from Prisma's binary host on first use. We cannot
// download it, but the very same engine (same git hash) ships as WebAssembly in
// `@prisma/schema-engine-wasm`, talking to SQLite through the better-sqlite3 driver adapter, or to
// PostgreSQL through @prisma/adapter-pg when the datasource URL is postgresql:// (ADR 0026).
// prisma.config.ts points PRISMA_SCHEMA_ENGINE_BINARY at ./schema-engine (the launcher), which
// calls main() below. See docs/decisions/0002-prisma-schema-engine-bridge.md.
//
// PROTOCOL (as the Prisma 7.10 CLI uses it; see SchemaEngine in node_modules/prisma/build/cli.js)
//   schema-engine --version
//       prints "schema-engine-cli <engine git hash>" on stdout (shown by `prisma -v`).
//   schema-engine --datasource '{"url":...}' cli can-connect-to-database|create-database|drop-database
//       one-shot; exit 0 on success. On failure exit 1 and write JSON log lines to stderr. The CLI
//       DROPS THE FIRST stderr line and JSON-parses every other one, looking for
//       {"level":"ERROR","fields":{"message","error_code"},"target":"schema_engine::logger"};
//       so stderr must hold nothing but JSON lines, and line 1 must be a throw-away.
//       `migrate dev|deploy` use this to create the SQLite file (P1003 = "does not exist").
//   schema-engine [--datamodels <schema file>]... [--datasource '<json>'] [...]
//       long-running JSON-RPC 2.0, one JSON object per line: requests on stdin, responses on
//       stdout, logs (same JSON shape as above) on stderr. Method names equal the WASM engine's
//       (applyMigrations, devDiagnostic, diff, ...) except getDatabaseVersion/createDatabase.
//       Errors: {error:{code, message, data:{is_panic, message, error_code, meta}}}; the CLI shows
//       data.message, prefixed by data.error_code (P3006...); is_panic: true means "crash".
//       `diff` does not return its output: the engine sends a request {method:"print",
//       params:{content}} to the CLI, which writes it to stdout and answers {result:{}}.
//       When done, the CLI closes stdin and SIGTERMs us right away: clean up synchronously.
//
// WORK-AROUNDS for defects of the WASM engine on SQLite (7.10.0, engine 0edf323e):
//   1. devDiagnostic / diagnoseMigrationHistory / markMigrationApplied|RolledBack fail with P1014
//      ("The underlying table for model `_prisma_migrations` does not exist") on a database that
//      has no migrations table yet (the native engine treats that as "nothing applied"). We create
//      the table with the engine's own DDL on the engine's connection (it holds an EXCLUSIVE lock,
//      so it must be that connection) and retry. The diagnostics then drop it again: read-only
//      commands stay read-only, and `migrate deploy` still refuses a non-empty database that was
//      never migrated (P3005). `migrate resolve` keeps it, as the native engine would.
//   2. Replaying migrations on the shadow database sends each migration.sql as ONE executeRaw
//      call; better-sqlite3's prepare() refuses several statements ("contains more than one
//      statement") and every multi-statement migration fails with P3006. We run such scripts
//      whole with better-sqlite3's exec() (what the adapter's executeScript does).
//   3. `reset` only DELETEs rows, so the following applyMigrations fails ("table already
//      exists"). We close the engine and its connections, truncate the database file and start a
//      fresh engine for the next request. The shadow database file is likewise wiped before use.
//   4. evaluateDataLoss / createMigration can replay the migrations only through a cache that
//      devDiagnostic fills; when `migrate dev` first applies pending migrations, devDiagnostic
//      skips the replay and they fail with "SQLite shadow DB must be provided through an external
//      factory". We then fill the cache with diagnoseMigrationHistory (which uses the shadow
//      database properly) and retry.
// Also: connections use WAL and a busy timeout, like the app.
//
// POSTGRESQL (postgresql:// or postgres:// URLs): the same protocol, with @prisma/adapter-pg. Work-
// around 1 applies with the engine's PostgreSQL DDL for the migrations table; 2 to 4 are SQLite's
// own and do not apply (the engine resets a PostgreSQL database and uses a shadow database
// itself). The adapter's executeScript, which splits scripts on every `;`, is replaced by one
// simple query of the whole script (runScriptsWhole). Without a shadowDatabaseUrl the adapter
// creates a scratch database on the same server (needs CREATEDB) and drops it after use. The `cli` commands connect with `pg`; create and drop
// go through the server's `postgres` maintenance database.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

const BUSY_TIMEOUT_MS = 10_000;
const RPC_ERROR_CODE = 4466; // what the native engine uses for every application error
// Copied from the engine (sql-schema-connector, SQLite flavour) so the table is byte-identical.
const MIGRATIONS_TABLE_DDL = `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
);`;
// The same from the PostgreSQL flavour.
const PG_MIGRATIONS_TABLE_DDL = `CREATE TABLE "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

// ---------------------------------------------------------------------------------------------
// Logging: stderr carries only JSON lines (the CLI parses them).

function log(level, message, fields = {}) {
  const line = { timestamp: new Date().toISOString(), level, fields: { message, ...fields }, target: 'schema_engine::logger' };
  process.stderr.write(JSON.stringify(line) + '\n');
}

// Node's default warning printer would put plain text on stderr and break the CLI's parser.
process.removeAllListeners('warning');
process.on('warning', (w) => log('WARN', `${w.name}: ${w.message}`));
process.on('uncaughtException', (e) => {
  log('ERROR', String(e?.stack ?? e)); // exit code 1: the CLI reports the last ERROR message
  process.exit(1);
});

// ---------------------------------------------------------------------------------------------
// Arguments and SQLite paths

function parseArgs(argv) {
  const args = { datamodels: [], datasource: {}, cli: null, version: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--version' || a === '-V') args.version = true;
    else if (a === '--datamodels') args.datamodels.push(argv[++i]);
    else if (a === '--datasource') args.datasource = JSON.parse(argv[++i]);
    else if (a === '--enabled-preview-features' || a === '--extension-types') i++; // not needed for SQLite
    else if (a === 'cli') args.cli = argv[++i];
    else throw new Error(`unknown argument: ${a}`);
  }
  return args;
}

const isPostgresUrl = (url) => typeof url === 'string' && /^postgres(ql)?:\/\//.test(url);

/** The database name of a postgresql:// URL (the server's default, `postgres`, when it has none). */
function pgDatabaseName(url) {
  return decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres';
}

/** Runs fn with a `pg` client connected to url (or to the server's `postgres` database). */
async function withPg(url, fn, { maintenance = false } = {}) {
  const { Client } = require('pg');
  const target = new URL(url);
  if (maintenance) target.pathname = '/postgres';
  const client = new Client({ connectionString: target.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

const quoteIdent = (name) => `"${name.replaceAll('"', '""')}"`;

async function createPgDatabase(url) {
  const name = pgDatabaseName(url);
  await withPg(url, async (client) => {
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
    } catch (e) {
      if (e?.code !== '42P04') throw e; // duplicate_database: already there is fine
    }
  }, { maintenance: true });
  return name;
}

/** `file:./x.db?opts` / `file:///abs/x.db` -> absolute path (relative to our cwd, which the CLI sets
 *  to the folder of prisma.config.ts); ':memory:' stays as is. */
function sqlitePath(url) {
  if (typeof url !== 'string' || !url.startsWith('file:')) throw new Error(`Only SQLite "file:" and "postgresql://" URLs are supported by this schema engine bridge, got ${JSON.stringify(url)}`);
  if (url.startsWith('file://')) return fileURLToPath(url.split('?')[0]);
  const p = url.slice('file:'.length).split('?')[0];
  return p === ':memory:' || p === '' ? ':memory:' : path.resolve(p);
}

const SIDE_FILES = ['-wal', '-shm', '-journal'];

/** Empty a database file in place (keeps the inode); its WAL/SHM/journal companions are removed. */
function truncateDatabase(file) {
  if (file === ':memory:') return;
  if (fs.existsSync(file)) fs.truncateSync(file, 0);
  for (const s of SIDE_FILES) fs.rmSync(file + s, { force: true });
}

function removeDatabase(file) {
  if (file === ':memory:') return;
  for (const s of ['', ...SIDE_FILES]) fs.rmSync(file + s, { force: true });
}

function openDatabase(file, options = {}) {
  const Database = require('better-sqlite3');
  return new Database(file, { timeout: BUSY_TIMEOUT_MS, ...options });
}

// ---------------------------------------------------------------------------------------------
// Driver adapter: better-sqlite3, with our connection settings and work-around 2.

function isMultiStatementError(e) {
  return e instanceof RangeError && /more than one statement/.test(e.message);
}

/** Work-around 2: fall back to exec() when better-sqlite3 refuses a parameterless script. */
function allowScripts(adapter) {
  for (const method of ['executeRaw', 'queryRaw']) {
    const original = adapter[method].bind(adapter);
    adapter[method] = async (query) => {
      try {
        return await original(query);
      } catch (e) {
        if (!isMultiStatementError(e) || query.args.length > 0) throw e;
        await adapter.executeScript(query.sql);
        return method === 'executeRaw' ? 0 : { columnNames: [], columnTypes: [], rows: [] };
      }
    };
  }
  return adapter;
}

/** Wraps PrismaBetterSqlite3 so we know the engine's connections (needed by work-arounds 1 and 3). */
class Connections {
  constructor(mainFile, shadowFile) {
    const { PrismaBetterSqlite3 } = require('@prisma/adapter-better-sqlite3');
    this.mainFile = mainFile;
    this.shadowFile = shadowFile;
    this.inner = new PrismaBetterSqlite3({ url: mainFile, timeout: BUSY_TIMEOUT_MS }, { shadowDatabaseUrl: shadowFile });
    this.open = new Set(); // raw adapters not disposed yet
    this.main = null;
  }

  track(adapter) {
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      this.open.delete(adapter);
      if (this.main === adapter) this.main = null;
      await dispose();
    };
    this.open.add(adapter);
    return allowScripts(adapter);
  }

  // The object handed to bindMigrationAwareSqlAdapterFactory.
  factory() {
    return {
      provider: this.inner.provider,
      adapterName: this.inner.adapterName,
      connect: async () => {
        fs.mkdirSync(path.dirname(this.mainFile), { recursive: true });
        const adapter = this.track(await this.inner.connect());
        await adapter.executeScript('PRAGMA journal_mode = WAL;');
        this.main = adapter;
        return adapter;
      },
      connectToShadowDb: async () => {
        // The engine expects an empty shadow database but only deletes rows (see work-around 3).
        for (const adapter of [...this.open]) if (adapter !== this.main) await adapter.dispose();
        removeDatabase(this.shadowFile);
        if (this.shadowFile !== ':memory:') fs.mkdirSync(path.dirname(this.shadowFile), { recursive: true });
        return this.track(await this.inner.connectToShadowDb());
      },
    };
  }

  /** Synchronous in effect: better-sqlite3's close() runs inside dispose() before it returns. */
  closeAll() {
    for (const adapter of [...this.open]) adapter.dispose().catch(() => {});
    removeDatabase(this.shadowFile);
  }
}

const PG_CHAR_OID = 18; // the one-byte "char" of pg_catalog (relkind, contype, ...)
const PG_TEXT_OID = 25;

/**
 * adapter-pg 7.10 refuses result columns of type "char" ("Column type 'char' could not be
 * deserialized"), and the engine's schema describer reads pg_catalog columns of that type, so
 * `migrate diff` against a PostgreSQL database fails. pg already parsed such values as strings:
 * report those columns as text.
 */
function readCharAsText(queryable) {
  const performIO = queryable.performIO.bind(queryable);
  queryable.performIO = async (...args) => {
    const result = await performIO(...args);
    for (const field of result.fields) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    return result;
  };
  return queryable;
}

/**
 * adapter-pg 7.10's executeScript splits the script on every `;` and sends the pieces one by one
 * (each on whichever pooled connection is free), which cuts apart dollar-quoted function bodies,
 * string literals and comments holding a `;`. The engine applies each migration.sql through it
 * (`migrate deploy`, and the shadow database's replay). Send the script whole, as one simple query,
 * as the native engine does: one connection, and one implicit transaction unless the script has
 * its own, so a failing migration leaves nothing half-applied.
 */
function runScriptsWhole(adapter) {
  adapter.executeScript = async (script) => {
    try {
      await adapter.underlyingDriver().query(script);
    } catch (e) {
      adapter.onError(e); // the adapter's own conversion to a DriverAdapterError; throws
    }
  };
  return adapter;
}

/**
 * The same for PostgreSQL: @prisma/adapter-pg. Its own connectToShadowDb is not used: given a
 * connection string it connects the "shadow" pool to the main database (pg lets connectionString
 * win over `database`), and it drops the scratch database before closing that pool.
 */
class PostgresConnections {
  constructor(url, shadowUrl) {
    this.url = url;
    this.shadowUrl = shadowUrl;
    this.open = new Set();
    this.main = null;
  }

  adapterFactory(url) {
    const { PrismaPg } = require('@prisma/adapter-pg');
    return new PrismaPg({ connectionString: url });
  }

  track(adapter, afterDispose = async () => {}) {
    readCharAsText(adapter);
    runScriptsWhole(adapter);
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (...args) => readCharAsText(await startTransaction(...args));
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      this.open.delete(adapter);
      if (this.main === adapter) this.main = null;
      await dispose();
      await afterDispose();
    };
    this.open.add(adapter);
    return adapter;
  }

  factory() {
    const inner = this.adapterFactory(this.url);
    return {
      provider: inner.provider,
      adapterName: inner.adapterName,
      connect: async () => {
        const adapter = this.track(await inner.connect());
        this.main = adapter;
        return adapter;
      },
      connectToShadowDb: async () => {
        if (this.shadowUrl) {
          // A configured shadow database is emptied before use, as the native engine does.
          const adapter = this.track(await this.adapterFactory(this.shadowUrl).connect());
          await adapter.executeScript('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public');
          return adapter;
        }
        // A scratch database on the same server (needs CREATEDB), dropped once its pool is closed.
        const shadow = new URL(this.url);
        shadow.pathname = `/prisma_shadow_${process.pid}_${Date.now()}`;
        const shadowUrl = shadow.toString();
        await createPgDatabase(shadowUrl);
        const drop = () => withPg(this.url, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(pgDatabaseName(shadowUrl))}`), { maintenance: true });
        return this.track(await this.adapterFactory(shadowUrl).connect(), drop);
      },
    };
  }

  /** Ends the pools; the server drops the sessions of a process that exits before they close. */
  closeAll() {
    for (const adapter of [...this.open]) adapter.dispose().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------
// The WASM engine

// The engine's panic hook reports the panic message here (the CLI defines the same global for
// its own WASM modules); without it a panic surfaces as "reading 'set_message'" instead.
let lastPanic = null;
globalThis.PRISMA_WASM_PANIC_REGISTRY = { set_message: (message) => (lastPanic = message) };

let wasmModule;
async function loadWasm() {
  if (wasmModule) return wasmModule;
  // The package's entry `import`s the .wasm file as an ES module, which Node 20 only allows with
  // --experimental-wasm-modules; instantiate it by hand instead (same thing, no flag).
  const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bg = await import(bgPath);
  const bytes = fs.readFileSync(path.join(path.dirname(bgPath), 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  wasmModule = bg;
  return bg;
}

/** Turn an engine error into the JSON-RPC error object the CLI understands. */
function rpcError(e, registry) {
  const isPanic = e instanceof WebAssembly.RuntimeError;
  let message = isPanic && lastPanic ? `${lastPanic} (${e.message})` : String(e?.message ?? e);
  // Errors thrown by the driver (not DriverAdapterErrors) reach the engine only as an id.
  message = message.replace(/External error id#(\d+)/g, (all, id) => registry?.consumeError(Number(id))?.error?.message ?? all);
  // Drop the Rust span trace ("   0: sql_schema_connector::... at ...rs:113"): noise for users.
  const trace = message.search(/\n\s*0: \w+::/);
  if (trace > 0) {
    log('DEBUG', message);
    // The trace is the only place naming the migration that failed in `migrate deploy`.
    const failed = /with migration_name="([^"]+)"/.exec(message.slice(trace))?.[1];
    message = message.slice(0, trace).trimEnd();
    if (failed && !message.includes(failed)) message = `Migration \`${failed}\` failed to apply:\n${message}`;
  }
  // Only Prisma codes (P3006...): Node's own codes (ENOENT, SQLITE_BUSY) would be shown as such.
  const errorCode = /^P\d{4}$/.test(e?.code) ? e.code : undefined;
  // For panics the CLI shows the top-level message (and offers a bug report).
  const summary = isPanic ? message : 'An error happened. Check the data field for details.';
  return { code: RPC_ERROR_CODE, message: summary, data: { is_panic: isPanic, message, meta: e?.meta ?? {}, error_code: errorCode } };
}

function isColdMigrationCache(e) {
  return /shadow DB must be provided through an external factory/.test(String(e?.message));
}

function isMissingMigrationsTable(e) {
  return e?.code === 'P1014' && String(e.message).includes('_prisma_migrations');
}

class Bridge {
  constructor(args, send) {
    this.send = send; // (message) => Promise of the CLI's response, for `print`
    const { url, shadowDatabaseUrl } = args.datasource;
    if (!url) throw new Error('No datasource url: set datasource.url in prisma.config.ts');
    this.datamodels = args.datamodels.map((file) => [file, fs.readFileSync(file, 'utf8')]);
    this.engine = null;
    this.connections = null;
    if (isPostgresUrl(url)) {
      this.postgresUrl = url;
      this.shadowUrl = shadowDatabaseUrl ?? null;
      if (this.shadowUrl && pgDatabaseName(this.shadowUrl) === pgDatabaseName(url) && new URL(this.shadowUrl).host === new URL(url).host) {
        throw new Error('datasource.shadowDatabaseUrl must not be the same database as datasource.url');
      }
      return;
    }
    this.mainFile = sqlitePath(url);
    this.shadowFile = shadowDatabaseUrl ? sqlitePath(shadowDatabaseUrl) : ':memory:';
    if (this.shadowFile !== ':memory:' && this.shadowFile === this.mainFile) {
      // We delete the shadow database file before each use: never let that be the real one.
      throw new Error('datasource.shadowDatabaseUrl must not be the same database as datasource.url');
    }
  }

  async getEngine() {
    if (this.engine) return this.engine;
    const { SchemaEngine } = await loadWasm();
    const { bindMigrationAwareSqlAdapterFactory } = require('@prisma/driver-adapter-utils');
    this.connections = this.postgresUrl
      ? new PostgresConnections(this.postgresUrl, this.shadowUrl)
      : new Connections(this.mainFile, this.shadowFile);
    this.factory = bindMigrationAwareSqlAdapterFactory(this.connections.factory());
    const onLog = (line) => process.stderr.write(JSON.stringify(JSON.parse(line)) + '\n');
    this.engine = await SchemaEngine.new({ datamodels: this.datamodels.length ? this.datamodels : undefined }, onLog, this.factory);
    return this.engine;
  }

  closeEngine() {
    this.connections?.closeAll();
    try {
      this.engine?.free();
    } catch {
      // a panicked instance may refuse; it is garbage either way
    }
    this.engine = null;
    this.connections = null;
  }

  /** Work-around 1: retry with an empty `_prisma_migrations`; keep it only if asked and successful. */
  async withMigrationsTable(call, keep) {
    try {
      return await call();
    } catch (e) {
      const main = this.connections?.main;
      if (!isMissingMigrationsTable(e) || !main) throw e;
      await main.executeScript(this.postgresUrl ? PG_MIGRATIONS_TABLE_DDL : MIGRATIONS_TABLE_DDL);
      let ok = false;
      try {
        const result = await call();
        ok = true;
        if (result && 'hasMigrationsTable' in result) result.hasMigrationsTable = false;
        return result;
      } finally {
        if (!(keep && ok)) await main.executeScript('DROP TABLE IF EXISTS "_prisma_migrations";');
      }
    }
  }

  async handle(method, params) {
    switch (method) {
      case 'getDatabaseVersion':
        return (await this.getEngine()).version();
      case 'createDatabase': {
        if (this.postgresUrl) return { databaseName: await createPgDatabase(this.postgresUrl) };
        this.createDatabaseFile();
        return { databaseName: path.basename(this.mainFile) };
      }
      case 'reset': {
        // Work-around 3. The schema filter does not matter: the whole file goes.
        if (this.postgresUrl || this.mainFile === ':memory:') return (await this.getEngine()).reset(params);
        this.closeEngine();
        truncateDatabase(this.mainFile);
        return null;
      }
      case 'diff': {
        const result = await (await this.getEngine()).diff(params);
        if (result.stdout != null) await this.send({ method: 'print', params: { content: result.stdout } });
        return { exitCode: result.exitCode, stdout: null };
      }
      case 'devDiagnostic':
      case 'diagnoseMigrationHistory':
      case 'markMigrationApplied':
      case 'markMigrationRolledBack': {
        const engine = await this.getEngine();
        return this.withMigrationsTable(() => engine[method](params), method.startsWith('mark'));
      }
      case 'evaluateDataLoss':
      case 'createMigration': {
        // Work-around 4.
        const engine = await this.getEngine();
        try {
          return await engine[method](params);
        } catch (e) {
          if (!isColdMigrationCache(e)) throw e;
          const { migrationsList, filters } = params;
          await this.withMigrationsTable(() => engine.diagnoseMigrationHistory({ migrationsList, filters, optInToShadowDatabase: true }));
          return await engine[method](params);
        }
      }
      case 'applyMigrations':
      case 'dbExecute':
      case 'ensureConnectionValidity':
      case 'introspect':
      case 'introspectSql':
      case 'schemaPush':
        return (await this.getEngine())[method](params);
      case 'debugPanic':
        return (await this.getEngine()).debugPanic();
      default: {
        const e = new Error(`Method not found: ${method}`);
        e.rpcCode = -32601;
        throw e;
      }
    }
  }

  createDatabaseFile() {
    if (this.mainFile === ':memory:') return;
    fs.mkdirSync(path.dirname(this.mainFile), { recursive: true });
    const db = openDatabase(this.mainFile);
    db.pragma('journal_mode = WAL'); // persistent: stored in the file header
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Modes

async function runPostgresCli(args) {
  const { url } = args.datasource;
  const name = pgDatabaseName(url);
  switch (args.cli) {
    case 'can-connect-to-database':
      try {
        await withPg(url, (client) => client.query('SELECT 1'));
        return 0;
      } catch (e) {
        if (e?.code === '3D000') {
          log('ERROR', `Database \`${name}\` does not exist on the database server at \`${new URL(url).host}\`.`, { error_code: 'P1003' });
        } else {
          log('ERROR', `Can't reach database server at \`${new URL(url).host}\`: ${e?.message ?? e}`, { error_code: 'P1001' });
        }
        return 1;
      }
    case 'create-database':
      await createPgDatabase(url);
      log('INFO', `Created database ${name}`);
      return 0;
    case 'drop-database':
      await withPg(url, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`), { maintenance: true });
      return 0;
    default:
      log('ERROR', `Unknown cli command: ${args.cli}`);
      return 1;
  }
}

async function runCli(args) {
  if (isPostgresUrl(args.datasource.url)) return runPostgresCli(args);
  const file = sqlitePath(args.datasource.url);
  const name = path.basename(file);
  switch (args.cli) {
    case 'can-connect-to-database': {
      if (file !== ':memory:' && !fs.existsSync(file)) {
        log('ERROR', `Database \`${name}\` does not exist at \`${file}\`.`, { error_code: 'P1003' });
        return 1;
      }
      const db = openDatabase(file, { fileMustExist: true });
      db.pragma('schema_version'); // reads the header: fails on a file that is not SQLite
      db.close();
      return 0;
    }
    case 'create-database':
      new Bridge(args, null).createDatabaseFile();
      log('INFO', `Created database ${file}`);
      return 0;
    case 'drop-database':
      removeDatabase(file);
      return 0;
    default:
      log('ERROR', `Unknown cli command: ${args.cli}`);
      return 1;
  }
}

function runRpc(args) {
  const write = (message) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...message }) + '\n');
  let nextOwnId = 1;
  const awaitingCli = new Map(); // our own requests (print) -> resolve
  const send = (request) =>
    new Promise((resolve) => {
      const id = `bridge-${nextOwnId++}`;
      awaitingCli.set(id, resolve);
      write({ id, ...request });
    });

  const bridge = new Bridge(args, send);
  const shutdown = (code) => {
    bridge.closeEngine();
    process.exit(code);
  };
  process.on('SIGTERM', () => shutdown(0));
  process.on('SIGINT', () => shutdown(130));

  // Requests run one at a time, in order (the engine is not re-entrant); responses to our own
  // `print` requests bypass the queue, otherwise `diff` would wait for itself.
  let queue = Promise.resolve();
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      write({ id: null, error: { code: -32700, message: 'Parse error' } });
      return;
    }
    if (message.method === undefined) {
      awaitingCli.get(message.id)?.(message);
      awaitingCli.delete(message.id);
      return;
    }
    queue = queue.then(async () => {
      try {
        const result = await bridge.handle(message.method, message.params);
        write({ id: message.id, result: result ?? null });
      } catch (e) {
        if (e?.rpcCode) write({ id: message.id, error: { code: e.rpcCode, message: e.message } });
        else write({ id: message.id, error: rpcError(e, bridge.factory?.errorRegistry) });
        if (e instanceof WebAssembly.RuntimeError) bridge.closeEngine(); // a panicked instance is unusable
      }
    });
  });
  lines.on('close', () => queue.then(() => shutdown(0)));
}

export async function main(argv) {
  try {
    const args = parseArgs(argv);
    if (args.version) {
      process.stdout.write(`schema-engine-cli ${(await loadWasm()).version()}\n`);
      return;
    }
    // Always first: in `cli` mode the CLI throws the first stderr line away.
    log('INFO', 'Starting schema engine bridge (WASM)');
    if (args.cli) process.exitCode = await runCli(args);
    else runRpc(args);
  } catch (e) {
    log('ERROR', String(e?.stack ?? e));
    process.exit(1);
  }
}
