-- CreateTable
CREATE TABLE "ScoreVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "version" INTEGER NOT NULL DEFAULT 0
);

-- The one row, and the triggers that move it whenever an input of the scores changes. They fire
-- on every connection and in every process, so no write path can forget to invalidate the cache.
INSERT INTO "ScoreVersion" ("id", "version") VALUES (1, 0);

CREATE TRIGGER "ScoreVersion_tally_insert" AFTER INSERT ON "ScoreTally" BEGIN UPDATE "ScoreVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "ScoreVersion_tally_update" AFTER UPDATE ON "ScoreTally" BEGIN UPDATE "ScoreVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "ScoreVersion_tally_delete" AFTER DELETE ON "ScoreTally" BEGIN UPDATE "ScoreVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "ScoreVersion_item_delete" AFTER DELETE ON "ItemTally" BEGIN UPDATE "ScoreVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "ScoreVersion_complaint_insert" AFTER INSERT ON "Complaint" BEGIN UPDATE "ScoreVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "ScoreVersion_complaint_update" AFTER UPDATE ON "Complaint" BEGIN UPDATE "ScoreVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "ScoreVersion_period_insert" AFTER INSERT ON "EvaluationPeriod" BEGIN UPDATE "ScoreVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "ScoreVersion_period_update" AFTER UPDATE ON "EvaluationPeriod" BEGIN UPDATE "ScoreVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "ScoreVersion_unit_insert" AFTER INSERT ON "Unit" BEGIN UPDATE "ScoreVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "ScoreVersion_unit_update" AFTER UPDATE ON "Unit" BEGIN UPDATE "ScoreVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "ScoreVersion_snapshot_insert" AFTER INSERT ON "ScoreSnapshot" BEGIN UPDATE "ScoreVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "ScoreVersion_question_insert" AFTER INSERT ON "Question" BEGIN UPDATE "ScoreVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
