// The tests' real SMTP server (issue 13): Debian's python3-aiosmtpd running scripts/smtp-sink.py,
// one for the whole run (global-setup.ts), storing every message in a Maildir; the test servers
// send to it (SMTP_URL in fixtures.ts). This file starts it and reads the messages back with a
// small parser: headers, RFC 2047 encoded words (B and Q) and the text/plain and text/html parts
// (multipart/alternative) in base64 or quoted-printable. The sink is shared by all workers and both projects: find messages by recipient.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "./paths";

/** Debian's own interpreter: it has Debian's python3-aiosmtpd (another python3 on PATH may not). */
const PYTHON = "/usr/bin/python3";
/** The sender address the test servers use. Not ASCII, so its display name travels encoded. */
export const TEST_MAIL_FROM = "公众满意度评价平台 <noreply@pingjia.example.gov.cn>";

export function maildir(): string {
  const dir = process.env.E2E_MAILDIR;
  if (!dir) throw new Error("E2E_MAILDIR is not set: the SMTP sink is started by tests/e2e/support/global-setup.ts");
  return dir;
}

/** Starts scripts/smtp-sink.py on a free port; it stops with `stop()` or when this process dies. */
export async function startSmtpSink(dir: string): Promise<{ port: number; stop: () => Promise<void> }> {
  try {
    execFileSync(PYTHON, ["-c", "import aiosmtpd.handlers, aiosmtpd.smtp"], { stdio: "pipe" });
  } catch {
    throw new Error(
      `The tests' SMTP server needs Debian's python3-aiosmtpd, importable by ${PYTHON}. ` +
        "Run `bash scripts/ensure-smtp.sh` (npm test does), or `apt-get install -y python3-aiosmtpd`.",
    );
  }
  fs.mkdirSync(dir, { recursive: true });
  // stdin stays an open pipe: when this process ends, the sink sees it close and exits.
  const child: ChildProcess = spawn(PYTHON, [path.join(projectRoot, "scripts/smtp-sink.py"), "--exit-on-stdin-eof", dir], { stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const port = /^ready (\d+)$/m.exec(output)?.[1];
    if (port) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      return {
        port: Number(port),
        stop: async () => {
          if (child.exitCode === null) child.kill("SIGTERM");
          await exited;
        },
      };
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill();
      throw new Error(`The SMTP sink did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Mail {
  file: string;
  /** Header values by lower-case name, unfolded, not decoded. */
  headers: Map<string, string[]>;
  header(name: string): string | undefined;
  /** The envelope's recipients (the sink's X-RcptTo). */
  rcptTo: string[];
  subject: string;
  from: string;
  messageId: string;
  /** The text/plain part, decoded. */
  text: string;
  /** The text/html part (multipart/alternative), decoded; "" when there is none. */
  html: string;
  raw: string;
}

function splitHead(raw: Buffer): { head: string; body: Buffer } {
  const s = raw.toString("latin1");
  const m = /\r?\n\r?\n/.exec(s);
  if (!m) return { head: s, body: Buffer.alloc(0) };
  return { head: s.slice(0, m.index), body: raw.subarray(m.index + m[0].length) };
}

function parseHeaders(head: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (const line of head.replace(/\r?\n(?=[ \t])/g, "").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return headers;
}

function decodeQuotedPrintable(s: string, header = false): Buffer {
  const text = header ? s.replace(/_/g, " ") : s.replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes);
}

/** RFC 2047: adjacent encoded words of one charset are joined as bytes first (a character may be split between them). */
export function decodeWords(value: string): string {
  const word = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
  let out = "";
  let last = 0;
  let pending: { charset: string; bytes: Buffer[] } | null = null;
  const flush = () => {
    if (pending) out += new TextDecoder(pending.charset).decode(Buffer.concat(pending.bytes));
    pending = null;
  };
  for (let m = word.exec(value); m; m = word.exec(value)) {
    const between = value.slice(last, m.index);
    // Only white space between two encoded words is dropped.
    if (!(pending && /^\s*$/.test(between))) {
      flush();
      out += between;
    }
    const charset = m[1]!.toLowerCase().replace(/\*.*$/, "");
    const bytes = m[2]!.toUpperCase() === "B" ? Buffer.from(m[3]!, "base64") : decodeQuotedPrintable(m[3]!, true);
    if (pending && pending.charset !== charset) flush();
    pending ??= { charset, bytes: [] };
    pending.bytes.push(bytes);
    last = m.index + m[0].length;
  }
  flush();
  return out + value.slice(last);
}

function param(value: string | undefined, name: string): string | undefined {
  return value ? new RegExp(`;\\s*${name}="?([^";]+)"?`, "i").exec(value)?.[1] : undefined;
}

/** The first text/<subtype> part of an entity (itself, or inside multipart/*), decoded. */
function textPart(headers: Map<string, string[]>, body: Buffer, subtype = "plain"): string | undefined {
  const type = headers.get("content-type")?.[0] ?? "text/plain";
  if (/^multipart\//i.test(type)) {
    const boundary = param(type, "boundary");
    if (!boundary) return undefined;
    const parts = body.toString("latin1").split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:--)?[ \\t]*\\r?\\n?`));
    for (const part of parts.slice(1)) {
      const { head, body: partBody } = splitHead(Buffer.from(part, "latin1"));
      const text = textPart(parseHeaders(head), partBody, subtype);
      if (text !== undefined) return text;
    }
    return undefined;
  }
  if (!new RegExp(`^text/${subtype}\\b`, "i").test(type)) return undefined;
  const encoding = (headers.get("content-transfer-encoding")?.[0] ?? "7bit").toLowerCase();
  const bytes =
    encoding === "base64"
      ? Buffer.from(body.toString("latin1").replace(/\s+/g, ""), "base64")
      : encoding === "quoted-printable"
        ? decodeQuotedPrintable(body.toString("latin1"))
        : body;
  return new TextDecoder(param(type, "charset") ?? "utf-8").decode(bytes).replace(/\r\n/g, "\n");
}

export function parseMail(raw: Buffer, file = ""): Mail {
  const { head, body } = splitHead(raw);
  const headers = parseHeaders(head);
  const header = (name: string) => headers.get(name.toLowerCase())?.[0];
  return {
    file,
    headers,
    header,
    rcptTo: (header("x-rcptto") ?? "").split(/,\s*/).filter(Boolean).map((a) => a.toLowerCase()),
    subject: decodeWords(header("subject") ?? ""),
    from: decodeWords(header("from") ?? ""),
    messageId: header("message-id") ?? "",
    text: textPart(headers, body) ?? "",
    html: textPart(headers, body, "html") ?? "",
    raw: raw.toString("utf8"),
  };
}

/** Every message in the Maildir (new/ and cur/; a message is moved there whole once written). */
export function readMaildir(dir = maildir()): Mail[] {
  const mails: Mail[] = [];
  for (const sub of ["new", "cur"]) {
    const folder = path.join(dir, sub);
    if (!fs.existsSync(folder)) continue;
    for (const name of fs.readdirSync(folder).sort()) mails.push(parseMail(fs.readFileSync(path.join(folder, name)), path.join(folder, name)));
  }
  return mails;
}

/** The messages delivered to `address` (envelope recipient). */
export function mailsTo(address: string, dir = maildir()): Mail[] {
  return readMaildir(dir).filter((m) => m.rcptTo.includes(address.toLowerCase()));
}

/** Waits until at least `count` messages to `address` have arrived; returns them. */
export async function waitForMail(address: string, { count = 1, timeout = 15_000 } = {}): Promise<Mail[]> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const found = mailsTo(address);
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`Expected ${count} message(s) to ${address} within ${timeout} ms; ${found.length} arrived`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
