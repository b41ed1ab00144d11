// The bad-input corpus: malformed and hostile requests, generated from the tables below, against
// every form (every route with an action), every API route, and — for methods, ids and headers —
// every route of app/routes.ts. Staff forms are posted with a signed-in session of the role that
// may use them, so refusals are checked past the guards. For each request: no 5xx, no stack
// trace or internal path in the answer, the server still answers /healthz, and a refused request
// left no row behind. A route with an action (or an API route) missing from the tables fails the
// first test, by name.
import fs from "node:fs";
import type { TestDb } from "./support/db";
import { expect, test } from "./support/fixtures";
import { projectRoot } from "./support/paths";
import { type RawRequest, type RawResponse, rawRequest } from "./support/raw-http";
import { addRatingCodeBatch } from "./support/rating-codes";
import { ratingToken } from "./support/rating-followup";
import { addHandlingAppeal, addRectification, rateComplaint } from "./support/rectification";
import { addComplaint, addPhoto, addStaff, addToken, appRoutes, countChanges, rowCounts, sessionFor, trackProofCookie } from "./support/security";

const SLUG = "satisfaction-2026";
const CASE = "TS-2026-910001";
/** A case of C01 with a handling rating (an appeal may name it). */
const RATED_CASE = "TS-2026-910002";
const DRAFT_PERIOD = "BADINPUT";

/** "fresh": a new session of the unit staff account; "newStaff": a new unit staff account. */
type Who = "none" | "staff" | "head" | "office" | "admin" | "token" | "fresh" | "newStaff";

interface World {
  cookies: Record<"staff" | "head" | "office" | "admin", string>;
  staffId: number;
  token: string;
  revoked: string;
  photo: number;
  /** The Cookie header of a browser that opened CASE on /track (its photos' proof). */
  trackProof: string;
  /** A revoked rating-code batch of C01: revoking it again is refused, whatever the reason says. */
  batch: number;
  /** The demo survey's published definition, as the office exports it (for hostile imports). */
  definition: Record<string, unknown>;
  /** 差评整改 and 申诉 (issue 14): an open record of C01 and a pending appeal of C01. */
  rectification: number;
  appeal: number;
}

const worlds = new Map<string, Promise<World>>();
function world(db: TestDb, server: { url: string; dbFile: string; uploadDir: string }): Promise<World> {
  let w = worlds.get(server.dbFile);
  if (!w) {
    w = (async () => {
      const staff = await addStaff(db, "badinput.c01.staff", [{ role: "unit_staff", unit: "C01" }]);
      const head = await addStaff(db, "badinput.c01.head", [{ role: "unit_head", unit: "C01" }]);
      const office = await addStaff(db, "badinput.office", [{ role: "office" }]);
      const admin = await addStaff(db, "badinput.admin", [{ role: "admin" }]);
      const caseId = addComplaint(db, { reference: CASE, subject: "C01", type: "slow_action" });
      const ratedCaseId = addComplaint(db, { reference: RATED_CASE, subject: "C01", type: "attitude" });
      rateComplaint(db, ratedCaseId, 1);
      // A draft period: closing it is refused (409), whatever its confirmation field holds.
      const at = new Date().toISOString().replace("Z", "+00:00");
      db.prepare(`INSERT OR IGNORE INTO EvaluationPeriod (code, names, startsOn, endsOn, status, createdAt, updatedAt) VALUES (?, ?, ?, ?, 'draft', ?, ?)`).run(
        DRAFT_PERIOD,
        JSON.stringify({ en: "Bad input" }),
        "2027-01-01T00:00:00.000+00:00",
        "2027-12-31T00:00:00.000+00:00",
        at,
        at,
      );
      const exported = await fetch(`${server.url}/staff/surveys/${SLUG}/export.json`, { headers: { cookie: office.cookie } });
      if (!exported.ok) throw new Error(`export of ${SLUG}: ${exported.status}`);
      return {
        definition: (await exported.json()) as Record<string, unknown>,
        cookies: { staff: staff.cookie, head: head.cookie, office: office.cookie, admin: admin.cookie },
        staffId: staff.id,
        token: addToken(db, "bad-input", false),
        revoked: addToken(db, "bad-input revoked", true),
        photo: addPhoto(db, server.uploadDir, caseId),
        trackProof: await trackProofCookie(CASE),
        batch: addRatingCodeBatch(db, { unit: "C01", revoked: true }).batchId,
        rectification: addRectification(db, { unit: "C01", itemKey: "badinput-item" }),
        appeal: addHandlingAppeal(db, { unit: "C01", complaintId: ratedCaseId, evidence: "bad-input appeal", filedBy: head.id }),
      };
    })();
    worlds.set(server.dbFile, w);
  }
  return w;
}

// ─── Forms: every route with an action ─────────────────────────────────────────────────────────
// `base` is a body the action refuses whatever the targets hold (a required field left out, an
// impossible choice, a stale revision), so no hostile value can make it store anything; the
// hostile values go into `targets` and run through the form's parser first.
interface Form {
  route: string;
  path: string;
  who: Who;
  multipart?: boolean;
  /** Targets sent as file parts in multipart bodies. */
  files?: string[];
  base: Record<string, string>;
  targets: string[];
  /** The action takes any post (signing out): answered 3xx, not refused. */
  accepts?: boolean;
  /** Body limit of the route (app/lib/http.server.ts bodyLimitFor). */
  limit?: number;
}

const FORM_LIMIT = 64 * 1024;
const answersWithoutOverall = { q_efficiency: "4", q_attitude: "4", q_transparency: "4", q_integrity: "4", q_guidance: "4" };
const surveyTargets = ["q_efficiency", "q_visits", "q_channels", "q_comment", "started", "visit", "website", "submissionId", "finishedAt"];
// Step 2 without a valid ticket (r): refused (410) whatever the detail holds.
const detailTargets = ["r", "q_guidance", "q_visits", "q_channels", "q_comment", "submissionId", "finishedAt", "website"];
const names = ["name_zh-Hans", "name_ug", "name_kk", "name_en"];

