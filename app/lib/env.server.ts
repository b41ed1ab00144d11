// Configuration comes from the environment and is validated once, at start-up: a wrong value
// stops the server with a message naming the variable. SESSION_SECRET, when absent, is generated
// on first start and kept in data/session-secret (never committed), so signed links stay valid
// across restarts.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { parseAllowList } from "./metrics-access.server";

/** A retention period: a whole number of months or days, at least 1 (retention cannot be switched off). */
const retention = (unit: "months" | "days", byDefault: number, max: number) => {
  const error = `must be a whole number of ${unit} from 1 to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(1, { error }).max(max, { error }).default(byDefault);
};

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /**
   * The interface to listen on. Loopback by default: the demo's accounts and passwords are
   * public, so a fresh `npm start` must not answer other machines. Set HOST=0.0.0.0 (or an
   * address) on a server, behind the proxy that terminates TLS.
   */
  HOST: z.string().min(1).default("127.0.0.1"),
  /**
   * The database: an SQLite file (`file:./data/app.db`, the default, embedded) or a PostgreSQL
   * server (`postgresql://user:password@host:5432/name`; docs/operations.md "SQLite or PostgreSQL").
   */
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "must be an SQLite file URL such as file:./data/app.db or a postgresql:// URL")
    .default("file:./data/app.db"),
  /** Connections each app process keeps to PostgreSQL for its raw statements (Prisma has its own pool of the same size). */
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** Survey and form posts larger than this are refused with 413. */
  MAX_FORM_BYTES: z.coerce.number().int().min(1024).default(64 * 1024),
  /** Complaint posts with photos may be this large. */
  MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).default(16 * 1024 * 1024),
  /** Where complaint photos are kept (never served as a folder). */
  UPLOAD_DIR: z.string().min(1).default("./data/uploads"),
  /**
   * Scheduled backups (docs/operations.md "Backups and restores"): the folder the app writes an
   * archive to every BACKUP_INTERVAL_HOURS, keeping the newest BACKUP_KEEP. Unset: no scheduled
   * backups. App processes sharing a database should share this folder (one backs up per interval).
   */
  BACKUP_DIR: z.string().min(1).optional(),
  /** Hours between two scheduled backups (fractions allowed, at least 0.01). */
  BACKUP_INTERVAL_HOURS: z.coerce.number().min(0.01).max(24 * 31).default(24),
  /** How many scheduled backups to keep; older ones are removed (manual and pre-migration ones never). */
  BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(14),
  /** Set to 1 behind a TLS-terminating proxy that sets X-Forwarded-For. */
  TRUST_PROXY: z.enum(["0", "1"]).default("0"),
  /** Set to 1 only for local HTTP testing of a production build. */
  INSECURE_COOKIES: z.enum(["0", "1"]).default("0"),
  /**
   * The address citizens reach the platform at (https://rate.example.gov.cn), printed in QR codes,
   * posters and tablet links. Unset: the address the office's browser used.
   */
  PUBLIC_ORIGIN: z
    .url({ protocol: /^https?$/, error: "must be an http(s) address such as https://rate.example.gov.cn" })
    .transform((u) => new URL(u).origin)
    .optional(),
  /**
   * Outgoing e-mail (issue 13): the SMTP server, e.g. smtp://127.0.0.1:2525 or
   * smtps://user:password@mail.example.gov.cn. Unset: no e-mail is sent (the notifications are
   * kept, marked "not configured"), and the app works as before.
   */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "must be an SMTP address such as smtp://127.0.0.1:2525" }).optional(),
  /** The sender of notification e-mails, e.g. "评价平台 <noreply@rate.example.gov.cn>". */
  MAIL_FROM: z.string().min(3).default("Public Satisfaction Platform <noreply@localhost>"),
  /** Set to "off" to keep notifications in the outbox without a dispatcher in this process. */
  NOTIFY_DISPATCHER: z.enum(["on", "off"]).default("on"),
  /**
   * Seconds between two rounds of the notification sweep (deadlines near and passed, invitations
   * to rate, daily digests); it runs with the dispatcher. Tests make it short.
   */
  NOTIFY_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /**
   * How long a dispatcher's claim on a message holds (longer than one send can take): after a
   * crash, its messages are sent again once it has passed. Tests make it short.
   */
  NOTIFY_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  /**
   * The Chromium that prints the period report to PDF (issue 14). Unset: /usr/bin/chromium or
   * /usr/bin/chromium-browser when present; without one the report page says to print from the
   * browser.
   */
  CHROMIUM_PATH: z.string().min(1).optional(),
  /**
   * Retention of personal data (issue 15, PIPL; docs/operations.md "Personal data retention").
   * Months after a complaint is closed or rejected before its contact details (name, phone, e-mail
   * and their lookup keys) are erased. No "off": PIPL wants a limit, so 1 to 120.
   */
  RETENTION_CONTACT_MONTHS: retention("months", 24, 120),
  /** Months after a complaint is closed or rejected before its photos (files and rows) are deleted; 1 to 120. */
  RETENTION_PHOTO_MONTHS: retention("months", 24, 120),
  /**
   * Months after an evaluation period is closed (frozen) before its responses' network hashes and
   * device ids are cleared, and after a complaint is closed or rejected before its own; 1 to 120.
   */
  RETENTION_NETWORK_MONTHS: retention("months", 12, 120),
  /** Days the scores API's call log (ApiCall) is kept; 1 to 3650. */
  RETENTION_API_CALL_DAYS: retention("days", 180, 3650),
  /** Days after a notification was sent, failed or skipped before its address or number and its text are erased; 1 to 3650. */
  RETENTION_NOTIFICATION_DAYS: retention("days", 30, 3650),
  /** "off" keeps the daily retention pass out of this process (then run `npm run retention -- --apply` daily). */
  RETENTION_JOB: z.enum(["on", "off"]).default("on"),
  /** How much the JSON log on stdout says (app/lib/log.server.ts): fatal, error, warn, info, debug, trace or silent. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /**
   * On SIGTERM the server finishes the requests in flight and exits; past this many seconds it
   * cuts what is left and exits 1 (server/shutdown.ts). Keep systemd's TimeoutStopSec above it.
   */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  /**
   * Turns on GET /metrics (Prometheus text format; docs/operations.md, "Monitoring"): the bearer
   * token a scraper sends (`Authorization: Bearer <token>`), at least 16 characters. Unset, /metrics
   * answers 404.
   */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /**
   * Addresses or CIDR ranges, comma-separated ("127.0.0.1, 10.20.0.0/16, fd00::/8"), that may read
   * /metrics without the token (a Prometheus on the same network). Only with METRICS_TOKEN set.
   */
  METRICS_ALLOW: z
    .string()
    .default("")
    .refine((v) => parseAllowList(v) !== null, "must be IP addresses or CIDR ranges separated by commas, e.g. 127.0.0.1,10.0.0.0/8"),
});

