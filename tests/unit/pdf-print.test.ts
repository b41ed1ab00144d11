// Printing to PDF (app/lib/pdf.server.ts) without a real browser: a stand-in executable plays
// Chromium, so the rules are checked quickly: which Chromium, no Chromium, one print at a time, a
// print that hangs is killed, a browser that writes no PDF, and the temporary folder is removed.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { chooseChromium, chromiumArgs, htmlToPdf, pdfBusy, PdfBusyError, PdfUnavailableError } from "#app/lib/pdf.server";

process.env.SESSION_SECRET ??= "pdf-print-test-secret-0123456789abcdef";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pdf-print-test-"));

/** A stand-in browser: writes `body` to the --print-to-pdf path after `delay` seconds, and logs its input. */
function fakeChromium(name: string, body: string, delay = 0): string {
  const file = path.join(dir, name);
  fs.writeFileSync(
    file,
    `#!/bin/sh
for a in "$@"; do
  case "$a" in
    --print-to-pdf=*) out="\${a#--print-to-pdf=}" ;;
    file://*) cp "\${a#file://}" "${dir}/${name}.seen.html" ;;
  esac
done
sleep ${delay}
printf '%s' '${body}' > "$out"
`,
    { mode: 0o755 },
  );
  return file;
}

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const leftovers = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("report-pdf-")).length;

describe("which Chromium", () => {
  it("is CHROMIUM_PATH when set, and none when that path is not an executable", () => {
    const fake = fakeChromium("chromium-a", "%PDF-1.7");
    expect(chooseChromium(fake, [])).toBe(fake);
    expect(chooseChromium(path.join(dir, "missing"), [fake])).toBeNull();
    expect(chooseChromium(undefined, [path.join(dir, "missing"), fake])).toBe(fake);
    expect(chooseChromium(undefined, [path.join(dir, "missing")])).toBeNull();
    // A folder is not a browser.
    expect(chooseChromium(dir, [])).toBeNull();
  });

  it("runs headless on a local file, without the sandbox only as root", () => {
    const asRoot = chromiumArgs("/t/report.html", "/t/report.pdf", "/t/profile", true);
    const asUser = chromiumArgs("/t/report.html", "/t/report.pdf", "/t/profile", false);
    expect(asRoot).toContain("--no-sandbox");
    expect(asUser).not.toContain("--no-sandbox");
    expect(asUser).toEqual(expect.arrayContaining(["--headless", "--disable-background-networking", "--print-to-pdf=/t/report.pdf", "--user-data-dir=/t/profile", "file:///t/report.html"]));
    expect(asUser.at(-1)).toBe("file:///t/report.html");
  });
});

describe("printing", () => {
  it("returns the PDF the browser wrote from the document it was given, and cleans up", async () => {
    const before = leftovers();
    const fake = fakeChromium("chromium-ok", "%PDF-1.7 fake");
    const pdf = await htmlToPdf("<!DOCTYPE html><title>t</title><p>报告</p>", { chromium: fake });
    expect(pdf.toString("latin1")).toBe("%PDF-1.7 fake");
    expect(fs.readFileSync(path.join(dir, "chromium-ok.seen.html"), "utf8")).toContain("<p>报告</p>");
    expect(leftovers()).toBe(before);
    expect(pdfBusy()).toBe(false);
  });

  it("without a Chromium, or when it writes no PDF, is unavailable", async () => {
    await expect(htmlToPdf("<p>x</p>", { chromium: null })).rejects.toBeInstanceOf(PdfUnavailableError);
    await expect(htmlToPdf("<p>x</p>", { chromium: fakeChromium("chromium-bad", "not a pdf") })).rejects.toBeInstanceOf(PdfUnavailableError);
    await expect(htmlToPdf("<p>x</p>", { chromium: path.join(dir, "missing") })).rejects.toBeInstanceOf(PdfUnavailableError);
    expect(pdfBusy()).toBe(false);
  });

  it("makes one PDF at a time: a second caller is refused while the first prints", async () => {
    const slow = fakeChromium("chromium-slow", "%PDF-1.7 slow", 1);
    const first = htmlToPdf("<p>1</p>", { chromium: slow });
    expect(pdfBusy()).toBe(true);
    await expect(htmlToPdf("<p>2</p>", { chromium: slow })).rejects.toBeInstanceOf(PdfBusyError);
    expect((await first).toString("latin1")).toBe("%PDF-1.7 slow");
    // Free again afterwards.
    expect((await htmlToPdf("<p>3</p>", { chromium: fakeChromium("chromium-b", "%PDF-1.7 b") })).toString("latin1")).toBe("%PDF-1.7 b");
  });

  it("kills a print that takes too long, and is free for the next one", async () => {
    const before = leftovers();
    const hung = fakeChromium("chromium-hung", "%PDF-1.7 late", 30);
    const started = Date.now();
    await expect(htmlToPdf("<p>x</p>", { chromium: hung, timeoutMs: 500 })).rejects.toThrow(/longer than 500 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(pdfBusy()).toBe(false);
    expect(leftovers()).toBe(before);
  });
});
