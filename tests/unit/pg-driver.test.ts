// The PostgreSQL driver of the data layer (app/lib/db/postgres.server.ts) on a real server: a
// throwaway cluster (scripts/pg-cluster.js) with small tables of its own, named in mixed case as
// Prisma's PostgreSQL DDL names the app's. PostgreSQL must be installed (`npm test` runs
// scripts/ensure-postgres.sh first): without it these tests fail, never skip.
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openPostgres, retryTotals, type PostgresDatabase } from "#app/lib/db/postgres.server";
import { RetryableConflict, type Accumulator, type Sql, type WriteTx } from "#app/lib/db/types";
import { startCluster, type PgCluster } from "../../scripts/pg-cluster.js";

const START_TIMEOUT_MS = 60_000;

let cluster: PgCluster | undefined;
let database: PostgresDatabase;

/** A connection of its own, outside the driver: what another process would see. */
async function outside<Row>(sql: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: cluster!.url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Row[];
  } finally {
    await client.end();
  }
}

/** A promise with its resolver, to hold two transactions open at the same time. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

const DDL = `
  CREATE TABLE "Counter" ("id" INTEGER PRIMARY KEY, "hitCount" INTEGER NOT NULL);
  CREATE TABLE "Event" (
    "id" SERIAL PRIMARY KEY,
    "label" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3),
    "happenedAt" TIMESTAMPTZ(3),
    "isOn" BOOLEAN,
    "bigValue" BIGINT,
    "price" NUMERIC(10, 2),
    "doc" JSON,
    "docB" JSONB,
    "onDay" DATE
  );
  CREATE TABLE "TallyRow" ("unitId" INTEGER PRIMARY KEY, "n" INTEGER NOT NULL);
`;

beforeAll(async () => {
  // Throws (failing every test below with the reason) when PostgreSQL cannot be started.
  cluster = await startCluster({ database: "civic_pg_driver" });
  await outside(DDL);
  database = openPostgres(cluster.url, { poolSize: 10 });
}, START_TIMEOUT_MS);

afterAll(async () => {
  await database?.close();
  cluster?.stop();
});

beforeEach(async () => {
  await outside(`TRUNCATE "Counter", "Event", "TallyRow" RESTART IDENTITY`);
});

describe("statements on the pool (db.read)", () => {
  it("runs portable texts against mixed-case tables: ? placeholders and unquoted names", async () => {
    await outside(`INSERT INTO "Event" ("label", "bigValue") VALUES ('a', 1), ('b', 2), ('c', 3)`);
    const rows = await database.read.all<{ label: string; bigValue: number }>(
      "SELECT label, bigValue FROM Event WHERE bigValue >= ? AND label <> ? ORDER BY id",
      2,
      "zz",
    );
    expect(rows).toEqual([
      { label: "b", bigValue: 2 },
      { label: "c", bigValue: 3 },
    ]);
    expect(await database.read.get("SELECT label AS eventLabel FROM Event WHERE id = ?", 1)).toEqual({ eventLabel: "a" });
    expect(await database.read.get("SELECT label FROM Event WHERE id = ?", 99)).toBeUndefined();
    expect(await database.read.pluck("SELECT label, id FROM Event ORDER BY id DESC")).toEqual(["c", "b", "a"]);
    expect(await database.read.value("SELECT label FROM Event WHERE label = 'Is it ?'")).toBeUndefined();
    expect(await database.read.value("SELECT MAX(bigValue) FROM Event")).toBe(3);
  });

  it("gives timestamps back as the ISO text the SQLite side stores, whatever fraction PostgreSQL prints", async () => {
    const texts = ["2026-12-01T03:04:05.670+00:00", "2026-12-01T03:04:05.000+00:00", "2026-01-31T23:59:59.999+00:00"];
    for (const text of texts) {
      await database.write((tx) => tx.run("INSERT INTO Event (label, createdAt, happenedAt) VALUES (?, ?, ?)", text, text, text));
    }
    // PostgreSQL itself prints the first one with two fraction digits and the second with none.
    expect(await outside<{ t: string }>(`SELECT "createdAt"::text AS t FROM "Event" ORDER BY id`)).toEqual([
      { t: "2026-12-01 03:04:05.67" },
      { t: "2026-12-01 03:04:05" },
      { t: "2026-01-31 23:59:59.999" },
    ]);
    expect(await database.read.pluck("SELECT createdAt FROM Event ORDER BY id")).toEqual(texts);
    expect(await database.read.pluck("SELECT happenedAt FROM Event ORDER BY id")).toEqual(texts);
    // Stored times compare with dbDateTime text parameters.
    expect(await database.read.value("SELECT COUNT(*) FROM Event WHERE createdAt < ?", "2026-12-01T03:04:05.500+00:00")).toBe(2);
  });

  it("runs sessions in UTC with 60 s statement and idle-in-transaction limits", async () => {
    // Each SHOW on several connections at once, so more than one session is seen.
    const shows = await Promise.all(
      Array.from({ length: 4 }, () =>
        database.read.get<{ zone: string; statement: string; idle: string }>(
          "SELECT current_setting('TimeZone') AS zone, current_setting('statement_timeout') AS statement, current_setting('idle_in_transaction_session_timeout') AS idle, pg_sleep(0.05)",
        ),
      ),
    );
    for (const show of shows) expect(show).toMatchObject({ zone: "UTC", statement: "1min", idle: "1min" });
    // now() stored in a timestamp column is UTC wall time, as dbDateTime(new Date()) would be.
    await database.write((tx) => tx.run("INSERT INTO Event (label, createdAt) VALUES ('now', CURRENT_TIMESTAMP)"));
    const stored = await database.read.value<string>("SELECT createdAt FROM Event WHERE label = 'now'");
    expect(Math.abs(Date.parse(stored!) - Date.now())).toBeLessThan(60_000);
  });

  it("gives 64-bit integers and numerics as numbers, booleans as 0/1, JSON as its text, dates as text", async () => {
    await outside(
      `INSERT INTO "Event" ("label", "isOn", "bigValue", "price", "doc", "docB", "onDay") VALUES
        ('on', TRUE, 9007199254740991, 12.50, '{"b":1,  "a":[true]}', '{"b":1,  "a":[true]}', '2026-12-01'),
        ('off', FALSE, -5, 0, 'null', '[]', NULL),
        ('unknown', NULL, NULL, NULL, NULL, NULL, NULL)`,
    );
    const rows = await database.read.all("SELECT label, isOn, bigValue, price, doc, docB, onDay FROM Event ORDER BY id");
    expect(rows).toEqual([
      // json keeps its text as written; jsonb prints PostgreSQL's normal form (still JSON text).
      { label: "on", isOn: 1, bigValue: 9007199254740991, price: 12.5, doc: '{"b":1,  "a":[true]}', docB: '{"a": [true], "b": 1}', onDay: "2026-12-01" },
      { label: "off", isOn: 0, bigValue: -5, price: 0, doc: "null", docB: "[]", onDay: null },
      { label: "unknown", isOn: null, bigValue: null, price: null, doc: null, docB: null, onDay: null },
    ]);
    // COUNT and SUM are int8 and numeric on PostgreSQL: numbers here, as on SQLite.
    expect(await database.read.get("SELECT COUNT(*) AS n, SUM(bigValue) AS total, AVG(price) AS mean FROM Event")).toEqual({
      n: 3,
      total: 9007199254740986,
      mean: 6.25,
    });
    expect(await database.read.value("SELECT COUNT(*) FILTER (WHERE isOn = TRUE) FROM Event")).toBe(1);
    expect(await database.read.value("SELECT EXISTS (SELECT 1 FROM Event WHERE isOn = FALSE)")).toBe(1);
  });

  it("leaves the process-wide pg parsers alone (Prisma's adapter keeps its own types)", async () => {
    const client = new pg.Client({ connectionString: cluster!.url });
    await client.connect();
    try {
      const row = (await client.query(`SELECT 9::int8 AS n, TRUE AS yes, '2026-12-01 03:04:05'::timestamp AS t`)).rows[0];
      expect(row.n).toBe("9");
      expect(row.yes).toBe(true);
      expect(row.t).toBeInstanceOf(Date);
    } finally {
      await client.end();
    }
  });

  it("prepares a text once per connection under one name", async () => {
    const text = "SELECT COUNT(*) FROM Event WHERE label = ?";
    // On one connection (a transaction's): run the text three times, then ask that session.
    const prepared = await database.write(async (tx) => {
      for (const label of ["a", "b", "c"]) await tx.value(text, label);
      return tx.all<{ name: string; statement: string }>("SELECT name, statement FROM pg_prepared_statements WHERE statement LIKE '%FROM \"Event\" WHERE label = $1%'");
    });
    expect(prepared).toHaveLength(1);
    expect(prepared[0]!.statement).toBe('SELECT COUNT(*) FROM "Event" WHERE label = $1');
  });

  it("run counts changed rows; insert gives the new id and refuses a statement without rows", async () => {
    const first = await database.write((tx) => tx.insert("INSERT INTO Event (label) VALUES (?) RETURNING id", "x"));
    const second = await database.write((tx) => tx.insert("INSERT INTO Event (label) VALUES (?) RETURNING id", "y"));
    expect([first, second]).toEqual([1, 2]);
    expect(await database.write((tx) => tx.run("UPDATE Event SET label = label || '!' WHERE id <= ?", 2))).toEqual({ changes: 2 });
    expect(await database.write((tx) => tx.run("UPDATE Event SET label = 'none' WHERE id > 100"))).toEqual({ changes: 0 });
    await expect(database.write((tx) => tx.insert("INSERT INTO Event (label) VALUES (?)", "z"))).rejects.toThrow(/RETURNING id/);
    expect(await database.read.pluck("SELECT label FROM Event ORDER BY id")).toEqual(["x!", "y!"]);
  });
});

describe("write transactions", () => {
  it("a resolved write is committed: another connection sees it at once", async () => {
    const id = await database.write(async (tx) => {
      const id = await tx.insert("INSERT INTO Event (label) VALUES (?) RETURNING id", "committed");
      await tx.run("INSERT INTO Counter (id, hitCount) VALUES (?, ?)", id, 7);
      return id;
    });
    expect(await outside(`SELECT "label" FROM "Event" WHERE "id" = $1`, [id])).toEqual([{ label: "committed" }]);
    expect(await database.read.value("SELECT hitCount FROM Counter WHERE id = ?", id)).toBe(7);
  });

  it("a write whose work throws leaves nothing, and its caller gets the error", async () => {
    const failure = database.write(async (tx) => {
      await tx.run("INSERT INTO Event (label) VALUES ('doomed')");
      await tx.run("INSERT INTO Counter (id, hitCount) VALUES (1, 1)");
      throw new Error("validation failed");
    });
    await expect(failure).rejects.toThrow("validation failed");
    expect(await outside(`SELECT COUNT(*)::int AS n FROM "Event"`)).toEqual([{ n: 0 }]);
    expect(await database.read.value("SELECT COUNT(*) FROM Counter")).toBe(0);
    // The connection went back to the pool clean: the next write works.
    await database.write((tx) => tx.run("INSERT INTO Counter (id, hitCount) VALUES (1, 1)"));
    expect(await database.read.value("SELECT hitCount FROM Counter WHERE id = 1")).toBe(1);
  });

  it("a statement error rolls the whole write back (its earlier statements too)", async () => {
    await outside(`INSERT INTO "Counter" VALUES (1, 0)`);
    const failure = database.write(async (tx) => {
      await tx.run("INSERT INTO Event (label) VALUES ('before the error')");
      await tx.run("INSERT INTO Counter (id, hitCount) VALUES (1, 5)"); // duplicate key
    });
    await expect(failure).rejects.toMatchObject({ code: "23505" });
    expect(await database.read.value("SELECT COUNT(*) FROM Event")).toBe(0);
  });

  it("a swallowed statement error is not committed as success (COMMIT of an aborted transaction)", async () => {
    const failure = database.write(async (tx) => {
      await tx.run("INSERT INTO Event (label) VALUES ('half')");
      await tx.run("INSERT INTO Counter (id, hitCount) VALUES (NULL, 1)").catch(() => undefined);
      return "looked fine";
    });
    await expect(failure).rejects.toThrow(/rolled back at COMMIT/);
    expect(await database.read.value("SELECT COUNT(*) FROM Event")).toBe(0);
  });

  it("flushes each accumulator's staged items inside the transaction, before the commit", async () => {
    const flushes: { items: number[]; eventsSeen: number; committedOutside: number }[] = [];
    const tallies: Accumulator<number> = {
      name: "tallies",
      async flush(tx: Sql, items: number[]) {
        // The work's own rows are visible here, and nothing is committed yet.
        const eventsSeen = (await tx.value<number>("SELECT COUNT(*) FROM Event"))!;
        const committedOutside = (await outside<{ n: number }>(`SELECT COUNT(*)::int AS n FROM "Event"`))[0]!.n;
        flushes.push({ items: [...items], eventsSeen, committedOutside });
        for (const unitId of [...new Set(items)].sort((a, b) => a - b)) {
          const n = items.filter((item) => item === unitId).length;
          await tx.run(
            "INSERT INTO TallyRow (unitId, n) VALUES (?, ?) ON CONFLICT (unitId) DO UPDATE SET n = TallyRow.n + excluded.n",
            unitId,
            n,
          );
        }
      },
    };
    await database.write(async (tx) => {
      for (const unitId of [3, 1, 3]) {
        await tx.run("INSERT INTO Event (label) VALUES (?)", `unit ${unitId}`);
        tx.stage(tallies, unitId);
      }
    });
    expect(flushes).toEqual([{ items: [3, 1, 3], eventsSeen: 3, committedOutside: 0 }]);
    expect(await database.read.all("SELECT unitId, n FROM TallyRow ORDER BY unitId")).toEqual([
      { unitId: 1, n: 1 },
      { unitId: 3, n: 2 },
    ]);
  });

  it("a failing flush rolls the whole write back", async () => {
    const broken: Accumulator<string> = {
      name: "broken",
      async flush(tx: Sql) {
        await tx.run("INSERT INTO TallyRow (unitId, n) VALUES (1, 1)");
        throw new Error("flush failed");
      },
    };
    await expect(
      database.write(async (tx) => {
        await tx.run("INSERT INTO Event (label) VALUES ('with a broken flush')");
        tx.stage(broken, "item");
      }),
    ).rejects.toThrow("flush failed");
    expect(await database.read.value("SELECT COUNT(*) FROM Event")).toBe(0);
    expect(await database.read.value("SELECT COUNT(*) FROM TallyRow")).toBe(0);
  });

  it("a transaction used after its write ended throws", async () => {
    let kept: WriteTx | undefined;
    await database.write(async (tx) => {
      kept = tx;
      await tx.run("INSERT INTO Event (label) VALUES ('once')");
    });
    await expect(kept!.run("INSERT INTO Event (label) VALUES ('stale')")).rejects.toThrow(/after it ended/);
    await expect(kept!.get("SELECT 1")).rejects.toThrow(/after it ended/);
    expect(() => kept!.stage({ name: "x", flush: async () => undefined }, 1)).toThrow(/after it ended/);
    // Also after a failed write.
    await database.write(async (tx) => {
      kept = tx;
      throw new Error("no");
    }).catch(() => undefined);
    await expect(kept!.value("SELECT 1")).rejects.toThrow(/after it ended/);
    expect(await database.read.pluck("SELECT label FROM Event")).toEqual(["once"]);
  });

  it("a call the work left running when it failed does not run outside the transaction", async () => {
    let late: Promise<unknown> | undefined;
    const failure = database.write(async (tx) => {
      await tx.run("INSERT INTO Event (label) VALUES ('first')");
      // Runs once the failed work's ROLLBACK has been sent, before its answer is read.
      setImmediate(() => {
        late = tx.run("INSERT INTO Event (label) VALUES ('late')");
        late.catch(() => undefined);
      });
      throw new Error("lost the race");
    });
    await expect(failure).rejects.toThrow("lost the race");
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(late).rejects.toThrow(/after it ended/);
    expect(await outside(`SELECT "label" FROM "Event"`)).toEqual([]);
  });

  it("hot writes run READ COMMITTED, the others SERIALIZABLE", async () => {
    const level = "SELECT current_setting('transaction_isolation')";
    expect(await database.write((tx) => tx.value(level), { hot: true })).toBe("read committed");
    expect(await database.write((tx) => tx.value(level))).toBe("serializable");
    expect(await database.write((tx) => tx.value(level), { hot: false })).toBe("serializable");
  });
});

describe("retries", () => {
  it("two SERIALIZABLE read-then-write transactions that overlap: one is retried and both count", async () => {
    await outside(`INSERT INTO "Counter" VALUES (1, 0)`);
    const before = retryTotals()["40001"];
    const bothRead = { a: gate(), b: gate() };
    const calls = { a: 0, b: 0 };
    const increment = (who: "a" | "b", other: "a" | "b") => async (tx: WriteTx) => {
      calls[who]++;
      const seen = (await tx.value<number>("SELECT hitCount FROM Counter WHERE id = 1"))!;
      if (calls[who] === 1) {
        // First attempts only: both have read the same value before either writes.
        bothRead[who].open();
        await bothRead[other].opened;
      }
      await tx.run("UPDATE Counter SET hitCount = ? WHERE id = 1", seen + 1);
      return seen;
    };
    const [a, b] = await Promise.all([database.write(increment("a", "b")), database.write(increment("b", "a"))]);
    expect(await database.read.value("SELECT hitCount FROM Counter WHERE id = 1")).toBe(2);
    expect([a, b].sort()).toEqual([0, 1]); // the retried one saw the other's commit
    expect(calls.a + calls.b).toBe(3);
    expect(retryTotals()["40001"] - before).toBe(1);
  });

  it("20 concurrent read-modify-write increments of one counter end at exactly 20", async () => {
    await outside(`INSERT INTO "Counter" VALUES (1, 0)`);
    const before = retryTotals()["40001"];
    let attempts = 0;
    const writes = Array.from({ length: 20 }, () =>
      database.write(async (tx) => {
        attempts++;
        const seen = (await tx.value<number>("SELECT hitCount FROM Counter WHERE id = ?", 1))!;
        await tx.run("UPDATE Counter SET hitCount = ? WHERE id = ?", seen + 1, 1);
      }),
    );
    await Promise.all(writes);
    expect(await database.read.value("SELECT hitCount FROM Counter WHERE id = 1")).toBe(20);
    expect(attempts).toBeGreaterThan(20); // they did collide
    expect(retryTotals()["40001"] - before).toBe(attempts - 20);
  });

  it("a deadlock (40P01) is retried", async () => {
    await outside(`INSERT INTO "Counter" VALUES (1, 0), (2, 0)`);
    const before = retryTotals()["40P01"];
    const locked = { a: gate(), b: gate() };
    const calls = { a: 0, b: 0 };
    const crossLock = (who: "a" | "b", first: number, second: number) => async (tx: WriteTx) => {
      calls[who]++;
      await tx.run("SET LOCAL deadlock_timeout = '50ms'");
      await tx.run("UPDATE Counter SET hitCount = hitCount + 1 WHERE id = ?", first);
      if (calls[who] === 1) {
        locked[who].open();
        await locked[who === "a" ? "b" : "a"].opened;
      }
      await tx.run("UPDATE Counter SET hitCount = hitCount + 1 WHERE id = ?", second);
    };
    await Promise.all([database.write(crossLock("a", 1, 2), { hot: true }), database.write(crossLock("b", 2, 1), { hot: true })]);
    expect(await database.read.pluck("SELECT hitCount FROM Counter ORDER BY id")).toEqual([2, 2]);
    expect(calls.a + calls.b).toBe(3);
    expect(retryTotals()["40P01"] - before).toBe(1);
  });

  it("RetryableConflict runs the work again in a fresh transaction with fresh staging", async () => {
    const before = retryTotals().RetryableConflict;
    const flushed: string[][] = [];
    const log: Accumulator<string> = {
      name: "log",
      async flush(_tx: Sql, items: string[]) {
        flushed.push(items);
      },
    };
    let calls = 0;
    const result = await database.write(async (tx) => {
      calls++;
      await tx.run("INSERT INTO Event (label) VALUES (?)", `attempt ${calls}`);
      tx.stage(log, `attempt ${calls}`);
      if (calls < 3) throw new RetryableConflict();
      return "done";
    });
    expect(result).toBe("done");
    expect(calls).toBe(3);
    expect(flushed).toEqual([["attempt 3"]]);
    expect(await database.read.pluck("SELECT label FROM Event")).toEqual(["attempt 3"]);
    expect(retryTotals().RetryableConflict - before).toBe(2);
  });

  it("gives up after 5 attempts with the conflict itself; other errors are not retried", async () => {
    let calls = 0;
    const conflict = database.write(async () => {
      calls++;
      throw new RetryableConflict("code used meanwhile");
    });
    await expect(conflict).rejects.toBeInstanceOf(RetryableConflict);
    expect(calls).toBe(5);

    let plainCalls = 0;
    await expect(
      database.write(async () => {
        plainCalls++;
        throw new Error("plain");
      }),
    ).rejects.toThrow("plain");
    expect(plainCalls).toBe(1);
  });
});

describe("snapshot", () => {
  it("sees one committed state throughout, on a connection outside the pool, and only reads", async () => {
    await outside(`INSERT INTO "Event" ("label") VALUES ('before')`);
    const seen = await database.snapshot(async (sql) => {
      const first = await sql.pluck<string>("SELECT label FROM Event ORDER BY id");
      // Committed meanwhile, through the pool and from outside.
      await database.write((tx) => tx.run("INSERT INTO Event (label) VALUES ('during')"));
      await outside(`INSERT INTO "Event" ("label") VALUES ('outside')`);
      const second = await sql.pluck<string>("SELECT label FROM Event ORDER BY id");
      const readOnly = await sql.run("INSERT INTO Event (label) VALUES ('from the snapshot')").catch((error: { code?: string }) => error.code);
      return { first, second, readOnly };
    });
    expect(seen).toEqual({ first: ["before"], second: ["before"], readOnly: "25006" });
    expect(await database.read.pluck("SELECT label FROM Event ORDER BY id")).toEqual(["before", "during", "outside"]);
  });

  it("gives the work's value or error, and its connection cannot be used afterwards", async () => {
    let kept: Sql | undefined;
    expect(await database.snapshot(async (sql) => ((kept = sql), sql.value("SELECT COUNT(*) FROM Event")))).toBe(0);
    await expect(kept!.value("SELECT 1")).rejects.toThrow(/after it ended/);
    await expect(database.snapshot(() => Promise.reject(new Error("export failed")))).rejects.toThrow("export failed");
    // No snapshot's transaction is left open on the server (a backend may take a moment to exit).
    const openTransactions = () =>
      outside<{ n: number }>(
        `SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND xact_start IS NOT NULL AND pid <> pg_backend_pid()`,
      ).then((rows) => rows[0]!.n);
    await expect.poll(openTransactions, { timeout: 2000 }).toBe(0);
  });
});

describe("announcements between app processes", () => {
  it("a topic announced by one process reaches the others' handlers; a lost listener comes back and says so", async () => {
    const a = openPostgres(cluster!.url, { poolSize: 2 });
    const b = openPostgres(cluster!.url, { poolSize: 2 });
    try {
      const heard: (string | null)[] = [];
      b.onAnnouncement((topic) => heard.push(topic));
      // The listener connects in the background and says so with null (nothing heard before it
      // listened is known).
      for (let i = 0; i < 200 && !heard.includes(null); i++) await new Promise((r) => setTimeout(r, 20));
      expect(heard).toEqual([null]);
      await a.announce("units");
      await a.announce("kiosk");
      for (let i = 0; i < 100 && heard.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
      expect(heard).toEqual([null, "units", "kiosk"]);
      // The server ends the listening connection: it is opened again, and the handlers hear null
      // again (announcements made meanwhile are unknown, so everything is read afresh).
      await a.read.value(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN civic_changes'`);
      for (let i = 0; i < 300 && heard.filter((t) => t === null).length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      expect(heard.filter((t) => t === null)).toHaveLength(2);
      await a.announce("surveys");
      for (let i = 0; i < 100 && !heard.includes("surveys"); i++) await new Promise((r) => setTimeout(r, 10));
      expect(heard.at(-1)).toBe("surveys");
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe("locks between app processes", () => {
  it("one process holds a named lock at a time; released, another takes it; a dead holder lets go", async () => {
    const a = openPostgres(cluster!.url, { poolSize: 2 });
    const b = openPostgres(cluster!.url, { poolSize: 2 });
    try {
      const releaseA = await a.tryLock("sweep");
      expect(releaseA).not.toBeNull();
      expect(await b.tryLock("sweep")).toBeNull();
      expect(await a.tryLock("sweep")).toBeNull(); // not re-entrant: a second round in the same process waits too
      const other = await b.tryLock("another job");
      expect(other).not.toBeNull();
      await other!();
      await releaseA!();
      const releaseB = await b.tryLock("sweep");
      expect(releaseB).not.toBeNull();
      // The holder's connection ends (a crashed process): the lock is free again.
      await a.read.value(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid()`);
      let again: (() => Promise<void>) | null = null;
      for (let i = 0; i < 50 && !again; i++) {
        again = await a.tryLock("sweep");
        if (!again) await new Promise((r) => setTimeout(r, 20));
      }
      expect(again).not.toBeNull();
      await again!();
      await releaseB!();
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe("settled and close", () => {
  it("settled() waits for writes in flight, retries included", async () => {
    let calls = 0;
    let committed = false;
    void database
      .write(async (tx) => {
        calls++;
        await tx.value("SELECT pg_sleep(0.05)");
        if (calls === 1) throw new RetryableConflict();
        await tx.run("INSERT INTO Event (label) VALUES ('late')");
      })
      .then(() => (committed = true));
    await database.settled();
    expect(calls).toBe(2);
    expect(await outside(`SELECT "label" FROM "Event"`)).toEqual([{ label: "late" }]);
    await Promise.resolve();
    expect(committed).toBe(true);
  });

  it("close() lets writes in flight commit, then ends the pool", async () => {
    const own = openPostgres(cluster!.url, { poolSize: 2 });
    const pending = own.write(async (tx) => {
      await tx.value("SELECT pg_sleep(0.05)");
      return tx.insert("INSERT INTO Event (label) VALUES ('before close') RETURNING id");
    });
    await own.close();
    await expect(pending).resolves.toBeGreaterThan(0);
    expect(await outside(`SELECT "label" FROM "Event"`)).toEqual([{ label: "before close" }]);
    await expect(own.read.value("SELECT 1")).rejects.toThrow();
  });
});
