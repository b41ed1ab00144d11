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
