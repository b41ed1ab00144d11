import path from "node:path";
import { reactRouter } from "@react-router/dev/vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [reactRouter()],
  // Vite does not read tsconfig "paths"; keep this alias in step with tsconfig.json.
  resolve: { alias: { "#app": path.resolve(import.meta.dirname, "app") } },
  build: { assetsInlineLimit: 0 },
  server: { port: 5173 },
});
