// The retention rules (app/domain/retention.ts): calendar months on the region's calendar, kept at
// least the full months; an open case's contacts, photos and network hashes are never due; a
// period's responses only once it is frozen; waiting notifications keep their address.
import { describe, expect, it } from "vitest";
import { getEnv } from "#app/lib/env.server";
import { retentionSettings } from "#app/services/retention.server";
import {
  apiCallDue,
  complaintNetworkDue,
  contactsDue,
  dailyPassWindow,
  monthsBefore,
  notificationDue,
  periodNetworksDue,
  photosDue,
  RETENTION_DEFAULTS,
  retentionCutoffs,
  retentionDay,
  type RetainedComplaint,
  sessionDue,
} from "#app/domain/retention";

/** A moment given in region time (UTC+8). */
const local = (s: string) => new Date(`${s}+08:00`);

describe("monthsBefore (region calendar)", () => {
  it("goes back whole calendar months at the same local time", () => {
    expect(monthsBefore(local("2026-12-15T10:30:00"), 24)).toEqual(local("2024-12-15T10:30:00"));
    expect(monthsBefore(local("2026-03-01T00:00:00"), 1)).toEqual(local("2026-02-01T00:00:00"));
    expect(monthsBefore(local("2026-01-10T09:00:00"), 1)).toEqual(local("2025-12-10T09:00:00"));
  });

  it("a day the earlier month lacks becomes its last day (31 March − 1 month = 28 February; leap years 29)", () => {
    expect(monthsBefore(local("2026-03-31T12:00:00"), 1)).toEqual(local("2026-02-28T12:00:00"));
    expect(monthsBefore(local("2028-03-31T12:00:00"), 1)).toEqual(local("2028-02-29T12:00:00"));
    expect(monthsBefore(local("2026-05-31T08:00:00"), 1)).toEqual(local("2026-04-30T08:00:00"));
  });

  it("counts months on the region's calendar, not UTC's: 1 March 02:00 in the region is still 28 February in UTC", () => {
    // 2026-03-01T02:00+08:00 = 2026-02-28T18:00Z. One month back in the region: 1 February 02:00.
    expect(monthsBefore(local("2026-03-01T02:00:00"), 1)).toEqual(local("2026-02-01T02:00:00"));
  });
});

const closedComplaint = (over: Partial<RetainedComplaint> = {}): RetainedComplaint => ({
  status: "closed",
  closedAt: local("2024-01-31T12:00:00"),
  contactName: "王丽",
  contactPhone: "13800000000",
  contactEmail: "wl@example.cn",
  contactEmailKey: "k1",
  contactPhoneKey: "k2",
  ipHash: "h",
  deviceId: "d",
  photos: 2,
  ...over,
});

