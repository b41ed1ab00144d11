-- Issue 13: contacts that asked for no more notifications (a keyed hash, never the contact).
-- CreateTable
CREATE TABLE "NotificationOptOut" (
    "contactHash" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);


