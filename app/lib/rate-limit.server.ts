// Slows down guessing of complaint access codes: after a few wrong codes from one network, or for
// one reference, further attempts are refused for a while (429), right or wrong. In memory: one
// server process (docs/decisions/0005); a restart forgets the counts.
import { RateLimiterMemory, type RateLimiterRes } from "rate-limiter-flexible";

export const TRACK_FAILURES_PER_ADDRESS = 10;
export const TRACK_FAILURES_PER_REFERENCE = 5;
const WINDOW_S = 15 * 60;

const byAddress = new RateLimiterMemory({ keyPrefix: "track-ip", points: TRACK_FAILURES_PER_ADDRESS, duration: WINDOW_S });
const byReference = new RateLimiterMemory({ keyPrefix: "track-ref", points: TRACK_FAILURES_PER_REFERENCE, duration: WINDOW_S });

function waitSeconds(res: RateLimiterRes | null, points: number): number {
  return res && res.consumedPoints >= points ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 0;
}

/** Seconds to wait before another attempt is allowed, or 0. */
export async function trackingBlockedFor(addressKey: string, reference: string): Promise<number> {
  const [a, r] = await Promise.all([byAddress.get(addressKey), byReference.get(reference)]);
  return Math.max(waitSeconds(a, TRACK_FAILURES_PER_ADDRESS), waitSeconds(r, TRACK_FAILURES_PER_REFERENCE));
}

export async function recordTrackingFailure(addressKey: string, reference: string): Promise<void> {
  // consume() rejects once the limit is passed; the count is what matters here.
  await Promise.all([byAddress.consume(addressKey).catch(() => null), byReference.consume(reference).catch(() => null)]);
}

// Staff login: 5 wrong passwords for one account from one network, or 20 from one network, in
// 15 minutes lock further attempts for the rest of the window.
const loginByAccount = new RateLimiterMemory({ keyPrefix: "login-acct", points: 5, duration: WINDOW_S });
const loginByAddress = new RateLimiterMemory({ keyPrefix: "login-ip", points: 20, duration: WINDOW_S });

export async function loginBlockedFor(addressKey: string, username: string): Promise<number> {
  const [a, u] = await Promise.all([loginByAddress.get(addressKey), loginByAccount.get(`${username}|${addressKey}`)]);
  return Math.max(waitSeconds(a, 20), waitSeconds(u, 5));
}

export async function recordLoginFailure(addressKey: string, username: string): Promise<void> {
  await Promise.all([
    loginByAddress.consume(addressKey).catch(() => null),
    loginByAccount.consume(`${username}|${addressKey}`).catch(() => null),
  ]);
}

export async function clearLoginFailures(addressKey: string, username: string): Promise<void> {
  await loginByAccount.delete(`${username}|${addressKey}`);
}
