// The complaint case flow (受理 转办 办理 答复 办结 回访) as a table of allowed actions.
// Every change of a case goes through `nextStatus`; the service records each one as an
// immutable event. Who may take an action is decided separately (permissions.ts).

export const complaintTypes = ["inaction", "slow_action", "misconduct", "attitude", "integrity", "other"] as const;
export type ComplaintType = (typeof complaintTypes)[number];

export const caseStatuses = [
  "submitted", // filed by the citizen, waiting for the unit to accept
  "transferred", // sent to another unit, waiting for that unit to accept
  "accepted",
  "in_progress",
  "replied", // the unit answered the citizen
  "closed",
  "rejected", // out of scope, with a reason the citizen sees
] as const;
export type CaseStatus = (typeof caseStatuses)[number];

export const caseActions = [
  "accept",
  "start",
  "transfer",
  "reject",
  "reply",
  "close",
  "reopen", // the citizen says it is not resolved: back to handling, under supervision
] as const;
export type CaseAction = (typeof caseActions)[number];

const transitions: Record<CaseAction, Partial<Record<CaseStatus, CaseStatus>>> = {
  accept: { submitted: "accepted", transferred: "accepted" },
  start: { accepted: "in_progress" },
  transfer: { submitted: "transferred", transferred: "transferred", accepted: "transferred", in_progress: "transferred" },
  reject: { submitted: "rejected", transferred: "rejected" },
  reply: { accepted: "replied", in_progress: "replied" },
  close: { replied: "closed" },
  reopen: { replied: "in_progress", closed: "in_progress" },
};

/** The status after the action, or null when the action is not allowed in this status. */
export function nextStatus(status: CaseStatus, action: CaseAction): CaseStatus | null {
  return transitions[action][status] ?? null;
}

export function allowedActions(status: CaseStatus): CaseAction[] {
  return caseActions.filter((a) => nextStatus(status, a) !== null);
}

/** Actions that need a note (the reason or the reply text). */
export const actionsNeedingNote: ReadonlySet<CaseAction> = new Set(["transfer", "reject", "reply", "reopen"]);

/** Statuses in which the unit still owes the citizen an answer. */
export function awaitingReply(status: CaseStatus): boolean {
  return status === "submitted" || status === "transferred" || status === "accepted" || status === "in_progress";
}

export function awaitingAcceptance(status: CaseStatus): boolean {
  return status === "submitted" || status === "transferred";
}

/** The statuses the queue opens on: the unit still has to act (accept, handle, answer). */
export const needsActionStatuses: readonly CaseStatus[] = caseStatuses.filter(awaitingReply);

/**
 * The nearest deadline still open, which orders the staff queue and decides "overdue": while the
 * case waits for acceptance, the earlier of the two deadlines (a transfer gives the receiving unit
 * a new acceptance deadline, which may fall after the reply deadline); while accepted or in
 * progress, the reply deadline; none once answered, closed or rejected. Stored as
 * Complaint.nextDueAt by database triggers that follow this rule (migration complaint_next_due).
 */
export function nextDueAt(c: { status: CaseStatus; acceptDueAt: Date; replyDueAt: Date }): Date | null {
  if (awaitingAcceptance(c.status)) return c.acceptDueAt.getTime() <= c.replyDueAt.getTime() ? c.acceptDueAt : c.replyDueAt;
  if (awaitingReply(c.status)) return c.replyDueAt;
  return null;
}
