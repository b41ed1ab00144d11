// Backups that restore (issue 15), as an operator runs them against a real server: the restore
// drill (fill the database, `npm run backup` while citizens keep submitting, `npm run restore`
// into a new place, then the restored database is sound, holds what the manifest says and its
// live figures equal the recomputation), `npm run backup:verify` on a good and a tampered archive,
// the refusal to restore over data, and scheduled backups from two servers on one database.
import { execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { request as playwrightRequest } from "@playwright/test";
import Database from "better-sqlite3";
import sharp from "sharp";
import { expect, startServer, test } from "./support/fixtures";
import { e2eDir, projectRoot, TEST_SECRET } from "./support/paths";
import { rawRequest } from "./support/raw-http";
import { REQUIRED_KEYS } from "./support/survey";

const UNITS = ["C02", "C03", "D02", "D04", "D06", "D08"];

/** `npm run <args>` from the project root with the given database and upload folder. */
function npm(args: string[], target: { dbFile: string; uploadDir: string }, extra: Record<string, string> = {}) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn("npm", ["run", ...args], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: `file:${target.dbFile}`, UPLOAD_DIR: target.uploadDir, SESSION_SECRET: TEST_SECRET, NO_COLOR: "1", ...extra },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

/** One citizen's rating through the survey page, from a phone of its own (own network, own device cookie). */
async function submit(url: string, unit: string, grade: number): Promise<number> {
  const page = await rawRequest(url, { method: "GET", path: `/s/satisfaction-2026?unit=${unit}&lng=en` });
  const did = /^set-cookie: did=([^;]+)/im.exec(page.text)?.[1];
  const started = /name="started" value="([^"]+)"/.exec(page.body)?.[1];
  if (page.status !== 200 || !did || !started) throw new Error(`survey page: ${page.status}`);
  const form = new URLSearchParams({ started, submissionId: randomUUID(), website: "", ...Object.fromEntries(REQUIRED_KEYS.map((k) => [`q_${k}`, String(grade)])) });
  const sent = await rawRequest(url, {
    method: "POST",
    path: `/s/satisfaction-2026?unit=${unit}&lng=en`,
    headers: [
      ["Content-Type", "application/x-www-form-urlencoded"],
      ["Cookie", `did=${did}`],
      ["Origin", url],
    ],
    body: form.toString(),
  });
  return sent.status;
}

/** A complaint with photos through the citizen's form. */
async function fileComplaintWithPhotos(url: string, unit: string, photos: number) {
  const citizen = await playwrightRequest.newContext({ baseURL: url });
  try {
    const files = await Promise.all(
      Array.from({ length: photos }, async (_, i) => ({
        name: `p${i}.jpg`,
        mimeType: "image/jpeg",
        buffer: await sharp({ create: { width: 60 + i, height: 40, channels: 3, background: "#447799" } }).jpeg().toBuffer(),
      })),
    );
    // Playwright's multipart takes one value per name: send the photos as repeated parts.
    const form = new FormData();
    for (const [k, v] of Object.entries({ unit, type: "slow_action", description: "The permit took six weeks although the rules say ten days.", anonymous: "yes", consent: "yes" })) form.append(k, v);
    for (const f of files) form.append("photos", new Blob([new Uint8Array(f.buffer)], { type: f.mimeType }), f.name);
    const res = await citizen.post(`/complaints/new?lng=en`, { multipart: form, headers: { origin: url }, maxRedirects: 0 });
    expect(res.status()).toBe(303);
  } finally {
    await citizen.dispose();
  }
}

