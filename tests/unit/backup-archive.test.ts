// Backups that restore, on a real SQLite file in WAL mode: the archive is a consistent copy taken
// while rows keep arriving, a damaged archive is caught before anything is written, and a restore
// writes only into an empty target unless forced.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createBackup, extractArchive, verifyArchive } from "#app/services/backup/archive.server";
import { RestoreRefused, restoreArchive, targetNotEmpty, targetState } from "#app/services/backup/restore.server";
import { backupFixture, FIXTURE_MIGRATIONS } from "./support/backup-fixture";

const SECRET = "backup-archive-test-secret-0123456789abcdef";
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
function fixture(opts?: Parameters<typeof backupFixture>[1]) {
  const fx = backupFixture("backup-archive", opts);
  cleanups.push(fx.cleanup);
  return fx;
}
const count = (file: string, table: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

/** Rebuilds an archive after `change` edits its extracted files. */
function tampered(archive: string, workDir: string, change: (dir: string) => void): string {
  const dir = path.join(workDir, "tamper");
  fs.mkdirSync(dir);
  execFileSync("tar", ["-xzf", archive, "-C", dir]);
  change(dir);
  const out = path.join(workDir, "tampered.tar.gz");
  execFileSync("tar", ["-czf", out, "-C", dir, ...fs.readdirSync(dir)]);
  return out;
}

describe("backup archives", () => {
  it("copies the database consistently while rows keep arriving, with the photos it refers to", async () => {
    const fx = fixture({ photos: 3, responses: 2000 });
    const insert = fx.db.prepare("INSERT INTO Response (grade) VALUES (3)");
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        fx.db.transaction(() => {
          for (let i = 0; i < 20; i++) insert.run();
        })();
        written += 20;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const out = path.join(fx.dir, "out", "b.tar.gz");
    const result = await createBackup({ databaseFile: fx.dbFile, uploadDir: fx.uploadDir, out, reason: "manual" });
    writing = false;
    await writer;

    expect(written).toBeGreaterThan(0);
    expect(result.file).toBe(out);
    expect(fs.statSync(out).size).toBe(result.size);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(out))).toEqual(["b.tar.gz"]); // no staging or partial left
    const m = result.manifest;
    expect(m.migrations).toEqual({ last: FIXTURE_MIGRATIONS.at(-1), applied: FIXTURE_MIGRATIONS });
    expect(m.rowCounts.ComplaintPhoto).toBe(3);
    expect(m.rowCounts.Response).toBeGreaterThanOrEqual(2000);
    expect(m.photos.map((p) => p.path)).toEqual(fx.photoNames.map((n) => `photos/${n}`));
    expect(m.missingPhotos).toEqual([]);

    const report = await verifyArchive(out);
    expect(report).toMatchObject({ ok: true, problems: [], notes: [] });
    // The live database went on growing; the archive holds the moment of the copy.
    expect(count(fx.dbFile, "Response")).toBeGreaterThanOrEqual(m.rowCounts.Response!);
  });

  it("notes a referenced photo whose file is missing, and still verifies", async () => {
    const fx = fixture({ photos: 2 });
    fs.rmSync(path.join(fx.uploadDir, fx.photoNames[1]!));
    // A file no row refers to (a refused upload) is not backed up.
    fs.writeFileSync(path.join(fx.uploadDir, "orphan.jpg"), "x");
    const out = path.join(fx.dir, "b.tar.gz");
    const { manifest } = await createBackup({ databaseFile: fx.dbFile, uploadDir: fx.uploadDir, out, reason: "manual" });
    expect(manifest.missingPhotos).toEqual([fx.photoNames[1]]);
    expect(manifest.photos.map((p) => p.path)).toEqual([`photos/${fx.photoNames[0]}`]);
    const report = await verifyArchive(out);
    expect(report.ok).toBe(true);
    expect(report.notes).toEqual([expect.stringContaining(`were already missing from UPLOAD_DIR when the backup was taken: ${fx.photoNames[1]}`)]);
  });

  it("fails verification for a changed photo, a changed database, an extra file, or a file that is no archive", async () => {
    const fx = fixture({ photos: 1 });
    const out = path.join(fx.dir, "b.tar.gz");
    await createBackup({ databaseFile: fx.dbFile, uploadDir: fx.uploadDir, out, reason: "manual" });

    const photo = tampered(out, path.join(fx.dir), (dir) => fs.appendFileSync(path.join(dir, "photos", fx.photoNames[0]!), "!"));
    const r1 = await verifyArchive(photo);
    expect(r1.ok).toBe(false);
    expect(r1.problems).toEqual([expect.stringMatching(new RegExp(`^photos/${fx.photoNames[0]}: \\d+ bytes, the manifest says \\d+`))]);

    fs.rmSync(path.join(fx.dir, "tamper"), { recursive: true });
    const db = tampered(out, fx.dir, (dir) => {
      // Same size, one row changed: only the checksum can tell.
      const d = new Database(path.join(dir, "database.sqlite"));
      d.prepare("UPDATE Response SET grade = CASE grade WHEN 1 THEN 2 ELSE 1 END WHERE id = 1").run();
      d.close();
    });
    const r2 = await verifyArchive(db);
    expect(r2.ok).toBe(false);
    expect(r2.problems).toEqual([expect.stringMatching(/^database\.sqlite: sha256 [0-9a-f]{64} differs from the manifest's/)]);

    fs.rmSync(path.join(fx.dir, "tamper"), { recursive: true });
    const extra = tampered(out, fx.dir, (dir) => fs.writeFileSync(path.join(dir, "photos", "planted.jpg"), "x"));
    expect((await verifyArchive(extra)).problems).toEqual(["photos/planted.jpg: in the archive but not in the manifest"]);

    const junk = path.join(fx.dir, "junk.tar.gz");
    fs.writeFileSync(junk, "not an archive at all");
    const r3 = await verifyArchive(junk);
    expect(r3.ok).toBe(false);
    expect(r3.problems[0]).toMatch(/^the archive cannot be read|manifest\.json is missing/);
  });

  it("never writes an entry outside its folder or of another kind (a link)", async () => {
    const fx = fixture({ photos: 0 });
    const src = path.join(fx.dir, "evil");
    fs.mkdirSync(path.join(src, "photos"), { recursive: true });
    fs.writeFileSync(path.join(src, "manifest.json"), "{}");
    fs.symlinkSync("/etc/passwd", path.join(src, "photos", "link.jpg"));
    fs.writeFileSync(path.join(src, "other.txt"), "x");
    const archive = path.join(fx.dir, "evil.tar.gz");
    execFileSync("tar", ["-czf", archive, "-C", src, "manifest.json", "photos", "other.txt"]);
    const into = path.join(fx.dir, "into");
    fs.mkdirSync(into);
    const refused = await extractArchive(archive, into);
    expect(refused.sort()).toEqual(["other.txt (File)", "photos/link.jpg (SymbolicLink)"]);
    expect(fs.existsSync(path.join(into, "other.txt"))).toBe(false);
    expect(fs.existsSync(path.join(into, "photos", "link.jpg"))).toBe(false);
  });
});

describe("restore", () => {
  it("restores into an empty target, refuses a non-empty one without force, and with force keeps the replaced database", async () => {
    const fx = fixture({ photos: 2, responses: 30 });
    const archive = path.join(fx.dir, "b.tar.gz");
    const { manifest } = await createBackup({ databaseFile: fx.dbFile, uploadDir: fx.uploadDir, out: archive, reason: "manual", sessionSecret: SECRET });

    const target = path.join(fx.dir, "restored");
    const databaseFile = path.join(target, "data", "app.db");
    const uploadDir = path.join(target, "uploads");
    // Stale WAL files beside an empty database must not be read as part of the restored one.
    fs.mkdirSync(path.dirname(databaseFile), { recursive: true });
    fs.writeFileSync(databaseFile, "");
    fs.writeFileSync(`${databaseFile}-wal`, "stale");
    expect(targetNotEmpty(targetState(databaseFile, uploadDir))).toEqual([]);

    const r = await restoreArchive({ from: archive, databaseFile, uploadDir, force: false, localMigrations: FIXTURE_MIGRATIONS, sessionSecret: SECRET });
    expect(r.notes).toEqual([]);
    expect(r.photos).toBe(2);
    expect(r.replacedDatabase).toBeUndefined();
    expect(fs.existsSync(`${databaseFile}-wal`)).toBe(false);
    expect(count(databaseFile, "Response")).toBe(manifest.rowCounts.Response);
    expect(fs.readdirSync(uploadDir).sort()).toEqual([...fx.photoNames].sort());
    expect(fs.readFileSync(path.join(uploadDir, fx.photoNames[0]!))).toEqual(fs.readFileSync(path.join(fx.uploadDir, fx.photoNames[0]!)));
    expect(fs.readdirSync(path.dirname(databaseFile))).toEqual(["app.db"]); // no staging left

    const again = restoreArchive({ from: archive, databaseFile, uploadDir, force: false, localMigrations: FIXTURE_MIGRATIONS });
    await expect(again).rejects.toThrow(RestoreRefused);
    await expect(again).rejects.toThrow(/Refusing to restore over existing data: the database .* has 2 tables; UPLOAD_DIR .* holds 2 file\(s\)/);

    // On a machine with another secret it restores, and warns what will not work.
    const forced = await restoreArchive({
      from: archive,
      databaseFile,
      uploadDir,
      force: true,
      localMigrations: FIXTURE_MIGRATIONS,
      sessionSecret: "another-secret-on-the-new-machine-0123456789",
      now: new Date("2026-12-01T05:00:00Z"),
    });
    expect(forced.notes).toEqual([expect.stringMatching(/^WARNING: this installation's session secret .* is not the one the backup was taken with/)]);
    expect(forced.replacedDatabase).toBe(`${databaseFile}.replaced-20261201T050000Z`);
    expect(count(forced.replacedDatabase!, "Response")).toBe(manifest.rowCounts.Response);
  });

  it("writes nothing when the archive fails its checks or was made by a newer version", async () => {
    const fx = fixture({ photos: 1 });
    const archive = path.join(fx.dir, "b.tar.gz");
    await createBackup({ databaseFile: fx.dbFile, uploadDir: fx.uploadDir, out: archive, reason: "manual" });
    const bad = tampered(archive, fx.dir, (dir) => fs.appendFileSync(path.join(dir, "database.sqlite"), "x"));
    const databaseFile = path.join(fx.dir, "t", "app.db");
    const uploadDir = path.join(fx.dir, "t", "uploads");

    const refused = await restoreArchive({ from: bad, databaseFile, uploadDir, force: false, localMigrations: FIXTURE_MIGRATIONS }).catch((e: RestoreRefused) => e);
    expect(refused).toBeInstanceOf(RestoreRefused);
    expect((refused as RestoreRefused).report?.problems).toEqual([expect.stringMatching(/^database\.sqlite: \d+ bytes/)]);
    expect(fs.readdirSync(path.dirname(databaseFile))).toEqual([]);
    expect(fs.existsSync(uploadDir)).toBe(false);

    await expect(restoreArchive({ from: archive, databaseFile, uploadDir, force: true, localMigrations: FIXTURE_MIGRATIONS.slice(0, 1) })).rejects.toThrow(
      /made by a newer version of the app \(migrations unknown here: 20260201000000_photos\)/,
    );
    expect(fs.readdirSync(path.dirname(databaseFile))).toEqual([]);
  });
});
