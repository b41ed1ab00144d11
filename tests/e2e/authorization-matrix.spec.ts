// The authorization matrix: every route of app/routes.ts × every kind of caller, with the outcome
// each one must get. A route added to app/routes.ts without a row here fails the first test, by
// name. Posts are sent with an empty body (or a harmless probe that the action refuses after its
// permission checks), so allowed roles reach the action and get 400/409 without changing anything;
// roles that must not act get their refusal. The second test also checks that no post left a row.
import type { TestDb } from "./support/db";
import { expect, test } from "./support/fixtures";
import { rawRequest } from "./support/raw-http";
import { addComplaint, addPhoto, addStaff, addToken, appRoutes, countChanges, rowCounts, sessionFor, trackProofCookie } from "./support/security";
import { addRatingCodeBatch } from "./support/rating-codes";
import { caseLinkPath, caseListPath } from "./support/case-links";
import { addHandlingAppeal, addRectification, rateComplaint } from "./support/rectification";

/** Who calls. Columns of the table below, in this order. */
const ROLES = {
  anon: "anonymous citizen (no cookie)",
  staff: "unit_staff of C01",
  head: "unit_head of C01",
  office: "evaluation office",
  integ: "integrity_reviewer (no unit)",
  admin: "administrator",
  revst: "integrity_reviewer who is also unit_staff of C02 (the accused unit)",
  token: "API bearer token, valid",
  revoked: "API bearer token, revoked",
} as const;
type Role = keyof typeof ROLES;
const roleNames = Object.keys(ROLES) as Role[];

interface World {
  cookies: Partial<Record<Role, string>>;
  userIds: Partial<Record<Role, number>>;
  tokens: { token: string; revoked: string };
  /** Complaint references and photo ids the rows below refer to. */
  ownCase: string;
  /** The id of ownCase, which carries the phone +86 138 0000 0000 (for signed links). */
  ownCaseId: number;
  otherCase: string;
  integrityCase: string;
  transferredIntegrityCase: string;
  ownPhoto: number;
  otherPhoto: number;
  transferredPhoto: number;
  /** Rating code batches of C01 and of D12. */
  ownBatch: number;
  otherBatch: number;
  /** 差评整改 and 申诉 (issue 14): records and appeals of C01 and of D12; cases of C01 and D12 with a handling rating. */
  ownRectification: number;
  otherRectification: number;
  ownAppeal: number;
  otherAppeal: number;
  ownRatedCase: string;
  otherRatedCase: string;
}

// Made once per worker (each worker has its own server and database).
const worlds = new Map<string, Promise<World>>();
function world(db: TestDb, server: { databaseUrl: string; uploadDir: string }): Promise<World> {
  let w = worlds.get(server.databaseUrl);
  if (!w) {
    w = (async () => {
      const staff = {
        staff: await addStaff(db, "authz.c01.staff", [{ role: "unit_staff", unit: "C01" }]),
        head: await addStaff(db, "authz.c01.head", [{ role: "unit_head", unit: "C01" }]),
        office: await addStaff(db, "authz.office", [{ role: "office" }]),
        integ: await addStaff(db, "authz.integrity", [{ role: "integrity_reviewer" }]),
        admin: await addStaff(db, "authz.admin", [{ role: "admin" }]),
        revst: await addStaff(db, "authz.c02.reviewer", [{ role: "integrity_reviewer" }, { role: "unit_staff", unit: "C02" }]),
      };
      const ownId = addComplaint(db, { reference: "TS-2026-900001", subject: "C01", type: "slow_action", contact: true });
      const otherId = addComplaint(db, { reference: "TS-2026-900002", subject: "D12", type: "inaction" });
      addComplaint(db, { reference: "TS-2026-900003", subject: "C02", type: "integrity" });
      // Against C02, then transferred by C02 to C01: C02's reviewer must still not see it.
      const transferredId = addComplaint(db, { reference: "TS-2026-900004", subject: "C02", type: "integrity", transferredTo: "C01" });
      const ownRatedId = addComplaint(db, { reference: "TS-2026-900005", subject: "C01", type: "attitude" });
      const otherRatedId = addComplaint(db, { reference: "TS-2026-900006", subject: "D12", type: "attitude" });
      rateComplaint(db, ownRatedId, 1);
      rateComplaint(db, otherRatedId, 1);
      return {
        cookies: Object.fromEntries(Object.entries(staff).map(([r, s]) => [r, s.cookie])),
        userIds: Object.fromEntries(Object.entries(staff).map(([r, s]) => [r, s.id])),
        tokens: { token: addToken(db, "authz valid", false), revoked: addToken(db, "authz revoked", true) },
        ownCase: "TS-2026-900001",
        ownCaseId: ownId,
        otherCase: "TS-2026-900002",
        integrityCase: "TS-2026-900003",
        transferredIntegrityCase: "TS-2026-900004",
        ownPhoto: addPhoto(db, server.uploadDir, ownId),
        otherPhoto: addPhoto(db, server.uploadDir, otherId),
        transferredPhoto: addPhoto(db, server.uploadDir, transferredId),
        ownBatch: addRatingCodeBatch(db, { unit: "C01" }).batchId,
        otherBatch: addRatingCodeBatch(db, { unit: "D12" }).batchId,
        ownRectification: addRectification(db, { unit: "C01", itemKey: "authz-item" }),
        otherRectification: addRectification(db, { unit: "D12", itemKey: "authz-item" }),
        ownAppeal: addHandlingAppeal(db, { unit: "C01", complaintId: ownRatedId, evidence: "authz appeal of C01", filedBy: staff.head.id }),
        otherAppeal: addHandlingAppeal(db, { unit: "D12", complaintId: otherRatedId, evidence: "authz appeal of D12", filedBy: staff.head.id }),
        ownRatedCase: "TS-2026-900005",
        otherRatedCase: "TS-2026-900006",
      };
    })();
    worlds.set(server.databaseUrl, w);
  }
  return w;
}

