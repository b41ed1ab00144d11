// The notification sweep (issue 13): every minute, in the app's process, it raises the
// notifications that time (not a request) causes, each once:
// - a reply due within one working day (the acceptance deadline is a day or so from the new-case
//   notice itself), and a deadline passed (to the handlers; overdue to the office too);
// - a call-back after a dissatisfied rating due within one working day, and one not made in time;
// - one invitation to rate a reply still unrated after the period's ratingInviteDays working days;
// - at 08:00 region time, each account's daily digest and the office's overdue summary.
// Each alert is written with its notices and messages in one transaction, keyed by the case and
// the deadline (CaseAlert) or by the notice (StaffNotice.dedupeKey), so a sweep run again, after a
// crash, or in a second process writes nothing twice. The dispatcher sends what it wrote.
import { dueSoonUntil, lastDigestTime, OVERDUE_LOOKBACK_MS, RATE_INVITATION_LOOKBACK_MS, rateInvitationAt } from "#app/domain/case-alerts";
import { noticeRecipients } from "#app/domain/staff-notices";
import { localDate } from "#app/domain/working-days";
import { db } from "#app/lib/db.server";
import { logFor } from "#app/lib/log.server";
import { scrubLogText } from "#app/lib/log-scrub";
import { getCalendar } from "#app/models/complaint.server";
import { notificationRows } from "#app/models/notification.server";
import { listPeriods } from "#app/models/period.server";
import {
  type AlertCase,
  casesDueBetween,
  digestAccounts,
  type DigestNotice,
  existingNoticeKeys,
  overdueByUnit,
  raiseAlert,
  takeDigest,
  unratedReplies,
} from "#app/models/staff-notice.server";
import { caseUpdate } from "./messages.server";
import { digestMessage, type NoticeContext, noticeContext, staffNoticeWrites } from "./staff-notices.server";

export interface SweepCounts {
  dueSoon: number;
  overdue: number;
  followUps: number;
  invitations: number;
  digests: number;
  summaries: number;
}

/** The daily summary goes out in the 12 hours after 08:00 (a server started in the evening sends none that day). */
const SUMMARY_WINDOW_MS = 12 * 3_600_000;

const NOTICE_OF = {
  due_soon: "staff_case_due_soon",
  overdue: "staff_case_overdue",
  follow_up_due_soon: "staff_follow_up_due_soon",
  follow_up_overdue: "staff_follow_up_overdue",
} as const;

async function deadlineAlerts(ctx: NoticeContext, kind: keyof typeof NOTICE_OF, cases: readonly AlertCase[], now: Date): Promise<number> {
  let raised = 0;
  const noticeKind = NOTICE_OF[kind];
  for (const c of cases) {
    const writes = staffNoticeWrites(ctx, noticeKind, {
      c,
      params: { reference: c.reference, unitId: c.unitId, dueAt: c.due.toISOString() },
      key: `${kind}:${c.id}:${c.due.getTime()}`,
      now,
    });
    const items = writes.map((w) => ({ notice: w.notice, messages: notificationRows(w.messages, now) }));
    if (await db().write((tx) => raiseAlert(tx, { complaintId: c.id, kind, dueAt: c.due }, items, now))) raised += 1;
  }
  return raised;
}

