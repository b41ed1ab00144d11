// SMS length rules (issue 13): what the citizen's message costs, and shortening without breaking
// a placeholder or a link.
import { describe, expect, it } from "vitest";
import { codePointLength, fitToSegments, smsLength, smsSegments, textCapacity } from "#app/services/notify/sms/length";

const han = (n: number) => "投".repeat(n);

describe("billed segments", () => {
  it("bills up to 70 characters as one message and longer texts by 67", () => {
    expect(smsSegments("")).toBe(0);
    expect(smsSegments(han(70))).toBe(1);
    expect(smsSegments(han(71))).toBe(2);
    expect(smsSegments(han(134))).toBe(2);
    expect(smsSegments(han(135))).toBe(3);
    // Aliyun's example: 160 characters are 67 + 67 + 26, three messages.
    expect(smsSegments(han(160))).toBe(3);
  });

  it("counts the signature with the 【】 the provider adds", () => {
    expect(smsLength(han(10), "市民热线")).toBe(16);
    expect(smsSegments(han(64), "市民热线")).toBe(1);
    expect(smsSegments(han(65), "市民热线")).toBe(2);
  });

  it("counts code points, the same for Arabic-script Uyghur and characters outside the BMP", () => {
    expect(codePointLength("ئەرز")).toBe(4);
    expect("𠮷".length).toBe(2);
    expect(codePointLength("𠮷")).toBe(1);
    expect(smsSegments("𠮷".repeat(70))).toBe(1);
  });

  it("knows how much text fits", () => {
    expect(textCapacity(1)).toBe(70);
    expect(textCapacity(1, "市民热线")).toBe(64);
    expect(textCapacity(3, "市民热线")).toBe(195);
    expect(textCapacity(10)).toBe(500);
  });
});

describe("shortening to fit", () => {
  it("leaves a text that fits untouched", () => {
    expect(fitToSegments(han(64), 1, "市民热线")).toBe(han(64));
  });

  it("cuts with an ellipsis to exactly the capacity", () => {
    const short = fitToSegments(han(100), 1, "市民热线");
    expect(short).toBe(han(63) + "…");
    expect(smsSegments(short, "市民热线")).toBe(1);
  });

  it("drops a placeholder whole rather than cutting it", () => {
    const text = han(60) + "{{reference}}" + han(20);
    const short = fitToSegments(text, 1);
    expect(short).toBe(han(60) + "…");
  });

  it("drops a link whole rather than cutting it, and ends the link at Chinese punctuation", () => {
    const url = "https://rate.example.gov.cn/t/abc123";
    const cutInside = fitToSegments(han(50) + " " + url + "。" + han(30), 1);
    expect(cutInside).toBe(han(50) + "…");
    // A cut after the link keeps it entire.
    const keep = fitToSegments(han(10) + url + "。" + han(60), 1);
    expect(keep.startsWith(han(10) + url + "。")).toBe(true);
    expect(codePointLength(keep)).toBe(70);
    expect(keep.endsWith("…")).toBe(true);
  });
});
