// Figures computed from the score tallies, kept in memory while nothing they depend on changed.
// "Changed" is read from the database, so it holds whatever connection or process wrote:
// - ScoreVersion, which SQLite triggers move on writes to complaints, periods, units, snapshots,
//   questions and on deleted tallies (a rebuild); see the migrations that create them;
// - the highest Response and ResponseFlag row ids: a new response or a moderation's flag. (A
//   trigger per submission cost ~24 µs on the hottest write path; responses and flags are only
//   ever added, so their highest ids tell the same.)
// Entries also expire after a minute, because complaint timeliness depends on the clock (a case
// becomes late when its deadline passes).
import { getWriter } from "./db.server";
import { versionedCache } from "./versioned-cache";

export function scoreVersion(db = getWriter()): string {
  const row = db
    .prepare(
      `SELECT (SELECT version FROM ScoreVersion WHERE id = 1) AS v, (SELECT MAX(id) FROM Response) AS r, (SELECT MAX(rowid) FROM ResponseFlag) AS f`,
    )
    .get() as { v: number | null; r: number | null; f: number | null };
  return `${row.v ?? 0}|${row.r ?? 0}|${row.f ?? 0}`;
}

/**
 * ScoreVersion alone: moved by every write to a complaint (and to periods, units, snapshots,
 * questions), not by new responses. For figures about cases, which a campaign's responses leave as
 * they are (the queue's counts).
 */
export function recordsVersion(db = getWriter()): number {
  const row = db.prepare(`SELECT version FROM ScoreVersion WHERE id = 1`).get() as { version: number } | undefined;
  return row?.version ?? 0;
}

const scores = versionedCache({ version: () => scoreVersion(), maxAgeMs: 60_000 });

export function cachedScores<T>(key: string, compute: () => T | Promise<T>, maxAgeMs?: number): Promise<T> {
  return scores.get(key, compute, maxAgeMs);
}
