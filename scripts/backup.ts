// Backups that restore (docs/operations.md "Backups and restores"; docs/decisions/0022):
//   npm run backup -- [--out FILE]              one archive of the live database and its photos
//   npm run restore -- --from FILE [--force]    into DATABASE_URL and UPLOAD_DIR, when empty
//   npm run backup:verify -- FILE               checks an archive without restoring it
//   tsx scripts/backup.ts before-migrate        (npm start) a backup when migrations are pending
// Exit code 0 when done, 1 when refused or failed, 2 for wrong arguments.
import path from "node:path";
import { parseArgs } from "node:util";
import { getEnv } from "../app/lib/env.server";
import { createBackup, verifyArchive, type VerifyReport } from "../app/services/backup/archive.server";
import { type Manifest, totalRows } from "../app/services/backup/manifest.server";
import { migrationFolders, migrationsNeedingBackup } from "../app/services/backup/migrations.server";
import { manualName, preMigrationName } from "../app/services/backup/names.server";
import { RestoreRefused, restoreArchive } from "../app/services/backup/restore.server";
import { databaseState } from "../app/services/backup/sqlite.server";

const USAGE = `Usage:
  npm run backup -- [--out FILE]
  npm run restore -- --from FILE [--force]
  npm run backup:verify -- FILE`;

const env = getEnv();
const root = process.cwd();
const uploads = path.resolve(root, env.UPLOAD_DIR);
const backupDir = path.resolve(root, env.BACKUP_DIR ?? "data/backups");
const shown = (p: string) => (path.relative(root, p).startsWith("..") ? p : path.relative(root, p));

function megabytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function describe(m: Manifest): string[] {
  return [
    `  taken ${m.createdAt} (${m.reason}) by ${m.app.name} ${m.app.version}`,
    `  database: ${Object.keys(m.rowCounts).length} tables, ${totalRows(m.rowCounts)} rows, last migration ${m.migrations.last ?? "none"}`,
    `  photos: ${m.photos.length}${m.missingPhotos.length ? ` (${m.missingPhotos.length} referenced photo(s) were missing when it was taken)` : ""}`,
  ];
}

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

// These archives hold an SQLite file. A PostgreSQL database is backed up by the server's own tools
// (pg_dump, or streaming replication with point-in-time recovery), the photos folder beside it.
if (env.DATABASE_KIND === "postgres") {
  fail(
    "DATABASE_URL names a PostgreSQL server: back it up with pg_dump (e.g. pg_dump -Fc -f civic.dump \"$DATABASE_URL\") " +
      "and copy UPLOAD_DIR beside it; see docs/operations.md \"Backups on PostgreSQL\".",
    2,
  );
}

function printReport(file: string, report: VerifyReport) {
  console.log(`Checking ${file}`);
  if (report.manifest) for (const line of describe(report.manifest)) console.log(line);
  if (report.ok) {
    console.log("  ok: database.sqlite and every photo match the manifest's sizes and sha256");
    console.log("  ok: PRAGMA integrity_check");
    console.log("  ok: row counts and applied migrations equal the manifest");
  }
  for (const p of report.problems) console.log(`  FAILED: ${p}`);
  for (const n of report.notes) console.log(`  note: ${n}`);
  console.log(report.ok ? "The archive is sound." : "The archive did not pass its checks.");
}

async function backup(out: string, reason: string) {
  const r = await createBackup({ databaseFile: env.DATABASE_FILE, uploadDir: uploads, out, reason, sessionSecret: env.SESSION_SECRET });
  console.log(`Backup written: ${shown(r.file)} (${megabytes(r.size)}, ${r.ms} ms)`);
  for (const line of describe(r.manifest)) console.log(line);
  if (r.manifest.missingPhotos.length) console.log(`  missing photos: ${r.manifest.missingPhotos.join(", ")}`);
}

const [command, ...rest] = process.argv.slice(2);
switch (command) {
  case "create": {
    const { values } = parseArgs({ args: rest, options: { out: { type: "string" } } });
    await backup(values.out ? path.resolve(root, values.out) : path.join(backupDir, manualName(new Date())), "manual").catch((e: Error) =>
      fail(`Backup failed: ${e.message}`),
    );
    break;
  }
  case "verify": {
    const { positionals } = parseArgs({ args: rest, options: {}, allowPositionals: true });
    if (positionals.length !== 1) fail(USAGE, 2);
    const file = path.resolve(root, positionals[0]!);
    const report = await verifyArchive(file, { localMigrations: migrationFolders(), sessionSecret: env.SESSION_SECRET });
    printReport(shown(file), report);
    process.exit(report.ok ? 0 : 1);
    break;
  }
  case "restore": {
    const { values } = parseArgs({ args: rest, options: { from: { type: "string" }, force: { type: "boolean", default: false } } });
    if (!values.from) fail(USAGE, 2);
    const from = path.resolve(root, values.from);
    try {
      const r = await restoreArchive({ from, databaseFile: env.DATABASE_FILE, uploadDir: uploads, force: values.force, localMigrations: migrationFolders(), sessionSecret: env.SESSION_SECRET });
      console.log(`Restored ${shown(from)}`);
      for (const line of describe(r.manifest)) console.log(line);
      console.log(`  into the database ${shown(r.databaseFile)} and UPLOAD_DIR ${shown(r.uploadDir)} (${r.photos} photos)`);
      if (r.replacedDatabase) console.log(`  the database that was there is kept as ${shown(r.replacedDatabase)}`);
      for (const n of r.notes) console.log(`  note: ${n}`);
      console.log("Start the app with npm start: it applies any newer migrations, after a backup of its own.");
    } catch (error) {
      if (!(error instanceof RestoreRefused)) fail(`Restore failed: ${(error as Error).message}`);
      if (error.report) printReport(shown(from), error.report);
      fail(error.message);
    }
    break;
  }
  case "before-migrate": {
    // scripts/start.js, before `prisma migrate deploy`: a database that holds data is backed up
    // before a migration changes it, and start-up stops when that backup fails.
    let pending: string[];
    try {
      pending = migrationsNeedingBackup(databaseState(env.DATABASE_FILE), migrationFolders());
    } catch (error) {
      fail(`Cannot read the database ${shown(env.DATABASE_FILE)} to see whether migrations are pending: ${(error as Error).message}`);
    }
    if (pending.length === 0) break;
    console.log(`${pending.length} migration(s) to apply (${pending.join(", ")}): backing up first.`);
    await backup(path.join(backupDir, preMigrationName(new Date(), pending[0]!)), `before migration ${pending.join(", ")}`).catch((e: Error) =>
      fail(`The backup before migrating failed, so nothing was migrated: ${e.message}\nFix the cause (disk space, permissions, BACKUP_DIR) and start again.`),
    );
    break;
  }
  default:
    fail(USAGE, 2);
}
