// Prisma CLI configuration (generate, migrate, db, studio). Loaded by the CLI before anything else.
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

const projectRoot = path.dirname(fileURLToPath(import.meta.url));

// Prisma's native schema engine cannot be downloaded here: stand in for it with a bridge to the
// WASM engine (docs/decisions/0002-prisma-schema-engine-bridge.md). The CLI checks this variable
// only after loading this file. An explicit value (e.g. a real binary) wins.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(projectRoot, "scripts/prisma-schema-engine/schema-engine");

/**
 * Resolves a relative SQLite `file:` URL against the project root (not the shell's cwd), exactly as
 * the app does, and creates the folder so a fresh checkout can migrate straight away.
 */
function sqliteUrl(url: string): string {
  if (!url.startsWith("file:") || url.startsWith("file://")) return url;
  const [file = "", query] = url.slice("file:".length).split("?", 2);
  if (file === "" || file === ":memory:") return url;
  const absolute = path.resolve(projectRoot, file);
  mkdirSync(path.dirname(absolute), { recursive: true });
  return `file:${absolute}${query === undefined ? "" : `?${query}`}`;
}

const databaseUrl = process.env.DATABASE_URL ?? "file:./data/app.db";

// A postgresql:// URL selects the PostgreSQL schema generated from prisma/schema.prisma and its own
// migrations folder (ADR 0026); anything else is SQLite, the default.
const postgres = /^postgres(ql)?:\/\//.test(databaseUrl);

export default defineConfig({
  schema: postgres ? "prisma/postgres/schema.prisma" : "prisma/schema.prisma",
  migrations: {
    path: postgres ? "prisma/postgres/migrations" : "prisma/migrations",
    seed: "tsx prisma/seed.ts",
  },
  datasource: postgres
    ? {
        url: databaseUrl,
        // Without one, the engine creates a scratch database on the same server and drops it.
        ...(process.env.SHADOW_DATABASE_URL ? { shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL } : {}),
      }
    : {
        url: sqliteUrl(databaseUrl),
        // Scratch database for `migrate dev` / `migrate diff --from-migrations`: one per CLI process,
        // emptied before each use and deleted afterwards by the bridge. Never the main database.
        shadowDatabaseUrl: sqliteUrl(
          process.env.SHADOW_DATABASE_URL ?? `file:${path.join(tmpdir(), `civic-satisfaction-shadow-${process.pid}.db`)}`,
        ),
      },
});
