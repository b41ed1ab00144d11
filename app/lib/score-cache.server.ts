// Figures computed from the score tallies, kept in memory while nothing they depend on changed.
// "Changed" is read from the database, so it holds whatever connection or process wrote:
// - ScoreVersion, which SQLite triggers move on writes to complaints, periods, units, snapshots,
//   questions and on deleted tallies (a rebuild); see the migrations that create them;
// - the highest Response and ResponseFlag row ids: a new response or a moderation's flag. (A
//   trigger per submission cost ~24 µs on the hottest write path; responses and flags are only
//   ever added, so their highest ids tell the same.)
// Entries also expire after a minute, because complaint timeliness depends on the clock (a case
// becomes late when its deadline passes).
import { db, type Sql } from "./db.server";
import { dialect } from "./db/dialect.server";
import { versionedCache } from "./versioned-cache";

export async function scoreVersion(sql: Sql = db().read): Promise<string> {
  return (await sql.value<string>(dialect().scoreVersion)) ?? "";
}

/**
 * ScoreVersion alone: moved by every write to a complaint (and to periods, units, snapshots,
 * questions), not by new responses. For figures about cases, which a campaign's responses leave as
 * they are (the queue's counts).
 */
export async function recordsVersion(sql: Sql = db().read): Promise<number> {
  return Number((await sql.value<number>(dialect().recordsVersion)) ?? 0);
}

const scores = versionedCache({ version: () => scoreVersion(), maxAgeMs: 60_000 });

export function cachedScores<T>(key: string, compute: () => T | Promise<T>, maxAgeMs?: number): Promise<T> {
  return scores.get(key, compute, maxAgeMs);
}
