// Repeat-submission rules. Public links: one response per device per survey and unit within the
// survey's window. Kiosk links: one response per visit (each form served on the tablet is a visit).

export const DEFAULT_REPEAT_WINDOW_HOURS = 24;

export function windowStart(now: Date, windowHours: number): Date {
  return new Date(now.getTime() - windowHours * 3_600_000);
}

/** When the device may answer again, or null when it may answer now. */
export function nextAllowedAt(
  lastSubmittedAt: Date | null,
  now: Date,
  windowHours: number,
): Date | null {
  if (!lastSubmittedAt || windowHours <= 0) return null;
  const next = new Date(lastSubmittedAt.getTime() + windowHours * 3_600_000);
  return next > now ? next : null;
}
