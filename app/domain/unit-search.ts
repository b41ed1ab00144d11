// Finding a unit by name: a citizen types part of a name in any script. Matches in the page's
// language rank first, then matches in other languages (a Uyghur page may get a Chinese query),
// then names spelt in Latin letters: the pinyin of the Chinese name (`shuiwu`, or its initials
// `swj`) and the Uyghur Latin spelling of the Uyghur name (`baj`), for phones without a Chinese
// or Uyghur keyboard. Those spellings are computed once per name on the server (searchKeysOf, with
// the pinyin library passed in by app/models/unit.server.ts): the library never reaches a browser.
import { uyghurToLatin } from "./uyghur-latin";

export interface SearchableUnit {
  code: string;
  names: Record<string, string>;
  /** Latin spellings of the names, folded (searchKeysOf); none: names only. */
  searchKeys?: readonly string[];
}

export function normalize(s: string): string {
  return s.normalize("NFKC").toLocaleLowerCase().replace(/\s+/g, " ").trim();
}

/** Lower-case Latin letters and digits only: accents, apostrophes, spaces and other scripts dropped. */
export function latinFold(s: string): string {
  return s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^a-z0-9]/g, "");
}

/**
 * The Latin spellings a unit is found by: the Chinese name's pinyin run together and its initials
 * (ü also as v and u, as phone keyboards type it), and the Uyghur name in ULY; all latinFold-ed.
 */
export function searchKeysOf(names: Record<string, string>, pinyinSyllables: (chinese: string) => string[]): string[] {
  const keys = new Set<string>();
  const zh = names["zh-Hans"]?.trim();
  if (zh) {
    const syllables = pinyinSyllables(zh).map((s) => s.trim()).filter(Boolean);
    for (const variant of [syllables, syllables.map((s) => s.replace(/ü/g, "v"))]) {
      keys.add(latinFold(variant.join("")));
      keys.add(latinFold(variant.map((s) => s[0]).join("")));
    }
  }
  const ug = names.ug?.trim();
  if (ug) keys.add(latinFold(uyghurToLatin(ug)));
  keys.delete("");
  return [...keys];
}

export function searchUnits<U extends SearchableUnit>(units: readonly U[], query: string, lng: string, limit = 30): U[] {
  const q = normalize(query);
  if (!q) return [];
  const latin = latinFold(q);
  const scored: { unit: U; rank: number }[] = [];
  for (const unit of units) {
    const own = normalize(unit.names[lng] ?? "");
    let rank = -1;
    if (own.startsWith(q)) rank = 0;
    else if (own.includes(q)) rank = 1;
    else if (normalize(unit.code) === q) rank = 2;
    else if (Object.values(unit.names).some((n) => normalize(n).includes(q))) rank = 3;
    else if (latin && unit.searchKeys?.some((k) => k.startsWith(latin))) rank = 4;
    else if (latin && unit.searchKeys?.some((k) => k.includes(latin))) rank = 5;
    if (rank >= 0) scored.push({ unit, rank });
  }
  return scored
    .sort((a, b) => a.rank - b.rank)
    .slice(0, limit)
    .map((s) => s.unit);
}
