// The statements that must differ between databases, as functions named for what they do
// (docs/decisions/0027, rule 9). Models and services call `dialect()`; they never write a
// database's own functions or catalogs inline. Each database has one implementation of `Dialect`,
// so the compiler keeps them in step.
//
// Fragments take column expressions written by the caller (never user input) and return SQL text.

export interface Dialect {
  /** 'YYYY-MM' of a timestamp column in the region's time (UTC+8). */
  regionMonth(column: string): string;
  /** 'YYYY-MM-DD' of a timestamp column in the region's time (UTC+8). */
  regionDay(column: string): string;
}

const sqlite: Dialect = {
  regionMonth: (column) => `strftime('%Y-%m', ${column}, '+8 hours')`,
  regionDay: (column) => `date(${column}, '+8 hours')`,
};

export function dialect(): Dialect {
  return sqlite;
}
