// Uyghur in Arabic script to Uyghur Latin script (Uyghur Latin Yéziqi, ULY), so that a citizen who
// types Latin letters on a phone without an Uyghur keyboard still finds "باج ئىدارىسى" as "baj
// idarisi". ULY is a fixed letter-for-letter table (the 2000s standard); no maintained package
// carries it, and the table is shorter than any wrapper around one.

const LETTERS: Record<string, string> = {
  "\u0627": "a", // ا
  "\u06D5": "e", // ە
  "\u0628": "b", // ب
  "\u067E": "p", // پ
  "\u062A": "t", // ت
  "\u062C": "j", // ج
  "\u0686": "ch", // چ
  "\u062E": "x", // خ
  "\u062F": "d", // د
  "\u0631": "r", // ر
  "\u0632": "z", // ز
  "\u0698": "zh", // ژ
  "\u0633": "s", // س
  "\u0634": "sh", // ش
  "\u063A": "gh", // غ
  "\u0641": "f", // ف
  "\u0642": "q", // ق
  "\u0643": "k", // ك
  "\u06A9": "k", // ک (Persian kaf, typed on some keyboards)
  "\u06AF": "g", // گ
  "\u06AD": "ng", // ڭ
  "\u0644": "l", // ل
  "\u0645": "m", // م
  "\u0646": "n", // ن
  "\u06BE": "h", // ھ
  "\u0647": "h", // ه (Arabic heh, typed for ھ on some keyboards)
  "\u0648": "o", // و
  "\u06C7": "u", // ۇ
  "\u06C6": "ö", // ۆ
  "\u06C8": "ü", // ۈ
  "\u06CB": "w", // ۋ
  "\u06D0": "é", // ې
  "\u0649": "i", // ى
  "\u064A": "y", // ي
  "\u06CC": "y", // ی (Persian yeh)
};

// The hamza seat ئ begins a word that starts with a vowel and is not written in ULY there; inside a
// word it separates two vowels, written as an apostrophe (mes'ul).
const HAMZA = "\u0626";

/** The ULY spelling of Uyghur text in Arabic script; other characters (digits, Latin, spaces) pass through. */
export function uyghurToLatin(text: string): string {
  let out = "";
  let atWordStart = true;
  for (const ch of text.normalize("NFC")) {
    if (ch === HAMZA) {
      if (!atWordStart) out += "'";
      atWordStart = false;
      continue;
    }
    const latin = LETTERS[ch];
    out += latin ?? (ch === "\u060C" ? "," : ch === "\u061F" ? "?" : ch);
    atWordStart = latin === undefined && !/[\p{L}\p{N}]/u.test(ch);
  }
  return out;
}
