-- AlterTable
ALTER TABLE "Answer" ADD COLUMN "hiddenAt" DATETIME;
ALTER TABLE "Answer" ADD COLUMN "hiddenReason" TEXT;

-- AlterTable
ALTER TABLE "Complaint" ADD COLUMN "ratingExcludedAt" DATETIME;
ALTER TABLE "Complaint" ADD COLUMN "ratingExcludedReason" TEXT;

-- AlterTable
ALTER TABLE "EvaluationPeriod" ADD COLUMN "closedAt" DATETIME;
ALTER TABLE "EvaluationPeriod" ADD COLUMN "params" JSONB;

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" INTEGER,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "note" TEXT,
    "data" JSONB
);

-- CreateTable
CREATE TABLE "ScoreTally" (
    "periodId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "flags" TEXT NOT NULL,
    "k" INTEGER NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,
    "g1" INTEGER NOT NULL DEFAULT 0,
    "g2" INTEGER NOT NULL DEFAULT 0,
    "g3" INTEGER NOT NULL DEFAULT 0,
    "g4" INTEGER NOT NULL DEFAULT 0,
    "g5" INTEGER NOT NULL DEFAULT 0,
    "g11" INTEGER NOT NULL DEFAULT 0,
    "g12" INTEGER NOT NULL DEFAULT 0,
    "g13" INTEGER NOT NULL DEFAULT 0,
    "g14" INTEGER NOT NULL DEFAULT 0,
    "g15" INTEGER NOT NULL DEFAULT 0,
    "g22" INTEGER NOT NULL DEFAULT 0,
    "g23" INTEGER NOT NULL DEFAULT 0,
    "g24" INTEGER NOT NULL DEFAULT 0,
    "g25" INTEGER NOT NULL DEFAULT 0,
    "g33" INTEGER NOT NULL DEFAULT 0,
    "g34" INTEGER NOT NULL DEFAULT 0,
    "g35" INTEGER NOT NULL DEFAULT 0,
    "g44" INTEGER NOT NULL DEFAULT 0,
    "g45" INTEGER NOT NULL DEFAULT 0,
    "g55" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("periodId", "unitId", "month", "flags", "k")
);

-- CreateTable
CREATE TABLE "ItemTally" (
    "periodId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "flags" TEXT NOT NULL,
    "questionKey" TEXT NOT NULL,
    "grade" INTEGER NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("periodId", "unitId", "flags", "questionKey", "grade")
);

-- CreateTable
CREATE TABLE "ScoreSnapshot" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "periodId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "reason" TEXT,
    "methodVersion" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "exclusions" JSONB NOT NULL,
    "createdById" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ScoreSnapshot_periodId_fkey" FOREIGN KEY ("periodId") REFERENCES "EvaluationPeriod" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ScoreSnapshotRow" (
    "snapshotId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "figures" JSONB NOT NULL,

    PRIMARY KEY ("snapshotId", "unitId"),
    CONSTRAINT "ScoreSnapshotRow_snapshotId_fkey" FOREIGN KEY ("snapshotId") REFERENCES "ScoreSnapshot" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "createdById" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    "revokedById" INTEGER,
    "lastUsedAt" DATETIME
);

-- CreateTable
CREATE TABLE "ApiCall" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "tokenId" INTEGER,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "ipHash" TEXT,
    CONSTRAINT "ApiCall_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "ApiToken" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "AuditEvent_targetType_targetId_idx" ON "AuditEvent"("targetType", "targetId");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "ScoreSnapshot_periodId_createdAt_idx" ON "ScoreSnapshot"("periodId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiCall_tokenId_at_idx" ON "ApiCall"("tokenId", "at");

-- CreateIndex
CREATE INDEX "ApiCall_at_idx" ON "ApiCall"("at");

-- CreateIndex
CREATE INDEX "Complaint_replyDueAt_idx" ON "Complaint"("replyDueAt");
