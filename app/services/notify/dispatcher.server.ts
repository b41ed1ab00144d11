// The dispatcher (issue 13): in the app's process, it claims due notifications with a lease,
// sends each through its channel, and marks it sent, due again after a back-off, failed, or
// skipped (its channel is not configured). It is never called from a request: a slow SMTP server
// delays messages, never a citizen's page. A crash between sending and marking leaves the row
// claimed; once the lease passes another claim sends it again with the same message id
// (at least once; docs/decisions/0016).
import { randomUUID } from "node:crypto";
import { db } from "#app/lib/db.server";
import { logFor } from "#app/lib/log.server";
import { scrubLogText } from "#app/lib/log-scrub";
import { countNotificationFailure } from "#app/lib/metrics.server";
import { rateLimitedUntil } from "#app/domain/notifications";
import { claimDue, hasDue, isOptedOut, markSent, markUnsent, postpone, recentSends, type ClaimedNotification } from "#app/models/notification.server";
import type { Channel, ChannelName } from "./channel";

/** Messages sent at the same time by one dispatcher. */
const PARALLEL = 4;

export interface DispatcherOptions {
  channels: Partial<Record<ChannelName, Channel>>;
  /** How long a claim holds a row (longer than one send can take). */
  leaseMs?: number;
  batch?: number;
  now?: () => Date;
  /** Set by tests to stop between sending and marking (a crash). */
  afterSend?: (n: ClaimedNotification) => void;
}

export interface Dispatcher {
  readonly owner: string;
  readonly batch: number;
  /** One round: claim, send, mark. Returns how many rows it handled. */
  tick(): Promise<number>;
}

export function createDispatcher(opts: DispatcherOptions): Dispatcher {
  const owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const leaseMs = opts.leaseMs ?? 120_000;
  const batch = opts.batch ?? 20;
  const now = opts.now ?? (() => new Date());
  return {
    owner,
    batch,
    async tick() {
      if (!(await hasDue(now()))) return 0;
      const claimed = await db().write((tx) => claimDue(tx, owner, now(), leaseMs, batch));
      // A few at a time: the SMTP connections are pooled, and a provider's answer takes a while.
      const handle = async (n: ClaimedNotification) => {
        // The contact asked for no more messages (the link in every e-mail): kept, not sent.
        if (await isOptedOut(n.recipient)) {
          await db().write((tx) => markUnsent(tx, n.id, owner, { retry: false, skipped: true, error: "opted out" }, now()));
          return;
        }
        // At most a few messages an hour to one recipient: the rest wait their turn.
        const until = rateLimitedUntil(await recentSends(n.recipient, now()), now());
        if (until) {
          await db().write((tx) => postpone(tx, n.id, owner, until));
          return;
        }
        const channel = opts.channels[n.channel];
        if (!channel) {
          await db().write((tx) => markUnsent(tx, n.id, owner, { retry: false, skipped: true, error: `${n.channel}: not configured` }, now()));
          return;
        }
        const result = await channel
          .send({ messageId: n.messageId, channel: n.channel, to: n.recipient, lang: n.lang, subject: n.subject ?? undefined, text: n.body, template: n.template ? { id: n.template.kind, params: n.template.params } : undefined })
          .catch((error: unknown) => ({ ok: false as const, retry: true, error: String(error) }));
        opts.afterSend?.(n);
        if (result.ok) await db().write((tx) => markSent(tx, n.id, owner, result.providerId, now()));
        else {
          await db().write((tx) => markUnsent(tx, n.id, owner, { retry: result.retry, error: result.error }, now()));
          // The row's id, never its recipient; the provider's words without any address or number.
          countNotificationFailure(n.channel);
          logFor("notify").warn(
            { event: "notification.send_failed", notificationId: n.id, kind: n.kind, channel: n.channel, attempt: n.attempts, retry: result.retry, error: scrubLogText(result.error) },
            "notification not sent",
          );
        }
      };
      for (let i = 0; i < claimed.length; i += PARALLEL) await Promise.all(claimed.slice(i, i + PARALLEL).map(handle));
      return claimed.length;
    },
  };
}

/** Runs a dispatcher every `intervalMs` until stopped (one round at a time). */
export function startDispatcher(dispatcher: Dispatcher, intervalMs = 500): () => Promise<void> {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The round under way, so a graceful shutdown can wait for it (server/index.ts).
  let running: Promise<void> = Promise.resolve();
  const round = () => (running = roundOnce());
  const roundOnce = async () => {
    try {
      // A full batch: there may be more; go again at once (a few rounds, then the interval).
      for (let i = 0; i < 10 && !stopped && (await dispatcher.tick()) >= dispatcher.batch; i++) {
        // keep going
      }
    } catch (error) {
      logFor("notify").error({ event: "dispatcher.failed", error: scrubLogText(error instanceof Error ? error.message : String(error)) }, "notification dispatcher round failed");
    }
    if (!stopped) timer = setTimeout(round, intervalMs).unref();
  };
  timer = setTimeout(round, intervalMs).unref();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    return running;
  };
}