// Outcome classes: a status code; "login" = a redirect to /staff/login?next=… (signed-out staff
// pages); ">/path" = a redirect to that path (query aside).
type Outcome = string;

interface Row {
  route: string;
  what: string;
  method: "GET" | "POST";
  url: (w: World) => string;
  body?: (w: World) => string;
  /** "fresh": the role's call gets a session of its own (a logout ends it). */
  freshSession?: boolean;
  /** A cookie every role's call also carries (the proof of having opened a complaint on /track). */
  extraCookie?: (w: World) => Promise<string>;
  /** Text (complaint references) that must not appear in a role's answer, e.g. in a list. */
  mustNotShow?: Partial<Record<Role, (w: World) => string[]>>;
  expect: Record<Role, Outcome>;
}

const SLUG = "satisfaction-2026";
const rows: Row[] = [];
function row(route: string, what: string, method: "GET" | "POST", url: string | ((w: World) => string), outcomes: string, extra: Partial<Row> = {}) {
  const list = outcomes.trim().split(/\s+/);
  if (list.length === 1) list.length = roleNames.length, list.fill(list[0] ?? "");
  if (list.length !== roleNames.length) throw new Error(`${route} ${what}: ${list.length} outcomes for ${roleNames.length} roles`);
  rows.push({
    route,
    what,
    method,
    url: typeof url === "string" ? () => url : url,
    expect: Object.fromEntries(roleNames.map((r, i) => [r, list[i]!])) as Record<Role, Outcome>,
    ...extra,
  });
}
const GET = (route: string, what: string, url: string | ((w: World) => string), outcomes: string, extra?: Partial<Row>) => row(route, what, "GET", url, outcomes, extra);
const POST = (route: string, what: string, url: string | ((w: World) => string), outcomes: string, extra?: Partial<Row>) => row(route, what, "POST", url, outcomes, extra);
const probe = (body: string | ((w: World) => string)) => ({ body: typeof body === "string" ? () => body : body });

