// Values kept in memory while a version read from the database stays the same, and for at most a
// given age (some figures also move with the clock). Used for the score figures (score-cache.server.ts)
// and the queue's counts (models/case-queue.server.ts), each with its own version source.
// - Callers asking while a computation runs share it (its promise is kept, not only its result).
// - A failed computation is not kept.
// - At most `maxEntries` keys; the oldest key makes room for a new one, never for the renewal of a
//   key already kept.
type Version = string | number;

export interface VersionedCache {
  get<T>(key: string, compute: () => T | Promise<T>, maxAgeMs?: number): Promise<T>;
  clear(): void;
}

export function versionedCache(opts: { version: () => Version | Promise<Version>; maxAgeMs: number; maxEntries?: number }): VersionedCache {
  const maxEntries = opts.maxEntries ?? 256;
  const entries = new Map<string, { version: Version; at: number; value: Promise<unknown> }>();

  // Each caller reads the version itself (a read shared with an earlier caller could predate the
  // caller's own commit); callers that find the same version share one computation.
  async function get<T>(key: string, compute: () => T | Promise<T>, maxAgeMs = opts.maxAgeMs): Promise<T> {
    const version = await opts.version();
    const hit = entries.get(key);
    if (hit && hit.version === version && Date.now() - hit.at < maxAgeMs) return hit.value as Promise<T>;
    const value = Promise.resolve().then(compute);
    const entry = { version, at: Date.now(), value };
    value.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
    if (!hit && entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    entries.set(key, entry);
    return value;
  }

  return {
    get,
    clear() {
      entries.clear();
    },
  };
}
