// The survey page's outbox (app/enhance/outbox.ts, sender.ts) and the answers kept across a
// language switch (draft.ts): pure parts over a fake Storage, the sender with a fake network.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { saveDraft, takeDraft } from "#app/enhance/draft";
import {
  BACKOFF_MAX_MS,
  backoffDelay,
  classifyStatus,
  dropFromOutbox,
  OUTBOX_KEY,
  OUTBOX_MAX_AGE_MS,
  OUTBOX_MAX_ITEMS,
  type OutboxItem,
  putInOutbox,
  readOutbox,
  type StorageLike,
} from "#app/enhance/outbox";
import { createSender, type SenderEvents } from "#app/enhance/sender";

class FakeStorage implements StorageLike {
  map = new Map<string, string>();
  /** Throws like a full (or blocked) localStorage. */
  full = false;
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    if (this.full) throw new DOMException("quota", "QuotaExceededError");
    this.map.set(key, value);
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
}

const blocked: StorageLike = {
  getItem() {
    throw new DOMException("denied", "SecurityError");
  },
  setItem() {
    throw new DOMException("denied", "SecurityError");
  },
  removeItem() {
    throw new DOMException("denied", "SecurityError");
  },
};

const NOW = Date.UTC(2026, 4, 12, 3, 0, 0);
const item = (id: string, extra: Partial<OutboxItem> = {}): OutboxItem => ({
  id,
  url: "https://rate.example/s/satisfaction-2026?unit=D02",
  body: `submissionId=${id}&q_efficiency=4`,
  savedAt: NOW,
  ...extra,
});

describe("outbox store", () => {
  test("reads nothing from empty, blocked, missing or foreign storage", () => {
    const s = new FakeStorage();
    expect(readOutbox(s, NOW)).toEqual([]);
    expect(readOutbox(null, NOW)).toEqual([]);
    expect(readOutbox(blocked, NOW)).toEqual([]);
    s.map.set(OUTBOX_KEY, "{not json");
    expect(readOutbox(s, NOW)).toEqual([]);
    s.map.set(OUTBOX_KEY, JSON.stringify({ id: "a" }));
    expect(readOutbox(s, NOW)).toEqual([]);
  });

  test("keeps items in order, skips malformed ones and drops expired ones", () => {
    const s = new FakeStorage();
    s.map.set(
      OUTBOX_KEY,
      JSON.stringify([item("a"), { id: "b", url: 3 }, item("old", { savedAt: NOW - OUTBOX_MAX_AGE_MS }), item("c", { savedAt: NOW + 1 })]),
    );
    expect(readOutbox(s, NOW).map((i) => i.id)).toEqual(["a", "c"]);
  });

  test("a resend replaces its item and keeps when it was first saved; another URL is another item", () => {
    const s = new FakeStorage();
    expect(putInOutbox(s, item("a"), NOW)).toBe(true);
    expect(putInOutbox(s, item("b"), NOW)).toBe(true);
    expect(putInOutbox(s, item("a", { body: "x=1", savedAt: NOW + 5_000 }), NOW + 5_000)).toBe(true);
    expect(putInOutbox(s, item("a", { url: "https://rate.example/s/satisfaction-2026/thanks?t=1" }), NOW)).toBe(true);
    const items = readOutbox(s, NOW + 5_000);
    expect(items.map((i) => [i.id, i.body, i.savedAt])).toEqual([
      ["a", "x=1", NOW],
      ["b", "submissionId=b&q_efficiency=4", NOW],
      ["a", "submissionId=a&q_efficiency=4", NOW],
    ]);
  });

  test("holds at most OUTBOX_MAX_ITEMS, the oldest going first", () => {
    const s = new FakeStorage();
    for (let n = 0; n < OUTBOX_MAX_ITEMS + 3; n++) putInOutbox(s, item(`i${n}`), NOW);
    const ids = readOutbox(s, NOW).map((i) => i.id);
    expect(ids).toHaveLength(OUTBOX_MAX_ITEMS);
    expect(ids[0]).toBe("i3");
    expect(ids.at(-1)).toBe(`i${OUTBOX_MAX_ITEMS + 2}`);
  });

  test("a full or blocked storage says so instead of throwing", () => {
    const s = new FakeStorage();
    s.full = true;
    expect(putInOutbox(s, item("a"), NOW)).toBe(false);
    expect(putInOutbox(blocked, item("a"), NOW)).toBe(false);
    expect(putInOutbox(null, item("a"), NOW)).toBe(false);
    expect(() => dropFromOutbox(blocked, item("a"), NOW)).not.toThrow();
  });

  test("removing the last item removes the key", () => {
    const s = new FakeStorage();
    putInOutbox(s, item("a"), NOW);
    putInOutbox(s, item("b"), NOW);
    dropFromOutbox(s, item("a"), NOW);
    expect(readOutbox(s, NOW).map((i) => i.id)).toEqual(["b"]);
    dropFromOutbox(s, item("b"), NOW);
    expect(s.map.has(OUTBOX_KEY)).toBe(false);
  });
});