// ─── The expectation table ──────────────────────────────────────────────────────────────────────
// Columns:                                                                        anon   staff  head   office integ  admin  revst  token  revoked
// Citizen pages: open to everyone, whoever is signed in.
GET("/", "home", "/", "200");
GET("/u/:code", "an active unit's short link", "/u/C01", `>/s/${SLUG}`);
GET("/u/:code", "an unknown unit", "/u/ZZ99", "404");
// Public results (docs/decisions/0020): only what the office published, the same for everyone.
GET("/results", "published results", "/results", "200");
GET("/results", "a period not published (or unknown)", "/results?period=2026", "404");
GET("/units/:code", "a unit's public page", "/units/C01", "200");
GET("/units/:code", "an unknown unit", "/units/ZZ99", "404");
GET("/units/:code", "the region (no page)", "/units/REG", "404");
GET("/method", "the published method", "/method", "200");
GET("/sitemap.xml", "the public pages", "/sitemap.xml", "200");
GET("/robots.txt", "what crawlers may read", "/robots.txt", "200");
GET("/s/:slug", "the survey for a unit", `/s/${SLUG}?unit=C01`, "200");
GET("/s/:slug", "an unknown survey", "/s/no-such-survey?unit=C01", "404");
POST("/s/:slug", "an empty answer", `/s/${SLUG}?unit=C01`, "400");
// A rating code that cannot be used: the refusal page (with its link to answer unverified), for anyone.
GET("/s/:slug", "an unknown rating code", `/s/${SLUG}?unit=C01&c=K7QM-2XWD-H9`, "409");
GET("/s/:slug/thanks", "thanks page", `/s/${SLUG}/thanks?unit=C01`, "200");
// Step 2 adds to the response its signed ticket names: without one there is nothing to add to.
POST("/s/:slug/thanks", "a detail without its ticket", `/s/${SLUG}/thanks?unit=C01`, "410");
GET("/complaints/new", "the complaint form", "/complaints/new?unit=C01", "200");
POST("/complaints/new", "an empty complaint", "/complaints/new?unit=C01", "400");
GET("/complaints/filed", "without the one-time cookie", "/complaints/filed", ">/track");
GET("/track", "the tracking form", "/track", "200");
// The opt-out link of notification e-mails: anyone with a signed link; without one, a 400 page.
GET("/notify/stop", "without its signed token", "/notify/stop", "400");
POST("/notify/stop", "without its signed token", "/notify/stop", "400");
POST("/track", "an empty look-up", "/track", "400");
// Citizens' links (issue 13): a signed link opens one complaint (or the list of a contact's) for
// whoever holds it, like the reference and code; a staff session adds nothing. Without a link, a
// forged one, one for another contact or an expired one: the translated 4xx page.
GET("/track/open", "without its signed token", "/track/open", "400");
GET("/track/open", "a forged token", "/track/open?t=1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.zzzzzz.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "400");
GET("/track/open", "own complaint's link, for its contact", (w) => caseLinkPath(w.ownCaseId, "+86 138 0000 0000"), "200");
GET("/track/open", "own complaint's id, signed for another contact", (w) => caseLinkPath(w.ownCaseId, "13800009999"), "404");
GET("/track/open", "own complaint's link, expired", (w) => caseLinkPath(w.ownCaseId, "+86 138 0000 0000", new Date(Date.now() - 1000)), "410");
POST("/track/open", "an empty rating", "/track/open", "400");
POST("/track/open", "a rating with another contact's link", (w) => caseLinkPath(w.ownCaseId, "13800009999"), "404", probe((w) => `${caseLinkPath(w.ownCaseId, "13800009999").split("?")[1]}&intent=rate&grade=5`));
// Deleting the contact details (issue 15): the step is a page (a read); the deletion needs the link's
// own contact and the step's confirmation, whoever else calls.
GET("/track/open", "own complaint's link, the deletion's confirmation step", (w) => `${caseLinkPath(w.ownCaseId, "+86 138 0000 0000")}&forget=1`, "200");
POST("/track/open", "a contact deletion with another contact's link", (w) => caseLinkPath(w.ownCaseId, "13800009999"), "404", probe((w) => `${caseLinkPath(w.ownCaseId, "13800009999").split("?")[1]}&intent=forget_contact&confirm=1`));
POST("/track/open", "a contact deletion with the own link, not confirmed", (w) => caseLinkPath(w.ownCaseId, "+86 138 0000 0000"), "400", probe((w) => `${caseLinkPath(w.ownCaseId, "+86 138 0000 0000").split("?")[1]}&intent=forget_contact`));
GET("/track/mine", "without its signed token", "/track/mine", "400");
GET("/track/mine", "the list of own complaint's contact", () => caseListPath("+86 138 0000 0000"), "200", {
  mustNotShow: Object.fromEntries(roleNames.map((r) => [r, (w: World) => [w.otherCase, w.integrityCase, w.transferredIntegrityCase]])),
});
GET("/track/mine", "an expired list", () => caseListPath("+86 138 0000 0000", new Date(Date.now() - 1000)), "410");
GET("/track/lost", "the 'I lost my code' form", "/track/lost", "200");
POST("/track/lost", "an empty request", "/track/lost", "400");
// A tracked complaint's photos: only with the proof that this browser opened that complaint on
// /track with its reference and code (a signed cookie, half an hour); a staff session is no proof.
const proofOf = (reference: (w: World) => string, opts?: { at?: number; secret?: string }) => ({ extraCookie: (w: World) => trackProofCookie(reference(w), opts) });
GET("/track/:reference/photos/:photoId", "own complaint's photo, without proof", (w) => `/track/${w.ownCase}/photos/${w.ownPhoto}`, "404");
GET("/track/:reference/photos/:photoId", "own complaint's photo, with its proof", (w) => `/track/${w.ownCase}/photos/${w.ownPhoto}`, "200", proofOf((w) => w.ownCase));
GET("/track/:reference/photos/:photoId", "another complaint's photo, with own proof", (w) => `/track/${w.otherCase}/photos/${w.otherPhoto}`, "404", proofOf((w) => w.ownCase));
GET("/track/:reference/photos/:photoId", "another complaint's photo under own reference", (w) => `/track/${w.ownCase}/photos/${w.otherPhoto}`, "404", proofOf((w) => w.ownCase));
GET("/track/:reference/photos/:photoId", "own photo, proof older than half an hour", (w) => `/track/${w.ownCase}/photos/${w.ownPhoto}`, "404", proofOf((w) => w.ownCase, { at: Date.now() - 31 * 60_000 }));
GET("/track/:reference/photos/:photoId", "own photo, proof signed with another secret", (w) => `/track/${w.ownCase}/photos/${w.ownPhoto}`, "404", proofOf((w) => w.ownCase, { secret: "forged-forged-forged-forged-forged-forged" }));

// Staff: the queue and the office's pages.
// The queue lists only cases the user may open: nobody else's, and integrity cases only for
// reviewers independent of the accused unit (wherever the case has been transferred).
GET("/staff", "the queue", "/staff",                                                  "login  200    200    200    200    >/staff/units 200 login login", {
  mustNotShow: {
    staff: (w) => [w.otherCase, w.integrityCase, w.transferredIntegrityCase],
    head: (w) => [w.otherCase, w.integrityCase, w.transferredIntegrityCase],
    integ: (w) => [w.ownCase, w.otherCase],
    revst: (w) => [w.ownCase, w.otherCase, w.integrityCase, w.transferredIntegrityCase],
  },
});
GET("/staff/overdue", "late complaints", "/staff/overdue",                           "login  403    403    200    403    403    403    login  login");
GET("/staff/calendar", "the working-day calendar", "/staff/calendar",                "login  403    403    200    403    403    403    login  login");
POST("/staff/calendar", "an empty change", "/staff/calendar",                        "login  403    403    400    403    403    403    login  login");

// Cases: a user's own unit's case, another unit's, and integrity cases (in place, and
// transferred by the accused unit C02 to C01).
GET("/staff/cases/:reference", "own unit's case (C01)", (w) => `/staff/cases/${w.ownCase}`,                 "login  200    200    200    404    404    404    login  login");
GET("/staff/cases/:reference", "another unit's case (D12)", (w) => `/staff/cases/${w.otherCase}`,           "login  404    404    200    404    404    404    login  login");
GET("/staff/cases/:reference", "integrity case against C02", (w) => `/staff/cases/${w.integrityCase}`,      "login  404    404    200    200    404    404    login  login");
GET("/staff/cases/:reference", "integrity case C02 → C01", (w) => `/staff/cases/${w.transferredIntegrityCase}`, "login 404  404    200    200    404    404    login  login");
GET("/staff/cases/:reference", "an unknown reference", "/staff/cases/TS-2026-999999",                       "login  404    404    404    404    404    404    login  login");
POST("/staff/cases/:reference", "empty post, own unit's case", (w) => `/staff/cases/${w.ownCase}`,          "login  400    400    400    404    404    404    login  login");
POST("/staff/cases/:reference", "empty post, another unit's case", (w) => `/staff/cases/${w.otherCase}`,    "login  404    404    400    404    404    404    login  login");
POST("/staff/cases/:reference", "empty post, integrity C02 → C01", (w) => `/staff/cases/${w.transferredIntegrityCase}`, "login 404 404  400    400    404    404    login  login");
// A transfer to the unit that already has the case: refused (400) by the action itself, after
// the permission checks, so it shows who may act without anything being changed.
POST("/staff/cases/:reference", "transfer probe, own unit's case", (w) => `/staff/cases/${w.ownCase}`,      "login  400    400    403    404    404    404    login  login", probe("intent=transfer&toUnit=C01&note=probe"));
POST("/staff/cases/:reference", "transfer probe, another unit's", (w) => `/staff/cases/${w.otherCase}`,     "login  404    404    403    404    404    404    login  login", probe("intent=transfer&toUnit=D12&note=probe"));
POST("/staff/cases/:reference", "transfer probe, integrity in place", (w) => `/staff/cases/${w.integrityCase}`, "login 404 404   403    400    404    404    login  login", probe("intent=transfer&toUnit=C02&note=probe"));
POST("/staff/cases/:reference", "transfer probe, integrity C02 → C01", (w) => `/staff/cases/${w.transferredIntegrityCase}`, "login 404 404 403 400  404    404    login  login", probe("intent=transfer&toUnit=C01&note=probe"));
POST("/staff/cases/:reference", "contact probe, integrity C02 → C01", (w) => `/staff/cases/${w.transferredIntegrityCase}`, "login 404 404 403 400  404    404    login  login", probe("intent=view_contact"));
// A call-back record (差评回访) with nothing filled in: the handling staff reach the form's checks
// (400), the office sees the case but does not handle it (403), everyone else gets 404.
POST("/staff/cases/:reference", "call-back probe, own unit's case", (w) => `/staff/cases/${w.ownCase}`,    "login  400    400    403    404    404    404    login  login", probe("intent=follow_up"));
POST("/staff/cases/:reference", "call-back probe, another unit's", (w) => `/staff/cases/${w.otherCase}`,   "login  404    404    403    404    404    404    login  login", probe("intent=follow_up"));
POST("/staff/cases/:reference", "call-back probe, integrity C02 → C01", (w) => `/staff/cases/${w.transferredIntegrityCase}`, "login 404 404 403 400  404    404    login  login", probe("intent=follow_up"));
GET("/staff/cases/:reference/photos/:photoId", "own unit's photo", (w) => `/staff/cases/${w.ownCase}/photos/${w.ownPhoto}`,               "login 200 200 200 404 404 404 login login");
GET("/staff/cases/:reference/photos/:photoId", "another unit's photo", (w) => `/staff/cases/${w.otherCase}/photos/${w.otherPhoto}`,       "login 404 404 200 404 404 404 login login");
GET("/staff/cases/:reference/photos/:photoId", "another case's photo under own case", (w) => `/staff/cases/${w.ownCase}/photos/${w.otherPhoto}`, "login 404 404 404 404 404 404 login login");
GET("/staff/cases/:reference/photos/:photoId", "photo of integrity C02 → C01", (w) => `/staff/cases/${w.transferredIntegrityCase}/photos/${w.transferredPhoto}`, "login 404 404 200 200 404 404 login login");

// Scores.
GET("/staff/scores", "the office's dashboard", "/staff/scores",                      "login  403    403    200    403    403    403    login  login");
GET("/staff/scores/:unitCode", "own unit (C01)", "/staff/scores/C01",                "login  200    200    200    403    403    403    login  login");
GET("/staff/scores/:unitCode", "another unit (D12)", "/staff/scores/D12",            "login  403    403    200    403    403    403    login  login");
GET("/staff/scores/:unitCode", "the reviewer's unit (C02)", "/staff/scores/C02",     "login  403    403    200    403    403    200    login  login");
GET("/staff/scores/:unitCode", "the region (no page)", "/staff/scores/REG",          "login  404    404    404    404    404    404    login  login");
POST("/staff/scores/:unitCode", "empty moderation", "/staff/scores/C01",             "login  403    403    400    403    403    403    login  login");
GET("/staff/periods", "periods", "/staff/periods",                                   "login  403    403    200    403    403    403    login  login");
POST("/staff/periods", "empty new period", "/staff/periods",                         "login  403    403    400    403    403    403    login  login");
GET("/staff/periods/:code", "period 2026", "/staff/periods/2026",                    "login  403    403    200    403    403    403    login  login");
GET("/staff/periods/:code", "an unknown period", "/staff/periods/1999",              "login  403    403    404    403    403    403    login  login");
POST("/staff/periods/:code", "empty change", "/staff/periods/2026",                  "login  403    403    400    403    403    403    login  login");
// A withdrawal without a reason: refused by the form after the guards, nothing published or withdrawn.
POST("/staff/periods/:code", "withdraw probe", "/staff/periods/2026",                "login  403    403    400    403    403    403    login  login", probe("intent=withdraw&withdrawReason=x"));
GET("/staff/periods/:code/responses.csv", "raw responses", "/staff/periods/2026/responses.csv", "login 403 403 200  403    403    403    login  login");
GET("/staff/periods/:code/scores.csv", "scores", "/staff/periods/2026/scores.csv",   "login  403    403    200    403    403    403    login  login");
// The period's 通报 report and its PDF (printed by the test's Chromium): the office only.
GET("/staff/periods/:code/report", "report of 2026", "/staff/periods/2026/report",       "login  403    403    200    403    403    403    login  login");
GET("/staff/periods/:code/report", "an unknown period", "/staff/periods/1999/report",    "login  403    403    404    403    403    403    login  login");
GET("/staff/periods/:code/report.pdf", "PDF of 2026", "/staff/periods/2026/report.pdf",  "login  403    403    200    403    403    403    login  login");
GET("/staff/periods/:code/report.pdf", "an unknown period", "/staff/periods/1999/report.pdf", "login 403 403 404    403    403    403    login  login");
GET("/staff/tokens", "API tokens", "/staff/tokens",                                  "login  403    403    200    403    403    403    login  login");
POST("/staff/tokens", "empty change", "/staff/tokens",                               "login  403    403    400    403    403    403    login  login");
GET("/staff/reviewers", "integrity reviewers", "/staff/reviewers",                   "login  403    403    200    403    403    403    login  login");
POST("/staff/reviewers", "empty change", "/staff/reviewers",                         "login  403    403    400    403    403    403    login  login");

// Administration.
GET("/staff/units", "the unit tree", "/staff/units",                                 "login  403    403    200    403    200    403    login  login");
POST("/staff/units", "empty new unit", "/staff/units",                               "login  403    403    400    403    400    403    login  login");
GET("/staff/units/:code", "unit C01", "/staff/units/C01",                            "login  403    403    200    403    200    403    login  login");
GET("/staff/units/:code", "an unknown unit", "/staff/units/ZZ99",                    "login  403    403    404    403    404    403    login  login");
POST("/staff/units/:code", "empty change", "/staff/units/C01",                       "login  403    403    400    403    400    403    login  login");
GET("/staff/accounts", "accounts", "/staff/accounts",                                "login  403    403    403    403    200    403    login  login");
POST("/staff/accounts", "empty new account", "/staff/accounts",                      "login  403    403    403    403    400    403    login  login");
GET("/staff/accounts/:id", "the unit staff's account", (w) => `/staff/accounts/${w.userIds.staff}`, "login 403 403 403 403 200    403    login  login");
GET("/staff/accounts/:id", "an unknown account", "/staff/accounts/999999",           "login  403    403    403    403    404    403    login  login");
POST("/staff/accounts/:id", "empty change", (w) => `/staff/accounts/${w.userIds.staff}`, "login 403  403    403    403    400    403    login  login");
// The notification outbox (contacts, even masked, and resending): administrators only.
GET("/staff/notifications", "the notification outbox", "/staff/notifications",       "login  403    403    403    403    200    403    login  login");
POST("/staff/notifications", "a retry without an id", "/staff/notifications",        "login  403    403    403    403    400    403    login  login", probe("intent=retry"));
// Each account's own notifications and settings (issue 13): every signed-in account, its own only.
GET("/staff/inbox", "own notifications", "/staff/inbox",                              "login  200    200    200    200    200    200    login  login");
POST("/staff/inbox", "a read without an id", "/staff/inbox",                          "login  400    400    400    400    400    400    login  login", probe("intent=read"));
GET("/staff/inbox/settings", "own notification settings", "/staff/inbox/settings",    "login  200    200    200    200    200    200    login  login");
POST("/staff/inbox/settings", "empty settings", "/staff/inbox/settings",              "login  400    400    400    400    400    400    login  login");
GET("/staff/audit", "the audit log", "/staff/audit",                                 "login  403    403    200    403    200    403    login  login");

// Surveys: the office authors them; unit roles read their own units' results.
GET("/staff/surveys", "the survey list", "/staff/surveys",                           "login  200    200    200    403    403    200    login  login");
POST("/staff/surveys", "empty new survey", "/staff/surveys",                         "login  403    403    400    403    403    403    login  login");
GET("/staff/surveys/:slug", "the editor", `/staff/surveys/${SLUG}`,                  "login  403    403    200    403    403    403    login  login");
GET("/staff/surveys/:slug", "an unknown survey", "/staff/surveys/no-such-survey",    "login  403    403    404    403    403    403    login  login");
// An empty post is a save from a page that was never drawn: refused as stale (409), not saved.
POST("/staff/surveys/:slug", "empty save", `/staff/surveys/${SLUG}`,                 "login  403    403    409    403    403    403    login  login");
GET("/staff/surveys/:slug/preview", "preview", `/staff/surveys/${SLUG}/preview`,     "login  403    403    200    403    403    403    login  login");
GET("/staff/surveys/:slug/preview/frame", "preview frame", `/staff/surveys/${SLUG}/preview/frame`, "login 403 403 200  403    403    403    login  login");
POST("/staff/surveys/:slug/preview/frame", "empty preview answer", `/staff/surveys/${SLUG}/preview/frame`, "login 403 403 400 403 403 403 login  login");
GET("/staff/surveys/:slug/history", "history", `/staff/surveys/${SLUG}/history`,     "login  403    403    200    403    403    403    login  login");
GET("/staff/surveys/:slug/results", "results, own units", `/staff/surveys/${SLUG}/results`, "login 200 200    200    403    403    200    login  login");
GET("/staff/surveys/:slug/results", "results of D12", `/staff/surveys/${SLUG}/results?unit=D12`, "login 403 403 200    403    403    403    login  login");
GET("/staff/surveys/:slug/results.csv", "results CSV, own units", `/staff/surveys/${SLUG}/results.csv`, "login 200 200 200 403 403 200  login  login");
GET("/staff/surveys/:slug/results.csv", "results CSV of D12", `/staff/surveys/${SLUG}/results.csv?unit=D12`, "login 403 403 200 403 403 403 login login");
GET("/staff/surveys/:slug/distribution", "links and posters", `/staff/surveys/${SLUG}/distribution`, "login 403 403 200 403 403 403 login  login");
POST("/staff/surveys/:slug/distribution", "empty change", `/staff/surveys/${SLUG}/distribution`, "login 403 403 400 403 403 403  login  login");
GET("/staff/surveys/:slug/posters", "a poster", `/staff/surveys/${SLUG}/posters?unit=C01&size=a5`, "login 403 403 200 403 403 403 login login");
GET("/staff/surveys/:slug/export.json", "the published definition", `/staff/surveys/${SLUG}/export.json`, "login 403 403 200 403 403 403 login login");
GET("/staff/surveys/:slug/qr/:file", "a QR code", `/staff/surveys/${SLUG}/qr/C01.svg`, "login  403    403    200    403    403    403    login  login");

// Single-use rating codes: a unit's staff and heads for their own units, the office for every unit.
// A probe for D12 with an invalid lifetime: refused (403) for C01's roles before the form is read,
// 400 for the office, and nothing is issued either way.
GET("/staff/codes", "issuing page and batches", "/staff/codes",                     "login  200    200    200    403    403    200    login  login");
POST("/staff/codes", "an empty issue", "/staff/codes",                               "login  400    400    400    403    403    400    login  login");
POST("/staff/codes", "counter probe for D12", "/staff/codes",                        "login  403    403    400    403    403    403    login  login", probe(`intent=counter&unit=D12&survey=${SLUG}&after=0&hours=0`));
POST("/staff/codes", "counter probe for C01", "/staff/codes",                        "login  400    400    400    403    403    403    login  login", probe(`intent=counter&unit=C01&survey=${SLUG}&after=0&hours=0`));
GET("/staff/codes/:batchId", "own unit's batch (C01)", (w) => `/staff/codes/${w.ownBatch}`, "login 200 200   200    403    403    404    login  login");
GET("/staff/codes/:batchId", "another unit's batch (D12)", (w) => `/staff/codes/${w.otherBatch}`, "login 404 404 200  403    403    404    login  login");
GET("/staff/codes/:batchId", "an unknown batch", "/staff/codes/999999",              "login  404    404    404    403    403    404    login  login");
POST("/staff/codes/:batchId", "empty revoke, own unit's batch", (w) => `/staff/codes/${w.ownBatch}`, "login 400 400 400 403 403 404  login  login", probe("intent=revoke"));
POST("/staff/codes/:batchId", "empty revoke, another unit's", (w) => `/staff/codes/${w.otherBatch}`, "login 404 404 400 403  403    404    login  login", probe("intent=revoke"));
// The anomalies review: the office's alone (unit staff and heads included get 403 before anything
// about the unit or the day is looked up). An empty action is refused after the guards.
GET("/staff/anomalies", "the office's anomalies", "/staff/anomalies",                  "login  403    403    200    403    403    403    login  login");
GET("/staff/anomalies", "one unit's days (C01)", "/staff/anomalies?unit=C01",         "login  403    403    200    403    403    403    login  login");
GET("/staff/anomalies/:unitCode/:day", "a day of own unit (C01)", "/staff/anomalies/C01/2026-11-12", "login 403 403 200 403 403 403  login  login");
GET("/staff/anomalies/:unitCode/:day", "an unknown unit", "/staff/anomalies/ZZ99/2026-11-12", "login 403  403    404    403    403    403    login  login");
GET("/staff/anomalies/:unitCode/:day", "an impossible day", "/staff/anomalies/C01/2026-02-30", "login 403 403  404    403    403    403    login  login");
POST("/staff/anomalies/:unitCode/:day", "an empty action", "/staff/anomalies/C01/2026-11-12", "login 403 403   400    403    403    403    login  login");
POST("/staff/anomalies/:unitCode/:day", "exclude probe without a reason", "/staff/anomalies/C01/2026-11-12", "login 403 403 400 403 403 403 login login", probe("intent=exclude&cluster=all&seen=1"));

// 差评整改 (issue 14): unit staff and heads read their units' records, only heads write the cause
// and measures, only the office opens, accepts, returns and publishes. A record of another unit is
// 404 like a missing one. Probes are refused after the guards, so nothing changes.
GET("/staff/rectifications", "records (own units; the office all)", "/staff/rectifications", "login 200 200  200    403    403    200    login  login", {
  mustNotShow: {
    staff: (w) => [`data-rectification="${w.otherRectification}"`],
    head: (w) => [`data-rectification="${w.otherRectification}"`],
    revst: (w) => [`data-rectification="${w.ownRectification}"`, `data-rectification="${w.otherRectification}"`],
  },
});
POST("/staff/rectifications", "an empty opening", "/staff/rectifications",            "login  403    403    400    403    403    403    login  login");
POST("/staff/rectifications", "opening probe, not a candidate", "/staff/rectifications", "login 403  403    409    403    403    403    login  login", probe("period=2026&unit=C01&subject=item:no-such-item"));
GET("/staff/rectifications/:id", "own unit's record (C01)", (w) => `/staff/rectifications/${w.ownRectification}`, "login 200 200 200 404 404 404 login login");
GET("/staff/rectifications/:id", "another unit's record (D12)", (w) => `/staff/rectifications/${w.otherRectification}`, "login 404 404 200 404 404 404 login login");
GET("/staff/rectifications/:id", "an unknown record", "/staff/rectifications/999999", "login  404    404    404    404    404    404    login  login");
POST("/staff/rectifications/:id", "empty post, own unit's", (w) => `/staff/rectifications/${w.ownRectification}`, "login 400 400 400 404 404 404 login login");
POST("/staff/rectifications/:id", "submit probe, own unit's", (w) => `/staff/rectifications/${w.ownRectification}`, "login 403 400 403 404 404 404 login login", probe("intent=submit&cause=x&measures=x"));
POST("/staff/rectifications/:id", "submit probe, another unit's", (w) => `/staff/rectifications/${w.otherRectification}`, "login 404 404 403 404 404 404 login login", probe("intent=submit&cause=x&measures=x"));
POST("/staff/rectifications/:id", "accept probe, own unit's (still open)", (w) => `/staff/rectifications/${w.ownRectification}`, "login 403 403 409 404 404 404 login login", probe("intent=decide&decision=accept&note="));
POST("/staff/rectifications/:id", "publish probe, own unit's (not accepted)", (w) => `/staff/rectifications/${w.ownRectification}`, "login 403 403 409 404 404 404 login login", probe("intent=publish"));
// 申诉: heads appeal their unit's ratings; unit staff read; the office decides. Another unit's
// appeal is 404; a rating that is not the user's to appeal is 404 (a case) or 403 (a unit's comments).
GET("/staff/appeals", "appeals (own units; the office all)", "/staff/appeals",        "login  200    200    200    403    403    200    login  login", {
  mustNotShow: { staff: () => ["authz appeal of D12"], head: () => ["authz appeal of D12"], revst: () => ["authz appeal of C01", "authz appeal of D12"] },
});
GET("/staff/appeals/:id", "own unit's appeal (C01)", (w) => `/staff/appeals/${w.ownAppeal}`, "login 200 200 200 404 404 404 login login");
GET("/staff/appeals/:id", "another unit's appeal (D12)", (w) => `/staff/appeals/${w.otherAppeal}`, "login 404 404 200 404 404 404 login login");
GET("/staff/appeals/:id", "an unknown appeal", "/staff/appeals/999999",               "login  404    404    404    404    404    404    login  login");
POST("/staff/appeals/:id", "empty decision, own unit's", (w) => `/staff/appeals/${w.ownAppeal}`, "login 403 403 400 404 404 404 login login");
POST("/staff/appeals/:id", "empty decision, another unit's", (w) => `/staff/appeals/${w.otherAppeal}`, "login 404 404 400 404 404 404 login login");
POST("/staff/appeals/:id", "reversal probe without a reason", (w) => `/staff/appeals/${w.ownAppeal}`, "login 403 403 400 404 404 404 login login", probe("intent=reverse"));
GET("/staff/appeals/new", "own unit's handling rating", (w) => `/staff/appeals/new?case=${w.ownRatedCase}`, "login 404 200 404 404 404 404 login login");
GET("/staff/appeals/new", "another unit's handling rating", (w) => `/staff/appeals/new?case=${w.otherRatedCase}`, "login 404 404 404 404 404 404 login login");
GET("/staff/appeals/new", "an unrated case", (w) => `/staff/appeals/new?case=${w.ownCase}`, "login 404 404 404 404 404 404 login login");
GET("/staff/appeals/new", "nothing named", "/staff/appeals/new",                       "login  404    404    404    404    404    404    login  login");
GET("/staff/appeals/new", "a comment of another unit (D12)", "/staff/appeals/new?unit=D12&period=2026&comment=x", "login 403 403 403 403 403 403 login login");
GET("/staff/appeals/new", "an unknown comment of own unit", "/staff/appeals/new?unit=C01&period=2026&comment=x", "login 403 404 403 403 403 403 login login");
POST("/staff/appeals/new", "nothing named", "/staff/appeals/new",                      "login  404    404    404    404    404    404    login  login");
POST("/staff/appeals/new", "empty appeal of own unit's rating", "/staff/appeals/new", "login 404 400 404 404 404 404 login login", probe((w) => `case=${w.ownRatedCase}`));

// Signing in and out.
GET("/staff/login", "the sign-in form", "/staff/login",                              "200    >/staff >/staff >/staff >/staff >/staff >/staff 200 200");
// Signed in already: the sign-in page sends the user on (its loader runs after the action).
POST("/staff/login", "an empty sign-in", "/staff/login",                             "400    >/staff >/staff >/staff >/staff >/staff >/staff 400 400");
GET("/staff/logout", "a link, not a form", "/staff/logout",                          ">/staff");
POST("/staff/logout", "signing out", "/staff/logout",                                ">/staff/login", { freshSession: true });
GET("/staff/password", "the password form", "/staff/password",                       "login  200    200    200    200    200    200    login  login");
POST("/staff/password", "an empty change", "/staff/password",                        "login  400    400    400    400    400    400    login  login");

// The API: public units; the scores only with a valid token (a staff cookie is no token).
GET("/api/v1/units", "units (public)", "/api/v1/units", "200");
GET("/api/v1/periods", "periods", "/api/v1/periods",                                 "401    401    401    401    401    401    401    200    401");
GET("/api/v1/periods/:id/scores", "scores of 2026", "/api/v1/periods/2026/scores",   "401    401    401    401    401    401    401    200    401");
GET("/api/v1/periods/:id/scores", "an unknown period", "/api/v1/periods/1999/scores", "401   401    401    401    401    401    401    404    401");
GET("/healthz", "health check", "/healthz", "200");
// Operations (docs/operations.md): the worker's server has no METRICS_TOKEN, so /metrics is off
// (the unknown page's 404) for everyone, API tokens included; its access rule is tested in
// operations-metrics.spec.ts. /readyz is for load balancers: open, and says nothing private.
GET("/metrics", "off without METRICS_TOKEN", "/metrics", "404");
GET("/readyz", "readiness", "/readyz", "200");
GET("/*", "an unknown page", "/no/such/page", "404");
// ────────────────────────────────────────────────────────────────────────────────────────────────

test("every route of app/routes.ts has rows in the authorization matrix", () => {
  const problems: string[] = [];
  const known = new Set(appRoutes().map((r) => r.pattern));
  for (const r of appRoutes()) {
    if (!rows.some((row) => row.route === r.pattern && row.method === "GET")) problems.push(`${r.pattern} (${r.file}) has no GET row in the authorization matrix`);
    if (r.hasAction && !rows.some((row) => row.route === r.pattern && row.method === "POST")) problems.push(`${r.pattern} (${r.file}) takes posts but has no POST row in the authorization matrix`);
  }
  for (const row of rows) if (!known.has(row.route)) problems.push(`matrix row "${row.route}" (${row.what}) names no route of app/routes.ts`);
  expect(problems, problems.join("\n")).toEqual([]);
});

function classify(status: number, location: string | null): Outcome {
  if (status >= 300 && status < 400 && location) {
    const target = new URL(location, "http://x");
    if (target.pathname === "/staff/login" && target.searchParams.has("next")) return "login";
    return `>${target.pathname}`;
  }
  return String(status);
}

test("every role gets the expected outcome on every route", async ({ server, db }) => {
  test.setTimeout(180_000);
  const w = await world(db, server);
  const headersFor = async (role: Role, fresh: boolean): Promise<Record<string, string>> => {
    if (role === "token") return { authorization: `Bearer ${w.tokens.token}` };
    if (role === "revoked") return { authorization: `Bearer ${w.tokens.revoked}` };
    if (role === "anon") return {};
    return { cookie: fresh ? await sessionFor(db, w.userIds[role]!) : w.cookies[role]! };
  };
  const withCookie = (headers: Record<string, string>, extra: string | null): Record<string, string> =>
    extra ? { ...headers, cookie: headers.cookie ? `${headers.cookie}; ${extra}` : extra } : headers;
  const failures: string[] = [];
  let cells = 0;
  const written: string[] = [];
  // Pages (not resource routes) also answer data requests (`/path.data`), which the browser's
  // scripts make on navigation: the same loaders, so the same outcome for every role.
  const pageRoutes = new Set(appRoutes().filter((r) => r.file.endsWith(".tsx")).map((r) => r.pattern));
  const dataUrl = (url: string) => {
    const u = new URL(url, "http://x");
    return `${u.pathname === "/" ? "/_" : u.pathname}.data${u.search}`;
  };
  // A data request answers a redirect with 202 and [["SingleFetchRedirect", …], …, "redirect", target, …].
  const dataRedirect = (status: number, body: string): string | null => {
    if (status !== 202 || !body.startsWith('[["SingleFetchRedirect"')) return null;
    const parts = JSON.parse(body) as unknown[];
    const target = parts[parts.indexOf("redirect") + 1];
    return typeof target === "string" ? target : null;
  };
  let dataCells = 0;
  for (const r of rows) {
    const url = r.url(w);
    const before = r.method === "POST" ? rowCounts(db) : null;
    await Promise.all(
      roleNames.map(async (role) => {
        const headers = withCookie(await headersFor(role, Boolean(r.freshSession)), (await r.extraCookie?.(w)) ?? null);
        // Each call from its own loopback address: limits counted per network (refused API calls,
        // sign-in) must not turn the matrix's answers, or other tests', into 429s.
        const send = (path: string, post: boolean) =>
          rawRequest(server.url, {
            method: post ? "POST" : "GET",
            path,
            headers: Object.entries(post ? { ...headers, origin: server.url, "content-type": "application/x-www-form-urlencoded" } : headers),
            body: post ? (r.body?.(w) ?? "") : undefined,
          });
        const res = await send(url, r.method === "POST");
        const body = res.body;
        const got = classify(res.status, res.headers.location ?? null);
        cells++;
        const where = `${r.method} ${url} (${r.route}: ${r.what}) as ${role} [${ROLES[role]}]`;
        if (got !== r.expect[role]) failures.push(`${where}: expected ${r.expect[role]}, got ${got}`);
        // Signing in leads back to the page asked for.
        const nextOf = (location: string) => new URL(location, "http://x").searchParams.get("next");
        if (got === "login" && r.method === "GET" && nextOf(res.headers.location!) !== url) failures.push(`${where}: sign-in would lead back to ${nextOf(res.headers.location!)}`);
        for (const text of r.mustNotShow?.[role]?.(w) ?? []) if (body.includes(text)) failures.push(`${where}: the answer shows ${text}`);
        if (r.method === "GET" && pageRoutes.has(r.route)) {
          const data = await send(dataUrl(url), false);
          const dataBody = data.body;
          const redirectTo = dataRedirect(data.status, dataBody);
          const gotData = redirectTo ? classify(302, redirectTo) : classify(data.status, data.headers.location ?? null);
          dataCells++;
          if (gotData !== r.expect[role]) failures.push(`${where}, as a data request (${dataUrl(url)}): expected ${r.expect[role]}, got ${gotData}`);
          const dataNext = nextOf(redirectTo ?? data.headers.location ?? "");
          if (gotData === "login" && dataNext !== url) failures.push(`${where}, as a data request: sign-in would lead back to ${dataNext}, not the page`);
          for (const text of r.mustNotShow?.[role]?.(w) ?? []) if (dataBody.includes(text)) failures.push(`${where}, as a data request: the answer shows ${text}`);
        }
      }),
    );
    if (before) {
      // Empty posts and probes change nothing (a logout ends only the session made for it).
      const changed = countChanges(before, rowCounts(db));
      if (r.freshSession) delete changed.Session;
      if (Object.keys(changed).length) written.push(`POST ${url} (${r.what}) wrote ${JSON.stringify(changed)}`);
    }
  }
  const routes = new Set(rows.map((r) => r.route)).size;
  console.log(
    `authorization matrix: ${routes} routes, ${roleNames.length} roles, ${rows.length} rows, ${cells + dataCells} cells checked (${cells} documents and posts, ${dataCells} data requests), ${failures.length} wrong`,
  );
  expect(failures, failures.join("\n")).toEqual([]);
  expect(written, written.join("\n")).toEqual([]);
});