const FORMS: Form[] = [
  { route: "/s/:slug", path: `/s/${SLUG}?unit=C01`, who: "none", base: answersWithoutOverall, targets: surveyTargets },
  { route: "/s/:slug/thanks", path: `/s/${SLUG}/thanks?unit=C01`, who: "none", base: { q_guidance: "4" }, targets: detailTargets },
  // The opt-out: only a token signed by the server stops anything.
  { route: "/notify/stop", path: "/notify/stop", who: "none", base: {}, targets: ["t"] },
  {
    route: "/complaints/new",
    path: "/complaints/new",
    who: "none",
    multipart: true,
    files: ["photos"],
    // No consent: refused, however good the rest.
    base: { unit: "C01", type: "slow_action", description: "The permit took six weeks although the rules say ten days.", anonymous: "yes" },
    targets: ["unit", "type", "description", "when", "where", "contactName", "contactPhone", "contactEmail", "photos", "rating"],
    limit: 16 * 1024 * 1024,
  },
  { route: "/track", path: "/track", who: "none", base: { reference: "TS-2026-999998", code: "ABCD-EFGH-JKLM" }, targets: ["reference", "code", "intent", "grade", "note"] },
  // Citizens' links: a rating without a link the server signed changes nothing; "I lost my code"
  // posted without its own intent is refused whatever the contact.
  { route: "/track/open", path: "/track/open", who: "none", base: { intent: "rate", grade: "5" }, targets: ["t", "intent", "grade", "note"] },
  // Deleting the contact details (issue 15): confirmed, but without a link the server signed.
  { route: "/track/open", path: "/track/open", who: "none", base: { intent: "forget_contact", confirm: "1" }, targets: ["t", "confirm"] },
  { route: "/track/lost", path: "/track/lost", who: "none", base: { intent: "not-the-form" }, targets: ["contact"] },
  { route: "/staff/login", path: "/staff/login?next=/staff", who: "none", base: { username: "badinput.nobody", password: "not the password" }, targets: ["username", "password"] },
  { route: "/staff/logout", path: "/staff/logout", who: "fresh", base: {}, targets: ["intent"], accepts: true },
  // Each post from a new account: a few wrong current passwords lock an account (429), and the
  // hostile values should reach the form's parser every time.
  { route: "/staff/password", path: "/staff/password", who: "newStaff", base: { current: "not the password" }, targets: ["current", "password", "repeat"] },
  { route: "/staff/calendar", path: "/staff/calendar", who: "office", base: { intent: "day", kind: "no-such-kind" }, targets: ["date"] },
  { route: "/staff/calendar", path: "/staff/calendar", who: "office", base: { intent: "rule", type: "no-such-type" }, targets: ["acceptDays", "replyDays", "maxExtensionDays"] },
  // Transfers to a unit that is not there: refused after the whole form was read.
  { route: "/staff/cases/:reference", path: `/staff/cases/${CASE}`, who: "head", base: { intent: "transfer" }, targets: ["toUnit", "note", "days"] },
  // A call-back record without an outcome: refused after every field went through the form's parser.
  { route: "/staff/cases/:reference", path: `/staff/cases/${CASE}`, who: "head", base: { intent: "follow_up", method: "phone" }, targets: ["calledAt", "note"] },
  { route: "/staff/scores/:unitCode", path: "/staff/scores/C01", who: "office", base: { intent: "hide_comment", id: "not-an-id" }, targets: ["reason"] },
  { route: "/staff/scores/:unitCode", path: "/staff/scores/C01", who: "office", base: { intent: "exclude_response", reason: "x" }, targets: ["id"] },
  { route: "/staff/periods", path: "/staff/periods", who: "office", base: { startsOn: "2026-06-01", endsOn: "2026-01-01" }, targets: ["code", "startsOn", ...names] },
  { route: "/staff/periods/:code", path: "/staff/periods/2026", who: "office", base: { intent: "recompute", label: "x" }, targets: ["reason"] },
  {
    route: "/staff/periods/:code",
    path: "/staff/periods/2026",
    who: "office",
    base: { intent: "params", maxPoints: "0" },
    targets: [
      "p5",
      "p4",
      "p3",
      "p2",
      "p1",
      "surveyWeight",
      "timelinessWeight",
      "minSample",
      "confidence",
      "excludingFlags",
      "ratingInviteDays",
      "assumeSatisfied",
      "assumeSatisfiedDays",
      "followUpDays",
      "reportThreshold",
      "rectificationDays",
      "confirm",
      "paramsRevision",
    ],
  },
  // A confirmed parameters step is refused (409) unless it names the revision of the parameters
  // stored now (a hash no hostile value is): valid parameters, so the revision itself is read.
  {
    route: "/staff/periods/:code",
    path: "/staff/periods/2026",
    who: "office",
    base: {
      intent: "params",
      confirm: "1",
      p5: "100",
      p4: "80",
      p3: "60",
      p2: "30",
      p1: "0",
      surveyWeight: "0.7",
      timelinessWeight: "0.5",
      maxPoints: "20",
      minSample: "30",
      confidence: "0.95",
      verifiedWeight: "1",
      ratingInviteDays: "3",
      assumeSatisfiedDays: "5",
      followUpDays: "5",
      reportThreshold: "60",
      rectificationDays: "15",
    },
    targets: ["paramsRevision"],
  },
  // The confirmation field of the safeguarded actions (app/domain/confirmation.ts): each base is
  // refused whatever it holds (a draft period cannot close, the region has active sub-units, a
  // stale editor revision).
  { route: "/staff/periods/:code", path: `/staff/periods/${DRAFT_PERIOD}`, who: "office", base: { intent: "close" }, targets: ["confirm"] },
  // Publishing a draft period is refused (409) whatever snapshot the post names; a withdrawal of a
  // period never published too, whatever the reason.
  { route: "/staff/periods/:code", path: `/staff/periods/${DRAFT_PERIOD}`, who: "office", base: { intent: "publish", snapshot: "1" }, targets: ["snapshot"] },
  { route: "/staff/periods/:code", path: `/staff/periods/${DRAFT_PERIOD}`, who: "office", base: { intent: "withdraw", withdrawReason: "x" }, targets: ["withdrawReason"] },
  { route: "/staff/tokens", path: "/staff/tokens", who: "office", base: { intent: "revoke" }, targets: ["id"] },
  { route: "/staff/reviewers", path: "/staff/reviewers", who: "office", base: { intent: "grant" }, targets: ["userId"] },
  { route: "/staff/units", path: "/staff/units", who: "admin", base: { kind: "no-such-kind", parent: "REG" }, targets: ["code", "parent", ...names] },
  { route: "/staff/units/:code", path: "/staff/units/C01", who: "admin", base: { intent: "rename", name_en: "" }, targets: ["name_zh-Hans", "name_ug", "name_kk"] },
  { route: "/staff/units/:code", path: "/staff/units/C01", who: "admin", base: { intent: "move" }, targets: ["parent"] },
  { route: "/staff/units/:code", path: "/staff/units/REG", who: "admin", base: { intent: "deactivate" }, targets: ["confirm"] },
  { route: "/staff/accounts", path: "/staff/accounts", who: "admin", base: { role: "no-such-role" }, targets: ["username", "displayName", "grant_0_role", "grant_0_unit"] },
  // An intent that is not "retry": refused whatever the id holds.
  { route: "/staff/notifications", path: "/staff/notifications", who: "admin", base: { intent: "resend-all" }, targets: ["id"] },
  // A staff account's own notifications: an unknown intent marks nothing read; settings without a
  // language (or with a choice that does not exist) change nothing.
  { route: "/staff/inbox", path: "/staff/inbox", who: "staff", base: { intent: "unread-all" }, targets: ["id"] },
  { route: "/staff/inbox/settings", path: "/staff/inbox/settings", who: "staff", base: { lang: "xx" }, targets: ["email", "phone", "mode_staff_case_new", "mode_staff_case_overdue"] },
  {
    route: "/staff/accounts/:id",
    path: "/staff/accounts/{staffId}",
    who: "admin",
    base: { intent: "update", revision: "stale", role: "no-such-role" },
    targets: ["username", "displayName", "grant_0_role", "grant_0_unit", "drawnAt"],
  },
  { route: "/staff/surveys", path: "/staff/surveys", who: "office", base: { intent: "create", period: "no-such-period" }, targets: ["slug"], limit: 2 * 1024 * 1024 },
  { route: "/staff/surveys", path: "/staff/surveys", who: "office", multipart: true, files: ["file"], base: { intent: "import" }, targets: ["file", "importSlug"], limit: 2 * 1024 * 1024 },
  {
    route: "/staff/surveys/:slug",
    path: `/staff/surveys/${SLUG}`,
    who: "office",
    // A save from a page that was never drawn is refused as stale, after the editor was read.
    base: { intent: "save", revision: "stale" },
    targets: ["titles.zh-Hans", "questions.count", "questions.0.key", "questions.0.kind", "questions.0.options.count", "questions.0.condition", "questions.0.step", "period", "opensOn", "repeatWindowHours", "minSeconds"],
    limit: 2 * 1024 * 1024,
  },
  { route: "/staff/surveys/:slug", path: `/staff/surveys/${SLUG}`, who: "office", base: { intent: "remove:0", revision: "stale" }, targets: ["confirm"], limit: 2 * 1024 * 1024 },
  { route: "/staff/surveys/:slug", path: `/staff/surveys/${SLUG}`, who: "office", base: { intent: "publish", revision: "stale" }, targets: ["confirm"], limit: 2 * 1024 * 1024 },
  { route: "/staff/surveys/:slug/distribution", path: `/staff/surveys/${SLUG}/distribution`, who: "office", base: { intent: "create", unit: "ZZ99" }, targets: ["label"] },
  { route: "/staff/surveys/:slug/distribution", path: `/staff/surveys/${SLUG}/distribution`, who: "office", base: { intent: "revoke", reason: "x" }, targets: ["id"] },
  { route: "/staff/surveys/:slug/preview/frame", path: `/staff/surveys/${SLUG}/preview/frame`, who: "office", base: answersWithoutOverall, targets: surveyTargets },
  // Rating codes: lifetimes out of range, so nothing is issued; a batch already revoked.
  { route: "/staff/codes", path: "/staff/codes", who: "head", base: { intent: "counter", unit: "C01", survey: SLUG, hours: "0" }, targets: ["survey", "after"] },
  { route: "/staff/codes", path: "/staff/codes", who: "head", base: { intent: "sheet", unit: "C01", survey: SLUG, days: "0" }, targets: ["size", "label", "after"] },
  { route: "/staff/codes/:batchId", path: "/staff/codes/{batch}", who: "head", base: { intent: "revoke" }, targets: ["reason"] },
  // Anomalies: a reason too short, or a flag the office may not lift, refuses the whole action.
  { route: "/staff/anomalies/:unitCode/:day", path: "/staff/anomalies/C01/2026-11-12", who: "office", base: { intent: "exclude", cluster: "all", seen: "1", reason: "x" }, targets: ["cluster", "seen", "flag", "intent"] },
  { route: "/staff/anomalies/:unitCode/:day", path: "/staff/anomalies/C01/2026-11-12", who: "office", base: { intent: "reinstate", cluster: "all", seen: "1", flag: "honeypot" }, targets: ["reason", "cluster", "seen"] },
  // 差评整改 (issue 14): opening something that is no candidate; a submission without measures; a
  // return of a record that is still open (409) or with a decision that does not exist.
  { route: "/staff/rectifications", path: "/staff/rectifications", who: "office", base: { period: "2026", unit: "C01", subject: "item:no-such-item" }, targets: ["period", "unit", "subject"] },
  { route: "/staff/rectifications/:id", path: "/staff/rectifications/{rect}", who: "head", base: { intent: "submit", measures: "" }, targets: ["cause", "intent"] },
  { route: "/staff/rectifications/:id", path: "/staff/rectifications/{rect}", who: "office", base: { intent: "decide", decision: "return" }, targets: ["note", "decision"] },
  // 申诉: a decision that does not exist; an appeal without valid grounds.
  { route: "/staff/appeals/:id", path: "/staff/appeals/{appeal}", who: "office", base: { decision: "maybe" }, targets: ["note"] },
  // A reversal of an appeal still pending: refused (409) whatever the reason says.
  { route: "/staff/appeals/:id", path: "/staff/appeals/{appeal}", who: "office", base: { intent: "reverse" }, targets: ["note"] },
  { route: "/staff/appeals/new", path: "/staff/appeals/new", who: "head", base: { case: RATED_CASE, grounds: "spite" }, targets: ["evidence", "case", "unit", "period", "comment"] },
];

