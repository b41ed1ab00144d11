// prisma/postgres/schema.prisma is generated from prisma/schema.prisma (scripts/pg-schema.js,
// ADR 0026): a change to the SQLite schema without `npm run db:pg-schema` fails here.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generatedSchema, postgresSchema, SOURCE, TARGET } from "../../scripts/pg-schema.js";

const root = path.resolve(import.meta.dirname, "../..");

describe("the generated PostgreSQL schema", () => {
  it("is up to date with the SQLite schema", () => {
    const committed = readFileSync(path.join(root, TARGET), "utf8");
    expect(committed, `${TARGET} is stale: run \`npm run db:pg-schema\` and commit it`).toBe(generatedSchema());
  });

  it("differs from the source only in the provider, the client folder and its header", () => {
    const source = readFileSync(path.join(root, SOURCE), "utf8");
    const generated = generatedSchema();
    expect(generated).toMatch(/^datasource db \{\s*provider = "postgresql"\s*\}/m);
    expect(generated).toContain('output       = "../../app/generated/prisma-pg"');
    const body = (text: string) =>
      text
        .split("\n")
        .filter((line) => !line.startsWith("// GENERATED") && !/^\s*(output|provider)\s*=/.test(line))
        .filter((line) => !line.startsWith("// Change ") && !line.startsWith("// prisma/migrations"))
        .join("\n")
        .trim();
    expect(body(generated)).toBe(body(source));
  });

  it("refuses a source whose datasource or generator it does not recognise", () => {
    const source = readFileSync(path.join(root, SOURCE), "utf8");
    expect(() => postgresSchema(source.replace('provider = "sqlite"', 'provider = "mysql"'))).toThrow(/provider = "sqlite"/);
    expect(() => postgresSchema(source.replace('"../app/generated/prisma"', '"../elsewhere"'))).toThrow(/generator output/);
  });
});
