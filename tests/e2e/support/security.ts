// Shared by the authorization matrix and the bad-input corpus: the app's route list, staff
// accounts signed in by creating their session directly, complaints, a photo and API tokens
// written straight into the worker's database. Nothing here goes through the forms under test.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { TestDb } from "./db";
import { createCookie } from "react-router";
import routeConfig from "../../../app/routes";
import { hashPassword } from "../../../app/lib/password.server";
import { projectRoot, TEST_SECRET } from "./paths";

const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");

export interface AppRoute {
  /** The pattern as app/routes.ts writes it, with a leading slash ("/" for the index). */
  pattern: string;
  file: string;
  /** Whether the route module exports an action (takes posts). */
  hasAction: boolean;
}

interface ConfigEntry {
  path?: string;
  index?: boolean;
  file: string;
  children?: ConfigEntry[];
}

/** Every route of app/routes.ts that answers a URL (layouts contribute their children). */
export function appRoutes(): AppRoute[] {
  const out: AppRoute[] = [];
  const walk = (entries: readonly ConfigEntry[], prefix: string) => {
    for (const e of entries) {
      const here = e.path ? `${prefix}/${e.path}`.replace(/\/+/g, "/") : prefix;
      if (e.path || e.index) {
        const source = fs.readFileSync(path.join(projectRoot, "app", e.file), "utf8");
        out.push({ pattern: here || "/", file: e.file, hasAction: /export\s+(async\s+)?function\s+action\b|export\s+const\s+action\b/.test(source) });
      }
      if (e.children) walk(e.children, here);
    }
  };
  walk(routeConfig as readonly ConfigEntry[], "");
  return out;
}

// The same signing as app/lib/staff-session.server.ts (only the name and the secret matter).
const sessionCookie = createCookie("sid", { path: "/", secrets: [TEST_SECRET] });
const sha256b64 = (s: string) => createHash("sha256").update(s).digest("base64url");

/** A new live session for the account; returns the Cookie header a browser would send. */
export async function sessionFor(db: TestDb, userId: number): Promise<string> {
  const id = randomBytes(32).toString("base64url");
  const now = new Date();
  db.prepare(`INSERT INTO Session (idHash, userId, createdAt, expiresAt) VALUES (?, ?, ?, ?)`).run(sha256b64(id), userId, iso(now), iso(new Date(now.getTime() + 3_600_000)));
  return (await sessionCookie.serialize(id)).split(";")[0]!;
}

let passwordHash: Promise<string> | undefined;

/** A staff account with the given roles (unit roles name their unit code), ready to use. */
export async function addStaff(db: TestDb, username: string, grants: { role: string; unit?: string }[]) {
  const existing = db.prepare(`SELECT id FROM StaffUser WHERE username = ?`).get(username) as { id: number } | undefined;
  let id = existing?.id;
  if (!id) {
    const now = iso(new Date());
    id = Number(
      db
        .prepare(`INSERT INTO StaffUser (username, displayName, passwordHash, mustChangePassword, active, createdAt, updatedAt) VALUES (?, ?, ?, FALSE, TRUE, ?, ?) RETURNING id`)
        .run(username, `Test ${username}`, await (passwordHash ??= hashPassword(randomBytes(12).toString("hex"))), now, now).lastInsertRowid,
    );
    for (const g of grants) {
      const unitId = g.unit ? unitIdOf(db, g.unit) : null;
      db.prepare(`INSERT INTO RoleGrant (userId, role, unitId, includeSubunits, createdAt) VALUES (?, ?, ?, FALSE, ?)`).run(id, g.role, unitId, now);
    }
  }
  return { id, cookie: await sessionFor(db, id) };
}

export function unitIdOf(db: TestDb, code: string): number {
  return (db.prepare(`SELECT id FROM Unit WHERE code = ?`).get(code) as { id: number }).id;
}

/**
 * A complaint as the citizen's form would have stored it (status submitted), or, with
 * `transferredTo`, one the complained-of unit has since passed to another unit.
 */
