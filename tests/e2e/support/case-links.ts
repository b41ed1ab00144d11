// Citizens' links for tests (issue 13): the signed addresses the server puts in its messages,
// made here with the test servers' secret, for any complaint, contact and expiry (a test may make
// an expired one, or one for another contact).
import { normalizeContact } from "../../../app/domain/notifications";
import { caseLinkToken, caseListToken } from "../../../app/lib/case-link.server";
import { keyedHash } from "../../../app/lib/signing.server";
import { TEST_SECRET } from "./paths";

const DAY = 86_400_000;

/** The keyed hash the server keeps a contact under (app/models/notification.server.ts contactHash). */
export function testContactHash(contact: string): string {
  return keyedHash("contact", normalizeContact(contact), TEST_SECRET).slice(0, 32);
}

/** /track/open for complaint `id` as sent to `contact`, good until `expires` (a day by default). */
export function caseLinkPath(id: number, contact: string, expires = new Date(Date.now() + DAY)): string {
  return `/track/open?t=${caseLinkToken(id, testContactHash(contact), expires, TEST_SECRET)}`;
}

/** /track/mine for the complaints of `contact`, good until `expires` (a day by default). */
export function caseListPath(contact: string, expires = new Date(Date.now() + DAY)): string {
  return `/track/mine?t=${caseListToken(testContactHash(contact), expires, TEST_SECRET)}`;
}
