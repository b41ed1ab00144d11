// The backup archive's manifest and the checks made against it (pure functions: the archive's
// files and the database's facts are read elsewhere). Layout of an archive (docs/decisions/0022):
//   manifest.json       this manifest
//   database.sqlite     the VACUUM INTO copy of the database
//   photos/<name>       each complaint photo the copy refers to, under its stored name
import { createHmac } from "node:crypto";
import { z } from "zod";
import type { DatabaseFacts } from "./sqlite.server";

export const ARCHIVE_FORMAT = "civic-satisfaction-backup";
/** Raised when the layout or the manifest changes in a way an older restore cannot read. */
export const ARCHIVE_FORMAT_VERSION = 1;
export const MANIFEST_ENTRY = "manifest.json";
export const DATABASE_ENTRY = "database.sqlite";
export const PHOTO_DIR = "photos";

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "must be a sha256 in hex");
const fileEntry = z.object({ path: z.string().min(1), size: z.number().int().nonnegative(), sha256 });

export const manifestSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  formatVersion: z.number().int().positive(),
  createdAt: z.iso.datetime({ offset: true }),
  /** Why it was taken: "manual", "scheduled", or "before migration <name>". */
  reason: z.string(),
  app: z.object({ name: z.string(), version: z.string() }),
  migrations: z.object({ last: z.string().nullable(), applied: z.array(z.string()) }),
  rowCounts: z.record(z.string(), z.number().int().nonnegative()),
  database: fileEntry,
  photos: z.array(fileEntry),
  /** Photos the database refers to whose file was not in UPLOAD_DIR when the backup was taken. */
  missingPhotos: z.array(z.string()),
  /**
   * Tells whether a restoring installation has the same SESSION_SECRET (complaint and rating codes,
   * contact lookups and signed links depend on it) without revealing it: see sessionSecretCheck.
   */
  sessionSecretCheck: z.string().regex(/^[0-9a-f]{16}$/).nullable(),
});
export type Manifest = z.infer<typeof manifestSchema>;
export interface FileFacts {
  size: number;
  sha256: string;
}

/** A stored photo name as the app writes them (random hex + .jpg); anything else is refused. */
export function isSafePhotoName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name) && !name.includes("..");
}

export const photoEntry = (name: string) => `${PHOTO_DIR}/${name}`;

/**
 * 64 bits of an HMAC of a fixed text under the session secret: equal for equal secrets, and of no
 * use for finding the secret. The secret itself is never in an archive (docs/decisions/0022).
 */
export function sessionSecretCheck(secret: string): string {
  return createHmac("sha256", secret).update("civic-satisfaction backup: session secret check").digest("hex").slice(0, 16);
}

/** A note when the installation's session secret is not the one the backup was taken with. */
export function secretMismatch(manifest: Manifest, secret: string | undefined): string | null {
  if (!secret || !manifest.sessionSecretCheck || manifest.sessionSecretCheck === sessionSecretCheck(secret)) return null;
  return "WARNING: this installation's session secret (SESSION_SECRET or data/session-secret) is not the one the backup was taken with: citizens' complaint and rating codes, contact lookups and signed links (kiosk QR codes) will not work until the old secret is put back";
}

export function buildManifest(input: {
  createdAt: Date;
  reason: string;
  app: { name: string; version: string };
  database: DatabaseFacts;
  photos: { name: string; size: number; sha256: string }[];
  missingPhotos: string[];
  sessionSecret?: string;
}): Manifest {
  const { database } = input;
  return {
    format: ARCHIVE_FORMAT,
    formatVersion: ARCHIVE_FORMAT_VERSION,
    createdAt: input.createdAt.toISOString(),
    reason: input.reason,
    app: input.app,
    migrations: { last: database.migrations.at(-1) ?? null, applied: database.migrations },
    rowCounts: database.rowCounts,
    database: { path: DATABASE_ENTRY, size: database.size, sha256: database.sha256 },
    photos: input.photos.map((p) => ({ path: photoEntry(p.name), size: p.size, sha256: p.sha256 })),
    missingPhotos: input.missingPhotos,
    sessionSecretCheck: input.sessionSecret ? sessionSecretCheck(input.sessionSecret) : null,
  };
}

export type ManifestParse = { ok: true; manifest: Manifest } | { ok: false; problems: string[] };

