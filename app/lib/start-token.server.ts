// The "form served at" token: the time the survey form was served, signed together with the
// device, survey and unit it was served for. A token copied to another device, survey or unit,
// or a submission without one, yields no start time, and the response is flagged.
import { sign, unsign } from "./signing.server";

export function startToken(deviceId: string, slug: string, unitCode: string, servedAtMs: number): string {
  return sign("started", `${deviceId}|${slug}|${unitCode}|${servedAtMs}`);
}

export function readStartToken(token: string, deviceId: string, slug: string, unitCode: string, now: Date): Date | null {
  const value = unsign("started", token);
  if (!value) return null;
  const [d, s, u, ms] = value.split("|");
  const servedAt = Number(ms);
  if (d !== deviceId || s !== slug || u !== unitCode || !Number.isFinite(servedAt)) return null;
  if (servedAt <= 0 || servedAt > now.getTime()) return null;
  return new Date(servedAt);
}
