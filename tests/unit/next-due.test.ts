// The nearest open deadline of a case (nextDueAt in app/domain/case-flow.ts) orders the staff queue
// and decides "overdue". The database stores it by triggers (migration complaint_next_due); these
// tests hold the rule and the triggers to the same answers, for every status and every kind of write.
import fs from "node:fs";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { type CaseStatus, caseStatuses, needsActionStatuses, nextDueAt } from "#app/domain/case-flow";
import { freshTestDatabase } from "./support/test-db";

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
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const db = new Database(dbFile);
  afterAll(() => db.close());
  // Dates exactly as Prisma stores them in SQLite.
  const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");
  db.prepare("INSERT INTO Unit (code, names, kind, createdAt, updatedAt) VALUES ('U1', '{}', 'department', ?, ?)").run(iso(accept), iso(accept));
  const unitId = (db.prepare("SELECT id FROM Unit WHERE code = 'U1'").get() as { id: number }).id;
  let n = 0;
  const insert = (status: CaseStatus, acceptDueAt: Date, replyDueAt: Date) => {
    const now = iso(accept);
    const result = db
      .prepare(
        `INSERT INTO Complaint (reference, accessCodeHash, unitId, subjectUnitId, type, status, description, lang, consentAt, submittedAt, acceptDueAt, replyDueAt, createdAt, updatedAt)
         VALUES (?, 'x', ?, ?, 'other', ?, 'd', 'en', ?, ?, ?, ?, ?, ?)`,
      )
      .run(`T-${++n}`, unitId, unitId, status, now, now, iso(acceptDueAt), iso(replyDueAt), now, now);
    return Number(result.lastInsertRowid);
  };
  const stored = (id: number) => {
    const row = db.prepare("SELECT nextDueAt FROM Complaint WHERE id = ?").get(id) as { nextDueAt: string | null };
    return row.nextDueAt === null ? null : new Date(row.nextDueAt);
  };

  it("on insert, in every status, with either deadline first", () => {
    for (const status of caseStatuses) {
      for (const acceptDueAt of [accept, lateAccept]) {
        const id = insert(status, acceptDueAt, reply);
        expect(stored(id), `${status} ${iso(acceptDueAt)}`).toEqual(nextDueAt({ status, acceptDueAt, replyDueAt: reply }));
      }
    }
  });

  it("on every change of status", () => {
    for (const from of caseStatuses) {
      for (const to of caseStatuses) {
        const id = insert(from, accept, reply);
        db.prepare("UPDATE Complaint SET status = ? WHERE id = ?").run(to, id);
        expect(stored(id), `${from} → ${to}`).toEqual(nextDueAt({ status: to, acceptDueAt: accept, replyDueAt: reply }));
      }
    }
  });

  it("on a new acceptance deadline (transfer) and a new reply deadline (extension, reopening)", () => {
    const transferred = insert("transferred", accept, reply);
    db.prepare("UPDATE Complaint SET acceptDueAt = ? WHERE id = ?").run(iso(lateAccept), transferred);
    expect(stored(transferred)).toEqual(reply);
    const extended = insert("in_progress", accept, reply);
    db.prepare("UPDATE Complaint SET replyDueAt = ? WHERE id = ?").run(iso(lateAccept), extended);
    expect(stored(extended)).toEqual(lateAccept);
    const reopened = insert("replied", accept, reply);
    db.prepare("UPDATE Complaint SET status = 'in_progress', replyDueAt = ? WHERE id = ?").run(iso(lateAccept), reopened);
    expect(stored(reopened)).toEqual(lateAccept);
  });

  it("a direct write of nextDueAt is put back to the rule's value; other writes leave it alone", () => {
    const id = insert("accepted", accept, reply);
    db.prepare("UPDATE Complaint SET nextDueAt = NULL WHERE id = ?").run(id);
    expect(stored(id)).toEqual(reply);
    db.prepare("UPDATE Complaint SET description = 'changed', supervised = 1 WHERE id = ?").run(id);
    expect(stored(id)).toEqual(reply);
  });

  describe("one write, one ScoreVersion bump, nextDueAt set at most once", () => {
    // Every row update of Complaint (the statement's own and the triggers') is counted here.
    db.exec(`CREATE TEMP TABLE complaint_updates (n INTEGER NOT NULL); INSERT INTO complaint_updates VALUES (0);
             CREATE TEMP TRIGGER count_complaint_updates AFTER UPDATE ON Complaint BEGIN UPDATE complaint_updates SET n = n + 1; END;`);
    const counts = () => ({
      bumps: (db.prepare("SELECT version FROM ScoreVersion WHERE id = 1").get() as { version: number }).version,
      updates: (db.prepare("SELECT n FROM complaint_updates").get() as { n: number }).n,
    });
    const writes = (write: () => void) => {
      const before = counts();
      write();
      const after = counts();
      return { bumps: after.bumps - before.bumps, updates: after.updates - before.updates };
    };
    const rule = (status: CaseStatus) => nextDueAt({ status, acceptDueAt: accept, replyDueAt: reply });

    it("an insert: one bump, and one UPDATE only when there is something due", () => {
      for (const status of caseStatuses) {
        const w = writes(() => insert(status, accept, reply));
        expect(w, status).toEqual({ bumps: 1, updates: rule(status) === null ? 0 : 1 });
      }
    });

    it("a change of status: one bump, and nextDueAt set again only when it moves", () => {
      for (const from of caseStatuses) {
        for (const to of caseStatuses) {
          const id = insert(from, accept, reply);
          const w = writes(() => db.prepare("UPDATE Complaint SET status = ? WHERE id = ?").run(to, id));
          const moves = rule(from)?.getTime() !== rule(to)?.getTime();
          expect(w, `${from} → ${to}`).toEqual({ bumps: 1, updates: moves ? 2 : 1 });
        }
      }
    });

    it("a new deadline, another field, a direct write of nextDueAt: one bump each", () => {
      const id = insert("in_progress", accept, reply);
      expect(writes(() => db.prepare("UPDATE Complaint SET replyDueAt = ? WHERE id = ?").run(iso(lateAccept), id))).toEqual({ bumps: 1, updates: 2 });
      expect(writes(() => db.prepare("UPDATE Complaint SET description = 'again' WHERE id = ?").run(id))).toEqual({ bumps: 1, updates: 1 });
      expect(writes(() => db.prepare("UPDATE Complaint SET nextDueAt = NULL WHERE id = ?").run(id))).toEqual({ bumps: 1, updates: 2 });
      expect(stored(id)).toEqual(lateAccept);
    });
  });
});
