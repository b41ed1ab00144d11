// Counted phrases ("1 working day", "5 working days") in every language: the translator has no
// plural forms, so the key is chosen here by the language's CLDR plural rules, named as i18next
// names them (key_one, key_few, key_other …). Languages without plural forms (zh) need only _other,
// but every locale carries the same keys (tests/unit/locales.test.ts).
import type { TFunction, Vars } from "./translator";

const rules = new Map<string, Intl.PluralRules>();

function pluralRules(lng: string): Intl.PluralRules {
  let r = rules.get(lng);
  if (!r) rules.set(lng, (r = new Intl.PluralRules(lng)));
  return r;
}

/** `t(key_<category>, {count})`, falling back to `key_other` when the language lacks that form. */
export function tCount(t: TFunction, lng: string, key: string, count: number, vars?: Vars): string {
  const exact = `${key}_${pluralRules(lng).select(count)}`;
  const text = t(exact, { ...vars, count });
  return text === exact ? t(`${key}_other`, { ...vars, count }) : text;
}