// ─── Every route, with concrete parameters (methods, headers and ids run over these) ─────────────
const URLS: Record<string, { path: string; who: Who }> = {
  "/": { path: "/?q=C01", who: "none" },
  "/u/:code": { path: "/u/C01", who: "none" },
  "/results": { path: "/results", who: "none" },
  "/units/:code": { path: "/units/C01", who: "none" },
  "/method": { path: "/method", who: "none" },
  "/sitemap.xml": { path: "/sitemap.xml", who: "none" },
  "/robots.txt": { path: "/robots.txt", who: "none" },
  "/s/:slug": { path: `/s/${SLUG}?unit=C01`, who: "none" },
  "/s/:slug/thanks": { path: `/s/${SLUG}/thanks?unit=C01`, who: "none" },
  "/notify/stop": { path: "/notify/stop", who: "none" },
  "/complaints/new": { path: "/complaints/new?unit=C01", who: "none" },
  "/complaints/filed": { path: "/complaints/filed", who: "none" },
  "/track": { path: "/track", who: "none" },
  "/track/open": { path: "/track/open", who: "none" },
  "/track/mine": { path: "/track/mine", who: "none" },
  "/track/lost": { path: "/track/lost", who: "none" },
  "/staff": { path: "/staff", who: "head" },
  "/staff/overdue": { path: "/staff/overdue", who: "office" },
  "/staff/calendar": { path: "/staff/calendar", who: "office" },
  "/staff/cases/:reference": { path: `/staff/cases/${CASE}`, who: "head" },
  "/staff/scores": { path: "/staff/scores", who: "office" },
  "/staff/scores/:unitCode": { path: "/staff/scores/C01", who: "head" },
  "/staff/periods": { path: "/staff/periods", who: "office" },
  "/staff/periods/:code": { path: "/staff/periods/2026", who: "office" },
  "/staff/tokens": { path: "/staff/tokens", who: "office" },
  "/staff/reviewers": { path: "/staff/reviewers", who: "office" },
  "/staff/units": { path: "/staff/units", who: "admin" },
  "/staff/units/:code": { path: "/staff/units/C01", who: "admin" },
  "/staff/accounts": { path: "/staff/accounts", who: "admin" },
  "/staff/accounts/:id": { path: "/staff/accounts/{staffId}", who: "admin" },
  "/staff/audit": { path: "/staff/audit", who: "office" },
  "/staff/notifications": { path: "/staff/notifications", who: "admin" },
  "/staff/inbox": { path: "/staff/inbox", who: "staff" },
  "/staff/inbox/settings": { path: "/staff/inbox/settings", who: "staff" },
  "/staff/surveys": { path: "/staff/surveys", who: "office" },
  "/staff/surveys/:slug": { path: `/staff/surveys/${SLUG}`, who: "office" },
  "/staff/surveys/:slug/preview": { path: `/staff/surveys/${SLUG}/preview`, who: "office" },
  "/staff/surveys/:slug/history": { path: `/staff/surveys/${SLUG}/history`, who: "office" },
  "/staff/surveys/:slug/results": { path: `/staff/surveys/${SLUG}/results`, who: "head" },
  "/staff/surveys/:slug/distribution": { path: `/staff/surveys/${SLUG}/distribution`, who: "office" },
  "/staff/surveys/:slug/posters": { path: `/staff/surveys/${SLUG}/posters?unit=C01`, who: "office" },
  "/staff/login": { path: "/staff/login", who: "none" },
  "/staff/logout": { path: "/staff/logout", who: "fresh" },
  "/staff/password": { path: "/staff/password", who: "staff" },
  "/staff/cases/:reference/photos/:photoId": { path: `/staff/cases/${CASE}/photos/{photo}`, who: "head" },
  "/track/:reference/photos/:photoId": { path: `/track/${CASE}/photos/{photo}`, who: "none" },
  "/staff/periods/:code/responses.csv": { path: "/staff/periods/2026/responses.csv", who: "office" },
  "/staff/periods/:code/scores.csv": { path: "/staff/periods/2026/scores.csv", who: "office" },
  "/staff/rectifications": { path: "/staff/rectifications", who: "office" },
  "/staff/rectifications/:id": { path: "/staff/rectifications/{rect}", who: "head" },
  "/staff/appeals": { path: "/staff/appeals", who: "office" },
  "/staff/appeals/:id": { path: "/staff/appeals/{appeal}", who: "office" },
  "/staff/appeals/new": { path: `/staff/appeals/new?case=${RATED_CASE}`, who: "head" },
  "/staff/periods/:code/report": { path: "/staff/periods/2026/report", who: "office" },
  "/staff/periods/:code/report.pdf": { path: "/staff/periods/2026/report.pdf", who: "office" },
  "/staff/surveys/:slug/preview/frame": { path: `/staff/surveys/${SLUG}/preview/frame`, who: "office" },
  "/staff/surveys/:slug/export.json": { path: `/staff/surveys/${SLUG}/export.json`, who: "office" },
  "/staff/surveys/:slug/results.csv": { path: `/staff/surveys/${SLUG}/results.csv`, who: "head" },
  "/staff/surveys/:slug/qr/:file": { path: `/staff/surveys/${SLUG}/qr/C01.svg`, who: "office" },
  "/api/v1/units": { path: "/api/v1/units", who: "none" },
  "/api/v1/periods": { path: "/api/v1/periods", who: "token" },
  "/api/v1/periods/:id/scores": { path: "/api/v1/periods/2026/scores", who: "token" },
  "/staff/codes": { path: "/staff/codes", who: "head" },
  "/staff/codes/:batchId": { path: "/staff/codes/{batch}", who: "head" },
  "/staff/anomalies": { path: "/staff/anomalies?unit=C01&from=2026-11-01&to=2026-11-30", who: "office" },
  "/staff/anomalies/:unitCode/:day": { path: "/staff/anomalies/C01/2026-11-12?period=2026", who: "office" },
  "/healthz": { path: "/healthz", who: "none" },
  // Operations (issue 15): /metrics is off on the test server (no METRICS_TOKEN); /readyz is open.
  "/metrics": { path: "/metrics", who: "none" },
  "/readyz": { path: "/readyz", who: "none" },
  "/*": { path: "/no/such/page", who: "none" },
};
const API_ROUTES = Object.keys(URLS).filter((r) => r.startsWith("/api/"));

// ─── Hostile values ─────────────────────────────────────────────────────────────────────────────
// `text` values are URL-encoded (or written into multipart parts) as given; `raw` values go into a
// URL-encoded body byte for byte (broken escapes, bytes that are not UTF-8).
type Value = { name: string; text?: string; raw?: string };
const ENCODINGS: Value[] = [
  { name: "invalid percent escape", raw: "%ZZ%4" },
  { name: "truncated UTF-8 escape", raw: "%E4%B8" },
  { name: "overlong UTF-8 (/ and .)", raw: "%C0%AF%C0%AE%E0%80%AF" },
  { name: "UTF-16 surrogate as UTF-8", raw: "%ED%A0%80%ED%B0%80" },
  { name: "bytes that are never UTF-8", raw: "%FF%FE%FD%F8" },
  { name: "raw high bytes", raw: "\xff\xfe\xc3" },
  { name: "NUL bytes", text: "a\u0000b\u0000" },
  { name: "control characters", text: "\u0001\u0007\u001b[31mred\u007f" },
  { name: "right-to-left override", text: "\u202Egnp.exe\u202C report" },
  { name: "mixed scripts and lookalikes", text: "С01 Ａｄｍｉｎ ئادمىن 管理员 Ⅽ01" },
  { name: "zero-width and BOM", text: "\u200B\u200D\uFEFFC01\u2060" },
  { name: "astral characters", text: "😀𝕏𠀀" },
  { name: "combining marks", text: `e${"\u0301".repeat(300)}` },
];
const INJECTIONS: Value[] = [
  { name: "SQL quote", text: "' OR '1'='1' --" },
  { name: "SQL statement", text: "1; DROP TABLE Response; --" },
  { name: "HTML script", text: "<script>alert(1)</script>" },
  { name: "HTML attribute break", text: "\"><img src=x onerror=alert(1)>" },
  { name: "template expressions", text: "{{7*7}}${7*7}<%= 7*7 %>#{7*7}" },
  { name: "path traversal", text: "../../../../etc/passwd" },
  { name: "encoded path traversal", raw: "..%252f..%252fetc%252fpasswd%00.jpg" },
  { name: "CRLF header injection", text: "a\r\nSet-Cookie: sid=evil\r\nLocation: http://evil.example/" },
  { name: "prototype keys", text: "__proto__" },
  { name: "JSON operator", text: '{"$ne":null,"__proto__":{"admin":true}}' },
  { name: "format string", text: "%s%s%n%x%d" },
];
/** Ids: overflow, sign, zero, padding, beyond 2^53, hex, empty, fractions. */
const IDS = ["1e300", "-1", "0", "00001", "9007199254740993", "0x1F", "", "1.5", "NaN", "Infinity", "99999999999999999999999", "1%00"];
/**
 * Ids a post may carry: only those that can name no real row. "00001" and "0x1F" are rows 1 and
 * 31 to Number(), rightly, and acting on them would change other tests' accounts and tokens.
 */
