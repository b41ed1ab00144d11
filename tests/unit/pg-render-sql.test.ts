// How the PostgreSQL driver renders a portable statement (docs/decisions/0027): `?` → `$n`, and
// mixed-case identifiers quoted as Prisma's PostgreSQL DDL names them. Pure: no server needed
// (tests/unit/pg-driver.test.ts runs rendered statements on a real cluster).
import { describe, expect, it } from "vitest";
import { parseTimestamp, renderSql } from "#app/lib/db/postgres.server";

describe("renderSql", () => {
  it("numbers the placeholders in order", () => {
    expect(renderSql("SELECT id FROM t WHERE a = ? AND b IN (?,?) LIMIT ?")).toBe(
      "SELECT id FROM t WHERE a = $1 AND b IN ($2,$3) LIMIT $4",
    );
  });

  it("quotes mixed-case tables, columns and aliases, qualified or not", () => {
    expect(renderSql("SELECT r.submittedAt AS sameNetwork, COUNT(*) AS n FROM Response r WHERE r.unitId = ?")).toBe(
      'SELECT r."submittedAt" AS "sameNetwork", COUNT(*) AS n FROM "Response" r WHERE r."unitId" = $1',
    );
    expect(renderSql("SELECT Response.id FROM Response")).toBe('SELECT "Response".id FROM "Response"');
  });

  it("leaves all-lower and all-upper words alone: keywords, functions, lower-case names", () => {
    const text = "SELECT COALESCE(MAX(id), 0), lower(name), CAST(? AS TEXT) FROM unit_table WHERE active = TRUE GROUP BY x_1";
    expect(renderSql(text)).toBe(text.replace("?", "$1"));
  });

  it("renders an upsert with excluded and the table-qualified old value", () => {
    expect(
      renderSql(
        "INSERT INTO ScoreTally (unitId, periodId, n) VALUES (?, ?, ?) ON CONFLICT (unitId, periodId) DO UPDATE SET n = ScoreTally.n + excluded.n, updatedAt = excluded.updatedAt RETURNING id",
      ),
    ).toBe(
      'INSERT INTO "ScoreTally" ("unitId", "periodId", n) VALUES ($1, $2, $3) ON CONFLICT ("unitId", "periodId") DO UPDATE SET n = "ScoreTally".n + excluded.n, "updatedAt" = excluded."updatedAt" RETURNING id',
    );
  });

  it("copies string literals untouched, with doubled quotes and question marks inside", () => {
    expect(renderSql("SELECT 'Is it OK?' AS label, 'it''s ?' FROM Unit WHERE code = ? AND note <> 'camelCase'")).toBe(
      `SELECT 'Is it OK?' AS label, 'it''s ?' FROM "Unit" WHERE code = $1 AND note <> 'camelCase'`,
    );
    expect(renderSql("SELECT '' || ?, ''''")).toBe("SELECT '' || $1, ''''");
  });

  it("does not quote again what is already quoted", () => {
    expect(renderSql('SELECT "Response"."submittedAt", "odd ""Name""?" FROM "Response" WHERE unitId = ?')).toBe(
      'SELECT "Response"."submittedAt", "odd ""Name""?" FROM "Response" WHERE "unitId" = $1',
    );
  });

  it("leaves comments alone, question marks and mixed case included", () => {
    expect(renderSql("SELECT id -- which Unit? all\nFROM Unit /* camelCase ? */ WHERE id = ?")).toBe(
      'SELECT id -- which Unit? all\nFROM "Unit" /* camelCase ? */ WHERE id = $1',
    );
    expect(renderSql("SELECT 1 -- trailing Comment?")).toBe("SELECT 1 -- trailing Comment?");
  });

  it("treats a minus or a slash that starts no comment as an operator", () => {
    expect(renderSql("SELECT a - ?, b / ?, -? FROM t")).toBe("SELECT a - $1, b / $2, -$3 FROM t");
  });

  it("does not take the letters of a number for an identifier", () => {
    expect(renderSql("SELECT 1e3, 2.5E2, 0.5 * scoreValue FROM t WHERE x > 10")).toBe(
      'SELECT 1e3, 2.5E2, 0.5 * "scoreValue" FROM t WHERE x > 10',
    );
  });

  it("quotes identifiers with digits, underscores and dollar signs whole", () => {
    expect(renderSql("SELECT item_Q1, _privateX, Unit2, a$B FROM t")).toBe('SELECT "item_Q1", "_privateX", "Unit2", "a$B" FROM t');
  });

  it("keeps newlines, tabs and PostgreSQL casts", () => {
    expect(renderSql("SELECT\n\tcreatedAt::text\nFROM  Event\tWHERE id=?")).toBe('SELECT\n\t"createdAt"::text\nFROM  "Event"\tWHERE id=$1');
  });

  it("gives the same text for the same input (cached)", () => {
    const text = "SELECT id FROM Cached WHERE a = ?";
    expect(renderSql(text)).toBe(renderSql(text));
    expect(renderSql(text)).toBe('SELECT id FROM "Cached" WHERE a = $1');
  });

  it("leaves an unterminated literal to PostgreSQL's error rather than rendering inside it", () => {
    expect(renderSql("SELECT 'open ? Unit")).toBe("SELECT 'open ? Unit");
  });
});

describe("parseTimestamp", () => {
  it("gives timestamp text the ISO form SQLite stores, always with three millisecond digits", () => {
    expect(parseTimestamp("2026-12-01 03:04:05.67")).toBe("2026-12-01T03:04:05.670+00:00");
    expect(parseTimestamp("2026-12-01 03:04:05")).toBe("2026-12-01T03:04:05.000+00:00");
    expect(parseTimestamp("2026-12-01 03:04:05.123456")).toBe("2026-12-01T03:04:05.123+00:00");
    expect(parseTimestamp("2026-12-01 03:04:05.9")).toBe("2026-12-01T03:04:05.900+00:00");
  });

  it("turns timestamptz text to UTC", () => {
    expect(parseTimestamp("2026-12-01 03:04:05.67+00")).toBe("2026-12-01T03:04:05.670+00:00");
    expect(parseTimestamp("2026-12-01 03:04:05.67+08")).toBe("2026-11-30T19:04:05.670+00:00");
    expect(parseTimestamp("2026-12-31 23:30:00-05:30")).toBe("2027-01-01T05:00:00.000+00:00");
    expect(parseTimestamp("2026-12-01 03:04:05+05:30:15")).toBe("2026-11-30T21:33:50.000+00:00");
  });

  it("leaves what is no plain date and time as PostgreSQL wrote it", () => {
    expect(parseTimestamp("infinity")).toBe("infinity");
    expect(parseTimestamp("-infinity")).toBe("-infinity");
    expect(parseTimestamp("0044-03-15 12:00:00 BC")).toBe("0044-03-15 12:00:00 BC");
  });
});
