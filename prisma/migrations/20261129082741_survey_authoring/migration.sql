-- AlterTable
ALTER TABLE "Question" ADD COLUMN "condition" JSONB;

-- AlterTable
ALTER TABLE "Survey" ADD COLUMN "draft" JSONB;
ALTER TABLE "Survey" ADD COLUMN "draftSavedAt" DATETIME;

-- AlterTable
ALTER TABLE "SurveyVersion" ADD COLUMN "changes" JSONB;
ALTER TABLE "SurveyVersion" ADD COLUMN "publishedById" INTEGER;

-- CreateTable
CREATE TABLE "KioskLink" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "surveyId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "kioskId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "createdById" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    "revokedById" INTEGER,
    CONSTRAINT "KioskLink_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "Survey" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "KioskLink_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "KioskLink_kioskId_key" ON "KioskLink"("kioskId");

-- CreateIndex
CREATE INDEX "KioskLink_surveyId_unitId_idx" ON "KioskLink"("surveyId", "unitId");
