// The process's Prometheus metrics (prom-client), read at GET /metrics (app/routes/ops/metrics.ts;
// docs/operations.md, "Monitoring"). One registry per process, kept on globalThis so development
// reloads do not register every metric twice. Everything is named civic_*.
//
// Counters and the request histogram move in memory (a few hundred nanoseconds, no database);
// the figures that live in the database (complaints, notifications, file sizes) are gauges set at
// scrape time by app/services/operations.server.ts. Label values come from fixed sets only (route
// patterns, statuses, flag names), never from what a client sent.
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import { caseStatuses } from "../domain/case-flow";
import { qualityFlags, type QualityFlag } from "../domain/quality";
import { RequestHistogram } from "./request-histogram";

export const METRIC_PREFIX = "civic_";

function create() {
  const registry = new Registry();
  // Process memory, CPU, open files, event-loop lag (nodejs_eventloop_lag_*), heap and GC.
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  const registers = [registry];
  const metrics = {
    registry,
    // The survey page's fast path answers in well under a millisecond; the score dashboard and
    // the PDF report take seconds.
    httpDuration: new RequestHistogram(
      `${METRIC_PREFIX}http_request_duration_seconds`,
      "HTTP requests by method, route pattern and status, with their duration (from the first byte read to the last byte written). Its _count is the number of requests.",
      [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ),
    submissionsAccepted: new Counter({
      name: `${METRIC_PREFIX}survey_submissions_accepted_total`,
      help: "Survey responses stored (committed), by channel (link, qr, kiosk, verified). A resend of the same response is not counted again.",
      labelNames: ["channel"] as const,
      registers,
    }),
    submissionsFlagged: new Counter({
      name: `${METRIC_PREFIX}survey_submissions_flagged_total`,
      help: "Stored survey responses that carry a quality flag, by flag (a response with two flags counts under each).",
      labelNames: ["reason"] as const,
      registers,
    }),
    submissionsRefused: new Counter({
      name: `${METRIC_PREFIX}survey_submissions_refused_total`,
      help: "Survey submissions not stored, by reason: repeat (the same device within the survey's window), code (the rating code was used or invalid), conflict (a resend with other answers).",
      labelNames: ["reason"] as const,
      registers,
    }),
    complaints: new Gauge({
      name: `${METRIC_PREFIX}complaints`,
      help: "Complaints by status, counted at scrape time.",
      labelNames: ["status"] as const,
      registers,
    }),
    complaintsOverdue: new Gauge({
      name: `${METRIC_PREFIX}complaints_overdue`,
      help: "Open complaints past their nearest deadline (acceptance or reply), counted at scrape time.",
      registers,
    }),
    notifications: new Gauge({
      name: `${METRIC_PREFIX}notifications`,
      help: "Notifications in the outbox by status: pending (not sent yet, including those waiting for a retry) and failed (given up), counted at scrape time.",
      labelNames: ["status"] as const,
      registers,
    }),
    notificationsOldestDue: new Gauge({
      name: `${METRIC_PREFIX}notifications_oldest_due_seconds`,
      help: "How long the oldest pending notification that is due has waited to be sent (0 when none is due). Growing: the dispatcher is stuck or the provider refuses.",
      registers,
    }),
    notificationSendFailures: new Counter({
      name: `${METRIC_PREFIX}notification_send_failures_total`,
      help: "Notification send attempts the channel's provider refused or that failed, by channel (email, sms).",
      labelNames: ["channel"] as const,
      registers,
    }),
    databaseBytes: new Gauge({
      name: `${METRIC_PREFIX}database_size_bytes`,
      help: "Size of the database: the SQLite file, or the PostgreSQL database as the server counts it.",
      registers,
    }),
    walBytes: new Gauge({
      name: `${METRIC_PREFIX}database_wal_size_bytes`,
      help: "Size of the SQLite write-ahead log (-wal file). It should shrink back at checkpoints; steady growth means a reader keeps it from being checkpointed. 0 on PostgreSQL, whose log belongs to the server.",
      registers,
    }),
    backupConfigured: new Gauge({
      name: `${METRIC_PREFIX}backup_configured`,
      help: "1 when scheduled backups are on (BACKUP_DIR is set), else 0.",
      registers,
    }),
    backupLastSuccess: new Gauge({
      name: `${METRIC_PREFIX}backup_last_success_timestamp_seconds`,
      help: "When the newest scheduled backup in BACKUP_DIR was taken (by any process sharing the folder), Unix time; 0 when there is none.",
      registers,
    }),
    backupLastFailure: new Gauge({
      name: `${METRIC_PREFIX}backup_last_failure_timestamp_seconds`,
      help: "When this process's last scheduled backup failed, Unix time; 0 when none has failed since it started.",
      registers,
    }),
  };
  registry.registerMetric(metrics.httpDuration as unknown as Parameters<Registry["registerMetric"]>[0]);
  // Every series exists from the start at 0, so rate() and "stopped" alerts work before the first event.
  for (const channel of ["link", "qr", "kiosk", "verified"]) metrics.submissionsAccepted.labels(channel).inc(0);
  for (const flag of qualityFlags) metrics.submissionsFlagged.labels(flag).inc(0);
  for (const reason of ["repeat", "code", "conflict"]) metrics.submissionsRefused.labels(reason).inc(0);
  for (const channel of ["email", "sms"]) metrics.notificationSendFailures.labels(channel).inc(0);
  for (const status of caseStatuses) metrics.complaints.labels(status).set(0);
  return metrics;
}

declare global {
  // One registry per process, also across development module reloads.
  var __metrics: ReturnType<typeof create> | undefined;
}

export const metrics = (globalThis.__metrics ??= create());

/** One finished request: `route` is a label from app/lib/route-label.ts, never a path. */
export function observeHttpRequest(method: string, route: string, status: number, seconds: number) {
  metrics.httpDuration.observe(`${method} ${status} ${route}`, () => ({ method, route, status: String(status) }), seconds);
}

/** A stored survey response (after its commit): counted as accepted, and under each quality flag. */
export function countSubmission(channel: string, flags: readonly QualityFlag[]) {
  metrics.submissionsAccepted.labels(channel).inc();
  for (const flag of flags) metrics.submissionsFlagged.labels(flag).inc();
}

export function countRefusedSubmission(reason: "repeat" | "code" | "conflict") {
  metrics.submissionsRefused.labels(reason).inc();
}

export function countNotificationFailure(channel: string) {
  metrics.notificationSendFailures.labels(channel === "sms" ? "sms" : "email").inc();
}

/** The scrape-time figures (app/services/operations.server.ts). */
export interface ScrapeFigures {
  complaintsByStatus: Record<string, number>;
  complaintsOverdue: number;
  notificationsPending: number;
  notificationsFailed: number;
  notificationsOldestDueSeconds: number;
  databaseBytes: number;
  walBytes: number;
  backup: { configured: boolean; lastSuccessAt: Date | null; lastFailureAt: Date | null };
}

export function setScrapeFigures(f: ScrapeFigures) {
  for (const status of new Set<string>([...caseStatuses, ...Object.keys(f.complaintsByStatus)])) {
    metrics.complaints.labels(status).set(f.complaintsByStatus[status] ?? 0);
  }
  metrics.complaintsOverdue.set(f.complaintsOverdue);
  metrics.notifications.labels("pending").set(f.notificationsPending);
  metrics.notifications.labels("failed").set(f.notificationsFailed);
  metrics.notificationsOldestDue.set(f.notificationsOldestDueSeconds);
  metrics.databaseBytes.set(f.databaseBytes);
  metrics.walBytes.set(f.walBytes);
  const seconds = (d: Date | null) => (d ? d.getTime() / 1000 : 0);
  metrics.backupConfigured.set(f.backup.configured ? 1 : 0);
  metrics.backupLastSuccess.set(seconds(f.backup.lastSuccessAt));
  metrics.backupLastFailure.set(seconds(f.backup.lastFailureAt));
}

/** The Prometheus text exposition of every metric of the process. */
export function metricsText(): Promise<string> {
  return metrics.registry.metrics();
}

export const METRICS_CONTENT_TYPE = metrics.registry.contentType;
