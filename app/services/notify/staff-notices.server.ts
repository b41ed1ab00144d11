// Staff notices (issue 13): who is told of a case event, and what each is told, in their own
// language. An event's code calls `staffNoticeWrites` before its transaction and writes the rows
// in it (notices with Prisma's createMany, messages through notificationRows); the sweep writes
// the same rows in its own db().write transactions. The in-app list renders the same sentence
// from kind and params in the reader's language (`noticeVars`), so the list and the e-mail say
// the same thing.
import { pickText } from "#app/domain/localized";
import type { AncestorsOf, CaseRef } from "#app/domain/permissions";
import { type DeliveryMode, deliveryFor, groupDigest, noticeRecipients, type StaffNoticeKind } from "#app/domain/staff-notices";
import { formatDateTime, formatNumber } from "#app/i18n/format";
import { tIn } from "#app/i18n/i18next.server";
import { defaultLanguage } from "#app/i18n/languages";
import { getEnv } from "#app/lib/env.server";
import { type NewNotification, notificationRows } from "#app/models/notification.server";
import { type DigestNotice, type StaffNoticeRow, type StaffRecipient, staffDirectory } from "#app/models/staff-notice.server";
import { type UnitRecord, unitIndex } from "#app/models/unit.server";

/** What a notice is about, as stored (JSON) and rendered later in any language. */
export interface NoticeParams {
  reference?: string;
  unitId?: number;
  dueAt?: string;
  decision?: "approved" | "refused";
  total?: number;
  units?: { unitId: number; n: number }[];
  [key: string]: unknown;
}

type UnitNames = ReadonlyMap<number, Pick<UnitRecord, "names">>;

/** The variables of a notice's sentence (`staffNotices.kind.<kind>`) in one language. */
export function noticeVars(kind: string, p: NoticeParams, lang: string, units: UnitNames): Record<string, string> {
  const t = tIn(lang);
  const unitName = (id: number | undefined) => (id !== undefined ? pickText(units.get(id)?.names, lang, defaultLanguage) : "");
  return {
    reference: p.reference ?? "",
    unit: unitName(p.unitId),
    date: p.dueAt ? formatDateTime(new Date(p.dueAt), lang) : "",
    decision: p.decision ? t(`staffNotices.decision.${p.decision}`, { date: p.dueAt ? formatDateTime(new Date(p.dueAt), lang) : "" }) : "",
    total: p.total !== undefined ? formatNumber(p.total, lang) : "",
    // The summary's units, most overdue first: "Unit A: 3; Unit B: 1".
    units: (p.units ?? []).map((u) => t("staffNotices.unitCount", { unit: unitName(u.unitId), count: u.n })).join(t("staffNotices.listSeparator")),
  };
}

function platformUrl(path: string): string {
  return `${getEnv().PUBLIC_ORIGIN ?? ""}${path}`;
}

/** Where a notice leads: its case, or the office's overdue list. */
export function noticeHref(kind: string, p: NoticeParams): string {
  if (kind === "staff_overdue_summary") return "/staff/overdue";
  return p.reference ? `/staff/cases/${encodeURIComponent(p.reference)}` : "/staff/inbox";
}

function line(kind: string, p: NoticeParams, lang: string, units: UnitNames): string {
  return tIn(lang)(`staffNotices.kind.${kind}`, noticeVars(kind, p, lang, units));
}

const footer = (lang: string) => tIn(lang)("staffNotices.email.footer", { url: platformUrl("/staff/inbox/settings") });

