// The Markdown subset of the published method page: what it draws, and that nothing in a document
// becomes markup or a dangerous link.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "#app/components/Markdown";
import { parseInline, parseMarkdown, safeHref } from "#app/domain/markdown";

const html = (source: string) => renderToStaticMarkup(createElement(Markdown, { blocks: parseMarkdown(source) }));

describe("the method's Markdown subset", () => {
  it("draws headings, paragraphs, lists, emphasis, code and links", () => {
    const out = html(
      [
        "# Title",
        "",
        "First line",
        "goes on.",
        "",
        "## Part",
        "- one **bold**",
        "- two *em*",
        "  continued",
        "",
        "1. first",
        "2. `code` and [the results](/results)",
      ].join("\n"),
    );
    expect(out).toBe(
      "<h1>Title</h1><p>First line goes on.</p><h2>Part</h2><ul><li>one <strong>bold</strong></li><li>two <em>em</em> continued</li></ul>" +
        '<ol><li>first</li><li><code>code</code> and <a href="/results">the results</a></li></ol>',
    );
  });

  it("escapes HTML in every place text can be", () => {
    const out = html(
      ["# <script>alert(1)</script>", "", '<img src=x onerror=alert(1)> & "quotes"', "", "- <b>item</b>", "", '[<i>x</i>](/a"b)', "", "`<code>`"].join("\n"),
    );
    expect(out).not.toMatch(/<(script|img|b|i)[\s>]/);
    expect(out).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(out).toContain("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;");
    expect(out).toContain('<a href="/a&quot;b">&lt;i&gt;x&lt;/i&gt;</a>');
    expect(out).toContain("<code>&lt;code&gt;</code>");
  });

  it("keeps only links to the site, anchors and http(s); others stay text", () => {
    for (const bad of ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:x", "//evil.example/x", "java\tscript:x", "/\\evil"]) {
      expect(safeHref(bad)).toBe(false);
      const out = html(`[click](${bad})`);
      expect(out).not.toContain("<a");
      expect(out).toContain("click");
    }
    for (const good of ["/method", "#part", "https://example.gov.cn/a", "http://example.gov.cn"]) expect(safeHref(good)).toBe(true);
    expect(html("[site](https://example.gov.cn)")).toContain('rel="noopener noreferrer"');
  });

  it("leaves unclosed markers and snake_case as text", () => {
    expect(parseInline("a * b and **c")).toEqual([{ type: "text", text: "a * b and **c" }]);
    expect(parseInline("unverified_start flag")).toEqual([{ type: "text", text: "unverified_start flag" }]);
    expect(parseInline("\\*not em\\*")).toEqual([{ type: "text", text: "*not em*" }]);
  });
});
