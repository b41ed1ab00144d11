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

const MAX_ENTRIES = 256;
const entries = new Map<string, { version: string; at: number; value: Promise<unknown> }>();

export function scoreVersion(db = getWriter()): string {
  const row = db
    .prepare(
      `SELECT (SELECT version FROM ScoreVersion WHERE id = 1) AS v, (SELECT MAX(id) FROM Response) AS r, (SELECT MAX(rowid) FROM ResponseFlag) AS f`,
    )
    .get() as { v: number | null; r: number | null; f: number | null };
  return `${row.v ?? 0}|${row.r ?? 0}|${row.f ?? 0}`;
}

export function cachedScores<T>(key: string, compute: () => T | Promise<T>, maxAgeMs = 60_000): Promise<T> {
  const version = scoreVersion();
  const hit = entries.get(key);
  if (hit && hit.version === version && Date.now() - hit.at < maxAgeMs) return hit.value as Promise<T>;
  const value = Promise.resolve().then(compute);
  // A failed computation is not kept.
  value.catch(() => entries.delete(key));
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(key, { version, at: Date.now(), value });
  return value;
}
