// The nearest open deadline of a case (nextDueAt in app/domain/case-flow.ts) orders the staff queue
// and decides "overdue". The database stores it by triggers (SQLite: migration complaint_next_due;
// PostgreSQL: a BEFORE row trigger of triggers_and_seed); these tests hold the rule and the
// triggers to the same answers, for every status and every kind of write.
import fs from "node:fs";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CaseStatus, caseStatuses, needsActionStatuses, nextDueAt } from "#app/domain/case-flow";
import { dialectOf } from "#app/lib/db/dialect.server";
import { openPostgres } from "#app/lib/db/postgres.server";
import type { Param } from "#app/lib/db/types";
import { freshTestDatabase, testDatabaseKind } from "./support/test-db";

const accept = new Date("2026-03-02T10:00:00.000Z");
const reply = new Date("2026-03-09T10:00:00.000Z");
const lateAccept = new Date("2026-03-12T10:00:00.000Z");

describe("nextDueAt (the rule)", () => {
  it("a case waiting to be accepted is due at its acceptance deadline", () => {
    expect(nextDueAt({ status: "submitted", acceptDueAt: accept, replyDueAt: reply })).toEqual(accept);
    expect(nextDueAt({ status: "transferred", acceptDueAt: accept, replyDueAt: reply })).toEqual(accept);
  });

  it("after a late transfer, the reply deadline comes first and is the one shown", () => {
    expect(nextDueAt({ status: "transferred", acceptDueAt: lateAccept, replyDueAt: reply })).toEqual(reply);
  });

  it("an accepted or handled case is due at its reply deadline", () => {
    expect(nextDueAt({ status: "accepted", acceptDueAt: accept, replyDueAt: reply })).toEqual(reply);
    expect(nextDueAt({ status: "in_progress", acceptDueAt: accept, replyDueAt: reply })).toEqual(reply);
  });

  it("answered, closed and rejected cases have nothing due", () => {
    for (const status of ["replied", "closed", "rejected"] as const) {
      expect(nextDueAt({ status, acceptDueAt: accept, replyDueAt: reply }), status).toBeNull();
    }
  });

  it("the queue's 'needs action' statuses are exactly those with something due", () => {
    const due = caseStatuses.filter((status) => nextDueAt({ status, acceptDueAt: accept, replyDueAt: reply }) !== null);
    expect([...needsActionStatuses]).toEqual(due);
  });
});

