-- Staff notifications (issue 13): notices per account, choices per kind, time-based alerts per case.
-- CreateTable
CREATE TABLE "StaffNotice" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "complaintId" INTEGER,
    "params" JSONB NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "delivery" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readAt" DATETIME,
    "digestedAt" DATETIME,
    CONSTRAINT "StaffNotice_userId_fkey" FOREIGN KEY ("userId") REFERENCES "StaffUser" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StaffNoticePref" (
    "userId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "mode" TEXT NOT NULL,

    PRIMARY KEY ("userId", "kind"),
    CONSTRAINT "StaffNoticePref_userId_fkey" FOREIGN KEY ("userId") REFERENCES "StaffUser" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CaseAlert" (
    "complaintId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("complaintId", "kind", "dueAt")
);

-- The account's addresses and language (ALTER, not a rebuild: the table is referenced by many).
ALTER TABLE "StaffUser" ADD COLUMN "email" TEXT;
ALTER TABLE "StaffUser" ADD COLUMN "phone" TEXT;
ALTER TABLE "StaffUser" ADD COLUMN "lang" TEXT NOT NULL DEFAULT 'zh-Hans';

-- CreateIndex
CREATE UNIQUE INDEX "StaffNotice_dedupeKey_key" ON "StaffNotice"("dedupeKey");

-- CreateIndex
CREATE INDEX "StaffNotice_userId_readAt_idx" ON "StaffNotice"("userId", "readAt");

-- CreateIndex
CREATE INDEX "StaffNotice_userId_id_idx" ON "StaffNotice"("userId", "id");

-- CreateIndex
CREATE INDEX "StaffNotice_delivery_digestedAt_idx" ON "StaffNotice"("delivery", "digestedAt");

-- CreateIndex
CREATE INDEX "StaffNotice_complaintId_idx" ON "StaffNotice"("complaintId");

-- The sweep's call-back reminders read open follow-ups by their deadline.
CREATE INDEX "Complaint_followUpDueAt_idx" ON "Complaint"("followUpDueAt");

-- The sweep's invitations to rate read recent replies by status (not every closed complaint).
CREATE INDEX "Complaint_status_repliedAt_idx" ON "Complaint"("status", "repliedAt");
