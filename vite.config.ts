import path from "node:path";
import { reactRouter } from "@react-router/dev/vite";
import { defineConfig } from "vite";
import { enhanceScript } from "./vite/enhance-script";

export default defineConfig({
  plugins: [reactRouter(), enhanceScript(path.resolve(import.meta.dirname, "app/enhance/survey.ts"))],
  // Vite does not read tsconfig "paths"; keep this alias in step with tsconfig.json.
  resolve: { alias: { "#app": path.resolve(import.meta.dirname, "app") } },
  build: {
    assetsInlineLimit: 0,
    rollupOptions: {
      onwarn(warning, warn) {
        // Resource routes (CSV, photos, the API) have no browser code by design: their empty
        // chunks are expected. zod ships comments Rollup cannot place; it drops them, harmlessly.
        if (warning.code === "EMPTY_BUNDLE") return;
        if (warning.code === "INVALID_ANNOTATION" && warning.id?.includes("/node_modules/zod/")) return;
        warn(warning);
      },
    },
  },
  server: { port: 5173 },
});
