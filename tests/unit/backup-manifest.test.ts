// The manifest's checks decide whether an archive may be restored: each must catch the damage
// it names, and a sound archive must pass all of them.
import { describe, expect, it } from "vitest";
import {
  ARCHIVE_FORMAT_VERSION,
  buildManifest,
  checkDatabase,
  checkFiles,
  type Manifest,
  parseManifest,
  secretMismatch,
  sessionSecretCheck,
  unknownMigrations,
} from "#app/services/backup/manifest.server";
import type { DatabaseFacts } from "#app/services/backup/sqlite.server";

const sha = (c: string) => c.repeat(64);
const facts: DatabaseFacts = {
  size: 4096,
  sha256: sha("a"),
  rowCounts: { Response: 10, ComplaintPhoto: 2, _prisma_migrations: 2 },
  migrations: ["20260101000000_init", "20260201000000_photos"],
  photoNames: ["p1.jpg", "p2.jpg"],
  integrity: ["ok"],
};
const manifest: Manifest = buildManifest({
  createdAt: new Date("2026-12-01T03:00:00Z"),
  reason: "manual",
  app: { name: "civic-satisfaction", version: "0.1.0" },
  database: facts,
  photos: [{ name: "p1.jpg", size: 10, sha256: sha("b") }],
  missingPhotos: ["p2.jpg"],
  sessionSecret: "the-installation-secret-0123456789abcdef",
});
const files = () =>
  new Map([
    ["database.sqlite", { size: 4096, sha256: sha("a") }],
    ["photos/p1.jpg", { size: 10, sha256: sha("b") }],
  ]);

describe("backup manifest", () => {
  it("records the format, the last migration, the row counts and the files", () => {
    expect(manifest).toMatchObject({
      format: "civic-satisfaction-backup",
      formatVersion: ARCHIVE_FORMAT_VERSION,
      createdAt: "2026-12-01T03:00:00.000Z",
      migrations: { last: "20260201000000_photos", applied: facts.migrations },
      rowCounts: facts.rowCounts,
      database: { path: "database.sqlite", size: 4096, sha256: sha("a") },
      photos: [{ path: "photos/p1.jpg", size: 10, sha256: sha("b") }],
      missingPhotos: ["p2.jpg"],
    });
    expect(parseManifest(JSON.stringify(manifest))).toEqual({ ok: true, manifest });
  });

  it("refuses a manifest that is not JSON, of another shape, of a newer format, or naming paths outside the layout", () => {
    expect(parseManifest("{not json")).toEqual({ ok: false, problems: ["manifest.json is not JSON"] });
    const wrongShape = parseManifest(JSON.stringify({ ...manifest, rowCounts: { Response: -1 } }));
    expect(wrongShape.ok).toBe(false);
    const newer = parseManifest(JSON.stringify({ ...manifest, formatVersion: ARCHIVE_FORMAT_VERSION + 1 }));
    expect(newer).toEqual({ ok: false, problems: [expect.stringContaining("upgrade the app first")] });
    const escaping = parseManifest(JSON.stringify({ ...manifest, photos: [{ path: "photos/../../etc/passwd", size: 1, sha256: sha("c") }] }));
    expect(escaping).toEqual({ ok: false, problems: [expect.stringContaining("unexpected photo path")] });
    const otherDb = parseManifest(JSON.stringify({ ...manifest, database: { ...manifest.database, path: "../app.db" } }));
    expect(otherDb.ok).toBe(false);
  });

  it("finds a changed, missing, resized or unlisted file", () => {
    expect(checkFiles(manifest, files())).toEqual([]);
    const changed = files();
    changed.set("photos/p1.jpg", { size: 10, sha256: sha("c") });
    expect(checkFiles(manifest, changed)).toEqual([expect.stringMatching(/^photos\/p1\.jpg: sha256 c+ differs/)]);
    const resized = files();
    resized.set("database.sqlite", { size: 4097, sha256: sha("a") });
    expect(checkFiles(manifest, resized)).toEqual(["database.sqlite: 4097 bytes, the manifest says 4096"]);
    const missing = files();
    missing.delete("photos/p1.jpg");
    expect(checkFiles(manifest, missing)).toEqual(["photos/p1.jpg: listed in the manifest but not in the archive"]);
    const extra = files();
    extra.set("photos/x.jpg", { size: 1, sha256: sha("d") });
    expect(checkFiles(manifest, extra)).toEqual(["photos/x.jpg: in the archive but not in the manifest"]);
  });

  it("finds a database that fails its integrity check or differs from the manifest's counts, migrations or photos", () => {
    expect(checkDatabase(manifest, facts)).toEqual([]);
    expect(checkDatabase(manifest, { ...facts, integrity: ["*** in database main ***", "Page 7 is never used"] })).toEqual([
      "PRAGMA integrity_check: *** in database main ***; Page 7 is never used",
    ]);
    expect(checkDatabase(manifest, { ...facts, integrity: undefined })).toEqual(["PRAGMA integrity_check: no answer"]);
    expect(checkDatabase(manifest, { ...facts, rowCounts: { ...facts.rowCounts, Response: 9, Extra: 0 } })).toEqual([
      "table Extra: in the database but not in the manifest",
      "table Response: 9 rows, the manifest says 10",
    ]);
    const { ComplaintPhoto: _, ...withoutTable } = facts.rowCounts;
    expect(checkDatabase(manifest, { ...facts, rowCounts: withoutTable })).toEqual(["table ComplaintPhoto: in the manifest but not in the database"]);
    expect(checkDatabase(manifest, { ...facts, migrations: facts.migrations.slice(0, 1) })).toEqual([expect.stringContaining("applied migrations differ")]);
    expect(checkDatabase(manifest, { ...facts, photoNames: [...facts.photoNames, "p3.jpg"] })).toEqual([
      "1 photo(s) the database refers to are neither in the archive nor noted missing",
    ]);
  });

  it("tells a restore under another session secret, without holding the secret", () => {
    const check = sessionSecretCheck("the-installation-secret-0123456789abcdef");
    expect(manifest.sessionSecretCheck).toBe(check);
    expect(check).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(manifest)).not.toContain("the-installation-secret");
    expect(secretMismatch(manifest, "the-installation-secret-0123456789abcdef")).toBeNull();
    expect(secretMismatch(manifest, "a-new-secret-generated-on-this-machine-000")).toMatch(/^WARNING: .*complaint and rating codes/);
    // Without a secret on either side there is nothing to compare.
    expect(secretMismatch({ ...manifest, sessionSecretCheck: null }, "x".repeat(40))).toBeNull();
    expect(secretMismatch(manifest, undefined)).toBeNull();
  });

  it("names the migrations an archive has that this checkout does not know", () => {
    expect(unknownMigrations(manifest, [...facts.migrations, "20260301000000_next"])).toEqual([]);
    expect(unknownMigrations(manifest, facts.migrations.slice(0, 1))).toEqual(["20260201000000_photos"]);
  });
});
