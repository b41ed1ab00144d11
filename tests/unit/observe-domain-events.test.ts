// The domain events an operator reads in the log (docs/operations.md, "Monitoring"): a period
// opened and closed with its snapshot, the audit finding the live figures equal or drifted, a
// notification not sent. One line each, by code and id, without any contact or complaint text.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freshTestDatabase } from "./support/test-db";

const lines: { level: string; part: string; line: Record<string, unknown>; msg: string }[] = [];
vi.mock("#app/lib/log.server", () => {
  const logger = (part: string) => ({
    info: (line: Record<string, unknown>, msg = "") => lines.push({ level: "info", part, line, msg }),
    warn: (line: Record<string, unknown>, msg = "") => lines.push({ level: "warn", part, line, msg }),
    error: (line: Record<string, unknown>, msg = "") => lines.push({ level: "error", part, line, msg }),
  });
  return { log: logger(""), logFor: logger };
});

freshTestDatabase("observe-domain-events");
const { db, getDb } = await import("#app/lib/db.server");
const { seedStructure } = await import("../../prisma/seed-lib");
const { parseComplaint } = await import("#app/domain/complaint-form");
const { fileComplaint } = await import("#app/models/complaint.server");
const { findUnitByCode } = await import("#app/models/unit.server");
const { createDispatcher } = await import("#app/services/notify/dispatcher.server");
const { createPeriod, getPeriod, openPeriod } = await import("#app/models/period.server");
const { closePeriod, recomputeSnapshot } = await import("#app/services/snapshots.server");
const { auditPeriod } = await import("#app/services/scores.server");
const { metricsText } = await import("#app/lib/metrics.server");

const EMAIL = "zhang.wei.7731@example.cn";
const PHONE = "13977310042";
const TEXT = "The clerk at window 7 asked for a gift before stamping";

beforeAll(async () => {
  await seedStructure(await getDb());
});
afterAll(async () => {
  await (await getDb()).$disconnect();
});

const eventLines = (event: string) => lines.filter((l) => l.line.event === event);

describe("domain events in the log", () => {
  it("a notification the provider refuses: one warning by id, the provider's words without the address, and the failure counter", async () => {
    const parsed = parseComplaint({ unit: "D07", type: "misconduct", description: TEXT, anonymous: "no", contactName: "Zhang Wei", contactEmail: EMAIL, contactPhone: PHONE, consent: "yes" });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const now = new Date("2026-12-01T02:00:00Z"); // 10:00 region time: SMS goes too
    await fileComplaint({ input: parsed.data, unitId: (await findUnitByCode("D07"))!.id, lang: "en", deviceId: null, ipHash: null, now });
    const failures = async () => Number(/^civic_notification_send_failures_total\{channel="email"\} (\d+)$/m.exec(await metricsText())?.[1]);
    const before = await failures();
    const refusing = { name: "test", send: async (m: { to: string }) => ({ ok: false as const, retry: false, error: `550 5.1.1 <${m.to}>: Recipient address rejected` }) };
    await createDispatcher({ channels: { email: refusing }, now: () => now, batch: 100 }).tick();
    const [line, ...more] = eventLines("notification.send_failed");
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: "warn", part: "notify", line: { channel: "email", retry: false, error: "550 5.1.1 <[email]>: Recipient address rejected" } });
    expect(typeof line!.line.notificationId).toBe("number");
    expect(await failures()).toBe(before + 1);
  });

  it("a period opened, closed (with its snapshot) and recomputed: one line each, by code and snapshot id", async () => {
    const period = await createPeriod({ code: "2031", names: { en: "2031" }, startsOn: new Date("2031-01-01T00:00:00Z"), endsOn: new Date("2031-12-31T00:00:00Z") }, 0);
    await openPeriod(period, 0);
    expect(eventLines("period.open")).toEqual([expect.objectContaining({ level: "info", line: { event: "period.open", period: "2031", actorId: 0 } })]);
    const snapshot = await closePeriod((await getPeriod("2031"))!, null);
    expect(eventLines("period.close")).toEqual([
      expect.objectContaining({ level: "info", msg: "period closed, snapshot taken", line: expect.objectContaining({ period: "2031", snapshotId: snapshot.id, kind: "close" }) }),
    ]);
    const again = await recomputeSnapshot((await getPeriod("2031"))!, { label: "Correction", reason: "A secret reason", actorId: null });
    expect(eventLines("snapshot.create")).toEqual([expect.objectContaining({ line: expect.objectContaining({ period: "2031", snapshotId: again.id, kind: "recompute" }) })]);
    expect(JSON.stringify(lines)).not.toContain("A secret reason");
  });

  it("the audit: equal is information, drift is a warning naming the units that differ", async () => {
    const period = (await getPeriod("2026"))!;
    expect((await auditPeriod(period)).equal).toBe(true);
    expect(eventLines("audit.equal").at(-1)).toMatchObject({ level: "info", line: { period: "2026", tallyDifferences: 0, units: [] } });
    // A tally that no longer matches the raw responses (a bulk import that bypassed the app).
    const unit = (await findUnitByCode("C01"))!;
    await db().write((tx) =>
      tx.run(`INSERT INTO ScoreTally (periodId, unitId, month, flags, k, n, g5, g55) VALUES (?, ?, '2026-06', '', 1, 3, 3, 3)`, period.id, unit.id),
    );
    const audit = await auditPeriod(period);
    expect(audit.equal).toBe(false);
    expect(eventLines("audit.drift").at(-1)).toMatchObject({ level: "warn", part: "scores", line: { period: "2026", tallyDifferences: audit.tallyDifferences, units: audit.differing } });
    expect(audit.tallyDifferences).toBeGreaterThan(0);
  });

  it("no line carries the complainant's e-mail, phone or text", () => {
    const all = JSON.stringify(lines);
    for (const secret of [EMAIL, PHONE, TEXT, "Zhang Wei"]) expect(all).not.toContain(secret);
  });
});
