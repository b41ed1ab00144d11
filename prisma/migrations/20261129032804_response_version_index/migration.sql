-- CreateIndex
CREATE INDEX "Response_surveyVersionId_idx" ON "Response"("surveyVersionId");
