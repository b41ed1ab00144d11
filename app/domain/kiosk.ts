// Kiosk links let a service-hall tablet take one response per visit instead of one per device.
// The link carries a kiosk id signed together with the survey and unit, so a citizen cannot
// turn the public link into a kiosk link or move a kiosk link to another unit.

/** The value signed into a kiosk token. */
export function kioskPayload(surveySlug: string, unitCode: string, kioskId: string): string {
  return `${surveySlug}|${unitCode}|${kioskId}`;
}

export const KIOSK_ID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;
