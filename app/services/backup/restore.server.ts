// Restoring an archive into DATABASE_URL and UPLOAD_DIR. Only into an empty target (no database
// file or one without tables, no files in UPLOAD_DIR) unless forced; the archive is extracted
// next to the database and checked completely before anything of the target changes. The photos
// go in first and the database last, by a rename over its name (atomic), so a database in place
// means a finished restore. Run it with the app stopped.
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { extractArchive, verifyExtracted, type VerifyReport } from "./archive.server";
import { DATABASE_ENTRY, type Manifest, PHOTO_DIR, unknownMigrations } from "./manifest.server";
import { databaseState } from "./sqlite.server";

export interface TargetState {
  databaseFile: string;
  /** null: no database file; else the tables holding data (SQLite's own and Prisma's left out). */
  databaseTables: number | null;
  uploadDir: string;
  uploadFiles: number;
}

function countFiles(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let n = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) n += countFiles(path.join(dir, entry.name));
    else n++;
  }
  return n;
}

export function targetState(databaseFile: string, uploadDir: string): TargetState {
  let databaseTables: number | null = null;
  if (fs.existsSync(databaseFile)) {
    try {
      databaseTables = databaseState(databaseFile).dataTables;
    } catch {
      databaseTables = Number.POSITIVE_INFINITY; // something that is not an empty database: not ours to overwrite
    }
  }
  return { databaseFile, databaseTables, uploadDir, uploadFiles: countFiles(uploadDir) };
}

/** Why the target is not empty, one reason a line; none when a restore may write there. */
export function targetNotEmpty(state: TargetState): string[] {
  const reasons: string[] = [];
  if (state.databaseTables !== null && state.databaseTables > 0) {
    reasons.push(
      Number.isFinite(state.databaseTables)
        ? `the database ${state.databaseFile} has ${state.databaseTables} tables`
        : `${state.databaseFile} exists and is not an empty database`,
    );
  }
  if (state.uploadFiles > 0) reasons.push(`UPLOAD_DIR ${state.uploadDir} holds ${state.uploadFiles} file(s)`);
  return reasons;
}

export class RestoreRefused extends Error {
  constructor(
    message: string,
    readonly report?: VerifyReport,
  ) {
    super(message);
  }
}

export interface RestoreResult {
  manifest: Manifest;
  databaseFile: string;
  photos: number;
  uploadDir: string;
  /** With --force, where the database that was replaced was kept. */
  replacedDatabase?: string;
  notes: string[];
}

async function moveFile(from: string, to: string) {
  try {
    await fsp.rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    await fsp.copyFile(from, to);
    await fsp.rm(from);
  }
  await fsp.chmod(to, 0o600);
}

async function fsyncFile(file: string) {
  const handle = await fsp.open(file, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const stampOf = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");

export async function restoreArchive(opts: {
  from: string;
  databaseFile: string;
  uploadDir: string;
  force: boolean;
  localMigrations: readonly string[];
  /** This installation's secret: a note when the backup was taken under another. */
  sessionSecret?: string;
  now?: Date;
}): Promise<RestoreResult> {
  const { databaseFile, uploadDir } = opts;
  if (!fs.existsSync(opts.from)) throw new RestoreRefused(`no such file: ${opts.from}`);
  const before = targetState(databaseFile, uploadDir);
  const occupied = targetNotEmpty(before);
  if (occupied.length && !opts.force) {
    throw new RestoreRefused(`Refusing to restore over existing data: ${occupied.join("; ")}. Restore into an empty DATABASE_URL and UPLOAD_DIR, or add --force to replace them (the current database is then kept beside it).`);
  }

  const dbDir = path.dirname(databaseFile);
  await fsp.mkdir(dbDir, { recursive: true });
  // Next to the database, so the final rename stays on one file system.
  const staging = await fsp.mkdtemp(path.join(dbDir, ".restore-"));
  try {
    let refused: string[];
    try {
      refused = await extractArchive(opts.from, staging);
    } catch (error) {
      throw new RestoreRefused(`The archive cannot be read: ${(error as Error).message}`);
    }
    const report = await verifyExtracted(staging, { localMigrations: opts.localMigrations, sessionSecret: opts.sessionSecret });
    if (refused.length) {
      report.problems.unshift(...refused.map((r) => `unexpected entry in the archive: ${r}`));
      report.ok = false;
    }
    if (!report.ok || !report.manifest) throw new RestoreRefused("The archive did not pass its checks; nothing was restored.", report);
    const manifest = report.manifest;
    const unknown = unknownMigrations(manifest, opts.localMigrations);
    if (unknown.length) {
      throw new RestoreRefused(`The archive was made by a newer version of the app (migrations unknown here: ${unknown.join(", ")}); upgrade this checkout first. Nothing was restored.`, report);
    }

    // Photos first.
    await fsp.mkdir(uploadDir, { recursive: true });
    for (const photo of manifest.photos) {
      const name = photo.path.slice(PHOTO_DIR.length + 1);
      await moveFile(path.join(staging, PHOTO_DIR, name), path.join(uploadDir, name));
    }

    // Then the database: whatever was there steps aside (kept when it held data, with its WAL),
    // and the checked copy is renamed over the name.
    const staged = path.join(staging, DATABASE_ENTRY);
    await fsp.chmod(staged, 0o600);
    await fsyncFile(staged);
    let replacedDatabase: string | undefined;
    if (before.databaseTables !== null && before.databaseTables > 0) {
      replacedDatabase = `${databaseFile}.replaced-${stampOf(opts.now ?? new Date())}`;
      for (const suffix of ["", "-wal", "-shm", "-journal"]) {
        if (fs.existsSync(databaseFile + suffix)) await fsp.rename(databaseFile + suffix, replacedDatabase + suffix);
      }
    }
    // A -wal or -shm left beside the name would be read as part of the restored file.
    for (const suffix of ["-wal", "-shm", "-journal"]) await fsp.rm(databaseFile + suffix, { force: true });
    await fsp.rename(staged, databaseFile);
    const dirHandle = await fsp.open(dbDir, "r");
    try {
      await dirHandle.sync();
    } catch {
      // Not every file system syncs a folder; the rename itself is done.
    } finally {
      await dirHandle.close();
    }
    return { manifest, databaseFile, photos: manifest.photos.length, uploadDir, replacedDatabase, notes: report.notes };
  } finally {
    await fsp.rm(staging, { recursive: true, force: true });
  }
}