describe("back-off", () => {
  test("2 s doubling up to 60 s, each wait between half and all of its step", () => {
    const low = () => 0;
    const high = () => 1;
    expect([0, 1, 2, 3, 4, 5, 6, 30].map((a) => backoffDelay(a, high))).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect([0, 1, 5, 30].map((a) => backoffDelay(a, low))).toEqual([1_000, 2_000, 30_000, 30_000]);
    for (let a = 0; a < 12; a++) {
      const d = backoffDelay(a);
      expect(d).toBeGreaterThanOrEqual(1_000);
      expect(d).toBeLessThanOrEqual(BACKOFF_MAX_MS);
    }
  });
});

describe("what a send's answer means", () => {
  test.each([
    [null, "retry"],
    [200, "sent"],
    [204, "sent"],
    [500, "retry"],
    [502, "retry"],
    [503, "retry"],
    [408, "retry"],
    [429, "retry"],
    [400, "refused"],
    [403, "refused"],
    [404, "refused"],
    [409, "refused"],
    [410, "refused"],
    [413, "refused"],
  ] as const)("status %s → %s", (status, outcome) => {
    expect(classifyStatus(status)).toBe(outcome);
  });
});

describe("answers kept across a language switch", () => {
  test("a draft is given back once, then gone", () => {
    const s = new FakeStorage();
    expect(saveDraft(s, "draft:1:3:D02:1", { q_efficiency: ["4"], q_reasons: ["a", "c"], q_comment: ["很好"] })).toBe(true);
    expect(takeDraft(s, "draft:1:3:D02:2")).toBeNull();
    expect(takeDraft(s, "draft:1:3:D02:1")).toEqual({ q_efficiency: ["4"], q_reasons: ["a", "c"], q_comment: ["很好"] });
    expect(takeDraft(s, "draft:1:3:D02:1")).toBeNull();
  });

  test("garbage or unusable storage gives no draft", () => {
    const s = new FakeStorage();
    s.map.set("k", "[1,2]");
    expect(takeDraft(s, "k")).toBeNull();
    s.map.set("k", JSON.stringify({ q_a: ["5", 3], q_b: "x" }));
    expect(takeDraft(s, "k")).toEqual({ q_a: ["5"] });
    expect(takeDraft(blocked, "k")).toBeNull();
    expect(saveDraft(blocked, "k", {})).toBe(false);
    expect(saveDraft(s, "", {})).toBe(false);
  });
});

