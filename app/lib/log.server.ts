// The process's structured log: one JSON object per line on stdout (pino), for journald, Docker or
// any collector. LOG_LEVEL sets how much (default info). Never log personal data here: no raw
// client address, no contact detail, no complaint or comment text, no token or query string
// (signed links carry tokens). Name records by their id or reference instead.
import pino from "pino";

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LEVELS)[number];

function levelFrom(value: string | undefined): LogLevel {
  return (LEVELS as readonly string[]).includes(value ?? "") ? (value as LogLevel) : "info";
}

declare global {
  // One logger per process, also across development module reloads.
  var __log: pino.Logger | undefined;
}

export const log: pino.Logger = (globalThis.__log ??= pino(
  {
    level: levelFrom(process.env.LOG_LEVEL),
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  },
  // Written asynchronously: lines that come while a write is under way go out together in the
  // next one (under load, one system call for many request lines instead of one each); an idle
  // server writes each line at once. pino flushes what is left when the process exits.
  pino.destination({ dest: 1, sync: false }),
));

/** A child logger for one part of the app (`{ part: "backup" }`), so an operator can filter by it. */
export function logFor(part: string): pino.Logger {
  return log.child({ part });
}

/**
 * The writer of the one line per request (server/observe.ts), at info: the same format as the
 * logger's own lines, put together directly because pino's object serialisation costs a few
 * microseconds a line (about 5 % of the survey page's fast path). `fields` is the JSON of the
 * line's own fields without braces; the caller makes sure it holds only safe values.
 */
export function infoLineWriter(part: string, msg: string): ((fields: string) => void) | null {
  if (!log.isLevelEnabled("info")) return null;
  const stream = (log as unknown as Record<symbol, { write(line: string): void }>)[pino.symbols.streamSym]!;
  const head = `,"pid":${process.pid},"part":${JSON.stringify(part)},`;
  const tail = `,"msg":${JSON.stringify(msg)}}\n`;
  return (fields) => stream.write(`{"level":"info","time":"${new Date().toISOString()}"${head}${fields}${tail}`);
}
