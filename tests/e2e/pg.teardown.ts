// The project "pg-teardown" (playwright.config.ts): stops the cluster once the pg tests are done.
import { test } from "@playwright/test";
import { stopTestCluster } from "./support/pg-cluster";

test("the PostgreSQL cluster is stopped", () => {
  stopTestCluster();
});
