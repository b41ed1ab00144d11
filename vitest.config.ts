import path from "node:path";
import { defineConfig } from "vitest/config";

// Vitest runs only unit tests; Playwright specs live in tests/e2e and run with `playwright test`.
export default defineConfig({
  resolve: { alias: { "#app": path.resolve(import.meta.dirname, "app"), "#tests": path.resolve(import.meta.dirname, "tests") } },
  test: {
    include: ["tests/unit/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
  },
});
