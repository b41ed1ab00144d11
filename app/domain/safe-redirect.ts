// Where a page may send the browser back to after a step (sign-in's `next`): only a path of this
// site. Browsers are lenient with Location: they read "\" as "/" and drop tabs and newlines, so
// "/\evil.example" and "/\t/evil.example" become "//evil.example", another site; a CR or LF would
// also break the header itself. The value is therefore refused when it holds a backslash or any
// control character, then normalised as a browser would (against a dummy origin) and kept only
// when it stays on that origin with a path that starts with exactly one "/".

const DUMMY_ORIGIN = "https://same-origin.invalid";
const MAX_LENGTH = 2048;

/** `next` when it is a same-origin path (normalised), else `fallback`. */
export function safeRedirectPath(next: unknown, fallback: string): string {
  if (typeof next !== "string" || next.length === 0 || next.length > MAX_LENGTH) return fallback;
  // Backslashes and C0/C1 control characters (tab, CR, LF, NUL, DEL …), and any whitespace a
  // browser might trim or collapse.
  if (/[\\\u0000-\u001f\u007f-\u009f\s]/.test(next)) return fallback;
  if (!next.startsWith("/") || next.startsWith("//")) return fallback;
  let url: URL;
  try {
    url = new URL(next, DUMMY_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== DUMMY_ORIGIN) return fallback;
  // Normalisation can make a path start with "//" again ("/.//evil.example").
  if (!url.pathname.startsWith("/") || url.pathname.startsWith("//") || url.pathname.includes("\\")) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
