// Rules of staff notifications (issue 13), as plain functions: the kinds, who receives each, how an
// account chose to be told (at once, in a daily digest, or only in its in-app list),
// and how a daily digest is grouped. When they are sent: app/domain/case-alerts.ts.
import { EMAIL, PHONE } from "./complaint-form";
import { type Actor, type AncestorsOf, type CaseRef, canActOnCase } from "./permissions";

export const staffNoticeKinds = [
  /** A new case for the unit (a filed complaint, or one transferred to it). */
  "staff_case_new",
  /** A new integrity case, to the independent reviewers. */
  "staff_integrity_new",
  /** An open deadline of a case is within one working day. */
  "staff_case_due_soon",
  /** An open deadline of a case has passed (also to the evaluation office). */
  "staff_case_overdue",
  /** The office supervises a case (督办) with a note for the unit. */
  "staff_case_supervised",
  /** The office's answer to an extension request, to the head who asked. */
  "staff_extension_decided",
  /** A call-back after a dissatisfied rating (差评回访) is due within one working day. */
  "staff_follow_up_due_soon",
  /** A call-back after a dissatisfied rating has not been made by its deadline. */
  "staff_follow_up_overdue",
  /** The office's daily summary of overdue cases per unit. */
  "staff_overdue_summary",
] as const;
export type StaffNoticeKind = (typeof staffNoticeKinds)[number];

export const deliveryModes = ["immediate", "digest", "off"] as const;
export type DeliveryMode = (typeof deliveryModes)[number];

export function isStaffNoticeKind(kind: string): kind is StaffNoticeKind {
  return (staffNoticeKinds as readonly string[]).includes(kind);
}

/**
 * An account's choice for a kind, or the default: at once, except that the office gets the
 * overdue cases of every unit in its daily digest (it also gets the summary) rather than one
 * message per case.
 */
export function deliveryFor(kind: StaffNoticeKind, chosen: ReadonlyMap<string, DeliveryMode> | undefined, isOffice: boolean): DeliveryMode {
  const mode = chosen?.get(kind);
  if (mode) return mode;
  return kind === "staff_case_overdue" && isOffice ? "digest" : "immediate";
}

const has = (a: Actor, role: string) => a.grants.some((g) => g.role === role);

/**
 * Who is told, among the candidate accounts:
 * - about a case (new, due soon, overdue, supervised): those who handle it. For an ordinary case,
 *   the staff and heads of the unit handling it (or of a unit above it, with its sub-units); for
 *   an integrity case, the independent reviewers, never the unit complained about;
 * - overdue: the office too;
 * - the overdue summary: the office only.
 * The request's author for an extension decision is chosen by the caller.
 */
export function noticeRecipients(kind: StaffNoticeKind, c: CaseRef | null, candidates: readonly Actor[], ancestorsOf: AncestorsOf): number[] {
  const ids = new Set<number>();
  for (const a of candidates) {
    const office = has(a, "office");
    if (kind === "staff_overdue_summary") {
      if (office) ids.add(a.userId);
      continue;
    }
    if (!c) continue;
    const handles = canActOnCase(a, c, "note", ancestorsOf);
    if (handles || (kind === "staff_case_overdue" && office)) ids.add(a.userId);
  }
  return [...ids].sort((x, y) => x - y);
}

/** The kind a new case is announced as: integrity cases go to the reviewers as such. */
export function newCaseKind(type: string): StaffNoticeKind {
  return type === "integrity" ? "staff_integrity_new" : "staff_case_new";
}

export interface DigestItem {
  kind: string;
  createdAt: Date;
  params: Record<string, unknown>;
}

/** A digest's notices grouped by kind, kinds in their list order, each group oldest first. */
export function groupDigest<T extends DigestItem>(items: readonly T[]): { kind: string; items: T[] }[] {
  const order = (k: string) => {
    const i = (staffNoticeKinds as readonly string[]).indexOf(k);
    return i < 0 ? staffNoticeKinds.length : i;
  };
  const groups = new Map<string, T[]>();
  for (const item of items) {
    let g = groups.get(item.kind);
    if (!g) groups.set(item.kind, (g = []));
    g.push(item);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([kind, list]) => ({ kind, items: [...list].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()) }));
}

export interface NoticeSettings {
  email: string | null;
  phone: string | null;
  lang: string;
  prefs: Map<StaffNoticeKind, DeliveryMode>;
}

/** The form field of a kind's choice. */
export const modeField = (kind: StaffNoticeKind) => `mode_${kind}`;


/**
 * The settings form: an optional e-mail address and phone number, a language, and one choice per
 * kind. Errors are translation keys per field; on an error the typed values come back.
 */
export function parseNoticeSettings(
  form: { get(name: string): unknown },
  languageCodes: readonly string[],
): { ok: true; data: NoticeSettings } | { ok: false; errors: Record<string, string>; values: Record<string, string> } {
  const str = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v.trim() : "";
  };
  const values: Record<string, string> = { email: str("email"), phone: str("phone"), lang: str("lang") };
  for (const k of staffNoticeKinds) values[modeField(k)] = str(modeField(k));
  const errors: Record<string, string> = {};
  if (values.email && (values.email.length > 200 || !EMAIL.test(values.email))) errors.email = "errors.email";
  if (values.phone && !PHONE.test(values.phone)) errors.phone = "errors.phone";
  if (!languageCodes.includes(values.lang!)) errors.lang = "errors.invalidChoice";
  const prefs = new Map<StaffNoticeKind, DeliveryMode>();
  for (const k of staffNoticeKinds) {
    const mode = values[modeField(k)]!;
    if ((deliveryModes as readonly string[]).includes(mode)) prefs.set(k, mode as DeliveryMode);
    else errors[modeField(k)] = "errors.invalidChoice";
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors, values };
  return { ok: true, data: { email: values.email || null, phone: values.phone || null, lang: values.lang!, prefs } };
}
