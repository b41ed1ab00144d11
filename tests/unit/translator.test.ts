import { describe, expect, it } from "vitest";
import { createTranslator } from "#app/i18n/translator";

describe("translator", () => {
  const t = createTranslator(
    { a: { b: "Hello {{name}}, {{ count }} left" }, only: "x" },
    { fallbackOnly: "from default", a: { c: "default c" } },
  );

  it("looks up nested keys and interpolates", () => {
    expect(t("a.b", { name: "Ali", count: 3 })).toBe("Hello Ali, 3 left");
  });

  it("falls back to the default language, then shows the key", () => {
    expect(t("fallbackOnly")).toBe("from default");
    expect(t("a.c")).toBe("default c");
    expect(t("nope.missing")).toBe("nope.missing");
  });

  it("leaves unknown placeholders visible rather than inventing text", () => {
    expect(t("a.b", { name: "Ali" })).toBe("Hello Ali, {{ count }} left");
  });
});
