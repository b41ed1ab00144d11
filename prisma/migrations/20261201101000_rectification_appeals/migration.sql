-- Issue 14, 差评整改 and 申诉: rectification records and appeals (docs/decisions/0021). New tables
-- only: Complaint and Response are not rebuilt (their triggers stay as they are); the ids they
-- name are plain columns with indexes.
-- CreateTable
CREATE TABLE "Rectification" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "periodId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "subjectKey" TEXT NOT NULL,
    "itemKey" TEXT,
    "complaintId" INTEGER,
    "evidence" JSONB,
    "status" TEXT NOT NULL DEFAULT 'open',
    "openedById" INTEGER,
    "openedAt" DATETIME NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "cause" TEXT,
    "measures" TEXT,
    "submittedAt" DATETIME,
    "submittedById" INTEGER,
    "submissions" INTEGER NOT NULL DEFAULT 0,
    "decidedAt" DATETIME,
    "decidedById" INTEGER,
    "decisionNote" TEXT,
    "acceptedAt" DATETIME,
    "publishedAt" DATETIME,
    "publishedById" INTEGER
);

-- CreateTable
CREATE TABLE "Appeal" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "unitId" INTEGER NOT NULL,
    "periodId" INTEGER,
    "kind" TEXT NOT NULL,
    "responseId" INTEGER,
    "complaintId" INTEGER,
    "grounds" TEXT NOT NULL,
    "evidence" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "filedById" INTEGER NOT NULL,
    "filedAt" DATETIME NOT NULL,
    "decidedById" INTEGER,
    "decidedAt" DATETIME,
    "decisionNote" TEXT
);

-- CreateIndex
CREATE INDEX "Rectification_unitId_periodId_idx" ON "Rectification"("unitId", "periodId");

-- CreateIndex
CREATE INDEX "Rectification_status_dueAt_idx" ON "Rectification"("status", "dueAt");

-- CreateIndex
CREATE INDEX "Rectification_unitId_publishedAt_idx" ON "Rectification"("unitId", "publishedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Rectification_periodId_unitId_subjectKey_key" ON "Rectification"("periodId", "unitId", "subjectKey");

-- CreateIndex
CREATE INDEX "Appeal_unitId_filedAt_idx" ON "Appeal"("unitId", "filedAt");

-- CreateIndex
CREATE INDEX "Appeal_status_filedAt_idx" ON "Appeal"("status", "filedAt");

-- CreateIndex
CREATE INDEX "Appeal_responseId_idx" ON "Appeal"("responseId");

-- CreateIndex
CREATE INDEX "Appeal_complaintId_idx" ON "Appeal"("complaintId");