describe("a complaint's contact details and photos: months after it closed", () => {
  const settings = { ...RETENTION_DEFAULTS, contactMonths: 1, photoMonths: 1 };

  it("closed on 31 January: not due through 28 February, due from 1 March (kept at least the full month)", () => {
    const c = closedComplaint();
    for (const now of ["2024-02-28T23:59:59", "2024-02-29T23:59:59"]) {
      expect(contactsDue(c, retentionCutoffs(local(now), settings)), now).toBe(false);
      expect(photosDue(c, retentionCutoffs(local(now), settings)), now).toBe(false);
    }
    expect(contactsDue(c, retentionCutoffs(local("2024-03-01T00:00:00"), settings))).toBe(true);
    expect(photosDue(c, retentionCutoffs(local("2024-03-01T00:00:00"), settings))).toBe(true);
  });

  it("closed on 15 January at noon: due from 15 February at noon, not a millisecond earlier", () => {
    const c = closedComplaint({ closedAt: local("2026-01-15T12:00:00") });
    expect(contactsDue(c, retentionCutoffs(new Date(local("2026-02-15T12:00:00").getTime() - 1), settings))).toBe(false);
    expect(contactsDue(c, retentionCutoffs(local("2026-02-15T12:00:00"), settings))).toBe(true);
  });

  it("with the defaults (24 months): closed 24 months ago is due, 23 months ago is not", () => {
    const now = local("2026-12-01T03:00:00");
    const cut = retentionCutoffs(now, RETENTION_DEFAULTS);
    expect(contactsDue(closedComplaint({ closedAt: local("2024-12-01T03:00:00") }), cut)).toBe(true);
    expect(contactsDue(closedComplaint({ closedAt: local("2025-01-01T03:00:00") }), cut)).toBe(false);
  });

  it("an open case is never due, however old (a closed case reopened by the citizen is open again: its closedAt is cleared)", () => {
    const cut = retentionCutoffs(local("2036-01-01T00:00:00"), settings);
    for (const status of ["submitted", "transferred", "accepted", "in_progress", "replied"]) {
      const c = closedComplaint({ status, closedAt: local("2020-01-01T00:00:00") });
      expect(contactsDue(c, cut), status).toBe(false);
      expect(photosDue(c, cut), status).toBe(false);
      expect(complaintNetworkDue(c, cut), status).toBe(false);
    }
    expect(contactsDue(closedComplaint({ status: "in_progress", closedAt: null }), cut)).toBe(false);
  });

  it("a rejected case counts as over, like a closed one", () => {
    const cut = retentionCutoffs(local("2026-12-01T00:00:00"), settings);
    expect(contactsDue(closedComplaint({ status: "rejected" }), cut)).toBe(true);
  });

  it("nothing left to erase is not due (anonymous, already erased, no photos)", () => {
    const cut = retentionCutoffs(local("2026-12-01T00:00:00"), settings);
    const none = { contactName: null, contactPhone: null, contactEmail: null, contactEmailKey: null, contactPhoneKey: null };
    expect(contactsDue(closedComplaint(none), cut)).toBe(false);
    // A key left without its contact is still erased.
    expect(contactsDue(closedComplaint({ ...none, contactPhoneKey: "k" }), cut)).toBe(true);
    expect(photosDue(closedComplaint({ photos: 0 }), cut)).toBe(false);
    expect(complaintNetworkDue(closedComplaint({ ipHash: null, deviceId: null }), cut)).toBe(false);
  });

  it("contacts and photos follow their own settings", () => {
    const cut = retentionCutoffs(local("2024-06-01T00:00:00"), { ...RETENTION_DEFAULTS, contactMonths: 3, photoMonths: 6 });
    const c = closedComplaint({ closedAt: local("2024-01-15T00:00:00") });
    expect(contactsDue(c, cut)).toBe(true);
    expect(photosDue(c, cut)).toBe(false);
  });
});

describe("network hashes", () => {
  const cutAt = (now: string) => retentionCutoffs(local(now), RETENTION_DEFAULTS);

  it("a period's responses: only once it is frozen, 12 months (default) after it closed", () => {
    const frozen = { status: "closed", closedAt: local("2025-01-10T09:00:00") };
    expect(periodNetworksDue(frozen, cutAt("2026-01-10T08:59:59"))).toBe(false);
    expect(periodNetworksDue(frozen, cutAt("2026-01-10T09:00:00"))).toBe(true);
  });

  it("an open or draft period's responses are never due, however old", () => {
    expect(periodNetworksDue({ status: "open", closedAt: null }, cutAt("2040-01-01T00:00:00"))).toBe(false);
    expect(periodNetworksDue({ status: "draft", closedAt: null }, cutAt("2040-01-01T00:00:00"))).toBe(false);
    // A status says open even with a stale date: the status decides.
    expect(periodNetworksDue({ status: "open", closedAt: local("2020-01-01T00:00:00") }, cutAt("2040-01-01T00:00:00"))).toBe(false);
  });

  it("a complaint's: 12 months after it closed", () => {
    const c = closedComplaint({ closedAt: local("2025-06-30T12:00:00") });
    expect(complaintNetworkDue(c, cutAt("2026-06-30T11:00:00"))).toBe(false);
    expect(complaintNetworkDue(c, cutAt("2026-06-30T12:00:00"))).toBe(true);
  });
});

