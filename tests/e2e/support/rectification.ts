// Rectification records and appeals made directly in a test's database (issue 14), for tests that
// need one to exist without going through the office's pages.
import type Database from "better-sqlite3";
import { unitIdOf } from "./security";

const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");

function periodIdOf(db: Database.Database, code: string): number {
  return (db.prepare(`SELECT id FROM EvaluationPeriod WHERE code = ?`).get(code) as { id: number }).id;
}

/** A record of a unit for a survey item (status open unless said), due in 15 days; the same subject twice is the same record. */
export function addRectification(db: Database.Database, opts: { unit: string; period?: string; itemKey: string; status?: string; dueInDays?: number }): number {
  const unitId = unitIdOf(db, opts.unit);
  const periodId = periodIdOf(db, opts.period ?? "2026");
  const subjectKey = `item:${opts.itemKey}`;
  const existing = db.prepare(`SELECT id FROM Rectification WHERE periodId = ? AND unitId = ? AND subjectKey = ?`).get(periodId, unitId, subjectKey) as { id: number } | undefined;
  if (existing) return existing.id;
  const now = Date.now();
  return Number(
    db
      .prepare(
        `INSERT INTO Rectification (periodId, unitId, source, subjectKey, itemKey, evidence, status, openedAt, dueAt) VALUES (?, ?, 'item', ?, ?, '{"dissatisfied":12,"graded":30}', ?, ?, ?)`,
      )
      .run(periodId, unitId, subjectKey, opts.itemKey, opts.status ?? "open", iso(new Date(now)), iso(new Date(now + (opts.dueInDays ?? 15) * 86_400_000))).lastInsertRowid,
  );
}

/** A pending appeal of a unit against a complaint's handling rating. */
export function addHandlingAppeal(db: Database.Database, opts: { unit: string; complaintId: number; evidence: string; filedBy: number }): number {
  const existing = db.prepare(`SELECT id FROM Appeal WHERE complaintId = ? AND evidence = ?`).get(opts.complaintId, opts.evidence) as { id: number } | undefined;
  if (existing) return existing.id;
  return Number(
    db
      .prepare(`INSERT INTO Appeal (unitId, kind, complaintId, grounds, evidence, status, filedById, filedAt) VALUES (?, 'handling', ?, 'mistaken', ?, 'pending', ?, ?)`)
      .run(unitIdOf(db, opts.unit), opts.complaintId, opts.evidence, opts.filedBy, iso(new Date())).lastInsertRowid,
  );
}

/** The citizen's handling rating of a complaint (replied and closed). */
export function rateComplaint(db: Database.Database, complaintId: number, grade: number) {
  const at = iso(new Date());
  db.prepare(`UPDATE Complaint SET status = 'closed', repliedAt = ?, closedAt = ?, handlingGrade = ?, ratedAt = ?, updatedAt = ? WHERE id = ?`).run(at, at, grade, at, at, complaintId);
}
