-- Issue 16 (ADR 0026 §2.7): the counters of the rate limits, shared by the app servers on
-- PostgreSQL (RateLimiterPostgres). SQLite's single process counts in memory: the table stays empty
-- here and exists so that both databases have the same schema.

-- CreateTable
CREATE TABLE "RateLimit" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT
);
