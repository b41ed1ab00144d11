// The project "pg-setup" (playwright.config.ts): the PostgreSQL cluster of the run's pg tests.
import { test } from "@playwright/test";
import { startTestCluster } from "./support/pg-cluster";

test("a PostgreSQL cluster with a migrated and seeded template database", async () => {
  test.setTimeout(120_000);
  await startTestCluster();
});