const POST_IDS = IDS.filter((id) => !(Number.isSafeInteger(Number(id)) && Number(id) > 0));

// ─── Building bodies ────────────────────────────────────────────────────────────────────────────
const enc = (s: string) => encodeURIComponent(s);
function urlencoded(fields: [string, string | { raw: string }][]): string {
  return fields.map(([k, v]) => `${enc(k)}=${typeof v === "string" ? enc(v) : v.raw}`).join("&");
}
const BOUNDARY = "----badinput7MA4YWxkTrZu0gW";
/** A multipart body; values are text (sent as UTF-8) or bytes; `files` names go as file parts. */
function multipart(fields: [string, string | Buffer][], files: Set<string>, boundary = BOUNDARY): Buffer {
  const parts = fields.flatMap(([k, v]) => [
    Buffer.from(
      files.has(k)
        ? `--${boundary}\r\nContent-Disposition: form-data; name="${k}"; filename="../../x.json"\r\nContent-Type: application/octet-stream\r\n\r\n`
        : `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n`,
      "utf8",
    ),
    typeof v === "string" ? Buffer.from(v, "utf8") : v,
    Buffer.from("\r\n"),
  ]);
  return Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]);
}

/** The form's own encoding of base + targets set to the value. */
function formBody(
  form: Form,
  value: Value | null,
  opts: { twice?: boolean; extra?: [string, string][]; omitTargets?: boolean; firstTargetOnly?: boolean } = {},
): { type: string; body: Buffer } {
  const fields: [string, string | { raw: string }][] = Object.entries(form.base);
  if (!opts.omitTargets && value) {
    for (const t of opts.firstTargetOnly ? form.targets.slice(0, 1) : form.targets) {
      const v = value.raw !== undefined ? { raw: value.raw } : value.text!;
      fields.push([t, v]);
      if (opts.twice) fields.push([t, typeof v === "string" ? `${v}-again` : v]);
    }
  }
  for (const e of opts.extra ?? []) fields.push(e);
  if (form.multipart) {
    const parts = fields.map(([k, v]): [string, string | Buffer] => [k, typeof v === "string" ? v : bytesOfEscapes(v.raw)]);
    return { type: `multipart/form-data; boundary=${BOUNDARY}`, body: multipart(parts, new Set(form.files ?? [])) };
  }
  return { type: "application/x-www-form-urlencoded", body: Buffer.from(urlencoded(fields), "latin1") };
}
/** Multipart parts carry bytes, not escapes: the bytes the escapes stand for, broken or not. */
function bytesOfEscapes(s: string): Buffer {
  return Buffer.from(s.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1");
}

// ─── The corpus ─────────────────────────────────────────────────────────────────────────────────
interface Case {
  group: string;
  name: string;
  who: Who;
  request: (w: World) => RawRequest;
  /** A post the route takes from anyone (signing out): 3xx is not a failure to refuse. */
  accepts?: boolean;
  /** The server may close the connection without an answer (a body that never arrives). */
  mayHangUp?: boolean;
  /** Statuses this request must get, when the rule is that precise. */
  expect?: number[];
  /** The Allow header a 405 must carry (true: any). */
  allow?: string | true;
}

const fill = (path: string, w: World) =>
  path.replace("{staffId}", String(w.staffId)).replace("{photo}", String(w.photo)).replace("{batch}", String(w.batch)).replace("{rect}", String(w.rectification)).replace("{appeal}", String(w.appeal));
const post = (path: string, type: string | null, body: Buffer | string, extraHeaders: [string, string][] = []): ((w: World) => RawRequest) => (w) => ({
  method: "POST",
  path: fill(path, w),
  headers: [...(type === null ? [] : ([["Content-Type", type]] as [string, string][])), ...extraHeaders],
  body,
});

const corpus: Case[] = [];
const add = (c: Case) => corpus.push(c);

for (const form of FORMS) {
  const label = `${form.route} [${Object.values(form.base).join(",") || "-"}]`;
  const limit = form.limit ?? FORM_LIMIT;
  const common = { who: form.who, accepts: form.accepts };
  const send = (name: string, group: string, r: (w: World) => RawRequest, extra: Partial<Case> = {}) => add({ group, name: `${label}: ${name}`, request: r, ...common, ...extra });
  const plain = (value: Value | null, opts?: Parameters<typeof formBody>[2]) => {
    const b = formBody(form, value, opts);
    return post(form.path, b.type, b.body);
  };

  for (const v of ENCODINGS) send(v.name, "encodings", plain(v));
  for (const v of INJECTIONS) send(v.name, "injection", plain(v));

  // Types: arrays where scalars are expected, missing and extra fields.
  send("every target twice (array for a scalar)", "types", plain({ name: "", text: "first" }, { twice: true }));
  send("bracketed array names", "types", plain(null, { extra: form.targets.flatMap((t): [string, string][] => [[`${t}[]`, "a"], [`${t}[0]`, "b"]]) }));
  send("targets missing", "types", plain(null, { omitTargets: true }));
  send("empty body", "types", post(form.path, form.multipart ? `multipart/form-data; boundary=${BOUNDARY}` : "application/x-www-form-urlencoded", ""));
  send("targets empty", "types", plain({ name: "", text: "" }));
  send("targets whitespace", "types", plain({ name: "", text: " \t \u3000 " }));
  send("numbers for text", "types", plain({ name: "", text: "1e300" }));
  send(
    "extra and prototype fields",
    "types",
    plain({ name: "", text: "x" }, { extra: [["__proto__[admin]", "1"], ["constructor[prototype][admin]", "1"], ["role", "admin"], ["intent", "publish"], ...Array.from({ length: 40 }, (_, i): [string, string] => [`extra${i}`, "1"])] }),
  );
  send("intent given twice", "types", plain({ name: "", text: "x" }, { extra: [["intent", "close"], ["intent", "discard"]] }));

  // Sizes: one field just within the body limit, and a body over it (413).
  const bigWithin = "A".repeat(Math.min(limit, 4 * 1024 * 1024) - 4096);
  send("huge field within the limit", "size", plain({ name: "", text: bigWithin }, { firstTargetOnly: true }));
  send("body over the limit", "size", plain({ name: "", text: "B".repeat(limit + 8192) }, { firstTargetOnly: true }), { expect: [413] });

  // Framing.
  const base = formBody(form, { name: "", text: "value" });
  send("multipart without a boundary", "framing", post(form.path, "multipart/form-data", multipart([["a", "b"]], new Set())));
  send("multipart with another boundary", "framing", post(form.path, `multipart/form-data; boundary=${BOUNDARY}`, multipart([["a", "b"]], new Set(), "other-boundary")));
  send("multipart of garbage", "framing", post(form.path, `multipart/form-data; boundary=${BOUNDARY}`, "\x00\xff garbage \r\n\r\n--"));
  send("multipart cut short", "framing", post(form.path, `multipart/form-data; boundary=${BOUNDARY}`, multipart(Object.entries(form.base), new Set()).subarray(0, 40)));
  send(
    "multipart part without a name",
    "framing",
    post(form.path, `multipart/form-data; boundary=${BOUNDARY}`, `--${BOUNDARY}\r\nContent-Type: text/plain\r\n\r\nvalue\r\n--${BOUNDARY}--\r\n`),
  );
  send(
    "multipart file where text is expected",
    "framing",
    post(form.path, `multipart/form-data; boundary=${BOUNDARY}`, multipart([...Object.entries(form.base), ...form.targets.map((t): [string, string] => [t, "<svg onload=alert(1)>"])], new Set(form.targets))),
  );
  send("JSON body", "framing", post(form.path, "application/json", JSON.stringify({ ...form.base, ...Object.fromEntries(form.targets.map((t) => [t, ["x"]])) })));
  send("text/plain body", "framing", post(form.path, "text/plain", base.body));
  send("no content type", "framing", post(form.path, null, base.body));
  send("UTF-16 body", "framing", post(form.path, "application/x-www-form-urlencoded; charset=utf-16le", Buffer.from(urlencoded(Object.entries(form.base)), "utf16le")));
  send("content type of another form", "framing", post(form.path, form.multipart ? "application/x-www-form-urlencoded" : `multipart/form-data; boundary=${BOUNDARY}`, base.body));
  send("body shorter than its Content-Length", "framing", (w) => ({ ...post(form.path, base.type, base.body)(w), headers: [["Content-Type", base.type], ["Content-Length", String(base.body.length + 500)]], halfClose: true }), { mayHangUp: true });
}

// Ids in every place one is read: path segments, query strings, and posted fields.
const ID_GETS: { route: string; who: Who; path: (id: string) => string }[] = [
  { route: "/staff/accounts/:id", who: "admin", path: (id) => `/staff/accounts/${id}` },
  { route: "/staff/cases/:reference/photos/:photoId", who: "head", path: (id) => `/staff/cases/${CASE}/photos/${id}` },
  { route: "/staff/cases/:reference", who: "head", path: (id) => `/staff/cases/${id}` },
  { route: "/staff/periods/:code", who: "office", path: (id) => `/staff/periods/${id}` },
  { route: "/staff/periods/:code/scores.csv", who: "office", path: (id) => `/staff/periods/${id}/scores.csv` },
  { route: "/staff/periods/:code/responses.csv", who: "office", path: (id) => `/staff/periods/${id}/responses.csv` },
  { route: "/api/v1/periods/:id/scores", who: "token", path: (id) => `/api/v1/periods/${id}/scores` },
  { route: "/api/v1/periods/:id/scores", who: "token", path: (id) => `/api/v1/periods/2026/scores?snapshot=${id}` },
  { route: "/staff/audit", who: "office", path: (id) => `/staff/audit?actor=${id}&page=${id}` },
  { route: "/staff", who: "head", path: (id) => `/staff?page=${id}&from=${id}` },
  { route: "/staff/scores", who: "office", path: (id) => `/staff/scores?period=${id}` },
  { route: "/staff/codes/:batchId", who: "head", path: (id) => `/staff/codes/${id}` },
  { route: "/staff/rectifications/:id", who: "head", path: (id) => `/staff/rectifications/${id}` },
  { route: "/staff/rectifications", who: "office", path: (id) => `/staff/rectifications?period=${id}` },
  { route: "/staff/appeals/:id", who: "office", path: (id) => `/staff/appeals/${id}` },
  { route: "/staff/appeals/new", who: "head", path: (id) => `/staff/appeals/new?case=${id}` },
  { route: "/staff/appeals/new", who: "head", path: (id) => `/staff/appeals/new?unit=C01&period=${id}&comment=${id}` },
  { route: "/staff/anomalies", who: "office", path: (id) => `/staff/anomalies?unit=${id}&from=${id}&to=${id}&page=${id}` },
  { route: "/staff/anomalies", who: "office", path: (id) => `/staff/anomalies?period=${id}` },
  { route: "/staff/anomalies/:unitCode/:day", who: "office", path: (id) => `/staff/anomalies/C01/${id}?period=2026` },
];
for (const g of ID_GETS) {
  for (const id of IDS) add({ group: "ids", name: `${g.route}: id "${id}"`, who: g.who, request: () => ({ method: "GET", path: g.path(id) }) });
}
// A citizen's photo: the ids with the proof of having opened the complaint, so they reach the look-up.
for (const id of IDS) {
  add({ group: "ids", name: `/track/:reference/photos/:photoId: id "${id}" with the proof`, who: "none", request: (w) => ({ method: "GET", path: `/track/${CASE}/photos/${id}`, headers: [["Cookie", w.trackProof]] }) });
}
const ID_POSTS: { route: string; path: string; who: Who; body: (id: string) => string }[] = [
  { route: "/staff/tokens", path: "/staff/tokens", who: "office", body: (id) => `intent=revoke&id=${id}` },
  { route: "/staff/reviewers", path: "/staff/reviewers", who: "office", body: (id) => `intent=revoke&userId=${id}` },
  { route: "/staff/surveys/:slug/distribution", path: `/staff/surveys/${SLUG}/distribution`, who: "office", body: (id) => `intent=revoke&reason=bad+input&id=${id}` },
  { route: "/staff/scores/:unitCode", path: "/staff/scores/C01", who: "office", body: (id) => `intent=hide_comment&reason=bad+input&id=${id}` },
  { route: "/staff/accounts/:id", path: "/staff/accounts/{staffId}", who: "admin", body: (id) => `intent=reset&drawnAt=${id}&x=` },
  { route: "/staff/codes/:batchId", path: "/staff/codes/{batch}", who: "head", body: () => "intent=revoke&reason=bad+input" },
  { route: "/staff/codes", path: "/staff/codes", who: "head", body: (id) => `intent=counter&unit=C01&survey=${SLUG}&hours=0&after=${id}` },
  // Everything else valid: only the id of the last response seen is not.
  { route: "/staff/anomalies/:unitCode/:day", path: "/staff/anomalies/C01/2026-11-12", who: "office", body: (id) => `intent=exclude&cluster=all&reason=bad+input&seen=${id}` },
];
for (const g of ID_POSTS) {
  for (const id of POST_IDS) {
    // A password reset with a bogus drawnAt must not run either: its account id is in the path.
    const path = g.route === "/staff/accounts/:id" ? `/staff/accounts/${id}` : g.route === "/staff/codes/:batchId" ? `/staff/codes/${id}` : g.path;
    add({ group: "ids", name: `POST ${g.route}: id "${id}"`, who: g.who, request: post(path, "application/x-www-form-urlencoded", g.body(id)) });
  }
}

// Methods other than GET, HEAD and POST, on every route (with a form body, which must not be used).
for (const [route, u] of Object.entries(URLS)) {
  add({ group: "methods", name: `HEAD ${route}`, who: u.who, request: (w) => ({ method: "HEAD", path: fill(u.path, w) }) });
  for (const method of ["PUT", "PATCH", "DELETE", "TRACE", "OPTIONS"]) {
    add({
      group: "methods",
      name: `${method} ${route}`,
      who: u.who,
      expect: [405],
      allow: true,
      // A body that does nothing even where it reached an action: the method alone is under test.
      request: (w) => ({ method, path: fill(u.path, w), headers: [["Content-Type", "application/x-www-form-urlencoded"]], body: method === "TRACE" || method === "OPTIONS" ? undefined : "intent=none&name=x" }),
    });
  }
}

// A well-formed post to every route that takes none: 405 naming GET and HEAD, answered before
// React Router, whose own answer put its error text (naming route modules) into the page's data.
const actionRoutes = new Set(appRoutes().filter((r) => r.hasAction).map((r) => r.pattern));
for (const [route, u] of Object.entries(URLS)) {
  if (actionRoutes.has(route)) continue;
  const pathname = u.path.split("?")[0]!;
  for (const path of [u.path, pathname === "/" ? "/_.data" : `${pathname}.data`]) {
    add({ group: "methods", name: `POST ${path} (takes no posts)`, who: u.who, expect: [405], allow: "GET, HEAD", request: post(path, "application/x-www-form-urlencoded", "intent=none") });
  }
}

// Headers: Host, cookies, sizes, framing headers, Authorization, language, origin.
const HEADER_ROUTES = ["/", "/staff", `/s/${SLUG}?unit=C01`, "/api/v1/periods"];
const hostCases: [string, Partial<RawRequest>, number[]?][] = [
  ["no Host", { host: null }, [400]],
  ["empty Host", { host: "" }, [400]],
  ["Host with a space", { host: "exa mple.org" }, [400]],
  ["Host with a bad port", { host: "127.0.0.1:99999" }, [400]],
  ["Host unclosed IPv6", { host: "[::1" }, [400]],
  ["Host with a path", { host: "evil.example/x" }, [400]],
  ["Host with userinfo", { host: "user@evil.example" }, [400]],
  ["Host with percent NUL", { host: "evil%00.example" }, [400]],
  ["Host of 300 characters", { host: `${"a".repeat(300)}.example` }, [400]],
];
for (const path of HEADER_ROUTES) {
  for (const [name, r, statuses] of hostCases) add({ group: "headers", name: `${name} on ${path}`, who: "none", expect: statuses, request: () => ({ method: "GET", path, ...r }) });
  add({ group: "headers", name: `two Host headers on ${path}`, who: "none", request: () => ({ method: "GET", path, headers: [["Host", "evil.example"]] }) });
  add({ group: "headers", name: `garbage X-Forwarded-Host on ${path}`, who: "none", request: () => ({ method: "GET", path, headers: [["X-Forwarded-Host", "evil example/\u0000"], ["X-Forwarded-For", "1.2.3.4, <script>"]] }) });
}
const COOKIES: [string, string][] = [
  ["garbage sid", "sid=garbage"],
  ["empty sid", "sid="],
  ["sid with a forged signature", `sid=${enc(`${"a".repeat(43)}.${"b".repeat(43)}`)}`],
  ["sid of broken escapes", "sid=%ZZ%E4%B8"],
  ["sid of 8 KB", `sid=${"s".repeat(8 * 1024)}`],
  ["language cookie traversal", "lng=..%2F..%2Fetc%2Fpasswd"],
  ["language cookie script", `lng=${enc("<script>alert(1)</script>")}`],
  ["device cookie injection", `did=${enc("' OR 1=1 --")}`],
  ["filed cookie garbage", "filed=TS-2026-000001%7Cabc"],
  ["200 cookies", Array.from({ length: 200 }, (_, i) => `c${i}=${i}`).join("; ")],
  ["cookie without equals", "sid; lng; ;;;="],
];
for (const path of [...HEADER_ROUTES, "/complaints/filed", "/staff/cases/" + CASE]) {
  for (const [name, cookie] of COOKIES) add({ group: "headers", name: `${name} on ${path}`, who: "none", request: () => ({ method: "GET", path, headers: [["Cookie", cookie]] }) });
}
// The photos' proof cookie: unsigned, garbled, for another reference, from the future, twice.
const TRACKED_COOKIES: [string, (w: World) => string][] = [
  ["unsigned tracked proof", () => `tracked=${enc(Buffer.from(JSON.stringify({ ref: CASE, at: Date.now() })).toString("base64"))}`],
  ["tracked proof of broken escapes", () => "tracked=%ZZ%E4%B8.%FF"],
  ["tracked proof of 8 KB", () => `tracked=${"t".repeat(8 * 1024)}`],
  ["tracked proof with the signature of another value", (w) => `tracked=${enc(Buffer.from(JSON.stringify({ ref: CASE, at: 0 })).toString("base64"))}.${w.trackProof.split(".").pop()}`],
  ["two tracked proofs, the first one garbage", (w) => `tracked=garbage; ${w.trackProof}`],
];
for (const [name, cookie] of TRACKED_COOKIES) {
  add({ group: "headers", name: `${name} on /track/:reference/photos/:photoId`, who: "none", request: (w) => ({ method: "GET", path: `/track/${CASE}/photos/${w.photo}`, headers: [["Cookie", cookie(w)]] }) });
}
for (const path of ["/track", `/s/${SLUG}?unit=C01`, "/staff/login"]) {
  add({ group: "headers", name: `one header of 20 KB on ${path}`, who: "none", expect: [431], request: () => ({ method: "GET", path, headers: [["X-Big", "x".repeat(20 * 1024)]] }) });
  add({ group: "headers", name: `500 headers on ${path}`, who: "none", request: () => ({ method: "GET", path, headers: Array.from({ length: 500 }, (_, i): [string, string] => [`X-H${i}`, "1"]) }) });
  add({ group: "headers", name: `Accept-Language garbage on ${path}`, who: "none", request: () => ({ method: "GET", path, headers: [["Accept-Language", `*;q=abc, ../../etc, ${"zz-".repeat(300)}, <script>`]] }) });
  add({ group: "headers", name: `Content-Length not a number on ${path}`, who: "none", expect: [400], request: () => ({ method: "POST", path, headers: [["Content-Length", "abc"]], body: "a=b", contentLength: false }) });
  add({ group: "headers", name: `negative Content-Length on ${path}`, who: "none", expect: [400], request: () => ({ method: "POST", path, headers: [["Content-Length", "-5"]], body: "a=b" }) });
  add({ group: "headers", name: `two different Content-Lengths on ${path}`, who: "none", expect: [400], request: () => ({ method: "POST", path, headers: [["Content-Length", "3"], ["Content-Length", "30"]], body: "a=b" }) });
  add({ group: "headers", name: `Content-Length with Transfer-Encoding on ${path}`, who: "none", expect: [400], request: () => ({ method: "POST", path, headers: [["Content-Length", "3"], ["Transfer-Encoding", "chunked"]], body: "0\r\n\r\n" }) });
  add({ group: "headers", name: `bad chunk size on ${path}`, who: "none", expect: [400], request: () => ({ method: "POST", path, headers: [["Transfer-Encoding", "chunked"]], body: "zz\r\nabc\r\n0\r\n\r\n" }) });
  add({ group: "headers", name: `unknown Transfer-Encoding on ${path}`, who: "none", request: () => ({ method: "POST", path, headers: [["Transfer-Encoding", "gzip, chunked"]], body: "0\r\n\r\n" }) });
  add({ group: "headers", name: `cross-site Origin on ${path}`, who: "none", expect: [403], request: () => ({ method: "POST", path, headers: [["Origin", "http://evil.example"], ["Content-Type", "application/x-www-form-urlencoded"]], body: "a=b" }) });
  add({ group: "headers", name: `null Origin on ${path}`, who: "none", expect: [403], request: () => ({ method: "POST", path, headers: [["Origin", "null"], ["Content-Type", "application/x-www-form-urlencoded"]], body: "a=b" }) });
  add({ group: "headers", name: `Origin of broken syntax on ${path}`, who: "none", expect: [403], request: () => ({ method: "POST", path, headers: [["Origin", "http://[bad"], ["Content-Type", "application/x-www-form-urlencoded"]], body: "a=b" }) });
  add({ group: "headers", name: `cross-site Sec-Fetch-Site on ${path}`, who: "none", expect: [403], request: () => ({ method: "POST", path, headers: [["Sec-Fetch-Site", "cross-site"], ["Content-Type", "application/x-www-form-urlencoded"]], body: "a=b" }) });
  add({ group: "framing", name: `absolute-form request target to ${path}`, who: "none", request: () => ({ method: "GET", path: `http://evil.example${path}` }) });
  add({ group: "framing", name: `HTTP/1.0 without Host to ${path}`, who: "none", request: () => ({ method: "GET", path, raw: `GET ${path} HTTP/1.0\r\n\r\n` }) });
  add({ group: "framing", name: `bare LF line ends to ${path}`, who: "none", request: () => ({ method: "GET", path, raw: `GET ${path} HTTP/1.1\nHost: 127.0.0.1\n\n` }) });
  add({ group: "framing", name: `garbage request line to ${path}`, who: "none", request: () => ({ method: "GET", path, raw: `\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 ${path}\r\n\r\n` }) });
}

// The API: bogus bearer tokens, and bad query values with a valid one.
const AUTHS: [string, (w: World) => string][] = [
  ["Bearer and nothing", () => "Bearer"],
  ["Bearer and spaces", () => "Bearer    "],
  ["Basic credentials", () => `Basic ${Buffer.from("admin:admin").toString("base64")}`],
  ["a made-up token", () => "Bearer cst_0000000000000000000000000000000000000000"],
  ["a revoked token", (w) => `Bearer ${w.revoked}`],
  ["a token of 8 KB", () => `Bearer ${"t".repeat(8 * 1024)}`],
  ["two tokens", (w) => `Bearer ${w.token} ${w.token}`],
  ["SQL in the token", () => "Bearer ' OR 1=1 --"],
  ["non-ASCII token", () => "Bearer \xe4\xb8\xad\xe6\x96\x87"],
  ["a token with CR", (w) => `Bearer ${w.token}\rX: y`],
  ["a valid token, scheme in capitals", (w) => `BEARER ${w.token}`],
];
for (const route of API_ROUTES) {
  const path = URLS[route]!.path;
  for (const [name, auth] of AUTHS) add({ group: "api", name: `${route}: ${name}`, who: "none", request: (w) => ({ method: "GET", path, headers: [["Authorization", auth(w)]] }) });
  for (const v of [...INJECTIONS, ...ENCODINGS.slice(0, 6)]) {
    const q = v.raw ?? enc(v.text!);
    add({ group: "api", name: `${route}: query ${v.name}`, who: "token", request: () => ({ method: "GET", path: `${path}?format=${q}&snapshot=${q}&${q}=1` }) });
  }
  add({ group: "api", name: `${route}: format twice`, who: "token", request: () => ({ method: "GET", path: `${path}?format=csv&format=json&format[]=xml` }) });
  add({ group: "api", name: `${route}: POST`, who: "token", request: post(path, "application/json", '{"rows":[]}') });
}

// Hostile values in every page's path segments and query strings.
const PATH_GETS: { route: string; who: Who; path: (v: string) => string }[] = [
  { route: "/u/:code", who: "none", path: (v) => `/u/${v}` },
  { route: "/results", who: "none", path: (v) => `/results?period=${v}&lng=${v}` },
  { route: "/units/:code", who: "none", path: (v) => `/units/${v}` },
  { route: "/method", who: "none", path: (v) => `/method?lng=${v}` },
  { route: "/s/:slug", who: "none", path: (v) => `/s/${v}?unit=${v}&kiosk=${v}&ch=${v}` },
  { route: "/s/:slug", who: "none", path: (v) => `/s/${SLUG}?unit=C01&kiosk=${v}&ch=${v}` },
  { route: "/s/:slug/thanks", who: "none", path: (v) => `/s/${SLUG}/thanks?unit=${v}&kiosk=${v}` },
  { route: "/s/:slug/thanks", who: "none", path: (v) => `/s/${SLUG}/thanks?unit=C01&r=${v}` },
  { route: "/notify/stop", who: "none", path: (v) => `/notify/stop?t=${v}` },
  { route: "/", who: "none", path: (v) => `/?q=${v}&lng=${v}` },
  { route: "/complaints/new", who: "none", path: (v) => `/complaints/new?unit=${v}` },
  { route: "/track", who: "none", path: (v) => `/track?ref=${v}` },
  { route: "/track/open", who: "none", path: (v) => `/track/open?t=${v}` },
  { route: "/track/mine", who: "none", path: (v) => `/track/mine?t=${v}` },
  { route: "/track/:reference/photos/:photoId", who: "none", path: (v) => `/track/${v}/photos/${v}` },
  { route: "/staff/login", who: "none", path: (v) => `/staff/login?next=${v}` },
  { route: "/staff/scores/:unitCode", who: "head", path: (v) => `/staff/scores/${v}?period=${v}` },
  { route: "/staff/units/:code", who: "admin", path: (v) => `/staff/units/${v}` },
  { route: "/staff/surveys/:slug", who: "office", path: (v) => `/staff/surveys/${v}` },
  { route: "/staff/surveys/:slug/qr/:file", who: "office", path: (v) => `/staff/surveys/${SLUG}/qr/${v}` },
  { route: "/staff/surveys/:slug/posters", who: "office", path: (v) => `/staff/surveys/${SLUG}/posters?unit=${v}&size=${v}` },
  { route: "/staff/surveys/:slug/results", who: "head", path: (v) => `/staff/surveys/${SLUG}/results?unit=${v}` },
  { route: "/staff/surveys/:slug/preview", who: "office", path: (v) => `/staff/surveys/${SLUG}/preview?in=${v}` },
  { route: "/staff/audit", who: "office", path: (v) => `/staff/audit?action=${v}&targetType=${v}&from=${v}&to=${v}` },
  { route: "/staff/notifications", who: "admin", path: (v) => `/staff/notifications?status=${v}&page=${v}` },
  { route: "/staff/inbox", who: "staff", path: (v) => `/staff/inbox?page=${v}` },
  { route: "/staff", who: "head", path: (v) => `/staff?status=${v}&type=${v}&sort=${v}&from=${v}` },
  { route: "/staff/scores", who: "office", path: (v) => `/staff/scores?kind=${v}&sort=${v}&dir=${v}` },
  { route: "/staff/periods/:code/report", who: "office", path: (v) => `/staff/periods/${v}/report?lng=${v}` },
  { route: "/staff/periods/:code/report", who: "office", path: (v) => `/staff/periods/2026/report?lng=${v}` },
  // Hostile period codes only: a valid one would print a PDF per value.
  { route: "/staff/periods/:code/report.pdf", who: "office", path: (v) => `/staff/periods/${v}/report.pdf?lng=${v}` },
];
for (const g of PATH_GETS) {
  for (const v of [...INJECTIONS, ...ENCODINGS.slice(0, 6)]) {
    add({ group: "paths", name: `${g.route}: ${v.name}`, who: g.who, request: () => ({ method: "GET", path: g.path(v.raw ?? enc(v.text!)) }) });
  }
}

// Files: photos that are not what they claim, and survey definitions of the wrong shape. The
// complaint is otherwise complete (consent given), so the photo checks and the re-encoding are
// what must refuse it; the imports name a period that does not exist, so none can be stored.
const complaintFields: [string, string][] = [
  ["unit", "C01"],
  ["type", "slow_action"],
  ["description", "The permit took six weeks although the rules say ten days."],
  ["anonymous", "yes"],
  ["consent", "yes"],
];
const png = (width: number, height: number) => {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // truecolour
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from("IHDR"), ihdr, Buffer.alloc(4), Buffer.from("garbage")] as Uint8Array[]);
};
const PHOTOS: [string, Buffer[]][] = [
  ["JPEG signature, then garbage", [Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("not a picture at all".repeat(20))] as Uint8Array[])]],
  ["PNG signature, then garbage", [Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("garbage".repeat(30))] as Uint8Array[])]],
  ["WebP signature, then garbage", [Buffer.from("RIFF\x10\x00\x00\x00WEBPVP8 garbage garbage", "latin1")]],
  ["a PNG claiming 100000 × 100000 pixels", [png(100_000, 100_000)]],
  ["a GIF", [Buffer.from("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;", "latin1")]],
  ["an SVG with a script", [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>')]],
  ["HTML", [Buffer.from("<!doctype html><script>alert(document.cookie)</script>")]],
  ["four photos (three at most)", Array.from({ length: 4 }, () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(64)] as Uint8Array[]))],
  ["one byte over 5 MB", [Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(5 * 1024 * 1024 - 2)] as Uint8Array[])]],
];
for (const [name, photos] of PHOTOS) {
  add({
    group: "files",
    name: `/complaints/new: photo ${name}`,
    who: "none",
    request: () => {
      const body = multipart([...complaintFields, ...photos.map((p): [string, Buffer] => ["photos", p])], new Set(["photos"]));
      return { method: "POST", path: "/complaints/new", headers: [["Content-Type", `multipart/form-data; boundary=${BOUNDARY}`]], body };
    },
  });
}
// A complete complaint whose rating reference (the hidden field the thanks page's link fills) does
// not hold: filed all the same (303), without the link (rating-followup.spec.ts checks the rows).
const RATING_REFERENCES: [string, string][] = [
  ["forged", `${ratingToken(1, "C01").split(".")[0]}.${"A".repeat(32)}`],
  ["expired", ratingToken(1, "C01", Date.now() - 8 * 86_400_000)],
  ["of another unit", ratingToken(1, "C02")],
  ["of a response that does not exist", ratingToken(999_999_999, "C01")],
  ["without a signature", "1|C01|99999999999999"],
  ["of script and separators", "<script>alert(1)</script>|1|C01|.x"],
  ["of 4 KB", "r".repeat(4096)],
];
for (const [name, value] of RATING_REFERENCES) {
  add({
    group: "files",
    name: `/complaints/new: rating reference ${name}`,
    who: "none",
    accepts: true,
    expect: [303],
    request: () => {
      const body = multipart([...complaintFields, ["rating", value]], new Set());
      return { method: "POST", path: "/complaints/new", headers: [["Content-Type", `multipart/form-data; boundary=${BOUNDARY}`]], body };
    },
  });
}
type Definition = Record<string, unknown> & { questions?: Record<string, unknown>[] };
const IMPORTS: [string, (d: Definition) => unknown][] = [
  ["questions as a string", (d) => ({ ...d, questions: "x" })],
  ["questions of null, a number and a string", (d) => ({ ...d, questions: [null, 1, "a"] })],
  ["a question of wrong types", (d) => ({ ...d, questions: [{ ...d.questions![0], kind: 5, key: { $ne: null }, required: "yes", maxLength: 1e300 }] })],
  ["titles null", (d) => ({ ...d, titles: null })],
  ["a title that is a number", (d) => ({ ...d, titles: { "zh-Hans": 1e300, en: [] } })],
  ["options as an object", (d) => ({ ...d, questions: [{ ...d.questions![0], options: { length: 1e9 } }] })],
  ["steps of wrong types", (d) => ({ ...d, questions: d.questions!.map((q, i) => ({ ...q, kind: "grade_diagnostic", step: [1, "2x", { $gt: 0 }, null, 1e300][i % 5] })) })],
  ["a condition on __proto__", (d) => ({ ...d, questions: [...d.questions!.slice(0, 1), { ...d.questions![1], condition: { question: "__proto__", op: "equals", value: {} } }] })],
  ["a prototype key", (d) => JSON.parse(`{"__proto__": {"polluted": true}, ${JSON.stringify(d).slice(1)}`)],
  ["2000 questions", (d) => ({ ...d, questions: Array.from({ length: 2000 }, (_, i) => ({ ...d.questions![0], key: `q${i}` })) })],
  ["a string of script", () => "<script>alert(1)</script>"],
  ["an array", () => []],
  ["a number beyond doubles", () => 1e400],
];
for (const [name, make] of IMPORTS) {
  add({
    group: "files",
    name: `/staff/surveys import: ${name}`,
    who: "office",
    request: (w) => {
      const text = JSON.stringify(make({ ...structuredClone(w.definition), period: "no-such-period" } as Definition)) ?? "null";
      const body = multipart([["intent", "import"], ["importSlug", "bad-import"], ["file", text]], new Set(["file"]));
      return { method: "POST", path: "/staff/surveys", headers: [["Content-Type", `multipart/form-data; boundary=${BOUNDARY}`]], body };
    },
  });
}
for (const [name, text] of [
  ["nested 100000 deep", "[".repeat(100_000) + "]".repeat(100_000)],
  ["with a byte-order mark", "\ufeff{}"],
  ["cut short", '{"slug": "x", "questions": [{"key": "a"'],
] as const) {
  add({
    group: "files",
    name: `/staff/surveys import: JSON ${name}`,
    who: "office",
    request: () => ({
      method: "POST",
      path: "/staff/surveys",
      headers: [["Content-Type", `multipart/form-data; boundary=${BOUNDARY}`]],
      body: multipart([["intent", "import"], ["importSlug", "bad-import"], ["file", text]], new Set(["file"])),
    }),
  });
}
// React Router's own endpoints: data requests (.data, ?_routes=) and route discovery (/__manifest),
// which the forms' scripts use; the same forms posted as data requests.
const ROUTER_GETS = [
  "/_root.data",
  "/staff.data",
  `/staff/cases/${CASE}.data?_routes=routes/staff-case`,
  `/staff/cases/${CASE}.data?_routes=${enc("routes/../../etc/passwd")}`,
  `/staff.data?_routes=${Array.from({ length: 500 }, (_, i) => `r${i}`).join(",")}`,
  "/.data",
  "/%2e%2e/.data",
  "/no/such/page.data",
  "/__manifest",
  "/__manifest?p=/&p=/staff&version=x",
  `/__manifest?${Array.from({ length: 300 }, (_, i) => `p=/staff/cases/${i}`).join("&")}&version=x`,
  `/__manifest?p=${enc("/%ZZ/../../etc")}&version=${enc("<script>")}`,
];
for (const path of ROUTER_GETS) add({ group: "router", name: `GET ${path.slice(0, 60)}`, who: "head", request: () => ({ method: "GET", path }) });
for (const form of FORMS) {
  const [pathname, query] = form.path.split("?");
  const dataPath = `${pathname}.data${query ? `?${query}` : ""}`;
  for (const v of [null, INJECTIONS[2]!, ENCODINGS[0]!]) {
    const b = formBody(form, v);
    add({ group: "router", name: `POST ${dataPath} (${v?.name ?? "base"})`, who: form.who, accepts: form.accepts, request: post(dataPath, b.type, b.body) });
  }
}

