// Sends survey posts through the outbox (app/enhance/outbox.ts): each post is saved on the phone
// before it leaves and removed once the server has answered for good. A post that meets no
// answer (or a busy server) is tried again when the browser comes back online, on a back-off
// timer, and whenever a page with this script is opened again, until the server answers.
import {
  backoffDelay,
  classifyStatus,
  dropFromOutbox,
  putInOutbox,
  readOutbox,
  sameItem,
  type OutboxItem,
  type SendOutcome,
  type StorageLike,
} from "./outbox";

/** A send that has no answer after this long counts as lost on the network (and is retried). */
const SEND_TIMEOUT_MS = 30_000;

export interface SenderEvents {
  /**
   * This page's post was stored: `url` is where the server sent the browser (the thanks page), and
   * `html` that page as the server answered it (shown without asking the network again).
   */
  ownSent(url: string, html?: string): void;
  /** The server refused this page's post for good: let it show why (a native post of the form). */
  ownRefused(): void;
  /** A post (this page's or an earlier one) is kept on the phone for later. */
  kept(own: boolean): void;
  /** A kept post is being tried again. */
  retrying(own: boolean): void;
  /** A post left by an earlier page has been stored. */
  earlierSent(): void;
}

export interface Sender {
  /** Saves this page's post and sends it. */
  sendOwn(item: OutboxItem): void;
  /** Sends every kept post not already on its way (`announce`: say that they are being retried). */
  flush(announce: boolean): void;
  /** The browser is back online: try at once, and start the back-off again from its shortest wait. */
  online(): void;
  /** Whether this page's post is saved or on its way (a second submit is then ignored). */
  ownPending(): boolean;
}

async function post(item: OutboxItem): Promise<{ status: number | null; url: string; html?: string }> {
  const abort = typeof AbortController === "function" ? new AbortController() : null;
  const timer = abort ? setTimeout(() => abort.abort(), SEND_TIMEOUT_MS) : 0;
  try {
    const res = await fetch(item.url, {
      method: "POST",
      body: item.body,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      credentials: "same-origin",
      redirect: "follow",
      signal: abort?.signal,
    });
    // The thanks page the post was redirected to: read now, so that a weak signal after the
    // rating was stored cannot leave the phone on an error page.
    const html = res.ok && res.redirected && (res.headers.get("Content-Type") ?? "").startsWith("text/html") ? await res.text().catch(() => undefined) : undefined;
    return { status: res.status, url: res.url, html };
  } catch {
    return { status: null, url: "" };
  } finally {
    clearTimeout(timer);
  }
}

export function createSender(storage: StorageLike | null, events: SenderEvents, send: (item: OutboxItem) => Promise<{ status: number | null; url: string; html?: string }> = post): Sender {
  let own: OutboxItem | null = null;
  const inFlight: OutboxItem[] = [];
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const isOwn = (item: OutboxItem) => own !== null && sameItem(item, own);
  const flying = (item: OutboxItem) => inFlight.some((i) => sameItem(i, item));

  function schedule() {
    if (timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      // Quietly: the citizen has been told the post is kept; a retry every minute need not be read out.
      flush(false);
    }, backoffDelay(attempt++));
  }

  function settle(item: OutboxItem, outcome: SendOutcome, url: string, html?: string) {
    const mine = isOwn(item);
    if (outcome === "retry") {
      events.kept(mine);
      schedule();
      return;
    }
    dropFromOutbox(storage, item);
    attempt = 0;
    if (mine) own = null;
    if (outcome === "sent") {
      if (mine) events.ownSent(url, html);
      else events.earlierSent();
    } else if (mine) {
      events.ownRefused();
    }
    // An earlier post the server refused cannot succeed: it is dropped without a word.
  }

  async function sendOne(item: OutboxItem, announce: boolean) {
    if (flying(item)) return;
    inFlight.push(item);
    if (announce) events.retrying(isOwn(item));
    const { status, url, html } = await send(item);
    const at = inFlight.findIndex((i) => sameItem(i, item));
    if (at >= 0) inFlight.splice(at, 1);
    settle(item, classifyStatus(status), url, html);
  }

  function pending(): OutboxItem[] {
    const items = readOutbox(storage);
    // This page's post stays pending in memory when the storage could not hold it.
    if (own && !items.some((i) => sameItem(i, own!))) items.push(own);
    return items;
  }

  function flush(announce: boolean) {
    for (const item of pending()) void sendOne(item, announce);
  }

  return {
    sendOwn(item) {
      own = item;
      putInOutbox(storage, item);
      void sendOne(item, false);
    },
    flush,
    online() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      attempt = 0;
      flush(true);
    },
    ownPending: () => own !== null,
  };
}
