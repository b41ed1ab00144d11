-- DropIndex
DROP INDEX "Complaint_nextDueAt_status_idx";

-- DropIndex
DROP INDEX "Complaint_status_replyDueAt_idx";

-- CreateIndex
CREATE INDEX "Complaint_nextDueAt_idx" ON "Complaint"("nextDueAt");

-- CreateIndex
CREATE INDEX "Complaint_status_nextDueAt_idx" ON "Complaint"("status", "nextDueAt");

-- CreateIndex
CREATE INDEX "Complaint_unitId_status_type_idx" ON "Complaint"("unitId", "status", "type");