// Static files: no way out of the build's client folder, and broken ranges are answered.
const STATIC: [string, [string, string][]][] = [
  ["/assets/../../package.json", []],
  ["/assets/..%2f..%2fpackage.json", []],
  ["/assets/..%2f..%2f..%2fserver%2findex.ts", []],
  ["/%2e%2e/%2e%2e/package.json", []],
  ["/..%5c..%5cpackage.json", []],
  ["/assets/%00", []],
  ["/assets/.env", []],
  ["/favicon.ico", [["Range", "bytes=999999999-"]]],
  ["/favicon.ico", [["Range", "bytes=-0"]]],
  ["/favicon.ico", [["Range", "bytes=garbage"]]],
  ["/favicon.ico", [["If-None-Match", "\"x\"".repeat(500)], ["If-Modified-Since", "not a date"]]],
  ["/robots.txt%00.html", []],
];
for (const [path, headers] of STATIC) add({ group: "static", name: `GET ${path} ${headers.map(([n]) => n).join(" ")}`, who: "none", request: () => ({ method: "GET", path, headers }) });

add({ group: "framing", name: "OPTIONS * (asterisk form)", who: "none", expect: [400, 405], request: () => ({ method: "OPTIONS", path: "*" }) });
add({ group: "framing", name: "CONNECT to another host", who: "none", mayHangUp: true, request: () => ({ method: "CONNECT", path: "evil.example:443", host: "evil.example:443" }) });