/** The manifest's text as read from an archive, checked for shape and for a format this code reads. */
export function parseManifest(text: string): ManifestParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problems: ["manifest.json is not JSON"] };
  }
  const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === "number" && version > ARCHIVE_FORMAT_VERSION) {
    return { ok: false, problems: [`the archive has format version ${version}; this version of the app reads up to ${ARCHIVE_FORMAT_VERSION} (upgrade the app first)`] };
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => `manifest.json: ${i.path.join(".") || "(top)"}: ${i.message}`) };
  }
  const m = parsed.data;
  const problems: string[] = [];
  if (m.database.path !== DATABASE_ENTRY) problems.push(`manifest.json: the database must be ${DATABASE_ENTRY}, not ${m.database.path}`);
  for (const p of m.photos) {
    const name = p.path.startsWith(`${PHOTO_DIR}/`) ? p.path.slice(PHOTO_DIR.length + 1) : "";
    if (!isSafePhotoName(name)) problems.push(`manifest.json: unexpected photo path ${JSON.stringify(p.path)}`);
  }
  for (const name of m.missingPhotos) if (!isSafePhotoName(name)) problems.push(`manifest.json: unexpected photo name ${JSON.stringify(name)}`);
  return problems.length ? { ok: false, problems } : { ok: true, manifest: m };
}

/**
 * The files found in an extracted archive (path -> size and sha256, manifest.json excluded)
 * against the manifest: each listed file present with its size and checksum, nothing unlisted.
 */
export function checkFiles(manifest: Manifest, found: ReadonlyMap<string, FileFacts>): string[] {
  const problems: string[] = [];
  const listed = [manifest.database, ...manifest.photos];
  for (const entry of listed) {
    const f = found.get(entry.path);
    if (!f) problems.push(`${entry.path}: listed in the manifest but not in the archive`);
    else if (f.size !== entry.size) problems.push(`${entry.path}: ${f.size} bytes, the manifest says ${entry.size}`);
    else if (f.sha256 !== entry.sha256) problems.push(`${entry.path}: sha256 ${f.sha256} differs from the manifest's ${entry.sha256}`);
  }
  const names = new Set(listed.map((e) => e.path));
  for (const path of found.keys()) if (!names.has(path)) problems.push(`${path}: in the archive but not in the manifest`);
  return problems;
}

/**
 * The database in the archive, as opened (its facts with the integrity check), against the
 * manifest: sound, the same row counts table by table, the same migrations, and every photo it
 * refers to either in the archive or noted as missing.
 */
export function checkDatabase(manifest: Manifest, facts: DatabaseFacts): string[] {
  const problems: string[] = [];
  const integrity = facts.integrity ?? [];
  if (integrity.length !== 1 || integrity[0] !== "ok") {
    problems.push(`PRAGMA integrity_check: ${integrity.slice(0, 5).join("; ") || "no answer"}`);
  }
  const tables = new Set([...Object.keys(manifest.rowCounts), ...Object.keys(facts.rowCounts)]);
  for (const table of [...tables].sort()) {
    const expected = manifest.rowCounts[table];
    const actual = facts.rowCounts[table];
    if (expected === undefined) problems.push(`table ${table}: in the database but not in the manifest`);
    else if (actual === undefined) problems.push(`table ${table}: in the manifest but not in the database`);
    else if (expected !== actual) problems.push(`table ${table}: ${actual} rows, the manifest says ${expected}`);
  }
  if (facts.migrations.join("\n") !== manifest.migrations.applied.join("\n")) {
    problems.push(`applied migrations differ from the manifest (database: ${facts.migrations.at(-1) ?? "none"}, manifest: ${manifest.migrations.last ?? "none"})`);
  }
  const accounted = new Set([...manifest.photos.map((p) => p.path), ...manifest.missingPhotos.map(photoEntry)]);
  const unaccounted = facts.photoNames.filter((n) => !accounted.has(photoEntry(n)));
  if (unaccounted.length) problems.push(`${unaccounted.length} photo(s) the database refers to are neither in the archive nor noted missing`);
  return problems;
}

/** Migrations the archive's database has that this checkout does not know: it was made by a newer version. */
export function unknownMigrations(manifest: Manifest, localMigrations: readonly string[]): string[] {
  const local = new Set(localMigrations);
  return manifest.migrations.applied.filter((m) => !local.has(m));
}

export function totalRows(rowCounts: Record<string, number>): number {
  return Object.values(rowCounts).reduce((a, b) => a + b, 0);
}
