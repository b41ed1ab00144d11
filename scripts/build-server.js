#!/usr/bin/env node
// Compiles the production HTTP server (server/index.ts and the app modules it imports) to one
// JavaScript file, build/app-server.js, so production runs no TypeScript transpiler (issue 15).
// Packages stay external (node_modules); the React Router build is loaded at run time.
import path from "node:path";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
await build({
  absWorkingDir: root,
  entryPoints: ["server/index.ts"],
  outfile: "build/app-server.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning",
  banner: { js: "// Built by scripts/build-server.js from server/index.ts: do not edit." },
});
