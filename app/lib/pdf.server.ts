// HTML to PDF with the system's Chromium, headless (issue 14, docs/decisions/0019). The document
// is written to a private temporary folder and opened from there as a file: Chromium needs no
// session, no network and no address of this server, and the page carries no script (its own
// policy forbids any; turning scripts off with a flag stops headless printing itself). One print
// at a time per process (a second caller is told to come back: PdfBusyError); a print that takes
// too long is killed with its whole process group.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { getEnv } from "./env.server";

export class PdfUnavailableError extends Error {
  constructor(reason: string) {
    super(`PDF unavailable: ${reason}`);
  }
}
export class PdfBusyError extends Error {
  constructor() {
    super("Another PDF is being made");
  }
}

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The Chromium to print with: CHROMIUM_PATH when set (and only it: a wrong path means none, not
 * another browser), else Debian's package; null when there is none.
 */
export function findChromium(): string | null {
  return chooseChromium(getEnv().CHROMIUM_PATH, CANDIDATES);
}

/** findChromium's rule, given the setting and the places to look (tested on its own). */
export function chooseChromium(explicit: string | undefined, candidates: readonly string[]): string | null {
  if (explicit) return executable(explicit) ? explicit : null;
  return candidates.find(executable) ?? null;
}

/** The flags of a headless print of a local file: the tests' quiet set, and nothing that reaches out. */
export function chromiumArgs(input: string, output: string, profile: string, root = process.getuid?.() === 0): string[] {
  return [
    "--headless",
    // Chromium refuses to run as root with its sandbox; as any other user the sandbox stays on.
    ...(root ? ["--no-sandbox"] : []),
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-extensions",
    "--disable-breakpad",
    `--user-data-dir=${profile}`,
    "--no-pdf-header-footer",
    `--print-to-pdf=${output}`,
    `file://${input}`,
  ];
}

let busy = false;

/** Whether a print is running in this process now. */
export function pdfBusy(): boolean {
  return busy;
}

/**
 * Prints a whole HTML document (inline styles, no external resources) to PDF. Throws
 * PdfUnavailableError without a Chromium or when it fails, PdfBusyError while another print runs.
 */
export async function htmlToPdf(html: string, opts: { chromium?: string | null; timeoutMs?: number } = {}): Promise<Buffer> {
  const chromium = opts.chromium === undefined ? findChromium() : opts.chromium;
  if (!chromium) throw new PdfUnavailableError("no Chromium");
  if (busy) throw new PdfBusyError();
  busy = true;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "report-pdf-"));
  try {
    const input = path.join(dir, "report.html");
    const output = path.join(dir, "report.pdf");
    fs.writeFileSync(input, html, { mode: 0o600 });
    await run(chromium, chromiumArgs(input, output, path.join(dir, "profile")), dir, opts.timeoutMs ?? 60_000);
    const pdf = fs.existsSync(output) ? fs.readFileSync(output) : null;
    if (!pdf || pdf.subarray(0, 5).toString("latin1") !== "%PDF-") throw new PdfUnavailableError("Chromium wrote no PDF");
    return pdf;
  } finally {
    busy = false;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function run(file: string, args: string[], home: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout ends the browser's helpers too; its home in the
    // temporary folder, so nothing is written into the server account's.
    const child = spawn(file, args, {
      detached: true,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home },
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString("utf8");
    });
    const timer = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
      reject(new PdfUnavailableError(`Chromium took longer than ${timeoutMs} ms`));
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new PdfUnavailableError(error.message));
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      // Helpers left behind by the browser go with it.
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // none left
      }
      if (code === 0) resolve();
      else reject(new PdfUnavailableError(`Chromium exited with ${code ?? signal}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`));
    });
  });
}
