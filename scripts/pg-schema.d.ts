// Types for scripts/pg-schema.js.
export const SOURCE: string;
export const TARGET: string;
/** The PostgreSQL schema for the given SQLite schema text; throws when the source's layout changed. */
export function postgresSchema(sqliteSchema: string): string;
/** postgresSchema() of the current prisma/schema.prisma. */
export function generatedSchema(): string;
