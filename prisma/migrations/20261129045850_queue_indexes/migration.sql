-- CreateIndex
CREATE INDEX "Complaint_unitId_replyDueAt_idx" ON "Complaint"("unitId", "replyDueAt");

-- CreateIndex
CREATE INDEX "Complaint_unitId_submittedAt_idx" ON "Complaint"("unitId", "submittedAt");
