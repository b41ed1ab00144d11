// Writing and checking backup archives (one .tar.gz; layout in manifest.server.ts).
//
// Taking one: the database is copied with VACUUM INTO on a worker thread, the photos that copy
// refers to are hard-linked (or copied) next to it so a photo removed meanwhile cannot tear the
// archive, each is hashed, the manifest is written, and tar streams it all through gzip (Node's
// zlib stream, which compresses on the thread pool, not on the event loop) into a temporary file
// that is renamed into place: a half-written archive never carries the final name.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { create as tarCreate, extract as tarExtract } from "tar";
import {
  buildManifest,
  checkDatabase,
  checkFiles,
  DATABASE_ENTRY,
  type FileFacts,
  isSafePhotoName,
  type Manifest,
  MANIFEST_ENTRY,
  parseManifest,
  secretMismatch,
  PHOTO_DIR,
  photoEntry,
  totalRows,
  unknownMigrations,
} from "./manifest.server";
import { inspectDatabase, snapshotDatabase } from "./sqlite.server";

export interface BackupResult {
  file: string;
  size: number;
  ms: number;
  rows: number;
  manifest: Manifest;
}

/** The app's name and version from package.json in the project root (the folder it runs in). */
export function appIdentity(root = process.cwd()): { name: string; version: string } {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { name?: string; version?: string };
    return { name: pkg.name ?? "unknown", version: pkg.version ?? "unknown" };
  } catch {
    return { name: "unknown", version: "unknown" };
  }
}

export async function sha256File(file: string): Promise<FileFacts> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    size += (chunk as Buffer).length;
    hash.update(chunk as Buffer);
  }
  return { size, sha256: hash.digest("hex") };
}

