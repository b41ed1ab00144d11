// Figures computed from the score tallies, kept in memory while nothing they depend on changed.
// "Changed" is read from ScoreVersion, which SQLite triggers move on every write to tallies,
// complaints, periods, units and snapshots, whatever connection or process made it (see the
// migration that created it). Entries also expire after a minute, because complaint timeliness
// depends on the clock (a case becomes late when its deadline passes).
import { getWriter } from "./db.server";

const MAX_ENTRIES = 256;
const entries = new Map<string, { version: number; at: number; value: Promise<unknown> }>();

export function scoreVersion(): number {
  return (getWriter().prepare(`SELECT version FROM ScoreVersion WHERE id = 1`).pluck().get() as number | undefined) ?? 0;
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