// ─── Checks ─────────────────────────────────────────────────────────────────────────────────────
const LEAKS: [string, RegExp | string][] = [
  ["stack frame", /\bat (\/|file:\/\/|node:internal|async \S+ \()|^\s+at \S+ \(.*:\d+:\d+\)$/m],
  ["node_modules", "node_modules"],
  ["error name", /\b(Error|TypeError|RangeError|SyntaxError|SqliteError|PrismaClient\w*Error): /],
  ["TypeScript source", /\.tsx?:\d+/],
  ["project path", projectRoot],
  ["Prisma message", /Invalid `\w+\.\w+\.\w+\(\)` invocation|prisma\.\w+\.\w+\(/],
  ["SQL error", /SQLITE_[A-Z]+/],
  ["file from outside the client folder", /"name": "civic-satisfaction"|DATABASE_URL|SESSION_SECRET|root:x:0:0/],
];

test("every form and API route is in the bad-input corpus", () => {
  const problems: string[] = [];
  for (const r of appRoutes()) {
    if (!URLS[r.pattern]) problems.push(`${r.pattern} (${r.file}) has no URL in the bad-input corpus (URLS)`);
    if (r.hasAction && !FORMS.some((f) => f.route === r.pattern)) problems.push(`${r.pattern} (${r.file}) takes posts but has no form in the bad-input corpus (FORMS)`);
  }
  const known = new Set(appRoutes().map((r) => r.pattern));
  for (const route of [...Object.keys(URLS), ...FORMS.map((f) => f.route)]) if (!known.has(route)) problems.push(`bad-input corpus names ${route}, which is not in app/routes.ts`);
  expect(problems, problems.join("\n")).toEqual([]);
  expect(corpus.length).toBeGreaterThanOrEqual(300);
});

test("malformed and hostile requests get no 5xx, leak nothing, leave no rows and keep the server up", async ({ server, db }) => {
  test.setTimeout(900_000);
  const w = await world(db, server);
  let newAccounts = 0;
  const cookieFor = async (who: Who): Promise<[string, string][]> => {
    if (who === "none") return [];
    if (who === "token") return [["Authorization", `Bearer ${w.token}`]];
    if (who === "fresh") return [["Cookie", await sessionFor(db, w.staffId)]];
    if (who === "newStaff") return [["Cookie", (await addStaff(db, `badinput.new.${++newAccounts}`, [{ role: "unit_staff", unit: "C01" }])).cookie]];
    return [["Cookie", w.cookies[who]]];
  };
  const failures: string[] = [];
  const counts = { sent: 0, fiveXX: 0, hungUp: 0, byStatus: new Map<number, number>(), byGroup: new Map<string, number>() };
  for (const c of corpus) {
    const auth = await cookieFor(c.who);
    const req = c.request(w);
    // The role's cookie (or token) goes first; a case's own Cookie or Authorization replaces it.
    const own = new Set((req.headers ?? []).map(([n]) => n.toLowerCase()));
    req.headers = [...auth.filter(([n]) => !own.has(n.toLowerCase())), ...(req.headers ?? [])];
    const uploads = () => (fs.existsSync(server.uploadDir) ? fs.readdirSync(server.uploadDir).length : 0);
    const before = rowCounts(db);
    const filesBefore = uploads();
    const res: RawResponse = await rawRequest(server.url, req);
    const after = rowCounts(db);
    const filesAfter = uploads();
    counts.sent++;
    counts.byStatus.set(res.status, (counts.byStatus.get(res.status) ?? 0) + 1);
    counts.byGroup.set(c.group, (counts.byGroup.get(c.group) ?? 0) + 1);
    const where = `[${c.group}] ${c.name} (${req.method} ${req.path.slice(0, 120)}) → ${res.status}`;
    if (process.env.BAD_INPUT_VERBOSE) console.log(where);
    if (res.status >= 500) {
      counts.fiveXX++;
      failures.push(`${where}: server error`);
    }
    if (res.status === 0) {
      counts.hungUp++;
      if (!c.mayHangUp) failures.push(`${where}: no answer`);
    }
    if (c.expect && res.status !== 0 && !c.expect.includes(res.status)) failures.push(`${where}: expected ${c.expect.join(" or ")}`);
    if (c.allow && res.status === 405 && (c.allow === true ? !res.headers.allow : res.headers.allow !== c.allow)) {
      failures.push(`${where}: Allow is ${JSON.stringify(res.headers.allow ?? null)}, expected ${c.allow === true ? "one" : JSON.stringify(c.allow)}`);
    }
    for (const [leak, pattern] of LEAKS) {
      if (typeof pattern === "string" ? res.text.includes(pattern) : pattern.test(res.text)) failures.push(`${where}: the answer shows a ${leak}`);
    }
    const location = res.headers.location ?? "";
    const refused = res.status >= 400 || res.status === 0 || location.startsWith("/staff/login?");
    const changed = countChanges(before, after);
    if (c.who === "fresh") delete changed.Session; // a sign-out ends the session made for it
    if (refused && Object.keys(changed).length) failures.push(`${where}: refused, but rows changed ${JSON.stringify(changed)}`);
    if (refused && filesAfter !== filesBefore) failures.push(`${where}: refused, but the upload folder went from ${filesBefore} to ${filesAfter} files`);
    if (!refused && req.method === "POST" && !c.accepts) failures.push(`${where}: a hostile post was not refused${Object.keys(changed).length ? `, rows changed ${JSON.stringify(changed)}` : ""}`);
    const health = await fetch(`${server.url}/healthz`).then((r) => r.status, () => 0);
    if (health !== 200) {
      failures.push(`${where}: /healthz answered ${health} afterwards`);
      break;
    }
  }
  const statuses = [...counts.byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(" ");
  const groups = [...counts.byGroup.entries()].map(([g, n]) => `${g} ${n}`).join(", ");
  console.log(`bad-input corpus: ${counts.sent} of ${corpus.length} requests sent (${groups}); 5xx: ${counts.fiveXX}; no answer: ${counts.hungUp}; statuses: ${statuses}`);
  expect(failures, `${failures.length} problems:\n${failures.join("\n")}`).toEqual([]);
});
