import { beforeAll, describe, expect, it } from "vitest";

beforeAll(() => {
  process.env.SESSION_SECRET = "start-token-test-secret-0123456789abcdef";
});

describe("form start token", async () => {
  const { readStartToken, startToken } = await import("#app/lib/start-token.server");
  const served = Date.parse("2026-06-01T10:00:00Z");
  const now = new Date("2026-06-01T10:01:00Z");
  const token = () => startToken("device-1", "satisfaction-2026", "C01", served);

  it("gives back the time the form was served to this device, survey and unit", () => {
    expect(readStartToken(token(), "device-1", "satisfaction-2026", "C01", now)).toEqual(new Date(served));
  });

  it("is worthless on another device, survey or unit, when forged, or from the future", () => {
    expect(readStartToken(token(), "device-2", "satisfaction-2026", "C01", now)).toBeNull();
    expect(readStartToken(token(), "device-1", "other", "C01", now)).toBeNull();
    expect(readStartToken(token(), "device-1", "satisfaction-2026", "C02", now)).toBeNull();
    expect(readStartToken(token().replace("|C01|", "|C02|"), "device-1", "satisfaction-2026", "C02", now)).toBeNull();
    expect(readStartToken("", "device-1", "satisfaction-2026", "C01", now)).toBeNull();
    expect(readStartToken(token(), "device-1", "satisfaction-2026", "C01", new Date(served - 1000))).toBeNull();
  });
});
