// The published method (docs/method/<language>.md): one file per supported language, each with the
// same outline (a translation that drops or adds a section would publish another method), in the
// right script, with the numbers the method uses.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { headingLevels, parseMarkdown } from "#app/domain/markdown";
import { defaultParams } from "#app/domain/scoring";
import { languageCodes } from "#app/i18n/languages";
import { methodDocument, methodLanguages } from "#app/services/method-doc.server";

const dir = path.resolve(import.meta.dirname, "../../docs/method");
const read = (lng: string) => fs.readFileSync(path.join(dir, `${lng}.md`), "utf8");

describe("the published method in each language", () => {
  it("exists for every supported language, and only those", () => {
    expect(methodLanguages()).toEqual([...languageCodes].sort());
  });

  it("has the same heading structure in every language", () => {
    const outline = (lng: string) => headingLevels(parseMarkdown(read(lng)));
    const en = outline("en");
    expect(en[0]).toBe(1);
    expect(en.length).toBeGreaterThanOrEqual(9);
    for (const lng of languageCodes) expect(outline(lng), lng).toEqual(en);
  });

  it("has the same number of list items under each heading", () => {
    const shape = (lng: string) => parseMarkdown(read(lng)).map((b) => (b.type === "list" ? `list:${b.items.length}` : b.type));
    for (const lng of languageCodes) expect(shape(lng), lng).toEqual(shape("en"));
  });

  it("states the default numbers of the method", () => {
    const numbers = [String(defaultParams.minSample), "95%", "0.7", "0.5", "100", "80", "60", "30"];
    for (const lng of languageCodes) for (const n of numbers) expect(read(lng), `${lng}: ${n}`).toContain(n);
  });

  it("writes Uyghur and Kazakh in Arabic script, Kazakh with ى and never ٸ", () => {
    for (const lng of ["ug", "kk"]) {
      const text = read(lng).replace(/[\sA-Za-z0-9.,;:()·×±√−\-–—+=/%*#«»_`|[\]!?"'<>]|一次一评/g, "");
      const arabic = [...text].filter((ch) => /[\u0600-\u06FF]/.test(ch)).length;
      expect(arabic / [...text].length, lng).toBeGreaterThan(0.95);
    }
    expect(read("kk")).not.toContain("\u0678");
    expect(read("kk")).toContain("ى");
  });

  it("falls back to the default language for a language without a text", () => {
    expect(methodDocument("xx", "zh-Hans").lng).toBe("zh-Hans");
    expect(methodDocument("ug", "zh-Hans").blocks[0]).toMatchObject({
      type: "heading",
      level: 1,
    });
  });
});
