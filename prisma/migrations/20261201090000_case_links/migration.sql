-- Issue 13, citizens' links: the keyed hash of each normalised contact a complaint carries (the same
-- hash as NotificationOptOut's, app/models/notification.server.ts contactHash), so that "I lost my
-- code" finds a contact's complaints through an index instead of hashing every row. Columns only:
-- the Complaint table keeps its triggers. Rows filed before this migration are filled by the app on
-- first use (app/models/case-links.server.ts fillContactKeys): the hash needs the server's secret.
ALTER TABLE "Complaint" ADD COLUMN "contactEmailKey" TEXT;
ALTER TABLE "Complaint" ADD COLUMN "contactPhoneKey" TEXT;

CREATE INDEX "Complaint_contactEmailKey_idx" ON "Complaint"("contactEmailKey");
CREATE INDEX "Complaint_contactPhoneKey_idx" ON "Complaint"("contactPhoneKey");
