// A retention pass on a real SQLite database (app/services/retention.server.ts): the dry run counts
// and changes nothing; apply erases exactly what is due (contacts and photos of complaints closed
// long enough ago, network hashes of closed complaints and of frozen periods' responses, old
// notification addresses, API calls, expired sessions, the device log), records one audit event
// per kind without any contact, and a second apply erases nothing more. The figures never move:
// tallies, snapshots, responses, answers and flags are the same, and the audit recomputation still
// equals them. The daily job runs once per region day across processes; the citizen's own request
// erases one complaint's contact and cancels its waiting messages.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prng } from "#app/lib/prng";
import { freshTestDatabase, testDatabaseKind } from "./support/test-db";

const { dir, dbFile } = freshTestDatabase("retention");
const uploads = path.join(dir, "uploads");
process.env.UPLOAD_DIR = uploads;

const { db: database, dbDateTime, getDb } = await import("#app/lib/db.server");
const { openPostgres } = await import("#app/lib/db/postgres.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { submitResponse } = await import("#app/models/response.server");
const { resolveSurvey } = await import("#app/services/citizen-survey.server");
const { listUnits } = await import("#app/models/unit.server");
const { getPeriod } = await import("#app/models/period.server");
const { closePeriod, snapshotFigures } = await import("#app/services/snapshots.server");
const { auditPeriod, computeFigures } = await import("#app/services/scores.server");
const { contactKeys } = await import("#app/models/case-links.server");
const { contactHash, retryNotification } = await import("#app/models/notification.server");
const { RETENTION_DEFAULTS } = await import("#app/domain/retention");
const { dailyRetention, eraseContactForCitizen, retentionPass } = await import("#app/services/retention.server");

/** Moments in region time (UTC+8). */
const local = (s: string) => new Date(`${s}+08:00`);
/** The pass's clock: 15 March 2028, 04:00 in the region. */
const NOW = local("2028-03-15T04:00:00");
/** The figures are compared as of one fixed moment. */
const FIGURES_AT = local("2026-12-31T12:00:00");
const settings = RETENTION_DEFAULTS;

const ref = (n: number) => `TS-2026-7000${n}`;
/** What each test complaint is, and what retention owes it at NOW (24 months for contacts and photos, 12 for network hashes). */
const CASES = {
  // Closed 2026-03-10: over 24 months before NOW: contacts, photos and network hashes go.
  old: { n: 1, status: "closed", closedAt: local("2026-03-10T10:00:00"), contact: true, photos: 2 },
  // Closed 2026-11-20: under 24 months: contacts and photos stay; network hashes (12 months) go.
  recent: { n: 2, status: "closed", closedAt: local("2026-11-20T10:00:00"), contact: true, photos: 1 },
  // Filed early in 2026 and still in handling: never touched.
  open: { n: 3, status: "in_progress", closedAt: null, contact: true, photos: 1 },
  // Rejected long ago, anonymous: only its network hash.
  rejected: { n: 4, status: "rejected", closedAt: local("2026-02-15T10:00:00"), contact: false, photos: 0 },
  // Answered but never closed: open, never touched.
  replied: { n: 5, status: "replied", closedAt: null, contact: true, photos: 0 },
  // Closed on 2026-03-15 at 05:00, an hour after NOW's time 24 months back: contacts stay (network hashes go).
  edge: { n: 6, status: "closed", closedAt: local("2026-03-15T05:00:00"), contact: true, photos: 0 },
} as const;
type CaseName = keyof typeof CASES;
const emailOf = (name: CaseName) => `${name}.citizen@example.cn`;
const phoneOf = (n: number) => `1380000000${n}`;
const ids = {} as Record<CaseName, number>;
let periodId = 0;
let responses = 0;

const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");

beforeAll(async () => {
  const db = await getDb();
  await seedStructure(db);
  const survey = await resolveSurvey("satisfaction-2026", local("2026-06-01T10:00:00"));
  periodId = survey.periodId;
  const units = (await listUnits()).filter((u) => u.kind !== "region");
  const rand = prng(15);
  // Responses with network hashes and device ids, some flagged: what the figures are made of.
  for (let i = 0; i < 120; i++) {
    const answers: Record<string, { kind: "grade"; grade: 1 | 2 | 3 | 4 | 5 }> = {};
    for (const q of survey.version.questions) {
      if (q.kind === "grade_core" || q.kind === "grade_diagnostic") answers[q.key] = { kind: "grade", grade: (1 + Math.floor(rand() * 5)) as 1 | 2 | 3 | 4 | 5 };
    }
    const result = await submitResponse({
      survey,
      unitId: units[i % 5]!.id,
      lang: "zh-Hans",
      channel: "link",
      deviceId: `device-${i}`,
      visitId: null,
      ipHash: `net-${i % 40}`,
      startedAt: null,
      submittedAt: new Date(Date.UTC(2026, Math.floor(rand() * 11), 1 + Math.floor(rand() * 27), 3, i)),
      flags: (i % 11 === 0 ? ["too_fast"] : []) as never,
      answers,
    });
    expect(result.ok).toBe(true);
  }
  responses = 120;

  // Complaints of the first unit, each with its own story (CASES).
  fs.mkdirSync(uploads, { recursive: true });
  const unit = units[0]!;
  for (const [name, c] of Object.entries(CASES) as [CaseName, (typeof CASES)[CaseName]][]) {
    const submittedAt = local(`2026-0${1 + (c.n % 3)}-0${c.n}T10:00:00`);
    const contact = c.contact ? { contactName: "王丽", contactEmail: emailOf(name), contactPhone: phoneOf(c.n), ...contactKeys(emailOf(name), phoneOf(c.n)) } : {};
    const row = await db.complaint.create({
      data: {
        reference: ref(c.n),
        accessCodeHash: "x",
        unitId: unit.id,
        subjectUnitId: unit.id,
        type: "slow_action",
        status: c.status,
        description: "办理营业执照等了六个星期。",
        lang: "zh-Hans",
        anonymous: !c.contact,
        ...contact,
        consentAt: submittedAt,
        submittedAt,
        acceptDueAt: new Date(submittedAt.getTime() + 2 * DAY),
        replyDueAt: new Date(submittedAt.getTime() + 15 * DAY),
        repliedAt: c.status === "closed" || c.status === "replied" ? new Date(submittedAt.getTime() + 5 * DAY) : null,
        closedAt: c.closedAt,
        handlingGrade: c.status === "closed" ? 4 : null,
        ratedAt: c.status === "closed" ? c.closedAt : null,
        ipHash: `complaint-net-${c.n}`,
        deviceId: `complaint-device-${c.n}`,
      },
    });
    ids[name] = row.id;
    for (let p = 0; p < c.photos; p++) {
      const storedName = `${name}-${p}-${"0".repeat(20)}.jpg`;
      fs.writeFileSync(path.join(uploads, storedName), "jpeg bytes");
      await db.complaintPhoto.create({ data: { complaintId: row.id, storedName, contentType: "image/jpeg", size: 10, width: 10, height: 10 } });
    }
  }

  // The outbox: old sent messages (their addresses go), recent ones (stay), a waiting message to
  // the old case's citizen (cancelled with the contact) and one to a staff address about it (stays).
  const note = (n: { recipient: string; status: string; complaintId?: number | null; sentAt?: Date | null; createdAt: Date; kind?: string }) =>
    db.notification.create({
      data: {
        messageId: `<${Math.random().toString(36).slice(2)}@test>`,
        kind: n.kind ?? "complaint_accepted",
        channel: n.recipient.includes("@") ? "email" : "sms",
        recipient: n.recipient,
        lang: "zh-Hans",
        complaintId: n.complaintId ?? null,
        subject: "投诉进展",
        body: `您好，链接 /track/open?t=secret 给 ${n.recipient}`,
        status: n.status,
        dueAt: n.createdAt,
        createdAt: n.createdAt,
        sentAt: n.sentAt ?? null,
        lastError: n.status === "failed" ? `550 ${n.recipient} unknown` : null,
      },
    });
  await note({ recipient: emailOf("recent"), status: "sent", complaintId: ids.recent, sentAt: ago(60), createdAt: ago(60) });
  await note({ recipient: phoneOf(CASES.recent.n), status: "failed", complaintId: ids.recent, createdAt: ago(45) });
  await note({ recipient: emailOf("open"), status: "sent", complaintId: ids.open, sentAt: ago(5), createdAt: ago(5) });
  await note({ recipient: emailOf("old"), status: "pending", complaintId: ids.old, createdAt: ago(1) });
  await note({ recipient: "staff.c01@example.gov.cn", status: "pending", complaintId: ids.old, createdAt: ago(1), kind: "staff_case_overdue" });

  // The API call log, sessions and the stuffing rule's device log.
  await database().write(async (tx) => {
    for (const age of [400, 181, 179, 3]) await tx.run(`INSERT INTO ApiCall (tokenId, at, method, path, status, ipHash) VALUES (NULL, ?, 'GET', '/api/v1/periods', 401, 'h')`, iso(ago(age)));
  });
  const staff = await db.staffUser.create({ data: { username: "retention.staff", displayName: "x", passwordHash: "x" } });
  for (const [name, expires] of [
    ["expired-long-ago", ago(30)],
    ["expired-2-days", ago(2)],
    ["expired-an-hour", new Date(NOW.getTime() - 3_600_000)],
    ["live", new Date(NOW.getTime() + 3_600_000)],
  ] as const) {
    await db.session.create({ data: { idHash: name, userId: staff.id, createdAt: ago(40), expiresAt: expires } });
  }
  await database().write((tx) => tx.run(`INSERT INTO RecentDevice (hopKey, unitId, at) VALUES ('k', ?, ?)`, unit.id, iso(new Date(NOW.getTime() - 3_600_000))));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every row of the tables the figures are made of, and of the records retention must not change. */
async function figureTables() {
  const all = async (sql: string) => JSON.stringify(await database().read.all(sql));
  return {
    tallies: await all(`SELECT * FROM ScoreTally ORDER BY periodId, unitId, month, flags, k`),
    items: await all(`SELECT * FROM ItemTally ORDER BY periodId, unitId, flags`),
    snapshots: await all(`SELECT * FROM ScoreSnapshot ORDER BY id`),
    snapshotRows: await all(`SELECT * FROM ScoreSnapshotRow ORDER BY snapshotId, unitId`),
    responses: await all(`SELECT id, surveyId, surveyVersionId, periodId, unitId, channel, submittedAt, fingerprint, dissatisfied FROM Response ORDER BY id`),
    answers: await all(`SELECT * FROM Answer ORDER BY id`),
    flags: await all(`SELECT * FROM ResponseFlag ORDER BY responseId, flag`),
    complaints: await all(
      `SELECT id, reference, unitId, subjectUnitId, type, status, description, submittedAt, acceptDueAt, replyDueAt, acceptedAt, repliedAt, closedAt, handlingGrade, ratedAt, ratingExcludedAt, nextDueAt, responseId FROM Complaint ORDER BY id`,
    ),
  };
}

/** Everything a dry run must leave as it was (but the tables named in `except`). */
async function wholeDatabase(except: readonly string[] = []) {
  const read = database().read;
  const tables = await read.pluck<string>(
    testDatabaseKind === "postgres"
      ? `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY table_name`
      : `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name`,
  );
  // Sanity: the list is the schema's, not an empty one that would make every comparison pass.
  expect(tables).toEqual(expect.arrayContaining(["AuditEvent", "Complaint", "Notification", "Response", "Session"]));
  // Rows as sorted JSON lines (some tables have no id to order by); both databases give booleans
  // as 0/1 and timestamps as the same ISO text.
  const rows: [string, string[]][] = [];
  for (const t of tables.filter((t) => !except.includes(t))) rows.push([t, (await read.all(`SELECT * FROM "${t}"`)).map((r) => JSON.stringify(r)).sort()]);
  return Object.fromEntries(rows);
}

const complaint = async (name: CaseName) =>
  (await database().read.get<Record<string, string | number | null>>(
    `SELECT contactName, contactPhone, contactEmail, contactEmailKey, contactPhoneKey, contactRemovedAt, contactRemovedBy, photosRemovedAt, ipHash, deviceId,
       (SELECT COUNT(*) FROM ComplaintPhoto p WHERE p.complaintId = Complaint.id) AS photos
     FROM Complaint WHERE id = ?`,
    ids[name],
  ))!;

async function figuresNow() {
  const period = (await getPeriod(String(periodId)))!;
  const audit = await auditPeriod(period, FIGURES_AT);
  const live = await computeFigures(period, { now: FIGURES_AT });
  return { audit, live: JSON.stringify(live.units), tables: await figureTables() };
}

const auditEvents = (action: string) =>
  database().read.all<{ actorId: number | null; targetType: string; targetId: string; data: string }>(
    `SELECT actorId, targetType, targetId, data FROM AuditEvent WHERE action = ? ORDER BY id`,
    action,
  );

describe("a retention pass", () => {
  it("dry run: counts what is due per kind and changes nothing at all", async () => {
    const before = await wholeDatabase();
    const report = await retentionPass({ apply: false, now: NOW, settings });
    expect(report.counts).toEqual({
      contacts: 1, // old
      photos: 2, // old's two
      complaint_networks: 4, // old, recent, rejected, edge (all closed over 12 months before NOW); never open or replied
      response_networks: 0, // the period is still open
      notification_recipients: 2, // recent's sent (60 days) and failed (45 days)
      api_calls: 2, // 400 and 181 days
      sessions: 2, // expired 30 and 2 days ago
      recent_devices: 0, // an hour old
    });
    expect(await wholeDatabase()).toEqual(before);
    expect(fs.readdirSync(uploads).sort()).toHaveLength(4);
  });

  it("apply: erases exactly what is due, leaves the rest, records it, and the figures do not move", async () => {
    const before = await figuresNow();
    expect(before.audit.equal).toBe(true);
    const dry = await retentionPass({ apply: false, now: NOW, settings });
    // Small batches: the pass goes through several write transactions and still erases everything due.
    const report = await retentionPass({ apply: true, now: NOW, settings, batch: 1 });
    expect(report.complete).toBe(true);
    expect(report.counts).toEqual(dry.counts);

    // Contacts and photos: only the complaint closed over 24 months ago.
    expect(await complaint("old")).toMatchObject({
      contactName: null,
      contactPhone: null,
      contactEmail: null,
      contactEmailKey: null,
      contactPhoneKey: null,
      contactRemovedBy: "retention",
      photos: 0,
      ipHash: null,
      deviceId: null,
    });
    expect((await complaint("old")).contactRemovedAt).not.toBeNull();
    expect((await complaint("old")).photosRemovedAt).not.toBeNull();
    for (const name of ["recent", "edge", "open", "replied"] as const) {
      expect(await complaint(name), name).toMatchObject({ contactEmail: emailOf(name), contactPhone: phoneOf(CASES[name].n), contactName: "王丽", contactRemovedAt: null });
    }
    expect((await complaint("recent")).photos).toBe(1);
    expect((await complaint("open")).photos).toBe(1);
    expect(fs.readdirSync(uploads).sort()).toEqual(["open-0-00000000000000000000.jpg", "recent-0-00000000000000000000.jpg"]);
    // Network hashes: closed or rejected over 12 months ago; the open cases keep theirs.
    for (const name of ["old", "recent", "rejected", "edge"] as const) expect(await complaint(name), name).toMatchObject({ ipHash: null, deviceId: null });
    for (const name of ["open", "replied"] as const) expect(await complaint(name), name).toMatchObject({ ipHash: `complaint-net-${CASES[name].n}` });
    // An open period's responses keep theirs.
    expect(await database().read.value(`SELECT COUNT(*) FROM Response WHERE ipHash IS NOT NULL AND deviceId IS NOT NULL`)).toBe(responses);

    // The outbox: the old case's waiting message is cancelled; the staff one about it stays;
    // recent's old messages lose the address, text and error; the 5-day-old one keeps them.
    const notes = await database().read.all(`SELECT recipient, status, body, lastError, complaintId FROM Notification ORDER BY id`);
    expect(notes).toEqual([
      { recipient: "", status: "sent", body: "", lastError: null, complaintId: ids.recent },
      { recipient: "", status: "failed", body: "", lastError: null, complaintId: ids.recent },
      expect.objectContaining({ recipient: emailOf("open"), status: "sent", complaintId: ids.open }),
      expect.objectContaining({ recipient: "staff.c01@example.gov.cn", status: "pending", complaintId: ids.old }),
    ]);
    expect(await database().read.pluck(`SELECT at FROM ApiCall ORDER BY at`)).toEqual([iso(ago(179)), iso(ago(3))]);
    expect(await database().read.pluck(`SELECT idHash FROM Session ORDER BY idHash`)).toEqual(["expired-an-hour", "live"]);

    // The case's timeline says what happened, for staff and the citizen alike.
    const events = await database().read.all(`SELECT action, actorKind, visibility FROM ComplaintEvent WHERE complaintId = ? ORDER BY id`, ids.old);
    expect(events).toEqual([
      { action: "contact_retention", actorKind: "system", visibility: "public" },
      { action: "photos_retention", actorKind: "system", visibility: "public" },
    ]);

    // One audit event per kind that erased anything, naming the complaints, never a contact.
    const contacts = await auditEvents("retention.contacts");
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({ actorId: null, targetType: "retention", targetId: "2028-03-15" });
    expect(JSON.parse(contacts[0]!.data)).toEqual({ trigger: "command", count: 1, references: [ref(1)], notificationsCancelled: 1 });
    expect(JSON.parse((await auditEvents("retention.photos"))[0]!.data)).toMatchObject({ count: 2, complaints: 1, references: [ref(1)] });
    expect(JSON.parse((await auditEvents("retention.complaint_networks"))[0]!.data)).toMatchObject({ count: 4, references: [ref(1), ref(2), ref(4), ref(6)] });
    expect(JSON.parse((await auditEvents("retention.api_calls"))[0]!.data)).toMatchObject({ count: 2 });
    expect(JSON.parse((await auditEvents("retention.sessions"))[0]!.data)).toMatchObject({ count: 2 });
    expect(await auditEvents("retention.response_networks")).toHaveLength(0);
    const trail = JSON.stringify(await database().read.all(`SELECT * FROM AuditEvent`));
    for (const secret of [emailOf("old"), phoneOf(1), "王丽", "complaint-net-1", "net-1"]) expect(trail).not.toContain(secret);

    // The figures: the same tallies, snapshots, responses, answers, flags and complaint facts, and
    // the audit recomputation still equals the live figures.
    const after = await figuresNow();
    expect(after.audit.equal).toBe(true);
    expect(after.live).toBe(before.live);
    expect(after.tables).toEqual(before.tables);
  });

  it("an administrator cannot send again a failed notification whose address was erased", async () => {
    const id = (await database().read.value<number>(`SELECT id FROM Notification WHERE status = 'failed' AND recipient = ''`))!;
    expect(id).toBeGreaterThan(0);
    expect(await retryNotification(id, 1, NOW)).toBe(false);
    expect(await database().read.value(`SELECT status FROM Notification WHERE id = ?`, id)).toBe("failed");
  });

  it("a second apply erases nothing more", async () => {
    // On PostgreSQL the score cache's version (ScoreVersion) moves on every UPDATE of Complaint,
    // one that changes no row included (statement triggers): a cache version, not a record.
    const except = testDatabaseKind === "postgres" ? ["ScoreVersion"] : [];
    const before = await wholeDatabase(except);
    const report = await retentionPass({ apply: true, now: NOW, settings });
    expect(Object.values(report.counts).every((n) => n === 0)).toBe(true);
    expect(await wholeDatabase(except)).toEqual(before);
  });

  it("a frozen period's responses lose their network hashes and device ids 12 months after it closed; its snapshot and tallies stay equal to the recomputation", async () => {
    const period = (await getPeriod(String(periodId)))!;
    const closedAt = local("2027-01-05T10:00:00");
    const snapshot = await closePeriod(period, null, closedAt);
    const frozen = (await getPeriod(String(periodId)))!;
    const recomputed = JSON.stringify((await computeFigures(frozen, { source: "audit", now: closedAt })).units);
    // The same values, key for key (PostgreSQL's jsonb gives a stored object's keys in its own order).
    expect(JSON.parse(JSON.stringify((await snapshotFigures(snapshot.id))!.units.map(({ code: _c, names: _n, ...u }) => u)))).toEqual(
      JSON.parse(recomputed).map(({ code: _c, names: _n, ...u }: Record<string, unknown>) => u),
    );
    const before = await figuresNow();

    // 12 months after the close, less a minute: not yet.
    const early = await retentionPass({ apply: true, now: new Date(local("2028-01-05T10:00:00").getTime() - 60_000), settings });
    expect(early.counts.response_networks).toBe(0);
    const report = await retentionPass({ apply: true, now: local("2028-01-05T10:00:00"), settings, batch: 7 });
    expect(report.counts.response_networks).toBe(responses);
    expect(await database().read.value(`SELECT COUNT(*) FROM Response WHERE ipHash IS NOT NULL OR deviceId IS NOT NULL`)).toBe(0);
    expect(JSON.parse((await auditEvents("retention.response_networks"))[0]!.data)).toMatchObject({ count: responses, periods: { "2026": responses } });

    const after = await figuresNow();
    expect(after.audit.equal).toBe(true);
    expect(after.live).toBe(before.live);
    expect(after.tables).toEqual(before.tables);
    const again = (await getPeriod(String(periodId)))!;
    expect(JSON.stringify((await computeFigures(again, { source: "audit", now: closedAt })).units)).toBe(recomputed);
  });
});

describe("the daily job", () => {
  it("runs from 03:00 region time, once per region day, even when two processes ask at once", async () => {
    expect(await dailyRetention(local("2028-03-16T02:59:00"), { settings })).toBeNull();
    expect(await auditEvents("retention.run")).toHaveLength(0);
    const [a, b] = await Promise.all([dailyRetention(local("2028-03-16T03:00:00"), { settings }), dailyRetention(local("2028-03-16T03:00:01"), { settings })]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    // Another process (its own connection) asking later that day finds the day taken.
    expect(await dailyRetention(local("2028-03-16T18:00:00"), { settings })).toBeNull();
    expect((await auditEvents("retention.run")).map((e) => e.targetId)).toEqual(["2028-03-16"]);
  });

  it("a day another process claimed first is not run here", async () => {
    const claim = `INSERT INTO AuditEvent (at, actorId, action, targetType, targetId, data) VALUES (?, NULL, 'retention.run', 'retention', '2028-03-17', '{"trigger":"daily"}')`;
    if (testDatabaseKind === "postgres") {
      const other = openPostgres(process.env.DATABASE_URL!, { poolSize: 1 });
      try {
        await other.write((tx) => tx.run(claim, dbDateTime(NOW)));
      } finally {
        await other.close();
      }
    } else {
      const other = new Database(dbFile);
      other.prepare(claim).run(dbDateTime(NOW));
      other.close();
    }
    expect(await dailyRetention(local("2028-03-17T05:00:00"), { settings })).toBeNull();
    expect(await dailyRetention(local("2028-03-18T05:00:00"), { settings })).not.toBeNull();
  });

  it("stops between batches when asked (shutdown), and the next pass finishes the work", async () => {
    const db = await getDb();
    for (let i = 0; i < 5; i++) await db.session.create({ data: { idHash: `stop-${i}`, userId: (await db.staffUser.findFirstOrThrow()).id, createdAt: ago(10), expiresAt: ago(5) } });
    let batches = 0;
    const stopped = await retentionPass({ apply: true, now: NOW, settings, batch: 2, stopping: () => ++batches > 2 });
    expect(stopped.complete).toBe(false);
    expect(stopped.counts.sessions).toBeLessThan(5);
    const rest = await retentionPass({ apply: true, now: NOW, settings });
    expect(stopped.counts.sessions + rest.counts.sessions).toBe(5);
  });
});

describe("the citizen's request through a case link", () => {
  it("erases that complaint's contact and keys, cancels its waiting messages to them (not staff ones), and records it without the contact", async () => {
    const db = await getDb();
    await db.notification.createMany({
      data: [
        { messageId: "<c1@test>", kind: "complaint_accepted", channel: "email", recipient: emailOf("open").toUpperCase(), lang: "zh-Hans", complaintId: ids.open, body: "b", dueAt: NOW },
        { messageId: "<c2@test>", kind: "complaint_accepted", channel: "sms", recipient: `+86 ${phoneOf(3)}`, lang: "zh-Hans", complaintId: ids.open, body: "b", dueAt: NOW },
        { messageId: "<c3@test>", kind: "staff_case_new", channel: "email", recipient: "head@example.gov.cn", lang: "zh-Hans", complaintId: ids.open, body: "b", dueAt: NOW },
      ],
    });
    // A link signed for another contact, or for a complaint without contacts, does nothing.
    expect(await eraseContactForCitizen(ids.open, contactHash("someone.else@example.cn"), NOW)).toEqual({ done: false });
    expect(await eraseContactForCitizen(ids.rejected, contactHash(emailOf("rejected")), NOW)).toEqual({ done: false });
    expect((await complaint("open")).contactEmail).toBe(emailOf("open"));

    // The link was sent to the phone; the e-mail goes too (all the contact details).
    expect(await eraseContactForCitizen(ids.open, contactHash(phoneOf(3)), NOW)).toEqual({ done: true, reference: ref(3), cancelled: 2 });
    expect(await complaint("open")).toMatchObject({ contactName: null, contactPhone: null, contactEmail: null, contactEmailKey: null, contactPhoneKey: null, contactRemovedBy: "citizen" });
    const left = await database().read.all(`SELECT recipient, status FROM Notification WHERE complaintId = ? ORDER BY id`, ids.open);
    // The one sent five days ago keeps its record without the address; the staff message waits.
    expect(left).toEqual([
      { recipient: "", status: "sent" },
      { recipient: "head@example.gov.cn", status: "pending" },
    ]);
    const [audit] = await auditEvents("complaint.contact_removed");
    expect(audit).toMatchObject({ actorId: null, targetType: "complaint", targetId: String(ids.open) });
    expect(JSON.parse(audit!.data)).toEqual({ actor: "citizen", via: "case_link", reference: ref(3), notificationsCancelled: 2, notificationsErased: 1 });
    expect(audit!.data).not.toContain("example.cn");
    expect(await database().read.get(`SELECT actorKind, action FROM ComplaintEvent WHERE complaintId = ? ORDER BY id DESC LIMIT 1`, ids.open)).toEqual({
      actorKind: "citizen",
      action: "contact_removed",
    });
    // The same link again: the complaint no longer carries that contact.
    expect(await eraseContactForCitizen(ids.open, contactHash(phoneOf(3)), NOW)).toEqual({ done: false });
    // Staff see when, and at whose request.
    expect((await complaint("open")).contactRemovedAt).toBe(iso(NOW));
  });
});
