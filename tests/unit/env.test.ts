import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getEnv } from "#app/lib/env.server";

describe("configuration from the environment", () => {
  it("has working defaults", () => {
    const env = getEnv({ SESSION_SECRET: "s".repeat(40) });
    expect(env.PORT).toBe(3000);
    expect(env.HOST).toBe("127.0.0.1");
    expect(env.DATABASE_URL).toBe("file:./data/app.db");
    expect(env.DATABASE_FILE).toBe(path.resolve(process.cwd(), "data/app.db"));
    expect(env.MAX_FORM_BYTES).toBe(65536);
  });

  it("takes the public address printed on posters as an origin, and refuses one that is not http(s)", () => {
    expect(getEnv({ SESSION_SECRET: "s".repeat(40) }).PUBLIC_ORIGIN).toBeUndefined();
    expect(getEnv({ SESSION_SECRET: "s".repeat(40), PUBLIC_ORIGIN: "https://rate.example.gov.cn/some/path" }).PUBLIC_ORIGIN).toBe("https://rate.example.gov.cn");
    expect(() => getEnv({ SESSION_SECRET: "s".repeat(40), PUBLIC_ORIGIN: "ftp://x" })).toThrowError(/PUBLIC_ORIGIN: must be an http\(s\) address/);
  });

  it("stops with a message naming each wrong variable", () => {
    expect(() => getEnv({ PORT: "eighty", DATABASE_URL: "mysql://x", SESSION_SECRET: "short" })).toThrowError(
      /PORT[\s\S]*DATABASE_URL: must be an SQLite file URL[\s\S]*SESSION_SECRET: must be at least 32 characters/,
    );
  });

  it("selects PostgreSQL by its URL, and then wants the shared session secret set", () => {
    const env = getEnv({ DATABASE_URL: "postgresql://civic@db.internal:5432/civic", SESSION_SECRET: "s".repeat(40) });
    expect(env.DATABASE_KIND).toBe("postgres");
    expect(env.DATABASE_FILE).toBe("");
    expect(env.DB_POOL_SIZE).toBe(10);
    expect(getEnv({ SESSION_SECRET: "s".repeat(40) }).DATABASE_KIND).toBe("sqlite");
    expect(() => getEnv({ DATABASE_URL: "postgres://civic@db.internal/civic" }, fs.mkdtempSync(path.join(os.tmpdir(), "env-pg-")))).toThrowError(
      /SESSION_SECRET: must be set with a PostgreSQL DATABASE_URL/,
    );
  });

  it("generates the session secret on first start and keeps it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "env-test-"));
    const first = getEnv({}, dir);
    const second = getEnv({}, dir);
    expect(fs.readFileSync(path.join(dir, "data/session-secret"), "utf8").trim()).toBe(first.SESSION_SECRET);
    expect(first.DATABASE_FILE).toBe(path.join(dir, "data/app.db"));
    expect(first.SESSION_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(second.SESSION_SECRET).toBe(first.SESSION_SECRET);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
