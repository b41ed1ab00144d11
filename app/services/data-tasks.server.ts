// Data work a migration leaves for the application (DataTask rows): SQL cannot redo what the
// application computes, such as the score tallies. `npm start` runs the pending tasks after
// applying migrations and before serving (scripts/data-tasks.ts); each task is removed once done.
import { getWriter } from "#app/lib/db.server";
import { rebuildTallies } from "#app/models/score-tally.server";

const tasks: Record<string, () => Promise<string>> = {
  /** The tallies' keys changed (issue 10 added the channel): recompute every period from the raw rows. */
  async rebuild_tallies() {
    const periods = getWriter().prepare(`SELECT id, code FROM EvaluationPeriod ORDER BY id`).all() as { id: number; code: string }[];
    for (const p of periods) await rebuildTallies(p.id);
    return `score tallies rebuilt for ${periods.length} period(s)`;
  },
};

/** Runs every pending task in the order they were left; returns what was done. */
export async function runDataTasks(): Promise<string[]> {
  const db = getWriter();
  const pending = db.prepare(`SELECT name FROM DataTask ORDER BY createdAt, name`).pluck().all() as string[];
  const done: string[] = [];
  for (const name of pending) {
    const task = tasks[name];
    if (!task) throw new Error(`unknown data task "${name}": is this build older than the database?`);
    done.push(`${name}: ${await task()}`);
    db.prepare(`DELETE FROM DataTask WHERE name = ?`).run(name);
  }
  return done;
}