describe("sender", () => {
  type Answer = { status: number | null; url?: string };
  let storage: FakeStorage;
  let log: string[];
  let answers: Answer[];
  let sent: OutboxItem[];
  const events: SenderEvents = {
    ownSent: (url) => log.push(`ownSent ${url}`),
    ownRefused: () => log.push("ownRefused"),
    kept: (own) => log.push(`kept ${own ? "own" : "earlier"}`),
    retrying: (own) => log.push(`retrying ${own ? "own" : "earlier"}`),
    earlierSent: () => log.push("earlierSent"),
  };
  /** A network answering with the queued answers in turn (each after 10 ms). */
  const network = async (i: OutboxItem) => {
    sent.push(i);
    await new Promise((r) => setTimeout(r, 10));
    const a = answers.shift() ?? { status: null };
    return { status: a.status, url: a.url ?? "" };
  };
  const THANKS = "https://rate.example/s/satisfaction-2026/thanks?r=1";

  beforeEach(() => {
    vi.useFakeTimers({ now: NOW });
    storage = new FakeStorage();
    log = [];
    answers = [];
    sent = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test("a send the server stores goes to the thanks page and leaves nothing behind", async () => {
    const sender = createSender(storage, events, network);
    answers.push({ status: 200, url: THANKS });
    sender.sendOwn(item("a"));
    // Saved before it leaves: a closed page would send it next time.
    expect(readOutbox(storage).map((i) => i.id)).toEqual(["a"]);
    expect(sender.ownPending()).toBe(true);
    await vi.advanceTimersByTimeAsync(10);
    expect(log).toEqual([`ownSent ${THANKS}`]);
    expect(readOutbox(storage)).toEqual([]);
    expect(sender.ownPending()).toBe(false);
  });

  test("a send lost on the network is kept and retried on the back-off timer until it is stored", async () => {
    const sender = createSender(storage, events, network);
    answers.push({ status: null }, { status: 503 }, { status: 200, url: THANKS });
    sender.sendOwn(item("a"));
    await vi.advanceTimersByTimeAsync(10);
    expect(log).toEqual(["kept own"]);
    expect(readOutbox(storage).map((i) => i.id)).toEqual(["a"]);
    await vi.advanceTimersByTimeAsync(2_010); // first retry within 2 s
    expect(sent).toHaveLength(2);
    expect(log).toEqual(["kept own", "kept own"]);
    await vi.advanceTimersByTimeAsync(4_010); // second within 4 s more
    expect(sent).toHaveLength(3);
    expect(log.at(-1)).toBe(`ownSent ${THANKS}`);
    expect(readOutbox(storage)).toEqual([]);
    // Nothing more is sent once stored.
    await vi.advanceTimersByTimeAsync(120_000);
    expect(sent).toHaveLength(3);
  });

  test("coming back online retries at once and says so", async () => {
    const sender = createSender(storage, events, network);
    answers.push({ status: null }, { status: 200, url: THANKS });
    sender.sendOwn(item("a"));
    await vi.advanceTimersByTimeAsync(10);
    sender.online();
    await vi.advanceTimersByTimeAsync(10);
    expect(log).toEqual(["kept own", "retrying own", `ownSent ${THANKS}`]);
    // The back-off timer set by the failure finds nothing left to send.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sent).toHaveLength(2);
  });

  test("a refused send is dropped and handed back to the page (to post natively)", async () => {
    const sender = createSender(storage, events, network);
    answers.push({ status: 409 });
    sender.sendOwn(item("a"));
    await vi.advanceTimersByTimeAsync(10);
    expect(log).toEqual(["ownRefused"]);
    expect(readOutbox(storage)).toEqual([]);
  });

  test("a post is never on its way twice at once", async () => {
    const sender = createSender(storage, events, network);
    answers.push({ status: 200, url: THANKS });
    sender.sendOwn(item("a"));
    sender.sendOwn(item("a"));
    sender.online();
    sender.flush(false);
    await vi.advanceTimersByTimeAsync(10);
    expect(sent).toHaveLength(1);
  });

  test("posts left by an earlier page are sent when a page opens: stored ones are reported, refused ones dropped", async () => {
    putInOutbox(storage, item("old1"));
    putInOutbox(storage, item("old2"));
    putInOutbox(storage, item("old3"));
    const sender = createSender(storage, events, network);
    answers.push({ status: 200, url: THANKS }, { status: 410 }, { status: null });
    sender.flush(false);
    await vi.advanceTimersByTimeAsync(10);
    expect(sent.map((i) => i.id)).toEqual(["old1", "old2", "old3"]);
    expect(log).toEqual(["earlierSent", "kept earlier"]);
    expect(readOutbox(storage).map((i) => i.id)).toEqual(["old3"]);
    answers.push({ status: 200, url: THANKS });
    await vi.advanceTimersByTimeAsync(2_010);
    expect(log.at(-1)).toBe("earlierSent");
    expect(readOutbox(storage)).toEqual([]);
  });

  test("without usable storage a post is still sent and retried while the page is open", async () => {
    for (const store of [blocked, null, Object.assign(new FakeStorage(), { full: true })]) {
      log = [];
      sent = [];
      const sender = createSender(store, events, network);
      answers.push({ status: null }, { status: 200, url: THANKS });
      sender.sendOwn(item("a"));
      await vi.advanceTimersByTimeAsync(2_020);
      expect(log).toEqual(["kept own", `ownSent ${THANKS}`]);
      expect(sent).toHaveLength(2);
    }
  });
});
