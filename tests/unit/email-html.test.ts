// The HTML part of notification e-mails (issue 13): made from the text part, everything escaped,
// links clickable, the recipient's language and direction, someone's typed text in its own.
import { describe, expect, it } from "vitest";
import { directionOf, emailHtml, userText } from "#app/services/notify/email-html";

describe("the HTML part of an e-mail", () => {
  it("takes the recipient's language and direction: Uyghur and Kazakh right to left, Chinese and English left to right", () => {
    expect(directionOf("ug")).toBe("rtl");
    expect(directionOf("kk")).toBe("rtl");
    expect(directionOf("zh-Hans")).toBe("ltr");
    expect(directionOf("en")).toBe("ltr");
    expect(emailHtml({ subject: "ئەرز", text: "سالام", lang: "ug" })).toContain('<html lang="ug" dir="rtl">');
    expect(emailHtml({ subject: "投诉", text: "您好", lang: "zh-Hans" })).toContain('<html lang="zh-Hans" dir="ltr">');
  });

  it("escapes everything, subject included, and makes only the platform's links clickable", () => {
    const html = emailHtml({
      subject: `<script>alert("s")</script>`,
      text: `Reply: <img src=x onerror=alert(1)> & "quotes"\n\nSee https://pj.example.cn/track/open?t=a.b_c-d. Then javascript:alert(1)`,
      lang: "en",
    });
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;alert(&quot;s&quot;)&lt;/script&gt;");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;");
    // The sentence's full stop stays outside the link.
    expect(html).toContain('<a href="https://pj.example.cn/track/open?t=a.b_c-d" dir="ltr">https://pj.example.cn/track/open?t=a.b_c-d</a>.');
    expect(html).not.toContain('href="javascript');
    // Only these elements: nothing fetched from elsewhere (no image, stylesheet or script).
    const tags = new Set([...html.matchAll(/<([a-z]+)/g)].map((m) => m[1]));
    expect([...tags].sort()).toEqual(["a", "body", "head", "html", "meta", "p", "title"]);
  });

  it("keeps paragraphs and line breaks, and a path link when no public origin is configured", () => {
    const html = emailHtml({ subject: "s", text: "One\ntwo\n\nOpen: /track/open?t=x.y", lang: "en" });
    expect(html).toContain("One<br>two</p>");
    expect(html).toContain('<a href="/track/open?t=x.y" dir="ltr">/track/open?t=x.y</a>');
  });

  it("sets a unit's typed reply apart with dir=auto, in a right-to-left message as in a left-to-right one", () => {
    const reply = "已为您补办证明，请到3号窗口领取。";
    const text = `ئەرزىڭىزدە يېڭى ئىلگىرىلەش بار.\n\n${userText(reply)}\n\nباھا بېرىڭ: https://pj.example.cn/track/open?t=x`;
    const html = emailHtml({ subject: "s", text, lang: "ug" });
    expect(html).toContain(`<blockquote dir="auto" style="margin:0 0 1em;padding:0 1em;border-inline-start:3px solid #888">${reply}</blockquote>`);
    // The isolate characters themselves do not reach the HTML.
    expect(html).not.toMatch(/[\u2066-\u2069]/);
    // Inside a sentence: a span.
    const inline = emailHtml({ subject: "s", text: `Reply: ${userText("<b>مەسىلە ھەل بولدى</b>")} (unit)`, lang: "en" });
    expect(inline).toContain('Reply: <span dir="auto">&lt;b&gt;مەسىلە ھەل بولدى&lt;/b&gt;</span> (unit)');
  });

  it("a typed text cannot close its isolate early", () => {
    expect(userText("a\u2069b\u2068c")).toBe("\u2068abc\u2069");
  });
});

describe("links after Chinese or Arabic-script punctuation", () => {
  it("a path right after a full-width colon is a link; a slash inside a word or a date is not", () => {
    const html = emailHtml({ subject: "s", text: "查看详情：/track/open?t=a.b 或 2026/12/01 和/或", lang: "zh-Hans" });
    expect(html).toContain('查看详情：<a href="/track/open?t=a.b" dir="ltr">/track/open?t=a.b</a> 或 2026/12/01 和/或');
  });
});
