import { pinyin } from "pinyin-pro";
import { describe, expect, it } from "vitest";
import { latinFold, searchKeysOf, searchUnits } from "#app/domain/unit-search";
import { uyghurToLatin } from "#app/domain/uyghur-latin";
import { findUnitsByName, unitSearchKeys } from "#app/models/unit.server";

// Names as the demo region has them (prisma/seed-data/region.ts), plus one with ü.
const units = [
  { code: "C01", names: { "zh-Hans": "北湖市", ug: "بېيخۇ شەھىرى", en: "Beihu City" } },
  { code: "C05", names: { "zh-Hans": "绿洲县", ug: "بوستانلىق ناھىيىسى", en: "Oasis County" } },
  { code: "D03", names: { "zh-Hans": "教育局", ug: "مائارىپ ئىدارىسى", en: "Education Bureau" } },
  { code: "D06", names: { "zh-Hans": "市场监督管理局", ug: "بازار نازارەت باشقۇرۇش ئىدارىسى", en: "Market Regulation Administration" } },
  { code: "D12", names: { "zh-Hans": "税务局", ug: "باج ئىدارىسى", en: "Tax Bureau" } },
  { code: "D13", names: { "zh-Hans": "政务服务中心", ug: "ھۆكۈمەت ئىشلىرى مۇلازىمەت مەركىزى", en: "Government Service Centre" } },
];
const codes = (query: string, lng = "zh-Hans") => findUnitsByName(units, query, lng).map((u) => u.code);

describe("finding a unit by its name in pinyin", () => {
  it("finds 税务局 by its pinyin, whole, in part, spaced or by initials", () => {
    expect(codes("shuiwu")).toEqual(["D12"]);
    expect(codes("shuiwuju")).toEqual(["D12"]);
    expect(codes("shui wu")).toEqual(["D12"]);
    expect(codes("ShuiW")).toEqual(["D12"]);
    expect(codes("swj")).toEqual(["D12"]);
  });
  it("ranks names that start with the pinyin before names that only contain it", () => {
    // 教育局 starts with jiao; 税务局 and 市场监督管理局 end with ju.
    expect(codes("jiaoyu")).toEqual(["D03"]);
    expect(codes("shi")).toEqual(["D06", "C01"]);
    expect(codes("ju")).toEqual(["D03", "D06", "D12"]);
    expect(codes("juj")).toEqual([]);
    expect(codes("jianduguanli")).toEqual(["D06"]);
  });
  it("reads ü as typed on phones: v or u", () => {
    expect(codes("lvzhou")).toEqual(["C05"]);
    expect(codes("luzhou")).toEqual(["C05"]);
    expect(codes("lüzhou")).toEqual(["C05"]);
  });
  it("works on pages in every language, after the names of that language", () => {
    expect(codes("shuiwu", "ug")).toEqual(["D12"]);
    expect(codes("shuiwu", "en")).toEqual(["D12"]);
    // An English match of the page's language comes before a pinyin one.
    expect(findUnitsByName(units, "bei", "en").map((u) => u.code)[0]).toBe("C01");
  });
});

describe("finding a unit by its Uyghur name in Latin letters (ULY)", () => {
  it("spells Uyghur Arabic script in ULY, without the word-initial hamza", () => {
    expect(uyghurToLatin("باج ئىدارىسى")).toBe("baj idarisi");
    expect(uyghurToLatin("باجخانا")).toBe("bajxana");
    expect(uyghurToLatin("ھۆكۈمەت ئىشلىرى")).toBe("hökümet ishliri");
    expect(uyghurToLatin("مائارىپ")).toBe("ma'arip");
    expect(uyghurToLatin("بېيخۇ شەھىرى")).toBe("béyxu shehiri");
    expect(uyghurToLatin("چوڭ غول ژۇرنال")).toBe("chong ghol zhurnal");
  });
  it("finds the tax office by baj, with or without accents and apostrophes", () => {
    expect(codes("baj", "ug")).toEqual(["D12"]);
    expect(codes("baj idarisi", "ug")).toEqual(["D12"]);
    expect(codes("hokumet", "ug")).toEqual(["D13"]);
    expect(codes("hökümet", "ug")).toEqual(["D13"]);
    expect(codes("maarip", "zh-Hans")).toEqual(["D03"]);
    expect(codes("beyxu", "ug")).toEqual(["C01"]);
  });
  it("finds a name written باجخانا by bajxana", () => {
    const office = [{ code: "X1", names: { ug: "باجخانا" } }];
    expect(findUnitsByName(office, "bajxana", "ug").map((u) => u.code)).toEqual(["X1"]);
    expect(findUnitsByName(office, "Bajx", "zh-Hans").map((u) => u.code)).toEqual(["X1"]);
  });
});

describe("search keys", () => {
  it("are computed once per name, not per search", () => {
    expect(unitSearchKeys(units[4]!.names)).toBe(unitSearchKeys({ ...units[4]!.names }));
  });
  it("hold folded pinyin, initials and ULY; a Chinese or Arabic-script query does not use them", () => {
    const keys = searchKeysOf(units[4]!.names, (zh) => pinyin(zh, { toneType: "none", type: "array" }));
    expect(keys).toEqual(expect.arrayContaining(["shuiwuju", "swj", "bajidarisi"]));
    expect(latinFold("税务")).toBe("");
    expect(searchUnits([{ code: "Z", names: { en: "x" }, searchKeys: ["shuiwuju"] }], "税务", "zh-Hans")).toEqual([]);
  });
});