/** The e-mail and SMS of one notice to one account told at once (none without an address). */
function immediateMessages(r: StaffRecipient, kind: StaffNoticeKind, p: NoticeParams, complaintId: number | null, units: UnitNames): NewNotification[] {
  const text = line(kind, p, r.lang, units);
  const t = tIn(r.lang);
  const out: NewNotification[] = [];
  if (r.email) {
    out.push({
      kind,
      channel: "email",
      recipient: r.email,
      lang: r.lang,
      complaintId,
      subject: text,
      body: `${text}\n\n${t("staffNotices.email.open", { url: platformUrl(noticeHref(kind, p)) })}\n\n${footer(r.lang)}`,
    });
  }
  if (r.phone) {
    // Like every SMS, with the providers' reply keyword to stop (the settings page is the other way).
    out.push({ kind, channel: "sms", recipient: r.phone, lang: r.lang, complaintId, body: `${text} ${t("notify.smsOptOut")}`, template: { kind, params: { reference: p.reference ?? "", total: String(p.total ?? "") } } });
  }
  return out;
}

export interface NoticeContext {
  directory: ReadonlyMap<number, StaffRecipient>;
  ancestorsOf: AncestorsOf;
  units: UnitNames;
}

/**
 * The notices (and the messages of those told at once) of one event.
 * `key` makes each notice unique (`<key>:<userId>`): the same event written twice is one notice.
 * `to`: the accounts to tell, when the caller knows them (an extension's requester); otherwise
 * the recipients follow the kind and the case (noticeRecipients).
 */
export function staffNoticeWrites(
  ctx: NoticeContext,
  kind: StaffNoticeKind,
  opts: { c: (CaseRef & { id: number }) | null; params: NoticeParams; key: string; now: Date; to?: readonly number[] },
): { notice: StaffNoticeRow; messages: NewNotification[] }[] {
  const ids = opts.to ?? noticeRecipients(kind, opts.c, [...ctx.directory.values()], ctx.ancestorsOf);
  const out: { notice: StaffNoticeRow; messages: NewNotification[] }[] = [];
  for (const id of ids) {
    const r = ctx.directory.get(id);
    if (!r) continue;
    const delivery: DeliveryMode = deliveryFor(kind, r.prefs, r.grants.some((g) => g.role === "office"));
    out.push({
      notice: { userId: id, kind, complaintId: opts.c?.id ?? null, params: opts.params, dedupeKey: `${opts.key}:${id}`, delivery, createdAt: opts.now },
      messages: delivery === "immediate" ? immediateMessages(r, kind, opts.params, opts.c?.id ?? null, ctx.units) : [],
    });
  }
  return out;
}

/** The rows of an event's notices for its Prisma transaction (`createMany` of each). */
export function noticeCreateData(writes: ReturnType<typeof staffNoticeWrites>, now: Date) {
  return {
    notices: writes.map((w) => ({ ...w.notice, params: w.notice.params as object })),
    messages: notificationRows(writes.flatMap((w) => w.messages), now),
  };
}

/** Who may be told, the unit tree and the unit names: read before an event's transaction. */
export async function noticeContext(): Promise<NoticeContext> {
  const [directory, index] = await Promise.all([staffDirectory(), unitIndex()]);
  return { directory, ancestorsOf: index.ancestorsOf, units: index.byId };
}

/** One account's daily digest: its waiting notices grouped by kind, as one e-mail (none without an address). */
export function digestMessage(r: StaffRecipient, notices: readonly DigestNotice[], units: UnitNames): NewNotification | null {
  if (!r.email || notices.length === 0) return null;
  const t = tIn(r.lang);
  const parts = groupDigest(notices).map(
    (g) =>
      `${t(`staffNotices.kindName.${g.kind}`)} (${formatNumber(g.items.length, r.lang)})\n` +
      g.items.map((n) => `- ${line(n.kind, n.params, r.lang, units)}\n  ${platformUrl(noticeHref(n.kind, n.params))}`).join("\n"),
  );
  return {
    kind: "staff_digest",
    channel: "email",
    recipient: r.email,
    lang: r.lang,
    subject: t("staffNotices.digest.subject", { count: notices.length }),
    body: `${t("staffNotices.digest.intro")}\n\n${parts.join("\n\n")}\n\n${footer(r.lang)}`,
  };
}
