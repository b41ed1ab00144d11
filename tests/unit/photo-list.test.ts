// The one photo list of the citizen's /track page and the staff's case page: thumbnails at most
// 240 px wide in the photo's proportions, never enlarged, each linking to its picture at the
// address the page gave (each page's own access check), numbered in the alternative text.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { PhotoList, thumbnailSize } from "#app/components/PhotoList";

describe("PhotoList", () => {
  it("sizes thumbnails to at most 240 px wide, in proportion, never enlarged", () => {
    expect(thumbnailSize(1200, 900)).toEqual({ width: 240, height: 180 });
    expect(thumbnailSize(1000, 3000)).toEqual({ width: 240, height: 720 });
    expect(thumbnailSize(200, 150)).toEqual({ width: 200, height: 150 });
  });

  it("links each photo to the address given and numbers it", () => {
    const html = renderToStaticMarkup(
      createElement(PhotoList, {
        photos: [
          { id: 7, src: "/track/T1/photos/7", width: 1200, height: 900 },
          { id: 9, src: "/track/T1/photos/9", width: 200, height: 150 },
        ],
        alt: (n: number) => `照片 ${n}`,
      }),
    );
    expect(html).toBe(
      '<ul class="photos">' +
        '<li><a href="/track/T1/photos/7"><img src="/track/T1/photos/7" alt="照片 1" width="240" height="180" loading="lazy"/></a></li>' +
        '<li><a href="/track/T1/photos/9"><img src="/track/T1/photos/9" alt="照片 2" width="200" height="150" loading="lazy"/></a></li>' +
        "</ul>",
    );
  });

  it("draws nothing without photos", () => {
    expect(renderToStaticMarkup(createElement(PhotoList, { photos: [], alt: String }))).toBe("");
  });
});