/** A photo into the staging folder: a hard link (instant, and the file stays whole) or a copy. */
async function stagePhoto(from: string, to: string): Promise<boolean> {
  try {
    await fsp.link(from, to);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return false;
    if (code !== "EXDEV" && code !== "EPERM" && code !== "EMLINK") throw error;
  }
  try {
    await fsp.copyFile(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/** Prefix of the folders a backup stages its files in, next to the archive (removed afterwards). */
export const STAGING_PREFIX = ".backup-staging-";

/**
 * Writes one archive of the live database and the photos it refers to at `out` (its folder is
 * created). Safe while the app serves: nothing here takes a write lock or blocks the event loop
 * for long.
 */
export async function createBackup(opts: {
  databaseFile: string;
  uploadDir: string;
  out: string;
  reason: string;
  /** Recorded as a check value only (sessionSecretCheck), so a restore can tell a different secret. */
  sessionSecret?: string;
  now?: () => Date;
}): Promise<BackupResult> {
  const started = performance.now();
  const now = opts.now ?? (() => new Date());
  const out = path.resolve(opts.out);
  const outDir = path.dirname(out);
  await fsp.mkdir(outDir, { recursive: true });
  if (!fs.existsSync(opts.databaseFile)) throw new Error(`there is no database at ${opts.databaseFile}`);
  const staging = await fsp.mkdtemp(path.join(outDir, STAGING_PREFIX));
  const partial = path.join(outDir, `.${path.basename(out)}.${randomBytes(4).toString("hex")}.partial`);
  try {
    const createdAt = now();
    const database = await snapshotDatabase(opts.databaseFile, path.join(staging, DATABASE_ENTRY));
    await fsp.mkdir(path.join(staging, PHOTO_DIR));
    const photos: { name: string; size: number; sha256: string }[] = [];
    const missingPhotos: string[] = [];
    for (const name of database.photoNames) {
      if (!isSafePhotoName(name)) throw new Error(`a ComplaintPhoto row has an unexpected stored name (${JSON.stringify(name.slice(0, 40))})`);
      const staged = path.join(staging, PHOTO_DIR, name);
      if (await stagePhoto(path.join(opts.uploadDir, name), staged)) photos.push({ name, ...(await sha256File(staged)) });
      else missingPhotos.push(name);
    }
    const manifest = buildManifest({ createdAt, reason: opts.reason, app: appIdentity(), database, photos, missingPhotos, sessionSecret: opts.sessionSecret });
    await fsp.writeFile(path.join(staging, MANIFEST_ENTRY), JSON.stringify(manifest, null, 2) + "\n");
    const entries = [MANIFEST_ENTRY, DATABASE_ENTRY, ...photos.map((p) => photoEntry(p.name))];
    await pipeline(
      // 1 MB reads (tar's default is 16 MB): smaller buffers, shorter pauses of the event loop.
      tarCreate({ cwd: staging, portable: true, maxReadSize: 1 << 20 }, entries),
      createGzip(),
      fs.createWriteStream(partial, { mode: 0o600 }),
    );
    const handle = await fsp.open(partial, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(partial, out);
    const size = (await fsp.stat(out)).size;
    return { file: out, size, ms: Math.round(performance.now() - started), rows: totalRows(manifest.rowCounts), manifest };
  } finally {
    await fsp.rm(staging, { recursive: true, force: true });
    await fsp.rm(partial, { force: true });
  }
}

/** Regular files only, named as the layout says; anything else in an archive is refused. */
function allowedEntry(entryPath: string): boolean {
  const p = entryPath.replace(/^\.\//, "");
  if (p === MANIFEST_ENTRY || p === DATABASE_ENTRY) return true;
  return p.startsWith(`${PHOTO_DIR}/`) && isSafePhotoName(p.slice(PHOTO_DIR.length + 1));
}

/** Extracts an archive into `dir` (which must exist); returns what was refused instead of written. */
export async function extractArchive(file: string, dir: string): Promise<string[]> {
  const refused: string[] = [];
  await tarExtract({
    file,
    cwd: dir,
    strict: true,
    preserveOwner: false,
    filter: (entryPath, entry) => {
      const type = "type" in entry ? entry.type : "File";
      const ok = (type === "File" || type === "OldFile") && allowedEntry(entryPath);
      const isPhotoDir = type === "Directory" && entryPath.replace(/^\.\//, "").replace(/\/$/, "") === PHOTO_DIR;
      if (!ok && !isPhotoDir) refused.push(`${entryPath} (${type})`);
      return ok || isPhotoDir;
    },
  });
  return refused;
}

async function filesIn(dir: string): Promise<Map<string, FileFacts>> {
  const found = new Map<string, FileFacts>();
  const photoDir = path.join(dir, PHOTO_DIR);
  const names = fs.existsSync(photoDir) ? await fsp.readdir(photoDir) : [];
  for (const name of names.sort()) found.set(photoEntry(name), await sha256File(path.join(photoDir, name)));
  return found;
}

export interface VerifyReport {
  ok: boolean;
  /** What failed; empty when ok. */
  problems: string[];
  /** Worth knowing, not a failure (photos that were already missing when it was taken). */
  notes: string[];
  manifest?: Manifest;
}

/**
 * Checks an archive already extracted into `dir`: the manifest, each file's size and sha256, the
 * database's integrity, its row counts and migrations against the manifest, and the photos.
 */
export interface VerifyOptions {
  localMigrations?: readonly string[];
  /** The installation's secret, to note when it differs from the backup's. */
  sessionSecret?: string;
}

export async function verifyExtracted(dir: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const manifestFile = path.join(dir, MANIFEST_ENTRY);
  if (!fs.existsSync(manifestFile)) return { ok: false, problems: ["manifest.json is missing: this is not a backup archive of this app"], notes: [] };
  const parsed = parseManifest(await fsp.readFile(manifestFile, "utf8"));
  if (!parsed.ok) return { ok: false, problems: parsed.problems, notes: [] };
  const { manifest } = parsed;
  const found = await filesIn(dir);
  const dbFile = path.join(dir, DATABASE_ENTRY);
  const problems: string[] = [];
  if (fs.existsSync(dbFile)) {
    const facts = await inspectDatabase(dbFile);
    found.set(DATABASE_ENTRY, { size: facts.size, sha256: facts.sha256 });
    problems.push(...checkFiles(manifest, found));
    // A database that is not the one the manifest describes is not worth opening further.
    if (!problems.some((p) => p.startsWith(`${DATABASE_ENTRY}:`))) problems.push(...checkDatabase(manifest, facts));
  } else {
    problems.push(...checkFiles(manifest, found));
  }
  const notes: string[] = [];
  if (manifest.missingPhotos.length) {
    notes.push(`${manifest.missingPhotos.length} photo(s) the database refers to were already missing from UPLOAD_DIR when the backup was taken: ${manifest.missingPhotos.join(", ")}`);
  }
  if (opts.localMigrations) {
    const unknown = unknownMigrations(manifest, opts.localMigrations);
    if (unknown.length) notes.push(`made by a newer version of the app: migrations unknown to this one: ${unknown.join(", ")}`);
  }
  const secret = secretMismatch(manifest, opts.sessionSecret);
  if (secret) notes.push(secret);
  return { ok: problems.length === 0, problems, notes, manifest };
}

/** Checks an archive without restoring it (extracted into a temporary folder, then removed). */
export async function verifyArchive(file: string, opts: VerifyOptions & { workDir?: string } = {}): Promise<VerifyReport> {
  if (!fs.existsSync(file)) return { ok: false, problems: [`no such file: ${file}`], notes: [] };
  const dir = await fsp.mkdtemp(path.join(opts.workDir ?? os.tmpdir(), "backup-verify-"));
  try {
    let refused: string[];
    try {
      refused = await extractArchive(file, dir);
    } catch (error) {
      return { ok: false, problems: [`the archive cannot be read: ${(error as Error).message}`], notes: [] };
    }
    const report = await verifyExtracted(dir, opts);
    if (refused.length) {
      report.problems.unshift(...refused.map((r) => `unexpected entry in the archive: ${r}`));
      report.ok = false;
    }
    return report;
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}
