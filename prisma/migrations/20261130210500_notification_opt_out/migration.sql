-- Issue 13: contacts that asked for no more notifications (a keyed hash, never the contact), and
-- the index the per-recipient rate limit reads.
-- CreateTable
CREATE TABLE "NotificationOptOut" (
    "contactHash" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);


CREATE INDEX "Notification_recipient_sentAt_idx" ON "Notification"("recipient", "sentAt");
