// Record ids taken from a URL or a form. Number("1e300") is an integer to Number.isInteger, and
// " 12", "0x10", "12.0" or "99999999999999999999" all become numbers too; handed to the database
// they overflow its 64-bit integers (a 500) or name another row than the one written. An id is
// therefore accepted only as a short decimal string without sign, exponent, spaces or leading
// zeros, no larger than the largest id a table can hold: PostgreSQL's ids are 32-bit integers
// (Prisma's Int), so 2147483647 (SQLite's would go further, but no row ever gets there). Every place
// that reads an id from a request uses this module.
import { z } from "zod/mini";

const ID_PATTERN = /^[1-9][0-9]{0,9}$/;
/** The largest id any table holds (PostgreSQL's integer). */
export const MAX_ID = 2_147_483_647;

/** The id named by `value`, or null when it is not a bounded positive decimal integer. */
export function parseId(value: unknown): number | null {
  if (typeof value !== "string" || !ID_PATTERN.test(value)) return null;
  const n = Number(value);
  return n <= MAX_ID ? n : null;
}

/** A form field holding an id (zod): the number, or the given error (a translation key). */
export function idField(error: string) {
  return z.pipe(
    z.string({ error }).check(z.refine((v) => parseId(v) !== null, { error })),
    z.transform((v: string) => parseId(v)!),
  );
}