describe("Complaint.nextDueAt (the database triggers) follows the rule", () => {
  const { dir, dbFile } = freshTestDatabase("next-due");
  const postgres = testDatabaseKind === "postgres";
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  // A connection of the test's own, writing as any program could (no app code in between): the
  // SQLite file, or one PostgreSQL session through the driver (rows in the same shapes).
  const conn = (() => {
    if (postgres) {
      const pg = openPostgres(process.env.DATABASE_URL!, { poolSize: 1 });
      return {
        run: async (sql: string, ...params: Param[]) => void (await pg.read.run(sql, ...params)),
        get: async <T>(sql: string, ...params: Param[]) => (await pg.read.get<T>(sql, ...params))!,
        value: async (sql: string) => Number(await pg.read.value(sql)),
        close: () => pg.close(),
      };
    }
    const db = new Database(dbFile);
    return {
      run: async (sql: string, ...params: Param[]) => void db.prepare(sql).run(...params),
      get: async <T>(sql: string, ...params: Param[]) => db.prepare(sql).get(...params) as T,
      value: async (sql: string) => Number(db.prepare(sql).pluck().get()),
      close: async () => db.close(),
    };
  })();
  afterAll(() => conn.close());
  // Dates exactly as Prisma stores them in SQLite.
  const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");
  let unitId: number;
  beforeAll(async () => {
    unitId = (await conn.get<{ id: number }>("INSERT INTO Unit (code, names, kind, createdAt, updatedAt) VALUES ('U1', '{}', 'department', ?, ?) RETURNING id", iso(accept), iso(accept))).id;
  });
  let n = 0;
  const insert = async (status: CaseStatus, acceptDueAt: Date, replyDueAt: Date) => {
    const now = iso(accept);
    const row = await conn.get<{ id: number }>(
      `INSERT INTO Complaint (reference, accessCodeHash, unitId, subjectUnitId, type, status, description, lang, consentAt, submittedAt, acceptDueAt, replyDueAt, createdAt, updatedAt)
       VALUES (?, 'x', ?, ?, 'other', ?, 'd', 'en', ?, ?, ?, ?, ?, ?) RETURNING id`,
      `T-${++n}`,
      unitId,
      unitId,
      status,
      now,
      now,
      iso(acceptDueAt),
      iso(replyDueAt),
      now,
      now,
    );
    return row.id;
  };
  const stored = async (id: number) => {
    const row = await conn.get<{ nextDueAt: string | null }>("SELECT nextDueAt FROM Complaint WHERE id = ?", id);
    return row.nextDueAt === null ? null : new Date(row.nextDueAt);
  };

  it("on insert, in every status, with either deadline first", async () => {
    for (const status of caseStatuses) {
      for (const acceptDueAt of [accept, lateAccept]) {
        const id = await insert(status, acceptDueAt, reply);
        expect(await stored(id), `${status} ${iso(acceptDueAt)}`).toEqual(nextDueAt({ status, acceptDueAt, replyDueAt: reply }));
      }
    }
  });

  it("on every change of status", async () => {
    for (const from of caseStatuses) {
      for (const to of caseStatuses) {
        const id = await insert(from, accept, reply);
        await conn.run("UPDATE Complaint SET status = ? WHERE id = ?", to, id);
        expect(await stored(id), `${from} → ${to}`).toEqual(nextDueAt({ status: to, acceptDueAt: accept, replyDueAt: reply }));
      }
    }
  });

  it("on a new acceptance deadline (transfer) and a new reply deadline (extension, reopening)", async () => {
    const transferred = await insert("transferred", accept, reply);
    await conn.run("UPDATE Complaint SET acceptDueAt = ? WHERE id = ?", iso(lateAccept), transferred);
    expect(await stored(transferred)).toEqual(reply);
    const extended = await insert("in_progress", accept, reply);
    await conn.run("UPDATE Complaint SET replyDueAt = ? WHERE id = ?", iso(lateAccept), extended);
    expect(await stored(extended)).toEqual(lateAccept);
    const reopened = await insert("replied", accept, reply);
    await conn.run("UPDATE Complaint SET status = 'in_progress', replyDueAt = ? WHERE id = ?", iso(lateAccept), reopened);
    expect(await stored(reopened)).toEqual(lateAccept);
  });

  it("a direct write of nextDueAt is put back to the rule's value; other writes leave it alone", async () => {
    const id = await insert("accepted", accept, reply);
    await conn.run("UPDATE Complaint SET nextDueAt = NULL WHERE id = ?", id);
    expect(await stored(id)).toEqual(reply);
    await conn.run("UPDATE Complaint SET description = 'changed', supervised = TRUE WHERE id = ?", id);
    expect(await stored(id)).toEqual(reply);
  });

  describe("one write, one ScoreVersion bump, nextDueAt set at most once", () => {
    // Every row write of Complaint after the statement's own is counted here. SQLite's AFTER
    // triggers write the row a second time when nextDueAt moves; PostgreSQL's BEFORE row trigger
    // sets it in the row being written, so a write there is always the statement's own only.
    const second = (moves: boolean) => (moves && !postgres ? 1 : 0);
    beforeAll(async () => {
      await conn.run("CREATE TABLE complaint_updates (n INTEGER NOT NULL)");
      await conn.run("INSERT INTO complaint_updates VALUES (0)");
      if (postgres) {
        await conn.run("CREATE FUNCTION count_complaint_updates() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE complaint_updates SET n = n + 1; RETURN NULL; END $$");
        await conn.run("CREATE TRIGGER count_complaint_updates AFTER UPDATE ON Complaint FOR EACH ROW EXECUTE FUNCTION count_complaint_updates()");
      } else {
        await conn.run("CREATE TRIGGER count_complaint_updates AFTER UPDATE ON Complaint BEGIN UPDATE complaint_updates SET n = n + 1; END");
      }
    });
    const counts = async () => ({
      // The number the triggers move (PostgreSQL: the sum of the records family's shards).
      bumps: await conn.value(dialectOf(testDatabaseKind).recordsVersion),
      updates: (await conn.get<{ n: number }>("SELECT n FROM complaint_updates")).n,
    });
    const writes = async (write: () => Promise<unknown>) => {
      const before = await counts();
      await write();
      const after = await counts();
      return { bumps: after.bumps - before.bumps, updates: after.updates - before.updates };
    };
    const rule = (status: CaseStatus) => nextDueAt({ status, acceptDueAt: accept, replyDueAt: reply });

    it("an insert: one bump, and one UPDATE only when there is something due", async () => {
      for (const status of caseStatuses) {
        const w = await writes(() => insert(status, accept, reply));
        expect(w, status).toEqual({ bumps: 1, updates: second(rule(status) !== null) });
      }
    });

    it("a change of status: one bump, and nextDueAt set again only when it moves", async () => {
      for (const from of caseStatuses) {
        for (const to of caseStatuses) {
          const id = await insert(from, accept, reply);
          const w = await writes(() => conn.run("UPDATE Complaint SET status = ? WHERE id = ?", to, id));
          const moves = rule(from)?.getTime() !== rule(to)?.getTime();
          expect(w, `${from} → ${to}`).toEqual({ bumps: 1, updates: 1 + second(moves) });
        }
      }
    });

    it("a new deadline, another field, a direct write of nextDueAt: one bump each", async () => {
      const id = await insert("in_progress", accept, reply);
      expect(await writes(() => conn.run("UPDATE Complaint SET replyDueAt = ? WHERE id = ?", iso(lateAccept), id))).toEqual({ bumps: 1, updates: 1 + second(true) });
      expect(await writes(() => conn.run("UPDATE Complaint SET description = 'again' WHERE id = ?", id))).toEqual({ bumps: 1, updates: 1 });
      expect(await writes(() => conn.run("UPDATE Complaint SET nextDueAt = NULL WHERE id = ?", id))).toEqual({ bumps: 1, updates: 1 + second(true) });
      expect(await stored(id)).toEqual(lateAccept);
    });
  });
});
