// Deadline extensions: a unit head may ask once more time to reply (up to the type's maximum),
// while the reply is still owed; the evaluation office approves or refuses. Only one extension
// is ever granted per complaint; after a refusal the unit may ask again.
import { awaitingReply, type CaseStatus } from "./case-flow";

export interface ExtensionState {
  status: string;
  extensions: readonly { status: string }[];
}

export function canRequestExtension(c: ExtensionState): boolean {
  if (!awaitingReply(c.status as CaseStatus)) return false;
  return !c.extensions.some((e) => e.status === "pending" || e.status === "approved");
}

export function validExtensionDays(days: number, maxDays: number): boolean {
  return Number.isInteger(days) && days >= 1 && days <= maxDays;
}

export function pendingExtension<E extends { status: string }>(extensions: readonly E[]): E | undefined {
  return extensions.find((e) => e.status === "pending");
}

/**
 * The working days an extension event is about, for the timeline: a request's event stores them at
 * the front of its note ("5: reason", as written since extensions began); an approval's event is
 * matched to the request decided at that instant. The note keeps only the person's words.
 */
export function extensionEventDetail(
  event: { action: string; at: Date; note: string | null },
  extensions: readonly { days: number; decidedAt: Date | null }[],
): { days: number | null; note: string | null } {
  if (event.action === "extension_requested") {
    const m = /^(\d{1,3}):\s?([\s\S]*)$/.exec(event.note ?? "");
    if (m) return { days: Number(m[1]), note: m[2] ? m[2] : null };
    return { days: null, note: event.note };
  }
  if (event.action === "extension_approved") {
    const decided = extensions.find((x) => x.decidedAt?.getTime() === event.at.getTime());
    return { days: decided?.days ?? null, note: event.note };
  }
  return { days: null, note: event.note };
}
