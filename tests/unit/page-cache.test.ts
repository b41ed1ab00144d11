import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { cachedPage, clearPageCache, fillGzip, fillPage, peekPage } from "#app/lib/page-cache.server";

const page = (v: { started: string; submissionId: string; nonce: string }) =>
  `<!DOCTYPE html><html lang="ug" dir="rtl"><body><h1>ئاممىنىڭ رازىلىقى 满意度</h1><form><input name="started" value="${v.started}"/>` +
  `<input name="submissionId" value="${v.submissionId}"/></form><script src="/a.js" nonce="${v.nonce}"></script>` +
  `<p>${"تېز باھا ".repeat(200)}</p><script nonce="${v.nonce}"></script></body></html>`;

describe("pages drawn once and reused", () => {
  it("draws a page once per key and puts each request's own values in", async () => {
    clearPageCache();
    let renders = 0;
    const first = { started: "tok-1.sig", submissionId: "9f0c2d1e-0000-4000-8000-000000000001", nonce: "bm9uY2UtMQ==" };
    const second = { started: "tok-2.sig", submissionId: "9f0c2d1e-0000-4000-8000-000000000002", nonce: "bm9uY2UtMg==" };
    const render = (v: typeof first) => async () => {
      renders++;
      return page(v);
    };
    expect(await cachedPage("k", first, render(first))).toBe(page(first));
    expect(await cachedPage("k", second, render(second))).toBe(page(second));
    expect(renders).toBe(1);
    // Another key (another unit, language or address) is drawn on its own.
    await cachedPage("k2", second, render(second));
    expect(renders).toBe(2);
  });

  it("answers gzip without compressing per request, and the result unpacks to the same page", async () => {
    clearPageCache();
    const drawn = { started: "s.x", submissionId: "id-0", nonce: "n0" };
    await cachedPage("g", drawn, async () => page(drawn));
    const template = peekPage("g")!;
    for (const v of [
      { started: "JIBq|satisfaction-2026|C01|1796064936790.O_ZM1g5", submissionId: "2ff4e669-9616-413e-927f-01ce0f766008", nonce: "rRhmD8xbeaZyWNlp2ZNfZQ==" },
      // A value longer than one stored deflate block (65,535 bytes), and one with non-ASCII letters.
      { started: "x".repeat(70_000), submissionId: "ئا-满", nonce: "" },
    ]) {
      const gz = fillGzip(template, v);
      expect(zlib.gunzipSync(gz).toString("utf8")).toBe(fillPage(template, v));
      expect(fillPage(template, v)).toBe(page(v));
    }
    // The fixed parts are compressed: the answer is far smaller than the page.
    const small = fillGzip(template, drawn);
    expect(small.length).toBeLessThan(Buffer.byteLength(page(drawn)) / 4);
  });

  it("does not take a NUL in the page for a marker", async () => {
    clearPageCache();
    const v = { started: "a", submissionId: "b", nonce: "c" };
    expect(await cachedPage("nul", v, async () => `<p>\u0000${v.started}</p>`)).toBe("<p>\uFFFDa</p>");
  });
});
