// Typed text as the server renders it: its own direction (dir="auto") and the language of its
// letters, also inside a translated sentence; staff are told which language it is in.
import fs from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { TextIn, UserText, WrittenIn } from "#app/components/UserText";
import { I18nProvider } from "#app/i18n/context";
import { type Bundle, createTranslator } from "#app/i18n/translator";

const bundle = (lng: string) => JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, `../../locales/${lng}/common.json`), "utf8")) as Bundle;

function render(element: ReturnType<typeof createElement>, lng = "zh-Hans") {
  const b = bundle(lng);
  const value = { lng, dir: lng === "ug" || lng === "kk" ? ("rtl" as const) : ("ltr" as const), t: createTranslator(b), bundle: b };
  return renderToStaticMarkup(createElement(I18nProvider, { value }, element));
}

describe("UserText", () => {
  it("a Chinese reply on a Uyghur page is tagged Chinese and sets its own direction", () => {
    expect(render(createElement(UserText, { as: "p", text: "已增派人员，窗口排队时间缩短。", className: "reply-text" }), "ug")).toBe(
      '<p dir="auto" lang="zh-Hans" class="reply-text">已增派人员，窗口排队时间缩短。</p>',
    );
  });

  it("a Uyghur text filed on the Chinese page is tagged Uyghur, not the page's language", () => {
    expect(render(createElement(UserText, { text: "ئۆچرەت بەك ئۇزۇن", stored: "zh-Hans" }))).toBe('<span dir="auto" lang="ug">ئۆچرەت بەك ئۇزۇن</span>');
  });

  it("a date typed without letters gets no language, and still its own direction", () => {
    expect(render(createElement(UserText, { text: "2026-11-27 09:00" }), "ug")).toBe('<span dir="auto">2026-11-27 09:00</span>');
  });
});

describe("TextIn", () => {
  it("puts the typed reason into the translated sentence as its own element", () => {
    const html = render(createElement(TextIn, { sentence: (reason: string) => `Hidden by the evaluation office: ${reason}`, text: "ھاقارەت" }), "en");
    expect(html).toBe('Hidden by the evaluation office: <span dir="auto" lang="ug">ھاقارەت</span>');
  });
});

describe("WrittenIn", () => {
  it("names the text's language in the clerk's language", () => {
    expect(render(createElement(WrittenIn, { text: "ئۆچرەت بەك ئۇزۇن" }), "zh-Hans")).toContain("书写语言：维吾尔文");
    expect(render(createElement(WrittenIn, { text: "排队时间太长" }), "en")).toContain("Written in: Chinese");
    expect(render(createElement(WrittenIn, { text: "ياماندى", stored: "kk" }), "ug")).toContain("قازاقچە");
  });

  it("says nothing when the letters do not tell", () => {
    expect(render(createElement(WrittenIn, { text: "12345" }))).toBe("");
  });
});
