-- Public results (issue 14, ADR 0020): a period's publication names the snapshot the public pages
-- show; withdrawing keeps the row. A new table only.
-- CreateTable
CREATE TABLE "PeriodPublication" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "periodId" INTEGER NOT NULL,
    "snapshotId" INTEGER NOT NULL,
    "publishedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedById" INTEGER,
    "withdrawnAt" DATETIME,
    "withdrawnById" INTEGER,
    "withdrawReason" TEXT
);

-- CreateIndex
CREATE INDEX "PeriodPublication_periodId_id_idx" ON "PeriodPublication"("periodId", "id");
