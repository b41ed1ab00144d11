-- AlterTable
ALTER TABLE "Complaint" ADD COLUMN "nextDueAt" DATETIME;

-- CreateIndex
CREATE INDEX "Complaint_unitId_nextDueAt_idx" ON "Complaint"("unitId", "nextDueAt");

-- CreateIndex
CREATE INDEX "Complaint_nextDueAt_status_idx" ON "Complaint"("nextDueAt", "status");

-- The queue orders and filters by the nearest open deadline. It is stored (and indexed) rather than
-- computed per query, and kept here, by the database, so that no writer can forget it: the app's
-- services, the seed, scripts that insert directly. The rule is nextDueAt() in app/domain/case-flow.ts;
-- tests/unit/next-due.test.ts checks that these triggers agree with it for every status.
-- (Dates are stored as ISO 8601 text in one format, so MIN compares them correctly.)
CREATE TRIGGER "Complaint_nextDueAt_insert" AFTER INSERT ON "Complaint"
BEGIN
  UPDATE "Complaint" SET "nextDueAt" = CASE
    WHEN NEW."status" IN ('submitted', 'transferred') THEN MIN(NEW."acceptDueAt", NEW."replyDueAt")
    WHEN NEW."status" IN ('accepted', 'in_progress') THEN NEW."replyDueAt"
    ELSE NULL
  END
  WHERE "id" = NEW."id";
END;

-- Also on a direct write of nextDueAt itself, which is put back to the rule's value (the inner
-- UPDATE does not fire the trigger again: SQLite's recursive_triggers is off).
CREATE TRIGGER "Complaint_nextDueAt_update" AFTER UPDATE OF "status", "acceptDueAt", "replyDueAt", "nextDueAt" ON "Complaint"
BEGIN
  UPDATE "Complaint" SET "nextDueAt" = CASE
    WHEN NEW."status" IN ('submitted', 'transferred') THEN MIN(NEW."acceptDueAt", NEW."replyDueAt")
    WHEN NEW."status" IN ('accepted', 'in_progress') THEN NEW."replyDueAt"
    ELSE NULL
  END
  WHERE "id" = NEW."id";
END;

-- Backfill the existing cases by the same rule.
UPDATE "Complaint" SET "nextDueAt" = CASE
    WHEN "status" IN ('submitted', 'transferred') THEN MIN("acceptDueAt", "replyDueAt")
    WHEN "status" IN ('accepted', 'in_progress') THEN "replyDueAt"
    ELSE NULL
  END;
