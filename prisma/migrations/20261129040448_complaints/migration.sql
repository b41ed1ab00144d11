-- CreateTable
CREATE TABLE "Complaint" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "reference" TEXT NOT NULL,
    "accessCodeHash" TEXT NOT NULL,
    "unitId" INTEGER NOT NULL,
    "subjectUnitId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'submitted',
    "description" TEXT NOT NULL,
    "occurredWhen" TEXT,
    "occurredWhere" TEXT,
    "lang" TEXT NOT NULL,
    "anonymous" BOOLEAN NOT NULL DEFAULT true,
    "contactName" TEXT,
    "contactPhone" TEXT,
    "contactEmail" TEXT,
    "consentAt" DATETIME NOT NULL,
    "submittedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acceptDueAt" DATETIME NOT NULL,
    "replyDueAt" DATETIME NOT NULL,
    "extensionDays" INTEGER NOT NULL DEFAULT 0,
    "acceptedAt" DATETIME,
    "repliedAt" DATETIME,
    "closedAt" DATETIME,
    "publicReply" TEXT,
    "rejectReason" TEXT,
    "supervised" BOOLEAN NOT NULL DEFAULT false,
    "handlingGrade" INTEGER,
    "ratedAt" DATETIME,
    "deviceId" TEXT,
    "ipHash" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Complaint_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Complaint_subjectUnitId_fkey" FOREIGN KEY ("subjectUnitId") REFERENCES "Unit" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ComplaintEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "complaintId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorKind" TEXT NOT NULL,
    "actorId" INTEGER,
    "action" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT,
    "fromUnitId" INTEGER,
    "toUnitId" INTEGER,
    "note" TEXT,
    "visibility" TEXT NOT NULL DEFAULT 'internal',
    CONSTRAINT "ComplaintEvent_complaintId_fkey" FOREIGN KEY ("complaintId") REFERENCES "Complaint" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReferenceCounter" (
    "year" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "last" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "CalendarDay" (
    "date" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "names" JSONB
);

-- CreateTable
CREATE TABLE "DeadlineRule" (
    "type" TEXT NOT NULL PRIMARY KEY,
    "acceptDays" INTEGER NOT NULL,
    "replyDays" INTEGER NOT NULL,
    "maxExtensionDays" INTEGER NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Complaint_reference_key" ON "Complaint"("reference");

-- CreateIndex
CREATE INDEX "Complaint_unitId_status_submittedAt_idx" ON "Complaint"("unitId", "status", "submittedAt");

-- CreateIndex
CREATE INDEX "Complaint_status_replyDueAt_idx" ON "Complaint"("status", "replyDueAt");

-- CreateIndex
CREATE INDEX "Complaint_subjectUnitId_submittedAt_idx" ON "Complaint"("subjectUnitId", "submittedAt");

-- CreateIndex
CREATE INDEX "Complaint_submittedAt_idx" ON "Complaint"("submittedAt");

-- CreateIndex
CREATE INDEX "ComplaintEvent_complaintId_at_idx" ON "ComplaintEvent"("complaintId", "at");
