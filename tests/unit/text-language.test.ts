// The lang of a text people typed comes from its letters, not from the page it was typed on.
import { describe, expect, it } from "vitest";
import { textLanguage } from "#app/domain/text-language";

describe("textLanguage", () => {
  it("Chinese characters are Simplified Chinese, even with a Latin word or digits", () => {
    expect(textLanguage("已增派人员，窗口排队时间缩短。")).toBe("zh-Hans");
    expect(textLanguage("APP 登录不了，2026-11-27 09:00 试过")).toBe("zh-Hans");
  });

  it("Uyghur typed on the Chinese page is Uyghur", () => {
    expect(textLanguage("كۆزنەكتە ئۇزۇن ساقلىدۇق، خىزمەتچى يوق ئىدى.", "zh-Hans")).toBe("ug");
  });

  it("a Uyghur sentence quoting a Chinese unit name stays Uyghur", () => {
    expect(textLanguage("税务局 نىڭ خىزمەتچىلىرى ناھايىتى ياخشى مۇئامىلە قىلدى")).toBe("ug");
  });

  it("Kazakh in Arabic script is told from Uyghur by its own letters", () => {
    expect(textLanguage("قىزمەتكەرلەر ءبىزدى ۇزاق كۇتتىردى", "zh-Hans")).toBe("kk");
    expect(textLanguage("بۇل جۇمىس وتە جاقسى، راقمەت ءسىزگە")).toBe("kk");
  });

  it("Arabic script without telling letters follows the page it was typed on, else Uyghur", () => {
    expect(textLanguage("ياماندى", "kk")).toBe("kk");
    expect(textLanguage("ياماندى", "ug")).toBe("ug");
    expect(textLanguage("ياماندى", "zh-Hans")).toBe("ug");
  });

  it("Latin letters are English; Kazakh Cyrillic is Kazakh; Russian is none of ours", () => {
    expect(textLanguage("The queue was very long", "zh-Hans")).toBe("en");
    expect(textLanguage("Қызмет өте жақсы")).toBe("kk");
    expect(textLanguage("Очень долго ждали")).toBeNull();
  });

  it("text without letters (a date, a phone number) has no language", () => {
    expect(textLanguage("2026-11-27 09:00")).toBeNull();
    expect(textLanguage("   ")).toBeNull();
  });
});
