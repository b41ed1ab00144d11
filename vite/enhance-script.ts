// Builds the survey pages' own script (app/enhance/survey.ts) as one small self-contained file,
// outside React Router's client bundles: those pages load no framework runtime
// (docs/decisions/0015). Server and browser code import its URL from "virtual:enhance-script".
// - Build: bundled with esbuild (minified, one IIFE) and emitted into the client build as
//   assets/survey-<hash>.js; the server build gets the same URL without emitting the file.
// - Dev server: served from memory at /@enhance/survey.js, rebundled on each request.
import { createHash } from "node:crypto";
import path from "node:path";
import { build } from "esbuild";
import type { Plugin } from "vite";

const VIRTUAL_ID = "virtual:enhance-script";
const RESOLVED_ID = `\0${VIRTUAL_ID}`;
const DEV_URL = "/@enhance/survey.js";

export function enhanceScript(entry: string): Plugin {
  let command: "build" | "serve" = "build";
  let bundled: Promise<string> | null = null;
  const bundle = () =>
    build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: "iife",
      target: ["es2019", "chrome70", "safari12"],
      // esbuild 0.28 lists destructuring as unsupported before Safari 14.1 (a WebKit bug in rare
      // patterns, evanw/esbuild#4436) and, having no transform for it, refuses to build: keep it
      // as written, as Vite does for such targets (vitejs/vite#22346).
      supported: { destructuring: true },
      write: false,
      legalComments: "none",
      tsconfig: path.resolve(path.dirname(entry), "../../tsconfig.json"),
      logLevel: "silent",
    }).then((r) => r.outputFiles[0]!.text);

  return {
    name: "civic-enhance-script",
    configResolved(config) {
      command = config.command;
    },
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : undefined;
    },
    async load(id) {
      if (id !== RESOLVED_ID) return undefined;
      if (command === "serve") return `export const enhanceScriptUrl = ${JSON.stringify(DEV_URL)};`;
      const code = await (bundled ??= bundle());
      const fileName = `assets/survey-${createHash("sha256").update(code).digest("hex").slice(0, 10)}.js`;
      // Only the browser's build carries the file; the server's only needs its name.
      if (this.environment?.config.consumer === "client") this.emitFile({ type: "asset", fileName, source: code });
      return `export const enhanceScriptUrl = ${JSON.stringify(`/${fileName}`)};`;
    },
    configureServer(server) {
      server.middlewares.use(DEV_URL, (_req, res, next) => {
        bundle().then((code) => {
          res.setHeader("Content-Type", "text/javascript; charset=utf-8");
          res.end(code);
        }, next);
      });
    },
  };
}
