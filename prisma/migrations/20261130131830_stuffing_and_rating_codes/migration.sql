-- Issue 10: network-burst settings, answer fingerprints, single-use rating codes (一次一评),
-- the short-lived device log for cross-unit hopping, and data tasks left for the application.
-- AlterTable
ALTER TABLE "Response" ADD COLUMN "fingerprint" TEXT;

-- CreateTable
CREATE TABLE "RatingCodeBatch" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "surveyId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "label" TEXT,
    "size" INTEGER NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdById" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    "revokedById" INTEGER,
    "revokeReason" TEXT,
    CONSTRAINT "RatingCodeBatch_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "Survey" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "RatingCodeBatch_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RatingCode" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "batchId" INTEGER NOT NULL,
    "codeHash" TEXT NOT NULL,
    "usedAt" DATETIME,
    "responseId" INTEGER,
    CONSTRAINT "RatingCode_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "RatingCodeBatch" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "RatingCode_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "Response" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RecentDevice" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "hopKey" TEXT NOT NULL,
    "unitId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "DataTask" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Survey" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slug" TEXT NOT NULL,
    "periodId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "currentVersion" INTEGER NOT NULL DEFAULT 1,
    "titles" JSONB NOT NULL,
    "intros" JSONB,
    "targetMode" TEXT NOT NULL DEFAULT 'all',
    "targetKind" TEXT,
    "opensAt" DATETIME,
    "closesAt" DATETIME,
    "repeatWindowHours" INTEGER NOT NULL DEFAULT 24,
    "minSeconds" INTEGER NOT NULL DEFAULT 8,
    "kioskEnabled" BOOLEAN NOT NULL DEFAULT true,
    "burstLimit" INTEGER NOT NULL DEFAULT 5,
    "burstWindowMinutes" INTEGER NOT NULL DEFAULT 2,
    "draft" JSONB,
    "draftSavedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Survey_periodId_fkey" FOREIGN KEY ("periodId") REFERENCES "EvaluationPeriod" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Survey" ("closesAt", "createdAt", "currentVersion", "draft", "draftSavedAt", "id", "intros", "kioskEnabled", "minSeconds", "opensAt", "periodId", "repeatWindowHours", "slug", "status", "targetKind", "targetMode", "titles", "updatedAt") SELECT "closesAt", "createdAt", "currentVersion", "draft", "draftSavedAt", "id", "intros", "kioskEnabled", "minSeconds", "opensAt", "periodId", "repeatWindowHours", "slug", "status", "targetKind", "targetMode", "titles", "updatedAt" FROM "Survey";
DROP TABLE "Survey";
ALTER TABLE "new_Survey" RENAME TO "Survey";
CREATE UNIQUE INDEX "Survey_slug_key" ON "Survey"("slug");
CREATE INDEX "Survey_periodId_idx" ON "Survey"("periodId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "RatingCodeBatch_surveyId_unitId_createdAt_idx" ON "RatingCodeBatch"("surveyId", "unitId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "RatingCode_codeHash_key" ON "RatingCode"("codeHash");

-- CreateIndex
CREATE UNIQUE INDEX "RatingCode_responseId_key" ON "RatingCode"("responseId");

-- CreateIndex
CREATE INDEX "RatingCode_batchId_idx" ON "RatingCode"("batchId");

-- CreateIndex
CREATE INDEX "RecentDevice_hopKey_at_idx" ON "RecentDevice"("hopKey", "at");

-- CreateIndex
CREATE INDEX "RecentDevice_at_idx" ON "RecentDevice"("at");

-- CreateIndex
CREATE INDEX "Response_surveyId_unitId_ipHash_submittedAt_idx" ON "Response"("surveyId", "unitId", "ipHash", "submittedAt");

-- CreateIndex
CREATE INDEX "Response_surveyId_unitId_fingerprint_idx" ON "Response"("surveyId", "unitId", "fingerprint");

-- A reinstated response loses a flag row: the cached figures must see that too (new flags are
-- seen from the highest ResponseFlag rowid, app/lib/score-cache.server.ts).
CREATE TRIGGER "ScoreVersion_flag_delete" AFTER DELETE ON "ResponseFlag" BEGIN UPDATE "ScoreVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;

-- The score tallies are now kept per channel of arrival (link, qr, kiosk, verified), which the
-- old rows do not say: the application rebuilds them from the raw responses on its next start.
INSERT INTO "DataTask" ("name") VALUES ('rebuild_tallies');
-- Open periods whose parameters list their excluding flags get the new stuffing flags (recorded).
INSERT INTO "DataTask" ("name") VALUES ('exclude_stuffing_flags');
