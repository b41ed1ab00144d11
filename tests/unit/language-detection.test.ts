import { describe, expect, it } from "vitest";
import { LanguageDetector } from "remix-i18next/server";
import { detectionOptions } from "#app/i18n/i18next.server";

const detector = new LanguageDetector(detectionOptions);
const detect = (url: string, headers: Record<string, string> = {}) =>
  detector.detect(new Request(`https://rate.example${url}`, { headers }));

describe("language detection: ?lng=, then cookie, then Accept-Language", () => {
  it("defaults to Simplified Chinese", async () => {
    expect(await detect("/")).toBe("zh-Hans");
    expect(await detect("/", { "accept-language": "fr-FR,fr;q=0.9" })).toBe("zh-Hans");
  });

  it("maps browser languages to supported ones", async () => {
    expect(await detect("/", { "accept-language": "ug-CN,ug;q=0.9" })).toBe("ug");
    expect(await detect("/", { "accept-language": "en-GB,en;q=0.8" })).toBe("en");
    expect(await detect("/", { "accept-language": "zh-CN,zh;q=0.9,en;q=0.8" })).toBe("zh-Hans");
  });

  it("prefers the cookie over Accept-Language, and ?lng= over both", async () => {
    const cookie = "lng=" + encodeURIComponent(btoa(JSON.stringify("ug")));
    expect(await detect("/", { cookie, "accept-language": "en" })).toBe("ug");
    expect(await detect("/?lng=en", { cookie, "accept-language": "zh-CN" })).toBe("en");
  });

  it("ignores an unsupported ?lng=", async () => {
    expect(await detect("/?lng=xx", { "accept-language": "en" })).toBe("en");
  });
});