export type Env = Omit<z.infer<typeof schema>, "SESSION_SECRET"> & {
  SESSION_SECRET: string;
  /** Which database DATABASE_URL names. */
  DATABASE_KIND: "sqlite" | "postgres";
  /** Absolute path of the SQLite file ("" on PostgreSQL). */
  DATABASE_FILE: string;
};

/** Whether a database URL names a PostgreSQL server (else an SQLite file). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

let cached: Env | undefined;

/** Relative SQLite paths are relative to the project root (the folder npm scripts run in). */
export function resolveDatabaseFile(url: string, root = process.cwd()): string {
  const file = url.replace(/^file:/, "").replace(/\?.*$/, "");
  return path.resolve(root, file);
}

function loadSecret(dataDir: string): string {
  const file = path.join(dataDir, "session-secret");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  // wx: never overwrite a secret another process wrote first.
  try {
    fs.writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
    return secret;
  } catch {
    return fs.readFileSync(file, "utf8").trim();
  }
}

export function getEnv(source: NodeJS.ProcessEnv = process.env, root = process.cwd()): Env {
  if (cached && source === process.env) return cached;
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration in the environment:\n${lines.join("\n")}`);
  }
  const DATABASE_KIND = isPostgresUrl(parsed.data.DATABASE_URL) ? "postgres" : "sqlite";
  // Several app servers share one PostgreSQL database: a secret generated per machine would sign
  // sessions and links the other servers refuse.
  if (DATABASE_KIND === "postgres" && !parsed.data.SESSION_SECRET) {
    throw new Error("Invalid configuration in the environment:\n  SESSION_SECRET: must be set with a PostgreSQL DATABASE_URL (every app server needs the same one)");
  }
  const DATABASE_FILE = DATABASE_KIND === "sqlite" ? resolveDatabaseFile(parsed.data.DATABASE_URL, root) : "";
  const env: Env = {
    ...parsed.data,
    DATABASE_KIND,
    DATABASE_FILE,
    SESSION_SECRET:
      parsed.data.SESSION_SECRET ?? loadSecret(path.join(root, "data")),
  };
  if (source === process.env) cached = env;
  return env;
}
