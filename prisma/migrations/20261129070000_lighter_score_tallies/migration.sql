-- The score tallies are written by every submission. Three changes make that cheaper; the
-- measured cost is in docs/benchmarks.md.
-- 1. The triggers that moved ScoreVersion on every ScoreTally insert and update cost ~24 µs per
--    submission. New responses and flags are now seen from the highest Response and ResponseFlag
--    ids (app/lib/score-cache.server.ts); the other triggers stay.
-- 2. WITHOUT ROWID: a tally row lives in its primary-key B-tree only, instead of in a rowid table
--    plus a separate unique index, so an upsert touches one B-tree instead of two. Prisma does
--    not model this table option; `prisma migrate diff` ignores it (tests/unit/migrations.test.ts).
DROP TRIGGER "ScoreVersion_tally_insert";
DROP TRIGGER "ScoreVersion_tally_update";

CREATE TABLE "new_ScoreTally" (
    "periodId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "flags" TEXT NOT NULL,
    "k" INTEGER NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,
    "g1" INTEGER NOT NULL DEFAULT 0,
    "g2" INTEGER NOT NULL DEFAULT 0,
    "g3" INTEGER NOT NULL DEFAULT 0,
    "g4" INTEGER NOT NULL DEFAULT 0,
    "g5" INTEGER NOT NULL DEFAULT 0,
    "g11" INTEGER NOT NULL DEFAULT 0,
    "g12" INTEGER NOT NULL DEFAULT 0,
    "g13" INTEGER NOT NULL DEFAULT 0,
    "g14" INTEGER NOT NULL DEFAULT 0,
    "g15" INTEGER NOT NULL DEFAULT 0,
    "g22" INTEGER NOT NULL DEFAULT 0,
    "g23" INTEGER NOT NULL DEFAULT 0,
    "g24" INTEGER NOT NULL DEFAULT 0,
    "g25" INTEGER NOT NULL DEFAULT 0,
    "g33" INTEGER NOT NULL DEFAULT 0,
    "g34" INTEGER NOT NULL DEFAULT 0,
    "g35" INTEGER NOT NULL DEFAULT 0,
    "g44" INTEGER NOT NULL DEFAULT 0,
    "g45" INTEGER NOT NULL DEFAULT 0,
    "g55" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("periodId", "unitId", "month", "flags", "k")
) WITHOUT ROWID;
INSERT INTO "new_ScoreTally" ("periodId", "unitId", "month", "flags", "k", "n", "g1", "g2", "g3", "g4", "g5", "g11", "g12", "g13", "g14", "g15", "g22", "g23", "g24", "g25", "g33", "g34", "g35", "g44", "g45", "g55") SELECT "periodId", "unitId", "month", "flags", "k", "n", "g1", "g2", "g3", "g4", "g5", "g11", "g12", "g13", "g14", "g15", "g22", "g23", "g24", "g25", "g33", "g34", "g35", "g44", "g45", "g55" FROM "ScoreTally";
DROP TABLE "ScoreTally";
ALTER TABLE "new_ScoreTally" RENAME TO "ScoreTally";

-- 3. Item counts: one row per period, unit and flag set holding every item's counts by grade
--    (JSON: {"key": [n/a, 1, 2, 3, 4, 5]}), instead of one row per item and grade, so a batch of
--    submissions writes one row per unit instead of about seven per submission.
CREATE TABLE "new_ItemTally" (
    "periodId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "flags" TEXT NOT NULL,
    "counts" JSONB NOT NULL,

    PRIMARY KEY ("periodId", "unitId", "flags")
) WITHOUT ROWID;
INSERT INTO "new_ItemTally" ("periodId", "unitId", "flags", "counts")
SELECT "periodId", "unitId", "flags", json_group_object("questionKey", json("byGrade")) FROM (
    SELECT "periodId", "unitId", "flags", "questionKey",
           json_array(SUM(CASE WHEN "grade" = 0 THEN "count" ELSE 0 END), SUM(CASE WHEN "grade" = 1 THEN "count" ELSE 0 END),
                      SUM(CASE WHEN "grade" = 2 THEN "count" ELSE 0 END), SUM(CASE WHEN "grade" = 3 THEN "count" ELSE 0 END),
                      SUM(CASE WHEN "grade" = 4 THEN "count" ELSE 0 END), SUM(CASE WHEN "grade" = 5 THEN "count" ELSE 0 END)) AS "byGrade"
    FROM "ItemTally" GROUP BY "periodId", "unitId", "flags", "questionKey"
) GROUP BY "periodId", "unitId", "flags";
DROP TABLE "ItemTally";
ALTER TABLE "new_ItemTally" RENAME TO "ItemTally";

-- Deleting tallies (a rebuild) still moves ScoreVersion.
CREATE TRIGGER "ScoreVersion_tally_delete" AFTER DELETE ON "ScoreTally" BEGIN UPDATE "ScoreVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "ScoreVersion_item_delete" AFTER DELETE ON "ItemTally" BEGIN UPDATE "ScoreVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
