import { defineConfig, devices } from "@playwright/test";
import { chromiumPath } from "./tests/e2e/support/chromium";
import type { DatabaseOption } from "./tests/e2e/support/fixtures";

// Each worker starts its own production server on its own database (tests/e2e/support/fixtures.ts),
// so tests never see each other's responses. `npm test` builds the app before this runs.
const launchOptions = {
  executablePath: chromiumPath(),
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
  ],
};

// The main journeys, run again on PostgreSQL (ADR 0026 §2.10) by the project "pg".
const POSTGRES_JOURNEYS = [
  "survey",
  "kiosk",
  "offline",
  "complaints",
  "case-handling",
  "notifications",
  "mail",
  "rating-codes",
  "scores",
  "staff",
  "admin",
  "authorization-matrix",
];

export default defineConfig<object, DatabaseOption>({
  testDir: "tests/e2e",
  testMatch: "**/*.spec.ts",
  // Its own folder: Playwright empties it, and test-results/ also holds the unit-test report.
  outputDir: "test-results/e2e-artifacts",
  globalSetup: "./tests/e2e/support/global-setup.ts",
  fullyParallel: true,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 7_000 },
  reporter: [["list"], ["json", { outputFile: "test-results/e2e-results.json" }]],
  use: { launchOptions, trace: "retain-on-failure", locale: "zh-CN" },
  projects: [
    // The offline outbox is a phone's story (issue 12): its spec runs on the Pixel 7 only.
    { name: "desktop", use: { ...devices["Desktop Chrome"], launchOptions }, testIgnore: /offline\.spec\.ts$/ },
    // Specs that only speak HTTP (no page) answer the same on any device: run them once.
    {
      name: "pixel7",
      use: { ...devices["Pixel 7"], launchOptions },
      testIgnore: /(authorization-matrix|bad-input|backup|shutdown|operations-metrics)\.spec\.ts$/,
    },
    // PostgreSQL: "pg-setup" starts one throwaway cluster for the run and seeds a template database
    // (tests/e2e/support/pg-cluster.ts); each worker's server copies it. Desktop only: the
    // database, not the device, is what this project varies.
    { name: "pg-setup", testMatch: /pg\.setup\.ts$/, teardown: "pg-teardown" },
    { name: "pg-teardown", testMatch: /pg\.teardown\.ts$/ },
    {
      name: "pg",
      dependencies: ["pg-setup"],
      testMatch: new RegExp(`/(${POSTGRES_JOURNEYS.join("|")})\\.spec\\.ts$`),
      use: { ...devices["Desktop Chrome"], launchOptions, database: "postgres" },
    },
  ],
});
