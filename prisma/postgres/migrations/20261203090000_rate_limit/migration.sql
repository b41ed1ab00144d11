-- Issue 16 (ADR 0026 §2.7): the counters of the rate limits, shared by every app server
-- (app/lib/rate-limit.server.ts, rate-limiter-flexible's RateLimiterPostgres with tableCreated, so
-- it never creates the table itself). `prisma migrate diff --from-migrations
-- prisma/postgres/migrations --to-schema prisma/postgres/schema.prisma --script`. The column order
-- matters: the library inserts `VALUES ($1, $2, $3)` as key, points, expire.

-- CreateTable
CREATE TABLE "RateLimit" (
    "key" TEXT NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "RateLimit_pkey" PRIMARY KEY ("key")
);
