-- One write to a complaint sets nextDueAt at most once and moves ScoreVersion exactly once.
-- Before, the insert trigger's UPDATE fired both update triggers (one insert: two more UPDATEs and
-- three ScoreVersion bumps), and every update ran the nextDueAt UPDATE even when nothing moved,
-- which fired ScoreVersion_complaint_update a second time. Now:
-- - on insert, nextDueAt is corrected only when it is not already the rule's value; when it is
--   corrected, that UPDATE fires the update trigger, which moves ScoreVersion, so the insert
--   trigger moves it only when no correction follows;
-- - on update, one trigger moves ScoreVersion and corrects nextDueAt when it differs from the rule;
--   its own UPDATE does not fire it again (SQLite's recursive_triggers is off), and no other trigger
--   on Complaint remains for it to fire.
-- The rule is nextDueAt() in app/domain/case-flow.ts; tests/unit/next-due.test.ts checks that
-- these triggers agree with it and counts the writes.
DROP TRIGGER "Complaint_nextDueAt_insert";
DROP TRIGGER "Complaint_nextDueAt_update";
DROP TRIGGER "ScoreVersion_complaint_insert";
DROP TRIGGER "ScoreVersion_complaint_update";

CREATE TRIGGER "ScoreVersion_complaint_insert" AFTER INSERT ON "Complaint"
WHEN NEW."nextDueAt" IS (CASE
    WHEN NEW."status" IN ('submitted', 'transferred') THEN MIN(NEW."acceptDueAt", NEW."replyDueAt")
    WHEN NEW."status" IN ('accepted', 'in_progress') THEN NEW."replyDueAt"
    ELSE NULL
  END)
BEGIN
  UPDATE "ScoreVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "Complaint_nextDueAt_insert" AFTER INSERT ON "Complaint"
WHEN NEW."nextDueAt" IS NOT (CASE
    WHEN NEW."status" IN ('submitted', 'transferred') THEN MIN(NEW."acceptDueAt", NEW."replyDueAt")
    WHEN NEW."status" IN ('accepted', 'in_progress') THEN NEW."replyDueAt"
    ELSE NULL
  END)
BEGIN
  UPDATE "Complaint" SET "nextDueAt" = CASE
    WHEN NEW."status" IN ('submitted', 'transferred') THEN MIN(NEW."acceptDueAt", NEW."replyDueAt")
    WHEN NEW."status" IN ('accepted', 'in_progress') THEN NEW."replyDueAt"
    ELSE NULL
  END
  WHERE "id" = NEW."id";
END;

CREATE TRIGGER "Complaint_update" AFTER UPDATE ON "Complaint"
BEGIN
  UPDATE "ScoreVersion" SET "version" = "version" + 1 WHERE "id" = 1;
  UPDATE "Complaint" SET "nextDueAt" = CASE
    WHEN NEW."status" IN ('submitted', 'transferred') THEN MIN(NEW."acceptDueAt", NEW."replyDueAt")
    WHEN NEW."status" IN ('accepted', 'in_progress') THEN NEW."replyDueAt"
    ELSE NULL
  END
  WHERE "id" = NEW."id" AND "nextDueAt" IS NOT (CASE
    WHEN NEW."status" IN ('submitted', 'transferred') THEN MIN(NEW."acceptDueAt", NEW."replyDueAt")
    WHEN NEW."status" IN ('accepted', 'in_progress') THEN NEW."replyDueAt"
    ELSE NULL
  END);
END;
