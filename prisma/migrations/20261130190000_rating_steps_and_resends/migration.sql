-- Issue 12: the two-step rating, resends recognised by the form's submission id, and complaints
-- that follow a rating. Columns are added in place (no table rebuild), so the triggers on Complaint
-- and Question (next deadline, ScoreVersion) stay as they are.
ALTER TABLE "Response" ADD COLUMN "submissionId" TEXT;
ALTER TABLE "Response" ADD COLUMN "submissionDigest" TEXT;
ALTER TABLE "Response" ADD COLUMN "finishedAt" DATETIME;
ALTER TABLE "Response" ADD COLUMN "detailAt" DATETIME;
ALTER TABLE "Response" ADD COLUMN "detailDigest" TEXT;
ALTER TABLE "Response" ADD COLUMN "dissatisfied" BOOLEAN NOT NULL DEFAULT false;
CREATE UNIQUE INDEX "Response_surveyId_submissionId_key" ON "Response"("surveyId", "submissionId");
CREATE INDEX "Response_periodId_dissatisfied_unitId_idx" ON "Response"("periodId", "dissatisfied", "unitId");
UPDATE "Response" SET "dissatisfied" = true WHERE "id" IN (
  SELECT a."responseId" FROM "Answer" a JOIN "Question" q ON q."id" = a."questionId"
  WHERE q."kind" = 'grade_core' AND a."grade" <= 2
);

-- Step 1 (the quick step) holds the scored core items of every version published so far.
ALTER TABLE "Question" ADD COLUMN "step" INTEGER NOT NULL DEFAULT 2;
UPDATE "Question" SET "step" = 1 WHERE "kind" = 'grade_core';

ALTER TABLE "Complaint" ADD COLUMN "responseId" INTEGER REFERENCES "Response" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "Complaint_responseId_idx" ON "Complaint"("responseId");
