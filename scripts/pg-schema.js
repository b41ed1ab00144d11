#!/usr/bin/env node
// `npm run db:pg-schema`: writes prisma/postgres/schema.prisma from prisma/schema.prisma, the one
// schema to edit (ADR 0026). Only the datasource provider and the generated client's folder
// change: the SQLite schema uses no native types, so the same models give clean PostgreSQL DDL.
// tests/unit/postgres-schema.test.ts fails when the committed file is stale.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
export const SOURCE = "prisma/schema.prisma";
export const TARGET = "prisma/postgres/schema.prisma";

const HEADER = `// GENERATED from ${SOURCE} by \`npm run db:pg-schema\` (scripts/pg-schema.js): do not edit.
// Change ${SOURCE}, run that command, and add a migration to each folder:
// prisma/migrations (SQLite) and prisma/postgres/migrations (PostgreSQL).

`;

/** Replaces exactly one match, so a reworded source block fails loudly instead of slipping through. */
function replaceOnce(text, pattern, replacement, what) {
  const matches = text.match(new RegExp(pattern.source, `${pattern.flags.replace("g", "")}g`)) ?? [];
  if (matches.length !== 1) throw new Error(`${SOURCE}: expected one ${what}, found ${matches.length}`);
  return text.replace(pattern, replacement);
}

/** The PostgreSQL schema for the given SQLite schema text. */
export function postgresSchema(sqliteSchema) {
  let schema = replaceOnce(sqliteSchema, /^(datasource db \{\s*provider\s*=\s*)"sqlite"/m, '$1"postgresql"', 'datasource with provider = "sqlite"');
  // Paths in a schema are relative to its folder, one level deeper here.
  schema = replaceOnce(schema, /^(\s*output\s*=\s*)"\.\.\/app\/generated\/prisma"$/m, '$1"../../app/generated/prisma-pg"', 'generator output "../app/generated/prisma"');
  return HEADER + schema;
}

export function generatedSchema() {
  return postgresSchema(fs.readFileSync(path.join(root, SOURCE), "utf8"));
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  fs.mkdirSync(path.dirname(path.join(root, TARGET)), { recursive: true });
  fs.writeFileSync(path.join(root, TARGET), generatedSchema());
  console.log(`wrote ${TARGET}`);
}
