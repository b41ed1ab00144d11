// Distribution: the links a unit's QR code and poster carry, the poster's texts in every
// language, the QR drawing, and the office's tablet-link forms.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildPoster,
  everyLanguage,
  groupByKind,
  kioskUrl,
  matchesUnit,
  parseKioskCreate,
  parseKioskRevoke,
  parsePosterSize,
  parseQrFile,
  posterPath,
  qrFileName,
  unitLinks,
} from "#app/domain/distribution";
import { translateEveryLanguage } from "#app/i18n/i18next.server";
import { directionOf, languages } from "#app/i18n/languages";
import { drawModules, QR_PNG_MIN_PX, QR_QUIET_ZONE, qrDrawing, qrPng, qrSvg } from "#app/lib/qr.server";

const form = (values: Record<string, string>) => new URLSearchParams(values);

describe("unit links", () => {
  it("builds the stable link and the QR link from the request origin", () => {
    expect(unitLinks("https://rate.example.gov.cn", "satisfaction-2026", "C01")).toEqual({
      link: "https://rate.example.gov.cn/s/satisfaction-2026?unit=C01",
      qr: "https://rate.example.gov.cn/s/satisfaction-2026?unit=C01&ch=qr",
      display: "rate.example.gov.cn/s/satisfaction-2026?unit=C01",
    });
    expect(unitLinks("http://localhost:3000/", "s", "D13").link).toBe("http://localhost:3000/s/s?unit=D13");
  });

  it("builds the tablet link with its signed parameter escaped", () => {
    expect(kioskUrl("http://x", "satisfaction-2026", "D13", "a|b.c+d")).toBe("http://x/s/satisfaction-2026?unit=D13&kiosk=a%7Cb.c%2Bd");
  });

  it("reads the QR file name and names the download", () => {
    expect(parseQrFile("C01.svg")).toEqual({ unitCode: "C01", format: "svg" });
    expect(parseQrFile("D13.png")).toEqual({ unitCode: "D13", format: "png" });
    for (const bad of ["C01", "C01.jpg", "../C01.svg", "C01.svg.png", ".svg"]) expect(parseQrFile(bad)).toBeNull();
    expect(qrFileName("satisfaction-2026", "C01", "png")).toBe("satisfaction-2026-C01.png");
  });

  it("reads the poster size, A4 by default", () => {
    expect(parsePosterSize(null)).toBe("a4");
    expect(parsePosterSize("")).toBe("a4");
    expect(parsePosterSize("A5")).toBe("a5");
    expect(parsePosterSize("letter")).toBeNull();
    expect(posterPath("satisfaction-2026", "a5", "C01")).toBe("/staff/surveys/satisfaction-2026/posters?unit=C01&size=a5");
    expect(posterPath("satisfaction-2026", "a4")).toBe("/staff/surveys/satisfaction-2026/posters?size=a4");
  });
});

describe("poster", () => {
  const langs = [
    { code: "zh-Hans", dir: "ltr" as const },
    { code: "ug", dir: "rtl" as const },
    { code: "en", dir: "ltr" as const },
  ];

  it("gives each text in every language that has it, with its language and direction, in the languages' order", () => {
    expect(everyLanguage({ en: "Beihu City", ug: "بېيخۇ شەھىرى", "zh-Hans": "北湖市", fr: "ignored" }, langs)).toEqual([
      { lng: "zh-Hans", dir: "ltr", text: "北湖市" },
      { lng: "ug", dir: "rtl", text: "بېيخۇ شەھىرى" },
      { lng: "en", dir: "ltr", text: "Beihu City" },
    ]);
    // A missing or blank text leaves its language out rather than showing another language's words.
    expect(everyLanguage({ "zh-Hans": "北湖市", ug: "  " }, langs).map((t) => t.lng)).toEqual(["zh-Hans"]);
    expect(everyLanguage(null, langs)).toEqual([]);
  });

  it("puts the unit's names, the call to rate, the title and the QR link together", () => {
    const poster = buildPoster({
      origin: "https://rate.example.gov.cn",
      survey: { slug: "satisfaction-2026", titles: { "zh-Hans": "满意度调查", en: "Satisfaction survey" } },
      unit: { code: "C01", names: { "zh-Hans": "北湖市", ug: "بېيخۇ شەھىرى", en: "Beihu City" } },
      call: { "zh-Hans": "扫码评价", ug: "باھا بېرىڭ", en: "Scan to rate" },
      note: { en: "Anonymous" },
      languages: langs,
    });
    expect(poster.unitCode).toBe("C01");
    expect(poster.names.map((n) => n.text)).toEqual(["北湖市", "بېيخۇ شەھىرى", "Beihu City"]);
    expect(poster.calls.find((c) => c.lng === "ug")).toEqual({ lng: "ug", dir: "rtl", text: "باھا بېرىڭ" });
    expect(poster.titles.map((n) => n.lng)).toEqual(["zh-Hans", "en"]);
    expect(poster.notes).toHaveLength(1);
    expect(poster.links.qr).toBe("https://rate.example.gov.cn/s/satisfaction-2026?unit=C01&ch=qr");
  });

  it("has the call to rate in every supported language, from the locale files", () => {
    const calls = translateEveryLanguage("distribution.poster.call");
    const root = path.resolve(import.meta.dirname, "../..");
    for (const { code } of languages) {
      const bundle = JSON.parse(fs.readFileSync(path.join(root, "locales", code, "common.json"), "utf8"));
      const expected = bundle.distribution?.poster?.call;
      // A language being added may not have it yet: it is then left out, never filled in.
      expect(calls[code]).toBe(expected);
    }
    expect(calls["zh-Hans"]).toBeTruthy();
    expect(directionOf("ug")).toBe("rtl");
  });
});

