import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { categoryLayout, estimateWidth, LABEL_LINE_HEIGHT, wrapLabel } from "#app/components/chart-layout";
import { GradeDistribution, TrendLine } from "#app/components/charts";
import { I18nProvider, type I18nValue } from "#app/i18n/context";
import { questions } from "../../prisma/seed-data/survey";

const squash = (s: string) => s.replace(/\s+/g, "");
const labels = questions.flatMap((q) => [...Object.values(q.texts), ...(q.options ?? []).flatMap((o) => Object.values(o.labels))]);

describe("category labels of the charts", () => {
  it("wraps every label of the demo survey, in every language, without losing a character", () => {
    for (const width of [60, 120, 200, 320]) {
      for (const label of labels) {
        const lines = wrapLabel(label, width);
        expect(squash(lines.join(""))).toBe(squash(label));
        for (const line of lines) {
          if (Array.from(line).length > 1) expect(estimateWidth(line), `${line} at ${width}`).toBeLessThanOrEqual(width);
        }
      }
    }
  });

  it("breaks Chinese between characters but never before closing punctuation", () => {
    const lines = wrapLabel("办事效率：办理时间和等候时间是否合理？", 60);
    expect(lines).toEqual(["办事效率：", "办理时间和", "等候时间是", "否合理？"]);
    expect(wrapLabel("3次及以上", 24)).toEqual(["3次", "及以", "上"]);
  });

  it("breaks Latin and Arabic-script text between words", () => {
    const en = wrapLabel("Efficiency: were the processing and waiting times reasonable?", 150);
    expect(en).toEqual(["Efficiency: were the", "processing and", "waiting times", "reasonable?"]);
    const ug = "ئىش ئۈنۈمى: ئىش بېجىرىش ۋە ساقلاش ۋاقتى مۇۋاپىقمۇ؟";
    const words = new Set(ug.split(" "));
    for (const line of wrapLabel(ug, 100)) for (const w of line.split(" ")) expect(words).toContain(w);
  });

  it("splits a word wider than the column rather than cutting it", () => {
    expect(wrapLabel("Antidisestablishmentarianism", 60).join("")).toBe("Antidisestablishmentarianism");
  });

  it("sizes the label column to the longest label, up to 40% of the chart, and rows to the most lines", () => {
    const short = categoryLayout(["人力资源和社会保障局", "税务局"], 760);
    expect(short.axisWidth).toBe(Math.ceil(estimateWidth("人力资源和社会保障局") + 14));
    expect(short.rowHeight).toBe(32);
    const long = categoryLayout(["Transparency: were the procedure, required documents and fees clearly published?"], 760);
    expect(long.axisWidth).toBe(Math.ceil(760 * 0.4));
    const lines = long.lines.get("Transparency: were the procedure, required documents and fees clearly published?")!;
    expect(lines.length).toBe(3);
    expect(long.rowHeight).toBe(3 * LABEL_LINE_HEIGHT + 12);
  });
});

describe("charts drawn on the server", () => {
  const i18n: I18nValue = { lng: "en", dir: "ltr", t: ((key: string) => key) as I18nValue["t"], bundle: {} as I18nValue["bundle"] };
  const draw = (chart: ReturnType<typeof createElement>) => renderToString(createElement(I18nProvider, { value: i18n }, chart));

  it("draw the same markup every time (what the browser's first drawing must match)", () => {
    const months = Array.from({ length: 12 }, (_, i) => ({ month: `2026-${String(i + 1).padStart(2, "0")}`, s: 70 + i, n: 10 }));
    const trend = createElement(TrendLine, { id: "chart-trend", title: "Trend", data: months });
    const grades = createElement(GradeDistribution, { id: "chart-grades", title: "Grades", data: [{ label: "办事效率：办理时间和等候时间是否合理？", counts: [1, 2, 3, 4, 5, 6] }] });
    const first = draw(trend) + draw(grades);
    expect(draw(trend) + draw(grades)).toBe(first);
    // The clip paths carry the chart's own id, not recharts' running counter.
    expect(first).toContain('id="chart-trend-plot-clip"');
    expect(first).not.toMatch(/recharts\d+-clip/);
    // Which months are labelled is the axis' own choice (every other one at the server's width),
    // not recharts' measuring, which only the browser can do.
    expect(first.match(/>2026-\d\d<\/text>/g)).toEqual([">2026-01</text>", ">2026-03</text>", ">2026-05</text>", ">2026-07</text>", ">2026-09</text>", ">2026-11</text>"]);
  });
});
