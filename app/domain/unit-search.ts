// Finding a unit by name: a citizen types part of a name in any script. Matches in the page's
// language rank first, then matches in other languages (a Uyghur page may get a Chinese query).

export interface SearchableUnit {
  code: string;
  names: Record<string, string>;
}

export function normalize(s: string): string {
  return s.normalize("NFKC").toLocaleLowerCase().replace(/\s+/g, " ").trim();
}

export function searchUnits<U extends SearchableUnit>(units: readonly U[], query: string, lng: string, limit = 30): U[] {
  const q = normalize(query);
  if (!q) return [];
  const scored: { unit: U; rank: number }[] = [];
  for (const unit of units) {
    const own = normalize(unit.names[lng] ?? "");
    let rank = -1;
    if (own.startsWith(q)) rank = 0;
    else if (own.includes(q)) rank = 1;
    else if (normalize(unit.code) === q) rank = 2;
    else if (Object.values(unit.names).some((n) => normalize(n).includes(q))) rank = 3;
    if (rank >= 0) scored.push({ unit, rank });
  }
  return scored
    .sort((a, b) => a.rank - b.rank)
    .slice(0, limit)
    .map((s) => s.unit);
}