export function addComplaint(
  db: TestDb,
  opts: { reference: string; subject: string; type: string; transferredTo?: string; contact?: boolean },
): number {
  const existing = db.prepare(`SELECT id FROM Complaint WHERE reference = ?`).get(opts.reference) as { id: number } | undefined;
  if (existing) return existing.id;
  const now = new Date();
  const at = iso(now);
  const due = iso(new Date(now.getTime() + 7 * 86_400_000));
  const subjectId = unitIdOf(db, opts.subject);
  const unitId = opts.transferredTo ? unitIdOf(db, opts.transferredTo) : subjectId;
  const id = Number(
    db
      .prepare(
        `INSERT INTO Complaint (reference, accessCodeHash, unitId, subjectUnitId, type, status, description, lang, anonymous, contactName, contactPhone, consentAt, submittedAt, acceptDueAt, replyDueAt, createdAt, updatedAt)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'zh-Hans', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .run(
        opts.reference,
        randomBytes(16).toString("hex"),
        unitId,
        subjectId,
        opts.type,
        opts.transferredTo ? "transferred" : "submitted",
        `Test complaint ${opts.reference}`,
        opts.contact ? 0 : 1,
        opts.contact ? "Test Citizen" : null,
        opts.contact ? "+86 138 0000 0000" : null,
        at,
        at,
        due,
        due,
        at,
        at,
      ).lastInsertRowid,
  );
  const event = db.prepare(
    `INSERT INTO ComplaintEvent (complaintId, at, actorKind, action, fromStatus, toStatus, fromUnitId, toUnitId, visibility) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'public')`,
  );
  event.run(id, at, "citizen", "submit", null, "submitted", null, null);
  if (opts.transferredTo) event.run(id, at, "staff", "transfer", "submitted", "transferred", subjectId, unitId);
  return id;
}

/** A photo of a complaint, stored like the form stores one (a file under a random name). */
export function addPhoto(db: TestDb, uploadDir: string, complaintId: number): number {
  fs.mkdirSync(uploadDir, { recursive: true });
  const name = `${randomBytes(16).toString("hex")}.jpg`;
  // The bytes are not looked at when served; a JPEG's start is enough.
  const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]);
  fs.writeFileSync(path.join(uploadDir, name), bytes);
  return Number(
    db
      .prepare(`INSERT INTO ComplaintPhoto (complaintId, storedName, contentType, size, width, height, createdAt) VALUES (?, ?, 'image/jpeg', ?, 1, 1, ?) RETURNING id`)
      .run(complaintId, name, bytes.length, iso(new Date())).lastInsertRowid,
  );
}

// The same signing as app/lib/complaint-cookies.server.ts: what a browser holds after opening a
// complaint on /track with its reference and code (app/domain/track-proof.ts).
const trackedCookie = createCookie("tracked", { secrets: [TEST_SECRET] });

/** The Cookie header of that proof for one reference, made `at` (ms) or now; `secret` forges one. */
export async function trackProofCookie(reference: string, opts: { at?: number; secret?: string } = {}): Promise<string> {
  const cookie = opts.secret ? createCookie("tracked", { secrets: [opts.secret] }) : trackedCookie;
  return (await cookie.serialize({ ref: reference, at: opts.at ?? Date.now() })).split(";")[0]!;
}

/** An API token of the performance-evaluation system (hashed like app/models/api-token.server.ts). */
export function addToken(db: TestDb, name: string, revoked: boolean): string {
  const token = `cst_${randomBytes(30).toString("base64url")}`;
  const now = iso(new Date());
  db.prepare(`INSERT INTO ApiToken (name, tokenHash, prefix, createdAt, revokedAt) VALUES (?, ?, ?, ?, ?)`).run(
    name,
    createHash("sha256").update(token).digest("hex"),
    token.slice(0, 10),
    now,
    revoked ? now : null,
  );
  return token;
}

/** The tables a request can write to; a refused request must leave every count as it was. */
export const WRITTEN_TABLES = [
  "Rectification",
  "Appeal",
  "Response",
  "Answer",
  "ResponseFlag",
  "Complaint",
  "ComplaintEvent",
  "ComplaintPhoto",
  "ExtensionRequest",
  "FollowUpCall",
  "AuditEvent",
  "StaffUser",
  "RoleGrant",
  "Session",
  "Unit",
  "EvaluationPeriod",
  "Survey",
  "SurveyVersion",
  "Question",
  "ScoreSnapshot",
  "ApiToken",
  "KioskLink",
  "CalendarDay",
  "StaffNoticePref",
  "PeriodPublication",
] as const;

export function rowCounts(db: TestDb, tables: readonly string[] = WRITTEN_TABLES): Record<string, number> {
  return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n]));
}

/** Tables whose count changed between two snapshots, e.g. { Response: "3 → 4" }. */
export function countChanges(before: Record<string, number>, after: Record<string, number>): Record<string, string> {
  return Object.fromEntries(Object.keys(before).filter((t) => before[t] !== after[t]).map((t) => [t, `${before[t]} → ${after[t]}`]));
}
