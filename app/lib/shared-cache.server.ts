// Reference data every app process keeps in memory for a few seconds (units, surveys, kiosk
// links, the calendar), read on every citizen request. A change made through one process clears
// that process's copy at once and is announced to the others (Database.announce: PostgreSQL's
// NOTIFY; with SQLite there is one process), which clear theirs within milliseconds. Should an
// announcement be lost, each entry still expires after its time to live: that is the staleness
// bound (docs/operations.md "SQLite or PostgreSQL").
import { log } from "./log.server";
import { db } from "./db.server";
import { ttlCache } from "./ttl-cache";

const clearers = new Map<string, (() => void)[]>();
let subscribed = false;

function subscribe() {
  if (subscribed) return;
  subscribed = true;
  db().onAnnouncement((topic) => {
    if (topic === null) for (const list of clearers.values()) list.forEach((clear) => clear());
    else clearers.get(topic)?.forEach((clear) => clear());
  });
}

/** A ttlCache cleared in every process when `topic` is announced (see announceChange). */
export function sharedTtlCache<K, V>(topic: string, ttlMs: number, load: (key: K) => Promise<V>) {
  const cache = ttlCache(ttlMs, load);
  const list = clearers.get(topic) ?? [];
  list.push(() => cache.clear());
  clearers.set(topic, list);
  return {
    get(key: K): Promise<V> {
      subscribe();
      return cache.get(key);
    },
  };
}

/** Clears this process's copies of `topic` and tells the other processes to clear theirs. */
export async function announceChange(topic: string): Promise<void> {
  clearers.get(topic)?.forEach((clear) => clear());
  try {
    await db().announce(topic);
  } catch (error) {
    // The others see the change when their copies expire.
    log.warn({ part: "cache", topic, err: (error as Error).message }, "could not announce a change to the other app processes");
  }
}