describe("unit list", () => {
  const units: { code: string; kind: string; names: Record<string, string> }[] = [
    { code: "D01", kind: "department", names: { "zh-Hans": "发展和改革委员会", en: "Development and Reform Commission" } },
    { code: "C01", kind: "county", names: { "zh-Hans": "北湖市", ug: "بېيخۇ شەھىرى", en: "Beihu City" } },
    { code: "X1", kind: "other", names: { en: "Other" } },
    { code: "C02", kind: "county", names: { "zh-Hans": "南山县", en: "Nanshan County" } },
  ];

  it("groups units by kind, counties before departments, keeping their order", () => {
    expect(groupByKind(units).map((g) => [g.kind, g.units.map((u) => u.code)])).toEqual([
      ["county", ["C01", "C02"]],
      ["department", ["D01"]],
      ["other", ["X1"]],
    ]);
  });

  it("finds a unit by part of a name in any language or by its code", () => {
    const find = (q: string) => units.filter((u) => matchesUnit(u, q)).map((u) => u.code);
    expect(find("")).toHaveLength(4);
    expect(find("北湖")).toEqual(["C01"]);
    expect(find("بېيخۇ")).toEqual(["C01"]);
    expect(find("nanshan")).toEqual(["C02"]);
    expect(find("d01")).toEqual(["D01"]);
    expect(find("zzz")).toEqual([]);
  });
});

describe("tablet link forms", () => {
  it("takes a unit and a label of 2 to 60 characters", () => {
    expect(parseKioskCreate(form({ unit: "C01", label: "  Hall   tablet 1 " }))).toEqual({ ok: true, data: { unit: "C01", label: "Hall tablet 1" } });
    const short = parseKioskCreate(form({ unit: "C01", label: "x" }));
    expect(short).toMatchObject({ ok: false, errors: { label: "distribution.errors.label" }, values: { label: "x" } });
    expect(parseKioskCreate(form({ unit: "C01", label: "x".repeat(61) })).ok).toBe(false);
    expect(parseKioskCreate(form({ unit: "../C01", label: "Hall" }))).toMatchObject({ ok: false, errors: { unit: "distribution.errors.unit" } });
  });

  it("revokes only with a link id and a reason", () => {
    expect(parseKioskRevoke(form({ id: "7", reason: "Tablet stolen" }))).toEqual({ ok: true, data: { id: 7, reason: "Tablet stolen" } });
    expect(parseKioskRevoke(form({ id: "7", reason: "" }))).toMatchObject({ ok: false, errors: { reason: "distribution.errors.reason" } });
    expect(parseKioskRevoke(form({ id: "x", reason: "Tablet stolen" }))).toMatchObject({ ok: false, errors: { id: "distribution.errors.state" } });
    expect(parseKioskRevoke(form({ id: "-1", reason: "Tablet stolen" })).ok).toBe(false);
  });
});

describe("QR codes", () => {
  it("draws each run of dark modules of a row as one rectangle, inside the quiet zone", () => {
    // 3×3: a full first row, a single middle module, two separate modules in the last row.
    const drawing = drawModules({ size: 3, data: [1, 1, 1, 0, 1, 0, 1, 0, 1] }, 4);
    expect(drawing.size).toBe(11);
    expect(drawing.path).toBe("M4 4h3v1h-3zM5 5h1v1h-1zM4 6h1v1h-1zM6 6h1v1h-1z");
    expect(drawModules({ size: 2, data: [0, 0, 0, 0] }).path).toBe("");
  });

  const link = "https://rate.example.gov.cn/s/satisfaction-2026?unit=C01&ch=qr";

  it("keeps a quiet zone of 4 modules and a white background in the SVG", () => {
    const { size, path: d } = qrDrawing(link);
    expect(QR_QUIET_ZONE).toBe(4);
    // The finder pattern's corner is the first dark module, just inside the quiet zone.
    expect(d.startsWith("M4 4h7v1h-7z")).toBe(true);
    const svg = qrSvg(link);
    expect(svg.startsWith(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}"`)).toBe(true);
    expect(svg).toContain(`<rect width="${size}" height="${size}" fill="#ffffff"/>`);
    expect(svg).not.toMatch(/style|script/);
  });

  it("renders a PNG of at least 1024 px with whole-pixel modules", async () => {
    const png = await qrPng(link);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    expect(width).toBe(height);
    expect(width).toBeGreaterThanOrEqual(QR_PNG_MIN_PX);
    expect(width % qrDrawing(link).size).toBe(0);
  });
});
