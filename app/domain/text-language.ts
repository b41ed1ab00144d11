// Which language a piece of typed text is written in, told from its letters. In this region a
// citizen often types Uyghur on the Chinese page (the default) or quotes a Chinese unit name in a
// Uyghur sentence, so the language of the page a text was filed on (Complaint.lang, Response.lang)
// says little about the text itself. The script decides; the stored page language only settles
// what the letters cannot: Arabic-script text with none of the letters that tell Uyghur from Kazakh.

/** A language code of this app (or null: no letters, or a script we cannot place). */
export type TextLanguage = "zh-Hans" | "ug" | "kk" | "en";

const HAN = /\p{Script=Han}/gu;
const ARABIC = /\p{Script=Arabic}/gu;
const LATIN = /\p{Script=Latin}/gu;
const CYRILLIC = /\p{Script=Cyrillic}/gu;
// Letters only Uyghur writes: the vowel carrier ئ, ې ۈ ۆ, and ھ خ.
const UYGHUR_ONLY = /[\u0626\u06D0\u06C8\u06C6\u06BE\u062E]/gu;
// Letters only Kazakh writes: the front-vowel mark (high ٴ, or the plain hamza ء many keyboards
// give; alone or in ٵ ٶ ٷ ٸ), and ع ح.
const KAZAKH_ONLY = /[\u0621\u0674-\u0678\u0639\u062D]/gu;
// Kazakh's own Cyrillic letters (Cyrillic without them is probably Russian: no language of ours).
const KAZAKH_CYRILLIC = /[әғқңөұүһіӘҒҚҢӨҰҮҺІ]/u;

const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

/**
 * The language of `text`, from its most used script. One Han character stands for a syllable,
 * so it weighs as two letters. `stored` (the page language it was typed on) picks between Uyghur
 * and Kazakh when the letters do not; without either, Uyghur, the larger of the two here.
 */
export function textLanguage(text: string, stored?: string | null): TextLanguage | null {
  const han = count(text, HAN) * 2;
  const arabic = count(text, ARABIC);
  const latin = count(text, LATIN);
  const cyrillic = count(text, CYRILLIC);
  const most = Math.max(han, arabic, latin, cyrillic);
  if (most === 0) return null;
  if (han === most) return "zh-Hans";
  if (arabic === most) {
    const ug = count(text, UYGHUR_ONLY);
    const kk = count(text, KAZAKH_ONLY);
    if (ug !== kk) return ug > kk ? "ug" : "kk";
    return stored === "kk" ? "kk" : "ug";
  }
  if (latin === most) return "en";
  return KAZAKH_CYRILLIC.test(text) ? "kk" : null;
}
