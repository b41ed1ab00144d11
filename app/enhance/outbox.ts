// The phone's outbox for survey sends (issue 12: nothing lost on a bad network, nothing counted
// twice). A send is written here before it leaves and removed only when the server has answered
// for good; the server recognises a resend by its submissionId, so sending an item again is safe.
// Pure parts only (no DOM, no timers): the store over any Storage-like object, the back-off
// schedule and what a response status means; app/enhance/sender.ts drives them.

export const OUTBOX_KEY = "civic.outbox.v1";
/** An item this old is dropped unsent: its period or start token will have lapsed anyway. */
export const OUTBOX_MAX_AGE_MS = 14 * 24 * 60 * 60 * 1000;
/** At most this many items are kept (oldest dropped first): a broken server cannot fill the phone. */
export const OUTBOX_MAX_ITEMS = 20;

export interface OutboxItem {
  /** The form's submissionId (the server's key for "the same send"). */
  id: string;
  /** Absolute URL the form posts to (without a #fragment). */
  url: string;
  /** The form's fields, application/x-www-form-urlencoded. */
  body: string;
  /** Date.now() when first saved. */
  savedAt: number;
}

/** The part of the Web Storage interface the outbox uses (localStorage, or a fake in tests). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function sameItem(a: Pick<OutboxItem, "id" | "url">, b: Pick<OutboxItem, "id" | "url">): boolean {
  return a.id === b.id && a.url === b.url;
}

function isItem(x: unknown): x is OutboxItem {
  if (typeof x !== "object" || x === null) return false;
  const i = x as Record<string, unknown>;
  return typeof i.id === "string" && typeof i.url === "string" && typeof i.body === "string" && typeof i.savedAt === "number";
}

/**
 * The items waiting, oldest first; expired ones are left out. Never throws: storage that is
 * missing, blocked (private mode, in-app browsers) or holds something else reads as empty.
 */
export function readOutbox(storage: StorageLike | null, now: number = Date.now()): OutboxItem[] {
  if (!storage) return [];
  let raw: string | null;
  try {
    raw = storage.getItem(OUTBOX_KEY);
  } catch {
    return [];
  }
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter(isItem).filter((i) => now - i.savedAt < OUTBOX_MAX_AGE_MS);
}

function write(storage: StorageLike, items: readonly OutboxItem[]): boolean {
  try {
    if (items.length === 0) storage.removeItem(OUTBOX_KEY);
    else storage.setItem(OUTBOX_KEY, JSON.stringify(items));
    return true;
  } catch {
    // Full or blocked: the caller sends anyway, it just cannot be resent after a reload.
    return false;
  }
}

/**
 * Saves an item, replacing one with the same id and URL (a resend keeps its place and its first
 * savedAt). Returns false when the storage refused it.
 */
export function putInOutbox(storage: StorageLike | null, item: OutboxItem, now: number = Date.now()): boolean {
  if (!storage) return false;
  const items = readOutbox(storage, now);
  const at = items.findIndex((i) => sameItem(i, item));
  if (at >= 0) items[at] = { ...item, savedAt: items[at]!.savedAt };
  else items.push(item);
  return write(storage, items.slice(-OUTBOX_MAX_ITEMS));
}

/** Removes an item (by id and URL); true when the outbox no longer holds it. */
export function dropFromOutbox(storage: StorageLike | null, item: Pick<OutboxItem, "id" | "url">, now: number = Date.now()): boolean {
  if (!storage) return true;
  const items = readOutbox(storage, now);
  const rest = items.filter((i) => !sameItem(i, item));
  // Also rewrite when only expired or unreadable entries were dropped by reading.
  return write(storage, rest);
}

export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_MAX_MS = 60_000;

/**
 * How long to wait before retry number `attempt` (0 = the first retry): 2 s doubling up to 60 s,
 * with "equal jitter" (between half and all of that) so that phones that lost the same cell
 * tower do not all come back in the same second.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const exp = Math.min(Math.max(0, Math.floor(attempt)), 16);
  const cap = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** exp);
  return Math.round(cap / 2 + random() * (cap / 2));
}

/**
 * What a send's outcome means for the item:
 * - "sent": stored (2xx after following the redirect) — remove it, go to the thanks page;
 * - "retry": no answer (network error: null), or the server or the way there is busy or down
 *   (5xx, 408, 429) — keep it and try again later;
 * - "refused": the server answered for good (400 invalid, 409 already used or already rated,
 *   410 closed …) — remove it; resending cannot change that.
 */
export type SendOutcome = "sent" | "retry" | "refused";

export function classifyStatus(status: number | null): SendOutcome {
  if (status === null || status === 0) return "retry";
  if (status >= 200 && status < 300) return "sent";
  if (status >= 500 || status === 408 || status === 429) return "retry";
  return "refused";
}
