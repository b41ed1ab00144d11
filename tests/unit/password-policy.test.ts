import { describe, expect, it } from "vitest";
import { passwordProblem } from "#app/domain/password-policy";
import { hashPassword, verifyPassword } from "#app/lib/password.server";

describe("staff passwords", () => {
  it("asks for length, not composition", () => {
    expect(passwordProblem("short", "wang")).toBe("errors.passwordTooShort");
    expect(passwordProblem("aaaaaaaaaaaa", "wang")).toBe("errors.passwordTooSimple");
    expect(passwordProblem("my-WANG-password", "wang")).toBe("errors.passwordHasUsername");
    expect(passwordProblem("correct horse battery", "wang")).toBeNull();
  });

  it("stores argon2id hashes that verify only the right password", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(hash, "correct horse battery")).toBe(true);
    expect(await verifyPassword(hash, "correct horse batterY")).toBe(false);
    expect(await verifyPassword(null, "anything")).toBe(false);
    expect(await verifyPassword("not a hash", "anything")).toBe(false);
  });
});
