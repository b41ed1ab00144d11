// Data work a migration leaves for the application (DataTask rows): SQL cannot redo what the
// application computes, such as the score tallies. `npm start` runs the pending tasks after
// applying migrations and before serving (scripts/data-tasks.ts); each task is removed once done.
import { db, dbDateTime } from "#app/lib/db.server";
import { writeAudit } from "#app/models/audit.server";
import { rebuildTallies } from "#app/models/score-tally.server";

/** The flags method 2026.2 added, excluded by default (docs/decisions/0010). */
const STUFFING_FLAGS = ["network_burst", "device_hopping", "same_answers", "code_burst"];

const tasks: Record<string, () => Promise<string>> = {
  /** The tallies' keys changed (issue 10 added the channel): recompute every period from the raw rows. */
  async rebuild_tallies() {
    const periods = await db().read.all<{ id: number; code: string }>(`SELECT id, code FROM EvaluationPeriod ORDER BY id`);
    for (const p of periods) await rebuildTallies(p.id);
    return `score tallies rebuilt for ${periods.length} period(s)`;
  },
  /**
   * Periods not yet closed whose parameters were saved before the stuffing checks existed list the
   * excluding flags explicitly, without the new ones: add them, as their default is, in a recorded
   * change of parameters (the period's history shows it). Closed periods are served from their
   * snapshots and are left as they are.
   */
  async exclude_stuffing_flags() {
    // The rows are read in the transaction that changes them: what it adds to depends on them.
    const changed = await db().write(async (tx) => {
      const rows = await tx.all<{ id: number; params: string }>(`SELECT id, params FROM EvaluationPeriod WHERE status <> 'closed' AND params IS NOT NULL`);
      let count = 0;
      for (const row of rows) {
        const before = JSON.parse(row.params) as { excludingFlags?: string[] };
        if (!Array.isArray(before.excludingFlags)) continue;
        const missing = STUFFING_FLAGS.filter((f) => !before.excludingFlags!.includes(f));
        if (missing.length === 0) continue;
        const after = { ...before, excludingFlags: [...before.excludingFlags, ...missing] };
        await tx.run(`UPDATE EvaluationPeriod SET params = ?, updatedAt = ? WHERE id = ?`, JSON.stringify(after), dbDateTime(new Date()), row.id);
        await writeAudit(tx, { actorId: null, action: "period.params", targetType: "period", targetId: row.id, note: "method 2026.2: the stuffing checks exclude by default", data: { before, after } });
        count += 1;
      }
      return count;
    });
    return `stuffing flags added to the excluding flags of ${changed} open period(s)`;
  },
};

/** Runs every pending task in the order they were left; returns what was done. */
export async function runDataTasks(): Promise<string[]> {
  const pending = await db().read.pluck<string>(`SELECT name FROM DataTask ORDER BY createdAt, name`);
  const done: string[] = [];
  for (const name of pending) {
    const task = tasks[name];
    if (!task) throw new Error(`unknown data task "${name}": is this build older than the database?`);
    done.push(`${name}: ${await task()}`);
    await db().write((tx) => tx.run(`DELETE FROM DataTask WHERE name = ?`, name));
  }
  return done;
}
