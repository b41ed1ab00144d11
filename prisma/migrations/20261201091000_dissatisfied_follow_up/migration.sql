-- Issue 13, 差评回访: a complaint that followed a dissatisfied rating is owed a call-back to the
-- citizen within the rating period's followUpDays working days (docs/decisions/0017). Columns are
-- added in place (no table rebuild), so the triggers on Complaint stay as they are.
ALTER TABLE "Complaint" ADD COLUMN "followUpDueAt" DATETIME;
ALTER TABLE "Complaint" ADD COLUMN "followUpDoneAt" DATETIME;

-- CreateTable
CREATE TABLE "FollowUpCall" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "complaintId" INTEGER NOT NULL,
    "eventId" INTEGER NOT NULL,
    "calledAt" DATETIME NOT NULL,
    "method" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "note" TEXT,
    CONSTRAINT "FollowUpCall_complaintId_fkey" FOREIGN KEY ("complaintId") REFERENCES "Complaint" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "FollowUpCall_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "ComplaintEvent" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "FollowUpCall_eventId_key" ON "FollowUpCall"("eventId");

-- CreateIndex
CREATE INDEX "FollowUpCall_complaintId_calledAt_idx" ON "FollowUpCall"("complaintId", "calledAt");

-- Backfill: complaints filed after a dissatisfied rating before this migration get their deadline
-- counted as dueAfterWorkingDays (app/domain/working-days.ts) counts it, with the CalendarDay
-- exceptions and the rating period's followUpDays (5 when unset or invalid), but from the later of
-- the filing day and today: staff could not record a call-back before, so an old case gets the full
-- time from now instead of being overdue at once. A deadline ends at 23:59:59.999 region time
-- (UTC+8), stored as Prisma stores DateTime in SQLite. tests/unit/follow-up.test.ts replays this
-- statement against the TypeScript rule.
WITH RECURSIVE
  "owed"("id", "days", "day") AS (
    SELECT c."id",
           CASE WHEN typeof(json_extract(p."params", '$.followUpDays')) = 'integer'
                 AND json_extract(p."params", '$.followUpDays') BETWEEN 1 AND 30
                THEN json_extract(p."params", '$.followUpDays') ELSE 5 END,
           MAX(date(c."submittedAt", '+8 hours'), date('now', '+8 hours'))
    FROM "Complaint" c
    JOIN "Response" r ON r."id" = c."responseId"
    JOIN "EvaluationPeriod" p ON p."id" = r."periodId"
    WHERE c."responseId" IS NOT NULL AND c."followUpDueAt" IS NULL
  ),
  "walk"("id", "left", "day", "steps") AS (
    SELECT "id", "days", "day", 0 FROM "owed"
    UNION ALL
    SELECT "id",
           "left" - CASE
             WHEN EXISTS (SELECT 1 FROM "CalendarDay" d WHERE d."date" = date("day", '+1 day') AND d."kind" = 'workday') THEN 1
             WHEN EXISTS (SELECT 1 FROM "CalendarDay" d WHERE d."date" = date("day", '+1 day') AND d."kind" = 'holiday') THEN 0
             WHEN strftime('%w', "day", '+1 day') IN ('0', '6') THEN 0
             ELSE 1
           END,
           date("day", '+1 day'),
           "steps" + 1
    FROM "walk" WHERE "left" > 0 AND "steps" < 400
  )
UPDATE "Complaint"
SET "followUpDueAt" = (SELECT w."day" || 'T15:59:59.999+00:00' FROM "walk" w WHERE w."id" = "Complaint"."id" AND w."left" = 0)
WHERE "id" IN (SELECT "id" FROM "owed");
