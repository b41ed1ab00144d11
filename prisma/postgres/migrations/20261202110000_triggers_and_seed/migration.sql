-- What the PostgreSQL baseline lacked (ADR 0026 §2.5, stage 4): the rows the SQLite migrations
-- insert, and their triggers in PostgreSQL's form. Hand-written: Prisma's diff knows neither rows
-- nor triggers and functions. tests/unit/migrations-postgres.test.ts checks them against SQLite's.
-- (The function bodies are dollar-quoted and hold semicolons: the schema-engine bridge runs a
-- PostgreSQL migration.sql as one script, ADR 0002.)

-- The data tasks the SQLite migrations leave (20261130131830_stuffing_and_rating_codes). On an
-- empty database they find nothing to do; `npm start` runs and removes them.
INSERT INTO "DataTask" ("name") VALUES ('rebuild_tallies'), ('exclude_stuffing_flags');

-- ScoreVersion, sharded: one hot row would queue every score-moving write of every app server.
-- Ids 1..32 are the "records" family (what SQLite's row 1 counts: tallies, periods, units,
-- snapshots, questions, flags removed, complaints), 101..132 the "responses" family (new responses
-- and flags, which SQLite reads from MAX(Response.id) and MAX(ResponseFlag.rowid) instead). A
-- session always bumps the same shard of a family; readers sum a family's rows.
INSERT INTO "ScoreVersion" ("id", "version")
SELECT "id", 0 FROM generate_series(1, 32) AS "id"
UNION ALL
SELECT "id", 0 FROM generate_series(101, 132) AS "id";

-- Moves one shard of a family; modulo 10^9 so that "version" (INTEGER) never overflows and the
-- sum of 64 shards stays exact.
CREATE FUNCTION score_version_bump(family text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  first_id integer := CASE family WHEN 'records' THEN 1 WHEN 'responses' THEN 101 END;
BEGIN
  IF first_id IS NULL THEN
    RAISE EXCEPTION 'score_version_bump: unknown family %', family;
  END IF;
  UPDATE "ScoreVersion" SET "version" = ("version" + 1) % 1000000000
  WHERE "id" = first_id + pg_backend_pid() % 32;
END;
$$;

-- The statement triggers' function: the family is the trigger's argument.
CREATE FUNCTION score_version_bump_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM score_version_bump(TG_ARGV[0]);
  RETURN NULL;
END;
$$;

-- SQLite's ScoreVersion_* row triggers (same names, tables and events), once per statement. Unlike
-- a row trigger, a statement trigger also fires when the statement touches no row: at worst one
-- needless cache refresh.
CREATE TRIGGER "ScoreVersion_tally_delete" AFTER DELETE ON "ScoreTally"
  FOR EACH STATEMENT EXECUTE FUNCTION score_version_bump_trigger('records');
CREATE TRIGGER "ScoreVersion_item_delete" AFTER DELETE ON "ItemTally"
  FOR EACH STATEMENT EXECUTE FUNCTION score_version_bump_trigger('records');
CREATE TRIGGER "ScoreVersion_period_insert" AFTER INSERT ON "EvaluationPeriod"
  FOR EACH STATEMENT EXECUTE FUNCTION score_version_bump_trigger('records');
CREATE TRIGGER "ScoreVersion_period_update" AFTER UPDATE ON "EvaluationPeriod"
  FOR EACH STATEMENT EXECUTE FUNCTION score_version_bump_trigger('records');
CREATE TRIGGER "ScoreVersion_unit_insert" AFTER INSERT ON "Unit"
  FOR EACH STATEMENT EXECUTE FUNCTION score_version_bump_trigger('records');
CREATE TRIGGER "ScoreVersion_unit_update" AFTER UPDATE ON "Unit"
  FOR EACH STATEMENT EXECUTE FUNCTION score_version_bump_trigger('records');
CREATE TRIGGER "ScoreVersion_snapshot_insert" AFTER INSERT ON "ScoreSnapshot"
  FOR EACH STATEMENT EXECUTE FUNCTION score_version_bump_trigger('records');
CREATE TRIGGER "ScoreVersion_question_insert" AFTER INSERT ON "Question"
  FOR EACH STATEMENT EXECUTE FUNCTION score_version_bump_trigger('records');
CREATE TRIGGER "ScoreVersion_flag_delete" AFTER DELETE ON "ResponseFlag"
  FOR EACH STATEMENT EXECUTE FUNCTION score_version_bump_trigger('records');
-- SQLite: ScoreVersion_complaint_insert, and the bump of Complaint_update.
CREATE TRIGGER "ScoreVersion_complaint_insert" AFTER INSERT ON "Complaint"
  FOR EACH STATEMENT EXECUTE FUNCTION score_version_bump_trigger('records');
CREATE TRIGGER "ScoreVersion_complaint_update" AFTER UPDATE ON "Complaint"
  FOR EACH STATEMENT EXECUTE FUNCTION score_version_bump_trigger('records');

-- New responses and flags (no SQLite trigger: there the watermarks above serve).
CREATE TRIGGER "ScoreVersion_response_insert" AFTER INSERT ON "Response"
  FOR EACH STATEMENT EXECUTE FUNCTION score_version_bump_trigger('responses');
CREATE TRIGGER "ScoreVersion_flag_insert" AFTER INSERT ON "ResponseFlag"
  FOR EACH STATEMENT EXECUTE FUNCTION score_version_bump_trigger('responses');

-- Complaint.nextDueAt, the rule of nextDueAt() in app/domain/case-flow.ts, as SQLite's
-- Complaint_nextDueAt_insert and Complaint_update (20261130165822_complaint_next_due_once) set it:
-- on every insert and every update, whatever the columns written (a direct write of nextDueAt is
-- overridden). Here it is set in NEW before the row is written: one write, no recursion. SQLite's
-- MIN(a, b) is NULL when either is NULL, where LEAST skips NULLs; both deadlines are NOT NULL, but
-- the CASE keeps SQLite's answer regardless.
CREATE FUNCTION complaint_next_due_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW."nextDueAt" := CASE
    WHEN NEW."status" IN ('submitted', 'transferred') THEN
      CASE WHEN NEW."acceptDueAt" IS NULL OR NEW."replyDueAt" IS NULL THEN NULL
           ELSE LEAST(NEW."acceptDueAt", NEW."replyDueAt") END
    WHEN NEW."status" IN ('accepted', 'in_progress') THEN NEW."replyDueAt"
    ELSE NULL
  END;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "Complaint_nextDueAt" BEFORE INSERT OR UPDATE ON "Complaint"
  FOR EACH ROW EXECUTE FUNCTION complaint_next_due_at();