/** One round of the sweep at `now`. */
export async function sweep(now = new Date()): Promise<SweepCounts> {
  const [ctx, cal, periods] = await Promise.all([noticeContext(), getCalendar(), listPeriods()]);
  const counts: SweepCounts = { dueSoon: 0, overdue: 0, followUps: 0, invitations: 0, digests: 0, summaries: 0 };

  counts.dueSoon = await deadlineAlerts(ctx, "due_soon", await casesDueBetween("due_soon", "replyDueAt", now, dueSoonUntil(now, cal)), now);
  const lookback = new Date(now.getTime() - OVERDUE_LOOKBACK_MS);
  const justBefore = new Date(now.getTime() - 1);
  counts.overdue = await deadlineAlerts(ctx, "overdue", await casesDueBetween("overdue", "nextDueAt", lookback, justBefore), now);
  // The call-back after a dissatisfied rating (差评回访): due soon, and not made in time.
  counts.followUps = await deadlineAlerts(ctx, "follow_up_due_soon", await casesDueBetween("follow_up_due_soon", "followUpDueAt", now, dueSoonUntil(now, cal)), now);
  counts.followUps += await deadlineAlerts(ctx, "follow_up_overdue", await casesDueBetween("follow_up_overdue", "followUpDueAt", lookback, justBefore), now);

  // The invitation to rate: N working days after the reply, N from the period the case counts in
  // (the one its reply deadline falls in, as for the scores).
  for (const c of await unratedReplies(new Date(now.getTime() - RATE_INVITATION_LOOKBACK_MS))) {
    const period = periods.find((p) => p.startsOn <= c.replyDueAt && c.replyDueAt <= p.endsOn);
    const days = period?.params.ratingInviteDays ?? 3;
    if (rateInvitationAt(c.repliedAt, days, cal) > now) continue;
    const rows = notificationRows(caseUpdate(c, "rate_invite"), now);
    if (await db().write((tx) => raiseAlert(tx, { complaintId: c.id, kind: "rate_invite", dueAt: c.repliedAt }, [{ notice: null, messages: rows }], now))) counts.invitations += 1;
  }

  // The office's overdue summary, once a day after 08:00.
  const digestTime = lastDigestTime(now);
  if (now.getTime() - digestTime.getTime() < SUMMARY_WINDOW_MS) {
    const key = `overdue_summary:${localDate(digestTime)}`;
    const office = noticeRecipients("staff_overdue_summary", null, [...ctx.directory.values()], ctx.ancestorsOf);
    const done = await existingNoticeKeys(office.map((id) => `${key}:${id}`));
    const waiting = office.filter((id) => !done.has(`${key}:${id}`));
    const byUnit = waiting.length ? await overdueByUnit(now) : [];
    const total = byUnit.reduce((sum, u) => sum + u.n, 0);
    if (total > 0) {
      const writes = staffNoticeWrites(ctx, "staff_overdue_summary", { c: null, params: { total, units: byUnit.slice(0, 20) }, key, now, to: waiting });
      const items = writes.map((w) => ({ notice: w.notice, messages: notificationRows(w.messages, now) }));
      if (await db().write((tx) => raiseAlert(tx, null, items, now))) counts.summaries += items.length;
    }
  }

  // Daily digests: the notices written before the last 08:00 that wait for one.
  for (const userId of await digestAccounts(digestTime)) {
    const r = ctx.directory.get(userId);
    const render = (notices: DigestNotice[]) => {
      const message = r ? digestMessage(r, notices, ctx.units) : null;
      return message ? notificationRows([message], now) : [];
    };
    if ((await db().write((tx) => takeDigest(tx, userId, digestTime, now, render))) > 0) counts.digests += 1;
  }
  return counts;
}

/** Runs the sweep every `intervalMs` until stopped (one round at a time; an error waits for the next round). */
export function startSweeper(intervalMs = 60_000): () => Promise<void> {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The round under way, so a graceful shutdown can wait for it (server/index.ts).
  let running: Promise<void> = Promise.resolve();
  const round = () => (running = roundOnce());
  const roundOnce = async () => {
    try {
      // One app process sweeps at a time (the others skip the round); what a round writes is
      // keyed, so even two rounds at once would not alert twice.
      const release = await db().tryLock("notification-sweep");
      if (release) {
        try {
          await sweep();
        } finally {
          await release();
        }
      }
    } catch (error) {
      logFor("notify").error({ event: "sweep.failed", error: scrubLogText(error instanceof Error ? error.message : String(error)) }, "notification sweep failed");
    }
    if (!stopped) timer = setTimeout(round, intervalMs).unref();
  };
  timer = setTimeout(round, Math.min(intervalMs, 5_000)).unref();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    return running;
  };
}