describe("logs: API calls, sessions, notification addresses", () => {
  const now = new Date("2026-12-01T00:00:00Z");
  const cut = retentionCutoffs(now, RETENTION_DEFAULTS);
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

  it("API calls: 180 days (default)", () => {
    expect(apiCallDue({ at: daysAgo(180) }, cut)).toBe(true);
    expect(apiCallDue({ at: new Date(daysAgo(180).getTime() + 1) }, cut)).toBe(false);
  });

  it("staff sessions: a day after they expired; a live one never", () => {
    expect(sessionDue({ expiresAt: daysAgo(1) }, cut)).toBe(true);
    expect(sessionDue({ expiresAt: new Date(now.getTime() - 3_600_000) }, cut)).toBe(false);
    expect(sessionDue({ expiresAt: new Date(now.getTime() + 3_600_000) }, cut)).toBe(false);
  });

  it("notifications: 30 days (default) after sending; a failed or skipped one from when it was written; a waiting one never", () => {
    const n = { status: "sent", recipient: "a@example.cn", sentAt: daysAgo(30), createdAt: daysAgo(31) };
    expect(notificationDue(n, cut)).toBe(true);
    expect(notificationDue({ ...n, sentAt: daysAgo(29) }, cut)).toBe(false);
    expect(notificationDue({ ...n, status: "failed", sentAt: null, createdAt: daysAgo(30) }, cut)).toBe(true);
    expect(notificationDue({ ...n, status: "skipped", sentAt: null, createdAt: daysAgo(29) }, cut)).toBe(false);
    expect(notificationDue({ ...n, status: "pending", sentAt: null, createdAt: daysAgo(400) }, cut)).toBe(false);
    expect(notificationDue({ ...n, recipient: "" }, cut)).toBe(false);
  });
});

describe("the daily pass", () => {
  it("belongs to the region's day and may start from 03:00 region time", () => {
    expect(retentionDay(new Date("2026-11-30T19:00:00Z"))).toBe("2026-12-01");
    expect(dailyPassWindow(local("2026-12-01T02:59:59"))).toBe(false);
    expect(dailyPassWindow(local("2026-12-01T03:00:00"))).toBe(true);
    expect(dailyPassWindow(local("2026-12-01T23:30:00"))).toBe(true);
  });
});

describe("the settings (environment)", () => {
  const base = { SESSION_SECRET: "s".repeat(40) };

  it("default to the documented periods", () => {
    expect(retentionSettings(getEnv(base))).toEqual({ contactMonths: 24, photoMonths: 24, networkMonths: 12, apiCallDays: 180, notificationDays: 30 });
    expect(getEnv(base).RETENTION_JOB).toBe("on");
    expect(retentionSettings(getEnv({ ...base, RETENTION_CONTACT_MONTHS: "6", RETENTION_API_CALL_DAYS: "90" }))).toMatchObject({ contactMonths: 6, apiCallDays: 90 });
  });

  it("cannot be switched off or set out of range: the server stops, naming the variable", () => {
    for (const [name, value] of [
      ["RETENTION_CONTACT_MONTHS", "0"],
      ["RETENTION_PHOTO_MONTHS", "off"],
      ["RETENTION_NETWORK_MONTHS", "121"],
      ["RETENTION_API_CALL_DAYS", "1.5"],
      ["RETENTION_NOTIFICATION_DAYS", "3651"],
    ]) {
      expect(() => getEnv({ ...base, [name!]: value }), `${name}=${value}`).toThrowError(new RegExp(`${name}: must be a whole number of (months|days) from 1 to`));
    }
    expect(() => getEnv({ ...base, RETENTION_JOB: "sometimes" })).toThrowError(/RETENTION_JOB/);
  });
});
