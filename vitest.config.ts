import path from "node:path";
import { defineConfig } from "vitest/config";

// Vitest runs only unit tests; Playwright specs live in tests/e2e and run with `playwright test`.
// Two projects: every unit test on embedded SQLite (the default database), and the tests that
// reach the data layer again on PostgreSQL (ADR 0026 §2.10): a throwaway cluster per run, a
// database per test file copied from a migrated template.

/**
 * The data-layer tests that run on PostgreSQL too (each calls freshTestDatabase). Split off and
 * kept on SQLite only, because what they check exists only there:
 * - rating-followup-plans: SQLite's query plans (EXPLAIN QUERY PLAN) for the follow-up counts.
 * - follow-up-backfill: the SQLite migration's backfill of call-back deadlines (PostgreSQL's
 *   schema starts from a baseline without one).
 */
export const postgresTests = [
  "admin-models",
  "anomalies",
  "api-call-log",
  "case-links",
  "case-queue",
  "comment-order-services",
  "follow-up",
  "integrity-after-transfer",
  "kiosk-links",
  "metrics-readiness",
  "metrics-submissions",
  "next-due",
  "notification-outbox",
  "observe-domain-events",
  "period-report-service",
  "publication",
  "rate-limit-shared",
  "rating-codes",
  "rating-followup",
  "rectification",
  "response-export",
  "response-service",
  "retention-service",
  "safeguards-services",
  "score-paths",
  "scoring-assumed-paths",
  "staff-notices",
  "stuffing",
  "survey-slug-race",
  "survey-versions",
].map((name) => `tests/unit/${name}.test.ts`);

const alias = { "#app": path.resolve(import.meta.dirname, "app"), "#tests": path.resolve(import.meta.dirname, "tests") };

export default defineConfig({
  resolve: { alias },
  test: {
    environment: "node",
    testTimeout: 20_000,
    projects: [
      { extends: true, test: { name: "sqlite", include: ["tests/unit/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "pg",
          include: postgresTests,
          globalSetup: ["tests/unit/support/pg-global-setup.ts"],
          // Local-time parsing of timestamps would show here (the region is UTC+8).
          env: { TEST_DATABASE: "postgres", TZ: "Asia/Shanghai" },
        },
      },
    ],
  },
});
