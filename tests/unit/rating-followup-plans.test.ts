// SQLite's query plans for the office's count of dissatisfied ratings a complaint followed
// (app/models/rating-followup.server.ts): a million responses stay fast only while the count reads
// the period's covering index and the cited count starts from the complaints that cite a response.
// SQLite only (vitest.config.ts): the plans are SQLite's own; rating-followup.test.ts checks the
// figures on both databases. The plans come from the schema and the statements, not the rows (the
// test database has no ANALYZE statistics), so the migrated database needs no data.
import fs from "node:fs";
import Database from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { freshTestDatabase } from "./support/test-db";

const { dir, dbFile } = freshTestDatabase("rating-followup-plans");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const { followupStatements } = await import("#app/models/rating-followup.server");

it("reads the period's index and starts the cited count from the complaints that cite a response", () => {
  // SQLite's own plans, on a connection of the test's own to its database file.
  const db = new Database(dbFile, { readonly: true });
  try {
    const plan = (sql: string, ...args: number[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail);
    const periodId = 1;
    const unitId = 12;
    for (const [oneUnit, withIntegrity] of [[false, true], [true, true], [true, false]]) {
      const sql = followupStatements(oneUnit!, withIntegrity);
      const args = oneUnit ? [periodId, unitId] : [periodId];
      expect(plan(sql.counts, ...args).join(" | ")).toMatch(/^SEARCH Response USING COVERING INDEX Response_periodId_dissatisfied_unitId_idx \(periodId=\? AND dissatisfied=\?( AND unitId=\?)?\)/);
      const cited = plan(sql.cited, ...args);
      expect(cited[0]).toMatch(/^SEARCH c USING COVERING INDEX Complaint_responseId_idx/);
      // Then each cited response (and, leaving integrity complaints out, each citing complaint's row) by its key.
      expect(cited.filter((d) => d.startsWith("SEARCH") || d.startsWith("SCAN")).slice(1)).toEqual(
        withIntegrity ? [expect.stringMatching(/^SEARCH r USING INTEGER PRIMARY KEY/)] : [expect.stringMatching(/^SEARCH i USING INTEGER PRIMARY KEY/), expect.stringMatching(/^SEARCH r USING INTEGER PRIMARY KEY/)],
      );
    }
  } finally {
    db.close();
  }
});