function countRows(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").pluck().all() as string[];
    return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT COUNT(*) FROM "${t}"`).pluck().get() as number]));
  } finally {
    db.close();
  }
}

test("restore drill: a backup taken while submissions arrive restores into a new place, sound, as the manifest says, with the live figures equal to the recomputation", async () => {
  test.setTimeout(180_000);
  const work = path.join(e2eDir, "backup-drill");
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const server = await startServer("backup-drill", {}, { mail: false });
  try {
    // Fill the database: complaints with photos, and ratings for several units.
    for (const unit of ["C02", "D04"]) await fileComplaintWithPhotos(server.url, unit, 2);
    for (let i = 0; i < 120; i++) expect(await submit(server.url, UNITS[i % UNITS.length]!, (i % 5) + 1)).toBe(303);
    const filled = countRows(server.dbFile);
    expect(filled.ComplaintPhoto).toBe(4);

    // The backup runs while two citizens' loops keep submitting.
    let posting = true;
    const statuses: number[] = [];
    const loops = [0, 1].map(async (k) => {
      for (let i = 0; posting; i++) statuses.push(await submit(server.url, UNITS[(i + k) % UNITS.length]!, ((i + k) % 5) + 1));
    });
    await new Promise((r) => setTimeout(r, 300));
    const archive = path.join(work, "drill.tar.gz");
    const backup = await npm(["backup", "--", "--out", archive], server);
    const during = statuses.length;
    await new Promise((r) => setTimeout(r, 300));
    posting = false;
    await Promise.all(loops);
    expect(backup.code, backup.output).toBe(0);
    expect(backup.output).toContain("Backup written:");
    expect(during, "submissions answered while the backup ran").toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set([303]));

    execFileSync("tar", ["-xzf", archive, "-C", work, "manifest.json"]);
    const manifest = JSON.parse(fs.readFileSync(path.join(work, "manifest.json"), "utf8"));
    expect(manifest.format).toBe("civic-satisfaction-backup");
    expect(manifest.photos).toHaveLength(4);
    expect(manifest.missingPhotos).toEqual([]);
    expect(manifest.rowCounts.Response).toBeGreaterThanOrEqual(filled.Response!);
    // Submissions went on after the copy: the live database has at least as many, and took them all.
    expect(countRows(server.dbFile).Response).toBe(filled.Response! + statuses.length);

    // Restore into a new place.
    const target = { dbFile: path.join(work, "restored", "data", "app.db"), uploadDir: path.join(work, "restored", "uploads") };
    const restore = await npm(["restore", "--", "--from", archive], target);
    expect(restore.code, restore.output).toBe(0);
    expect(restore.output).toContain("Restored");
    expect(restore.output).toContain("(4 photos)");

    const restored = new Database(target.dbFile, { readonly: true });
    expect(restored.prepare("PRAGMA integrity_check").pluck().all()).toEqual(["ok"]);
    restored.close();
    expect(countRows(target.dbFile)).toEqual(manifest.rowCounts);
    expect(fs.readdirSync(target.uploadDir).sort()).toEqual(manifest.photos.map((p: { path: string }) => p.path.replace("photos/", "")).sort());

    // The restored database's live figures equal the recomputation from its raw responses.
    const audit = await npm(["scores:audit"], target);
    expect(audit.code, audit.output).toBe(0);
    const lines = audit.output.split("\n").filter((l) => l.startsWith("period "));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toContain("live figures equal the recomputation");
    expect(lines.some((l) => /: [1-9]\d* responses/.test(l))).toBe(true);

    // backup:verify passes on the archive and fails on a tampered copy (one photo byte changed).
    const verified = await npm(["backup:verify", "--", archive], target);
    expect(verified.code, verified.output).toBe(0);
    expect(verified.output).toContain("The archive is sound.");
    const unpacked = path.join(work, "unpacked");
    fs.mkdirSync(unpacked);
    execFileSync("tar", ["-xzf", archive, "-C", unpacked]);
    const photo = path.join(unpacked, manifest.photos[0].path);
    const bytes = fs.readFileSync(photo);
    bytes[bytes.length - 3]! ^= 0xff;
    fs.writeFileSync(photo, bytes);
    const forged = path.join(work, "tampered.tar.gz");
    execFileSync("tar", ["-czf", forged, "-C", unpacked, ...fs.readdirSync(unpacked)]);
    const rejected = await npm(["backup:verify", "--", forged], target);
    expect(rejected.code).not.toBe(0);
    expect(rejected.output).toContain(`FAILED: ${manifest.photos[0].path}: sha256`);
    expect(rejected.output).toContain("The archive did not pass its checks.");

    // A second restore over the restored data is refused without --force and changes nothing.
    const before = fs.statSync(target.dbFile).mtimeMs;
    const refused = await npm(["restore", "--", "--from", archive], target);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain("Refusing to restore over existing data");
    expect(fs.statSync(target.dbFile).mtimeMs).toBe(before);
    expect(fs.readdirSync(path.dirname(target.dbFile)).filter((f) => f.includes("replaced"))).toEqual([]);
  } finally {
    server.stop();
  }
});

test("scheduled backups: two servers on one database and one BACKUP_DIR take one backup between them, and it verifies", async () => {
  test.setTimeout(90_000);
  const backupDir = path.join(e2eDir, "backup-scheduled");
  fs.rmSync(backupDir, { recursive: true, force: true });
  const env = { BACKUP_DIR: backupDir, BACKUP_INTERVAL_HOURS: "24", BACKUP_KEEP: "3" };
  const first = await startServer("backup-scheduled", env, { mail: false });
  const second = await startServer("backup-scheduled", env, { mail: false, reuse: true });
  try {
    const scheduled = () => (fs.existsSync(backupDir) ? fs.readdirSync(backupDir).filter((f) => /^scheduled-\d{8}T\d{6}Z\.tar\.gz$/.test(f)) : []);
    await expect.poll(scheduled, { timeout: 20_000 }).toHaveLength(1);
    // Both servers have had their first look (5 s after each started) by now.
    await new Promise((r) => setTimeout(r, 7_000));
    expect(scheduled()).toHaveLength(1);
    expect(fs.readdirSync(backupDir)).toEqual(scheduled()); // no lock, staging folder or partial archive left
    const verified = await npm(["backup:verify", "--", path.join(backupDir, scheduled()[0]!)], first);
    expect(verified.code, verified.output).toBe(0);
    expect(verified.output).toContain("(scheduled)");
  } finally {
    first.stop();
    second.stop();
  }
});
