// `npm run demo:reset` is what the README gives an evaluator who wants the demo as new: it must
// refuse without --yes (it erases an installation) and, with it, leave a migrated, seeded database
// and no old photos.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";

const script = path.resolve(import.meta.dirname, "../../scripts/demo-reset.js");

function reset(dir: string, ...args: string[]) {
  return spawnSync(process.execPath, [script, ...args], {
    encoding: "utf8",
    env: {
      ...process.env,
      DATABASE_URL: `file:${path.join(dir, "app.db")}`,
      UPLOAD_DIR: path.join(dir, "uploads"),
      SEED_MODE: "structure",
      SESSION_SECRET: "demo-reset-test-secret-0123456789abcdef",
    },
  });
}

describe("npm run demo:reset", () => {
  it("only lists what it would delete without --yes, and with it starts the demo afresh", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "demo-reset-"));
    fs.mkdirSync(path.join(dir, "uploads"));
    fs.writeFileSync(path.join(dir, "uploads", "old-photo.jpg"), "x");
    fs.writeFileSync(path.join(dir, "app.db"), "");

    const refused = reset(dir);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain("npm run demo:reset -- --yes");
    expect(fs.existsSync(path.join(dir, "uploads", "old-photo.jpg"))).toBe(true);

    const done = reset(dir, "--yes");
    expect(done.status, done.stderr).toBe(0);
    expect(fs.existsSync(path.join(dir, "uploads", "old-photo.jpg"))).toBe(false);
    const db = new Database(path.join(dir, "app.db"), { readonly: true });
    const units = db.prepare("SELECT count(*) AS n FROM Unit").get() as { n: number };
    db.close();
    expect(units.n).toBeGreaterThan(10);
  }, 90_000);
});
