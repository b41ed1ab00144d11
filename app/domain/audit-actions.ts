// The actions and target types the audit log names in words (admin.auditActions.<action>,
// admin.targetTypes.<type>). An action recorded by code that is newer than this list is shown by
// its code, never hidden.

export const auditActions = [
  "unit.create",
  "unit.rename",
  "unit.move",
  "unit.deactivate",
  "unit.reactivate",
  "account.create",
  "account.update",
  "account.password_reset",
  "account.deactivate",
  "account.reactivate",
  "account.notify_contact",
  "role.grant",
  "role.revoke",
  "period.create",
  "period.open",
  "period.close",
  "period.params",
  "period.audit",
  "period.publish",
  "period.withdraw",
  "snapshot.create",
  "responses.export",
  "response.exclude",
  "response.reinstate",
  "rating.exclude",
  "rating.reinstate",
  "comment.hide",
  "token.create",
  "token.revoke",
  "survey.create",
  "survey.duplicate",
  "survey.import",
  "survey.publish",
  "survey.discard_draft",
  "survey.close",
  "survey.reopen",
  "kiosk.create",
  "kiosk.revoke",
  "rating_code.issue",
  "rating_code.revoke",
  "notification.retry",
  "rectification.open",
  "rectification.submit",
  "rectification.accept",
  "rectification.return",
  "rectification.publish",
  "rectification.unpublish",
  "appeal.file",
  "appeal.uphold",
  "appeal.reject",
  // Personal data retention (issue 15): the daily pass's claim of its day, what each pass erased,
  // and a citizen's own deletion of their contact details.
  "retention.run",
  "retention.contacts",
  "retention.photos",
  "retention.complaint_networks",
  "retention.response_networks",
  "retention.notification_recipients",
  "retention.api_calls",
  "retention.sessions",
  "retention.recent_devices",
  "complaint.contact_removed",
] as const;

export const auditTargetTypes = ["unit", "staff_user", "period", "response", "answer", "complaint", "api_token", "survey", "kiosk_link", "rating_code_batch", "notification", "rectification", "appeal", "retention"] as const;

export function isKnownAuditAction(action: string): action is (typeof auditActions)[number] {
  return (auditActions as readonly string[]).includes(action);
}

export function isKnownTargetType(type: string): type is (typeof auditTargetTypes)[number] {
  return (auditTargetTypes as readonly string[]).includes(type);
}
